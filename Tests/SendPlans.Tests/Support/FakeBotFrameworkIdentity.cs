using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SendPlans.Tests.Support;

/// <summary>
/// Plays login.botframework.com: serves OpenID metadata and a JWKS of locally generated RSA
/// keys with endorsements, and signs tokens the way the Bot Connector does.
/// </summary>
public sealed class FakeBotFrameworkIdentity : IAsyncDisposable
{
    public const string Issuer = "https://api.botframework.com";
    private readonly List<(RsaSecurityKey Key, string[] Endorsements)> _published = [];
    private LocalServer _server = null!;

    public string MetadataUrl => $"{_server.Url}/v1/.well-known/openidconfiguration";

    public int MetadataRequests { get; private set; }

    public RsaSecurityKey CurrentKey => _published[^1].Key;

    public static async Task<FakeBotFrameworkIdentity> StartAsync()
    {
        var identity = new FakeBotFrameworkIdentity();
        identity.PublishNewKey();
        identity._server = await LocalServer.StartAsync(app =>
        {
            app.MapGet("/v1/.well-known/openidconfiguration", (HttpContext http) =>
            {
                identity.MetadataRequests++;
                return Results.Json(new JsonObject
                {
                    ["issuer"] = Issuer,
                    ["jwks_uri"] = $"{identity._server.Url}/v1/.well-known/keys",
                    ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                });
            });
            app.MapGet("/v1/.well-known/keys", () => Results.Json(identity.Jwks()));
        });
        return identity;
    }

    /// <summary>Adds a key to the published set (a key rollover) and returns it.</summary>
    public RsaSecurityKey PublishNewKey(params string[] endorsements)
    {
        var key = NewKey();
        _published.Add((key, endorsements.Length == 0 ? ["msteams", "webchat", "emulator"] : endorsements));
        return key;
    }

    public static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };

    public string CreateToken(string appId, string serviceUrl, Action<SecurityTokenDescriptor>? customise = null, SigningCredentials? signWith = null)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = appId,
            IssuedAt = now.AddMinutes(-1),
            NotBefore = now.AddMinutes(-1),
            Expires = now.AddMinutes(60),
            Claims = new Dictionary<string, object> { ["serviceurl"] = serviceUrl },
            SigningCredentials = signWith ?? new SigningCredentials(CurrentKey, SecurityAlgorithms.RsaSha256),
        };
        customise?.Invoke(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    private JsonObject Jwks()
    {
        var keys = new JsonArray();
        foreach (var (key, endorsements) in _published)
        {
            var jwk = Jwk(key);
            jwk["endorsements"] = new JsonArray([.. endorsements.Select(e => (JsonNode)e)]);
            keys.Add(jwk);
        }
        return new JsonObject { ["keys"] = keys };
    }

    /// <summary>The public half of a key as a JSON Web Key.</summary>
    public static JsonObject Jwk(RsaSecurityKey key)
    {
        var p = key.Rsa.ExportParameters(false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = key.KeyId,
            ["n"] = Base64UrlEncoder.Encode(p.Modulus),
            ["e"] = Base64UrlEncoder.Encode(p.Exponent),
        };
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
