using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace SendPlans.Infrastructure.BotFramework;

/// <summary>Supplies the bearer token for calls to the Bot Connector.</summary>
public interface IBotTokenProvider
{
    /// <summary>The token, or null when the bot runs without credentials (dev mode).</summary>
    Task<string?> GetTokenAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Client-credentials tokens from Entra ID through MSAL. The token in hand is reused until
/// shortly before it expires (or MSAL says to refresh it), as the Bot Framework SDK's app
/// credentials do: every reply needs one, and a trip through MSAL's cache for each was about
/// 5% of the bot's CPU in a profile under load. One caller at a time asks MSAL, so a burst of turns after a start makes one
/// request to Entra ID rather than one per turn (MSAL does not merge concurrent requests).
/// </summary>
public sealed class MsalBotTokenProvider : IBotTokenProvider
{
    /// <summary>A token is replaced this long before it expires.</summary>
    public static readonly TimeSpan RefreshBeforeExpiry = TimeSpan.FromMinutes(5);

    private readonly IConfidentialClientApplication? _app;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile CachedToken? _current;

    private sealed record CachedToken(string AccessToken, DateTimeOffset ReplaceAt);

    public MsalBotTokenProvider(IOptions<BotOptions> options, IMsalHttpClientFactory httpClientFactory, TimeProvider time)
    {
        _time = time;
        var o = options.Value;
        if (!o.AuthenticationEnabled)
        {
            return;
        }
        var tenant = string.IsNullOrWhiteSpace(o.TenantId) ? "botframework.com" : o.TenantId;
        var builder = ConfidentialClientApplicationBuilder.Create(o.AppId)
            .WithAuthority($"{o.AuthorityHost.TrimEnd('/')}/{tenant}")
            .WithHttpClientFactory(httpClientFactory)
            .WithInstanceDiscovery(false);
        builder = string.IsNullOrEmpty(o.CertificatePath)
            ? builder.WithClientSecret(o.AppPassword)
            : builder.WithCertificate(X509CertificateLoader.LoadPkcs12FromFile(o.CertificatePath, o.CertificatePassword), sendX5C: true);
        _app = builder.Build();
    }

    public async Task<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_app is null)
        {
            return null;
        }
        if (Fresh(_current) is { } token)
        {
            return token;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(_current) is { } refreshed)
            {
                return refreshed; // another caller got it while we waited
            }
            var result = await _app.AcquireTokenForClient([BotOptions.ConnectorScope]).ExecuteAsync(cancellationToken);
            var replaceAt = result.ExpiresOn - RefreshBeforeExpiry;
            if (result.AuthenticationResultMetadata?.RefreshOn is { } refreshOn && refreshOn < replaceAt)
            {
                replaceAt = refreshOn;
            }
            _current = new CachedToken(result.AccessToken, replaceAt);
            return result.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    private string? Fresh(CachedToken? token) =>
        token is not null && _time.GetUtcNow() < token.ReplaceAt ? token.AccessToken : null;
}

/// <summary>Lets MSAL use an HttpClient from IHttpClientFactory, so its handlers are pooled and replaceable in tests.</summary>
public sealed class MsalHttpClientFactory(IHttpClientFactory factory) : IMsalHttpClientFactory
{
    public const string ClientName = "msal";

    public HttpClient GetHttpClient() => factory.CreateClient(ClientName);
}
