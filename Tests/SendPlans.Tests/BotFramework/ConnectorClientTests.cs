using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SendPlans.Infrastructure.BotFramework;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.BotFramework;

/// <summary>The Connector client, as the host wires it (MSAL, resilience handler), against a local fake Connector.</summary>
public sealed class ConnectorClientTests : IAsyncLifetime
{
    private BotFactory _bot = null!;
    private IConnectorClient _client = null!;

    public async Task InitializeAsync()
    {
        _bot = await BotFactory.StartAsync();
        _client = _bot.Services.GetRequiredService<IConnectorClient>();
        await _bot.Services.GetRequiredService<TrustedServiceUrls>().TrustAsync(_bot.Connector.ServiceUrl, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task SendToConversation_TrustedServiceUrl_PostsWithMsalBearerToken()
    {
        var response = await _client.SendToConversationAsync(_bot.Connector.ServiceUrl, "19:channel@thread.tacv2", Activity.CreateMessage("hi"), CancellationToken.None);

        response.Id.Should().StartWith("activity-");
        var request = _bot.Connector.Requests.Single();
        request.Method.Should().Be("POST");
        request.Path.Should().Be("/v3/conversations/19:channel@thread.tacv2/activities");
        request.Authorization.Should().Be("Bearer " + FakeTokenEndpoint.AccessToken);
        request.Body!["text"]!.GetValue<string>().Should().Be("hi");
        _bot.TokenEndpoint.LastRequestUri!.AbsoluteUri.Should().Be("https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token");
    }

    [Fact]
    public async Task Calls_Repeated_TokenFetchedOnceFromCache()
    {
        for (var i = 0; i < 3; i++)
        {
            await _client.SendToConversationAsync(_bot.Connector.ServiceUrl, "conv", Activity.CreateMessage("hi"), CancellationToken.None);
        }

        _bot.TokenEndpoint.Requests.Should().Be(1);
    }

    [Fact]
    public async Task ReplyToActivity_Always_PostsToTheActivityPath()
    {
        await _client.ReplyToActivityAsync(_bot.Connector.ServiceUrl, "conv-1", "act/1", Activity.CreateMessage("re"), CancellationToken.None);

        var request = _bot.Connector.Requests.Single();
        request.Method.Should().Be("POST");
        request.Path.Should().Be("/v3/conversations/conv-1/activities/act%2F1", "an id with a slash stays one path segment");
    }

    [Fact]
    public async Task UpdateActivity_Always_Puts()
    {
        await _client.UpdateActivityAsync(_bot.Connector.ServiceUrl, "conv-1", "act-9", Activity.CreateMessage("new"), CancellationToken.None);

        var request = _bot.Connector.Requests.Single();
        request.Method.Should().Be("PUT");
        request.Path.Should().Be("/v3/conversations/conv-1/activities/act-9");
    }

    [Fact]
    public async Task CreateConversation_ChannelThread_PostsParameters()
    {
        var response = await _client.CreateConversationAsync(_bot.Connector.ServiceUrl, new ConversationParameters
        {
            IsGroup = true,
            TenantId = "tenant-1",
            ChannelData = new TeamsChannelData { Channel = new TeamsIdentity { Id = "19:year3@thread.tacv2" } },
            Activity = Activity.CreateMessage("alert"),
        }, CancellationToken.None);

        response.Id.Should().StartWith("conversation-");
        var request = _bot.Connector.Requests.Single();
        request.Path.Should().Be("/v3/conversations");
        request.Body!["isGroup"]!.GetValue<bool>().Should().BeTrue();
        request.Body["channelData"]!["channel"]!["id"]!.GetValue<string>().Should().Be("19:year3@thread.tacv2");
        request.Body["tenantId"]!.GetValue<string>().Should().Be("tenant-1");
    }

    [Fact]
    public async Task CreateConversation_OneToOne_PostsMembers()
    {
        await _client.CreateConversationAsync(_bot.Connector.ServiceUrl, new ConversationParameters
        {
            Members = [new ChannelAccount { Id = "29:senco" }],
            TenantId = "tenant-1",
            Activity = Activity.CreateMessage("hello"),
        }, CancellationToken.None);

        _bot.Connector.Requests.Single().Body!["members"]![0]!["id"]!.GetValue<string>().Should().Be("29:senco");
    }

    [Fact]
    public async Task Send_429WithRetryAfter_WaitsThenRetries()
    {
        _bot.Connector.FailNext(429, retryAfter: "1");

        await _client.SendToConversationAsync(_bot.Connector.ServiceUrl, "conv", Activity.CreateMessage("hi"), CancellationToken.None);

        var requests = _bot.Connector.Requests.ToList();
        requests.Should().HaveCount(2);
        (requests[1].At - requests[0].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900), "Retry-After: 1 is honoured");
    }

    [Fact]
    public async Task Send_412ThenSuccess_Retries()
    {
        _bot.Connector.FailNext(412, retryAfter: "0");

        await _client.SendToConversationAsync(_bot.Connector.ServiceUrl, "conv", Activity.CreateMessage("hi"), CancellationToken.None);

        _bot.Connector.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task Send_400_FailsWithoutRetry()
    {
        _bot.Connector.FailNext(400);

        var act = () => _client.SendToConversationAsync(_bot.Connector.ServiceUrl, "conv", Activity.CreateMessage("hi"), CancellationToken.None);

        await act.Should().ThrowAsync<HttpRequestException>();
        _bot.Connector.Requests.Should().HaveCount(1);
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/attacker/")]
    [InlineData("http://169.254.169.254/")]
    public async Task Send_UnknownServiceUrl_RefusedWithoutARequest(string serviceUrl)
    {
        var act = () => _client.SendToConversationAsync(serviceUrl, "conv", Activity.CreateMessage("hi"), CancellationToken.None);

        await act.Should().ThrowAsync<UntrustedServiceUrlException>();
        _bot.Connector.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Send_ServiceUrlTrustedByAnotherInstance_Allowed()
    {
        // A second host on the same storage: trust is in the table, not one instance's memory.
        await using var other = await BotFactory.StartAsync(settings: new() { ["Storage:TablePrefix"] = _bot.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Infrastructure.Storage.StorageOptions>>().Value.TablePrefix });
        var client = other.Services.GetRequiredService<IConnectorClient>();

        await client.SendToConversationAsync(_bot.Connector.ServiceUrl, "conv", Activity.CreateMessage("hi"), CancellationToken.None);

        _bot.Connector.Requests.Should().ContainSingle();
    }
}
