using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Hosting;

/// <summary>
/// Inbound authentication through the real pipeline: tokens signed with local keys and served
/// from a local OpenID metadata endpoint.
/// </summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private BotFactory _bot = null!;

    public async Task InitializeAsync() => _bot = await BotFactory.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task PostActivity_ValidToken_Returns200AndReplies()
    {
        var response = await _bot.PostActivityAsync(_bot.Activity());

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var sent = await _bot.Connector.WaitForAsync(1);
        sent.Should().ContainSingle(r => r.Path.EndsWith("/activities", StringComparison.Ordinal));
    }

    public static TheoryData<string> BadRequests() =>
    [
        "no header",
        "empty header",
        "basic scheme",
        "bearer without token",
        "malformed jwt",
        "three garbage segments",
        "alg none",
        "hs256 signed with the public key",
        "unknown kid",
        "no kid",
        "bad signature",
        "signed by an unpublished key with a published kid",
        "wrong issuer",
        "tenant issuer when no tenant configured",
        "wrong audience",
        "no audience",
        "expired beyond the skew",
        "no expiry",
        "nbf in the future beyond the skew",
        "endorsement missing for the channel",
        "activity channel differs from endorsement",
        "serviceurl mismatch",
        "serviceurl claim missing",
        "ps256 algorithm",
        "token for another app in the right shape",
    ];

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task PostActivity_BadCredentials_Returns401(string badCase)
    {
        var activity = _bot.Activity();
        var serviceUrl = _bot.Connector.ServiceUrl;
        var identity = _bot.Identity;
        string Token(Action<SecurityTokenDescriptor> customise) => identity.CreateToken(BotFactory.AppId, serviceUrl, customise);

        string? header = badCase switch
        {
            "no header" => null,
            "empty header" => "",
            "basic scheme" => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:password")),
            "bearer without token" => "Bearer ",
            "malformed jwt" => "Bearer not-a-jwt",
            "three garbage segments" => "Bearer abc.def.ghi",
            "alg none" => "Bearer " + Unsigned(BotFactory.AppId, serviceUrl),
            "hs256 signed with the public key" => "Bearer " + identity.CreateToken(BotFactory.AppId, serviceUrl, signWith: new SigningCredentials(
                new SymmetricSecurityKey(identity.CurrentKey.Rsa.ExportRSAPublicKey()) { KeyId = identity.CurrentKey.KeyId }, SecurityAlgorithms.HmacSha256)),
            "unknown kid" => "Bearer " + identity.CreateToken(BotFactory.AppId, serviceUrl, signWith: new SigningCredentials(FakeBotFrameworkIdentity.NewKey(), SecurityAlgorithms.RsaSha256)),
            "no kid" => "Bearer " + identity.CreateToken(BotFactory.AppId, serviceUrl, signWith: new SigningCredentials(new RsaSecurityKey(identity.CurrentKey.Rsa), SecurityAlgorithms.RsaSha256)),
            "bad signature" => "Bearer " + Tamper(identity.CreateToken(BotFactory.AppId, serviceUrl)),
            "signed by an unpublished key with a published kid" => "Bearer " + identity.CreateToken(BotFactory.AppId, serviceUrl, signWith: new SigningCredentials(
                new RsaSecurityKey(RSA.Create(2048)) { KeyId = identity.CurrentKey.KeyId }, SecurityAlgorithms.RsaSha256)),
            "wrong issuer" => "Bearer " + Token(d => d.Issuer = "https://api.botframework.evil"),
            "tenant issuer when no tenant configured" => "Bearer " + Token(d => d.Issuer = "https://login.microsoftonline.com/tenant-1/v2.0"),
            "wrong audience" => "Bearer " + Token(d => d.Audience = "another-app"),
            "no audience" => "Bearer " + Token(d => d.Audience = null),
            "expired beyond the skew" => "Bearer " + Token(d => { d.IssuedAt = DateTime.UtcNow.AddHours(-2); d.NotBefore = DateTime.UtcNow.AddHours(-2); d.Expires = DateTime.UtcNow.AddMinutes(-6); }),
            "no expiry" => "Bearer " + Token(d => d.Expires = null),
            "nbf in the future beyond the skew" => "Bearer " + Token(d => { d.NotBefore = DateTime.UtcNow.AddMinutes(6); d.IssuedAt = DateTime.UtcNow; d.Expires = DateTime.UtcNow.AddHours(1); }),
            "endorsement missing for the channel" => "Bearer " + identity.CreateToken(BotFactory.AppId, serviceUrl, signWith: new SigningCredentials(identity.PublishNewKey("webchat"), SecurityAlgorithms.RsaSha256)),
            "activity channel differs from endorsement" => "valid",
            "serviceurl mismatch" => "Bearer " + identity.CreateToken(BotFactory.AppId, "https://smba.trafficmanager.net/evil/"),
            "serviceurl claim missing" => "Bearer " + Token(d => d.Claims = new Dictionary<string, object>()),
            "ps256 algorithm" => "Bearer " + identity.CreateToken(BotFactory.AppId, serviceUrl, signWith: new SigningCredentials(identity.CurrentKey, SecurityAlgorithms.RsaSsaPssSha256)),
            "token for another app in the right shape" => "Bearer " + identity.CreateToken("9d7e4a1b-0000-4000-8000-000000000000", serviceUrl),
            _ => throw new ArgumentOutOfRangeException(nameof(badCase)),
        };
        if (badCase == "activity channel differs from endorsement")
        {
            activity["channelId"] = "slack";
        }

        var response = await _bot.PostActivityAsync(activity, header);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, because: badCase);
        _bot.Connector.Requests.Should().BeEmpty("an unauthenticated request must have no side effect");
    }

    [Fact]
    public async Task PostActivity_TokenWithinClockSkew_Returns200()
    {
        var token = _bot.Identity.CreateToken(BotFactory.AppId, _bot.Connector.ServiceUrl, d =>
        {
            d.IssuedAt = DateTime.UtcNow.AddHours(-1);
            d.NotBefore = DateTime.UtcNow.AddHours(-1);
            d.Expires = DateTime.UtcNow.AddMinutes(-3);
        });

        var response = await _bot.PostActivityAsync(_bot.Activity(), "Bearer " + token);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task PostActivity_KeyRolledOver_AcceptedAfterRefresh()
    {
        (await _bot.PostActivityAsync(_bot.Activity())).StatusCode.Should().Be(HttpStatusCode.OK);
        var requestsBefore = _bot.Identity.MetadataRequests;

        var rolled = _bot.Identity.PublishNewKey();
        var token = _bot.Identity.CreateToken(BotFactory.AppId, _bot.Connector.ServiceUrl, signWith: new SigningCredentials(rolled, SecurityAlgorithms.RsaSha256));
        var response = await _bot.PostActivityAsync(_bot.Activity(), "Bearer " + token);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        _bot.Identity.MetadataRequests.Should().Be(requestsBefore + 1, "an unknown kid triggers exactly one refresh");
    }

    [Fact]
    public async Task PostActivity_KnownKey_MetadataFetchedOnce()
    {
        for (var i = 0; i < 5; i++)
        {
            (await _bot.PostActivityAsync(_bot.Activity())).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        _bot.Identity.MetadataRequests.Should().Be(1, "keys are cached");
    }

    [Fact]
    public async Task HeadMessages_Always_Returns200()
    {
        var response = await _bot.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/messages"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static string Unsigned(string audience, string serviceUrl)
    {
        static string Encode(JsonObject o) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(o.ToJsonString()));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject { ["alg"] = "none", ["typ"] = "JWT" };
        var payload = new JsonObject
        {
            ["iss"] = FakeBotFrameworkIdentity.Issuer,
            ["aud"] = audience,
            ["serviceurl"] = serviceUrl,
            ["nbf"] = now - 60,
            ["exp"] = now + 3600,
        };
        return $"{Encode(header)}.{Encode(payload)}.";
    }

    private static string Tamper(string jwt)
    {
        var parts = jwt.Split('.');
        var signature = Base64UrlEncoder.DecodeBytes(parts[2]);
        signature[10] ^= 0xFF;
        return $"{parts[0]}.{parts[1]}.{Base64UrlEncoder.Encode(signature)}";
    }
}
