using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SendPlans.Tests.Support;

/// <summary>
/// Plays Entra ID's sign-in for a web app: OpenID metadata, a JWKS of a local key, an authorize
/// endpoint that signs in <see cref="SignedInAs"/> at once (as a browser with a session would) and
/// sends the browser back with a code, and a token endpoint that checks the client secret, the
/// redirect URI and the PKCE verifier before it issues an id token with the user's <c>oid</c>.
/// </summary>
public sealed class FakeEntraId : IAsyncDisposable
{
    public const string ClientId = "5d1e6a57-dashboard-client";
    public const string ClientSecret = "local-test-secret";
    private readonly RsaSecurityKey _key = FakeBotFrameworkIdentity.NewKey();
    private readonly ConcurrentDictionary<string, (string RedirectUri, string Challenge, string? Nonce, string ObjectId)> _codes = new();
    private LocalServer _server = null!;

    /// <summary>The authority to configure: http on loopback, which the dashboard allows for tests only.</summary>
    public string Authority => $"{_server.Url}/tenant-1/v2.0";

    /// <summary>The Entra object id of whoever signs in next.</summary>
    public string SignedInAs { get; set; } = "";

    public int AuthorizeRequests { get; private set; }

    public int TokensIssued { get; private set; }

    public static async Task<FakeEntraId> StartAsync()
    {
        var entra = new FakeEntraId();
        entra._server = await LocalServer.StartAsync(app =>
        {
            app.MapGet("/tenant-1/v2.0/.well-known/openid-configuration", () => Results.Json(new JsonObject
            {
                ["issuer"] = entra.Authority,
                ["authorization_endpoint"] = $"{entra.Authority}/authorize",
                ["token_endpoint"] = $"{entra.Authority}/token",
                ["jwks_uri"] = $"{entra.Authority}/keys",
                ["response_types_supported"] = new JsonArray("code", "id_token"),
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                ["code_challenge_methods_supported"] = new JsonArray("S256"),
            }));
            app.MapGet("/tenant-1/v2.0/keys", () => Results.Json(entra.Jwks()));
            app.MapGet("/tenant-1/v2.0/authorize", (Func<HttpContext, IResult>)entra.Authorize);
            app.MapPost("/tenant-1/v2.0/token", (Func<HttpContext, Task<IResult>>)entra.TokenAsync);
        });
        return entra;
    }

    private IResult Authorize(HttpContext http)
    {
        AuthorizeRequests++;
        var q = http.Request.Query;
        if (q["client_id"] != ClientId || q["response_type"] != "code" || q["code_challenge_method"] != "S256"
            || string.IsNullOrEmpty(q["code_challenge"]) || string.IsNullOrEmpty(q["redirect_uri"]) || string.IsNullOrEmpty(q["state"]))
        {
            return Results.BadRequest("AADSTS900144: a required parameter is missing or wrong.");
        }
        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _codes[code] = (q["redirect_uri"]!, q["code_challenge"]!, q["nonce"], SignedInAs);
        return Results.Redirect($"{q["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(q["state"]!)}");
    }

    private async Task<IResult> TokenAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        if (form["grant_type"] != "authorization_code" || form["client_id"] != ClientId || form["client_secret"] != ClientSecret
            || !_codes.TryRemove(form["code"].ToString(), out var grant) || form["redirect_uri"] != grant.RedirectUri
            || Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != grant.Challenge)
        {
            return Results.Json(new JsonObject { ["error"] = "invalid_grant" }, statusCode: 400);
        }
        TokensIssued++;
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object> { ["oid"] = grant.ObjectId, ["sub"] = grant.ObjectId, ["name"] = "Signed-in member of staff", ["tid"] = "tenant-1" };
        if (grant.Nonce is not null)
        {
            claims["nonce"] = grant.Nonce;
        }
        var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = ClientId,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            Claims = claims,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });
        return Results.Json(new JsonObject { ["token_type"] = "Bearer", ["id_token"] = idToken, ["access_token"] = "not-used", ["expires_in"] = 3600 });
    }

    private JsonObject Jwks() => new() { ["keys"] = new JsonArray(FakeBotFrameworkIdentity.Jwk(_key)) };

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
