using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SendPlans.Bench;

/// <summary>
/// Plays Entra ID's token endpoint for the bot's MSAL client-credentials request, over HTTPS
/// (MSAL refuses any other authority) with a throwaway self-signed certificate for 127.0.0.1.
/// The bot process is started with SSL_CERT_FILE naming that certificate, so it trusts this
/// endpoint and nothing else; it makes no other HTTPS call in the benchmark.
/// </summary>
public sealed class FakeEntraTokenEndpoint : IAsyncDisposable
{
    public const string AccessToken = "connector-token-from-fake-entra";
    private readonly WebApplication _app;
    private long _requests;

    private FakeEntraTokenEndpoint(WebApplication app, string authorityHost, string certificateFile)
    {
        _app = app;
        AuthorityHost = authorityHost;
        CertificateFile = certificateFile;
    }

    /// <summary>The value for Bot:AuthorityHost.</summary>
    public string AuthorityHost { get; }

    /// <summary>A PEM file holding the endpoint's certificate, for the bot's SSL_CERT_FILE.</summary>
    public string CertificateFile { get; }

    public long Requests => Interlocked.Read(ref _requests);

    public static async Task<FakeEntraTokenEndpoint> StartAsync(string workDirectory)
    {
        var certificate = CreateCertificate();
        var certificateFile = Path.Combine(workDirectory, "fake-entra.pem");
        await File.WriteAllTextAsync(certificateFile, certificate.ExportCertificatePem());

        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        var port = Tests.Support.Azurite.FreePort();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.UseHttps(certificate)));
        var app = builder.Build();
        FakeEntraTokenEndpoint? endpoint = null;
        app.MapPost("/{tenant}/oauth2/v2.0/token", () =>
        {
            Interlocked.Increment(ref endpoint!._requests);
            return Results.Text($$"""{"token_type":"Bearer","expires_in":3600,"ext_expires_in":3600,"access_token":"{{AccessToken}}"}""", "application/json");
        });
        await app.StartAsync();
        endpoint = new FakeEntraTokenEndpoint(app, $"https://127.0.0.1:{port}", certificateFile);
        return endpoint;
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var ephemeral = request.CreateSelfSigned(now.AddHours(-1), now.AddDays(1));
        // Kestrel on Linux wants a certificate whose key it can use directly: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
