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

/// <summary>Client-credentials tokens from Entra ID through MSAL, which caches and renews them.</summary>
public sealed class MsalBotTokenProvider : IBotTokenProvider
{
    private readonly IConfidentialClientApplication? _app;

    public MsalBotTokenProvider(IOptions<BotOptions> options, IMsalHttpClientFactory httpClientFactory)
    {
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
        var result = await _app.AcquireTokenForClient([BotOptions.ConnectorScope]).ExecuteAsync(cancellationToken);
        return result.AccessToken;
    }
}

/// <summary>Lets MSAL use an HttpClient from IHttpClientFactory, so its handlers are pooled and replaceable in tests.</summary>
public sealed class MsalHttpClientFactory(IHttpClientFactory factory) : IMsalHttpClientFactory
{
    public const string ClientName = "msal";

    public HttpClient GetHttpClient() => factory.CreateClient(ClientName);
}
