using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Authentication;

namespace SendPlans.Infrastructure.Calendars.Graph;

/// <summary>
/// Makes the SDK's <see cref="GraphServiceClient"/> over a pooled HttpClient from
/// IHttpClientFactory (so handlers rotate) with app-only tokens from the credential.
/// </summary>
public sealed class GraphClients(IHttpClientFactory httpClients, [FromKeyedServices(GraphClients.CredentialKey)] TokenCredential credential, IOptions<GraphOptions> options)
{
    public const string HttpClientName = "Graph";

    /// <summary>The DI key of the <see cref="TokenCredential"/> used for Graph; tests register their own first.</summary>
    public const string CredentialKey = "Graph";

    private readonly string _baseUrl = options.Value.BaseUrl.TrimEnd('/');

    // Tokens go only to the configured Graph host (the SDK's default list would leave a test server without one).
    private readonly AzureIdentityAuthenticationProvider _authentication = new(
        credential, allowedHosts: [new Uri(options.Value.BaseUrl).Host], observabilityOptions: null, isCaeEnabled: false);

    public GraphServiceClient Create() => new(httpClients.CreateClient(HttpClientName), _authentication, _baseUrl);
}
