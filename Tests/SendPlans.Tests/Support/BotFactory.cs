using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SendPlans.Infrastructure.BotFramework;

namespace SendPlans.Tests.Support;

/// <summary>
/// The real bot host, in process, with authentication ON against a local identity, storage
/// in Azurite under a prefix of its own, and the Connector played by a local fake.
/// </summary>
public sealed class BotFactory : WebApplicationFactory<Program>
{
    public const string AppId = "5a3c7f2e-0b7d-4d35-9d8a-2f7b6c1e9a10";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    private BotFactory(Dictionary<string, string?> settings, FakeBotFrameworkIdentity identity, FakeConnector connector, Action<IServiceCollection>? services)
    {
        _settings = settings;
        _services = services;
        Identity = identity;
        Connector = connector;
    }

    public FakeBotFrameworkIdentity Identity { get; }

    public FakeConnector Connector { get; }

    /// <summary>MSAL's requests for Connector tokens, answered by <see cref="FakeTokenEndpoint"/>.</summary>
    public FakeTokenEndpoint TokenEndpoint { get; } = new();

    public static Task<BotFactory> StartAsync(Action<IServiceCollection> services) => StartAsync(true, null, services);

    /// <summary>Serves the bot on a real loopback port too (for a browser); returns its base URL, e.g. http://127.0.0.1:41234.</summary>
    public string ServeOnLoopback()
    {
        UseKestrel(0);
        StartServer();
        return Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First().Replace("[::1]", "127.0.0.1").TrimEnd('/');
    }

    public static async Task<BotFactory> StartAsync(
        bool authentication = true,
        Dictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var identity = await FakeBotFrameworkIdentity.StartAsync();
        var connector = await FakeConnector.StartAsync();
        var all = new Dictionary<string, string?>
        {
            ["Bot:AppId"] = authentication ? AppId : "",
            ["Bot:AppPassword"] = authentication ? "test-only-password" : "",
            ["Bot:OpenIdMetadataUrl"] = identity.MetadataUrl,
            ["Bot:MetadataRefreshInterval"] = "00:00:00",
            ["Storage:ConnectionString"] = await Azurite.ConnectionStringAsync(),
            ["Storage:TablePrefix"] = Azurite.NewPrefix(),
            ["Calendar:Provider"] = "Local",
            ["Outbox:RunDispatcher"] = "false",
            ["Booking:RunJobs"] = "false",
            ["Views:RunJobs"] = "false",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }
        return new BotFactory(all, identity, connector, services);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Test");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            services.AddHttpClient(MsalHttpClientFactory.ClientName).ConfigurePrimaryHttpMessageHandler(() => TokenEndpoint);
            _services?.Invoke(services);
        });
    }

    /// <summary>The Teams user id (29:…) the tests give the member of staff with this Entra object id: one each.</summary>
    public static string TeamsUserId(string entraId) => "29:" + entraId;

    /// <summary>
    /// An activity from Teams in a personal chat, addressed to the fake Connector; from
    /// <paramref name="asStaff"/> (an Entra object id, with their own Teams user id) when given.
    /// </summary>
    public JsonObject Activity(string type = "message", string? text = "help", string? id = null, string? asStaff = null) => new()
    {
        ["type"] = type,
        ["id"] = id ?? Guid.NewGuid().ToString("N"),
        ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
        ["serviceUrl"] = Connector.ServiceUrl,
        ["channelId"] = "msteams",
        ["from"] = new JsonObject
        {
            ["id"] = asStaff is null ? "29:user-1" : TeamsUserId(asStaff), ["name"] = "Test Teacher", ["aadObjectId"] = asStaff ?? "00000000-0000-0000-0000-0000000000aa",
        },
        ["recipient"] = new JsonObject { ["id"] = "28:" + AppId, ["name"] = "SendPlans" },
        ["conversation"] = new JsonObject { ["id"] = "a:personal-chat-1", ["conversationType"] = "personal", ["tenantId"] = "tenant-1" },
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = "tenant-1" } },
        ["text"] = text,
    };

    /// <summary>POSTs an activity with a valid token (or the header given).</summary>
    public async Task<HttpResponseMessage> PostActivityAsync(JsonNode activity, string? authorization = "valid")
    {
        var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (authorization == "valid")
        {
            authorization = "Bearer " + Identity.CreateToken(AppId, activity["serviceUrl"]?.GetValue<string>() ?? Connector.ServiceUrl);
        }
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        return await client.SendAsync(request);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Identity.DisposeAsync();
        await Connector.DisposeAsync();
    }
}

/// <summary>Plays Entra ID's token endpoint for MSAL's client-credentials request.</summary>
public sealed class FakeTokenEndpoint : HttpMessageHandler
{
    public const string AccessToken = "connector-token-from-fake-entra";
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    public Uri? LastRequestUri { get; private set; }

    /// <summary>The lifetime of the tokens it hands out.</summary>
    public int ExpiresInSeconds { get; set; } = 3600;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        LastRequestUri = request.RequestUri;
        var json = $$"""{"token_type":"Bearer","expires_in":{{ExpiresInSeconds}},"ext_expires_in":{{ExpiresInSeconds}},"access_token":"{{AccessToken}}"}""";
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
    }
}
