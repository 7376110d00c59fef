using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SendPlans.Infrastructure.BotFramework;

/// <summary>A token that passed signature, issuer, audience and lifetime checks.</summary>
public sealed record ValidatedToken(ClaimsIdentity Identity, EndorsedKey Key, bool IssuedByBotFramework)
{
    public string? ServiceUrlClaim => Identity.FindFirst("serviceurl")?.Value;
}

/// <summary>
/// Validates the bearer token on an inbound request, as the Bot Framework's channel
/// authentication does. Any failure is a null result: the caller answers 401 and says no more.
/// </summary>
public sealed class BotAuthenticator
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private readonly BotOptions _options;
    private readonly OpenIdKeyCache _botFrameworkKeys;
    private readonly OpenIdKeyCache? _tenantKeys;
    private readonly HashSet<string> _tenantIssuers;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly ConditionalWeakTable<EndorsedKey, TokenValidationParameters> _parameters = [];
    private readonly TimeProvider _time;
    private readonly ILogger<BotAuthenticator> _logger;

    public BotAuthenticator(IOptions<BotOptions> options, IHttpClientFactory httpClientFactory, TimeProvider time, ILogger<BotAuthenticator> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        var http = httpClientFactory.CreateClient(nameof(OpenIdKeyCache));
        _botFrameworkKeys = new OpenIdKeyCache(http, _options.OpenIdMetadataUrl, _options.MetadataRefreshInterval, time);
        var tenantMetadata = _options.EffectiveTenantOpenIdMetadataUrl;
        _tenantKeys = tenantMetadata is null ? null : new OpenIdKeyCache(http, tenantMetadata, _options.MetadataRefreshInterval, time);
        _tenantIssuers = string.IsNullOrWhiteSpace(_options.TenantId)
            ? []
            : [$"https://login.microsoftonline.com/{_options.TenantId}/v2.0", $"https://sts.windows.net/{_options.TenantId}/"];
    }

    /// <summary>Checks the Authorization header; null when it does not carry a valid token.</summary>
    public async Task<ValidatedToken?> ValidateTokenAsync(string? authorizationHeader, CancellationToken cancellationToken)
    {
        const string scheme = "Bearer ";
        if (authorizationHeader is null || !authorizationHeader.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return Fail("no bearer token");
        }
        var raw = authorizationHeader[scheme.Length..].Trim();
        JsonWebToken unverified;
        try
        {
            unverified = _handler.ReadJsonWebToken(raw);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException)
        {
            return Fail("malformed token");
        }
        if (unverified.Alg != SecurityAlgorithms.RsaSha256 || string.IsNullOrEmpty(unverified.Kid))
        {
            return Fail("algorithm or key id not accepted");
        }

        var fromBotFramework = unverified.Issuer == BotOptions.BotFrameworkIssuer;
        var keys = fromBotFramework ? _botFrameworkKeys
            : _tenantIssuers.Contains(unverified.Issuer) ? _tenantKeys
            : null;
        if (keys is null)
        {
            return Fail("issuer not accepted");
        }

        EndorsedKey? key;
        try
        {
            key = await keys.FindKeyAsync(unverified.Kid, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException or TaskCanceledException)
        {
            Log.MetadataUnavailable(_logger, keys.MetadataUrl, e.GetType().Name);
            return null;
        }
        if (key is null)
        {
            return Fail("unknown signing key");
        }

        // The token read above is validated as it is (not parsed a second time from the string),
        // with the parameters made once per signing key.
        if (!_parameters.TryGetValue(key, out var parameters))
        {
            parameters = _parameters.GetValue(key, k => Parameters(k, fromBotFramework));
        }
        var result = await _handler.ValidateTokenAsync(unverified, parameters);
        if (!result.IsValid)
        {
            return Fail(result.Exception?.GetType().Name ?? "invalid token");
        }
        return new ValidatedToken(result.ClaimsIdentity, key, fromBotFramework);
    }

    private TokenValidationParameters Parameters(EndorsedKey key, bool fromBotFramework) => new()
    {
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        IssuerSigningKey = key.Key,
        TryAllIssuerSigningKeys = false,
        ValidIssuers = fromBotFramework ? [BotOptions.BotFrameworkIssuer] : _tenantIssuers,
        ValidAudience = _options.AppId,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ClockSkew = ClockSkew,
        LifetimeValidator = ValidateLifetime,
    };

    /// <summary>
    /// Checks what ties the token to this activity: the key must be endorsed for the
    /// activity's channel, and the token's serviceurl claim must name the activity's serviceUrl.
    /// </summary>
    public bool IsValidFor(ValidatedToken token, Activity activity)
    {
        if (token.IssuedByBotFramework || token.Key.Endorsements is not null)
        {
            if (string.IsNullOrEmpty(activity.ChannelId) || token.Key.Endorsements?.Contains(activity.ChannelId) != true)
            {
                Fail("key not endorsed for the channel");
                return false;
            }
        }
        var claim = token.ServiceUrlClaim;
        if (claim is null && !token.IssuedByBotFramework)
        {
            return true; // Entra ID tokens for a single-tenant bot carry no serviceurl claim
        }
        if (claim is null || !string.Equals(claim.TrimEnd('/'), activity.ServiceUrl?.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
        {
            Fail("serviceurl claim does not match the activity");
            return false;
        }
        return true;
    }

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (expires is null || expires.Value.ToUniversalTime() + ClockSkew < now)
        {
            return false;
        }
        return notBefore is null || notBefore.Value.ToUniversalTime() - ClockSkew <= now;
    }

    private ValidatedToken? Fail(string reason)
    {
        Log.Unauthenticated(_logger, reason);
        return null;
    }
}
