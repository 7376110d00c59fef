using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using SendPlans.Bot.Hosting;
using SendPlans.Infrastructure.BotFramework;
using SendPlans.Infrastructure.Storage;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Hosting;

public sealed class MessagesEndpointTests : IAsyncLifetime
{
    private static readonly TaskCompletionSource SlowHandlerFinished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static readonly TaskCompletionSource ReleaseSlowHandler = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static readonly TaskCompletionSource ReleaseSlowCard = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private BotFactory _bot = null!;

    public async Task InitializeAsync() => _bot = await BotFactory.StartAsync(
        settings: new() { ["Bot:InvokeBudget"] = "00:00:00.500" },
        services: services => services.AddBotRoutes(router => router
            .OnAdaptiveCardAction("echo-card", (_, action, _) => Task.FromResult(InvokeResponse.Card(new JsonObject
            {
                ["type"] = "AdaptiveCard",
                ["version"] = "1.5",
                ["body"] = new JsonArray(new JsonObject { ["type"] = "TextBlock", ["text"] = action.GetString("say") }),
            })))
            .OnAdaptiveCardAction("echo-message", (_, action, _) => Task.FromResult(InvokeResponse.Message("Saved.")))
            .OnAdaptiveCardAction("fails", (_, _, _) => throw new InvalidOperationException("handler bug"))
            .OnAdaptiveCardAction("slow", async (context, _, ct) =>
            {
                await ReleaseSlowHandler.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
                await context.SendActivityAsync("done in the background", ct);
                SlowHandlerFinished.TrySetResult();
                return InvokeResponse.Message("the late answer");
            })
            .OnAdaptiveCardAction("slow-card", async (_, _, ct) =>
            {
                await ReleaseSlowCard.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
                return InvokeResponse.Card(new JsonObject
                {
                    ["type"] = "AdaptiveCard",
                    ["version"] = "1.5",
                    ["body"] = new JsonArray(new JsonObject { ["type"] = "TextBlock", ["text"] = "finished late" }),
                });
            })));

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task PostActivity_SameIdTwice_HandledOnce()
    {
        var activity = _bot.Activity(id: "retried-delivery-1");

        var first = await _bot.PostActivityAsync(activity);
        var second = await _bot.PostActivityAsync(activity);

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        await Task.Delay(200);
        _bot.Connector.Requests.Should().ContainSingle("the retried delivery must not reply again");
    }

    [Fact]
    public async Task PostActivity_SameIdInAnotherConversation_HandledAgain()
    {
        var first = _bot.Activity(id: "same-id");
        var second = _bot.Activity(id: "same-id");
        second["conversation"]!["id"] = "a:another-chat";

        await _bot.PostActivityAsync(first);
        await _bot.PostActivityAsync(second);

        (await _bot.Connector.WaitForAsync(2)).Should().HaveCount(2);
    }

    [Fact]
    public async Task Invoke_CardAction_ReturnsCardBody()
    {
        var response = await _bot.PostActivityAsync(Invoke("echo-card", new JsonObject { ["say"] = "hello" }));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        body["statusCode"]!.GetValue<int>().Should().Be(200);
        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.card.adaptive");
        body["value"]!["body"]![0]!["text"]!.GetValue<string>().Should().Be("hello");
    }

    [Fact]
    public async Task Invoke_MessageAction_ReturnsMessageBody()
    {
        var response = await _bot.PostActivityAsync(Invoke("echo-message", []));

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.activity.message");
        body["value"]!.GetValue<string>().Should().Be("Saved.");
    }

    [Fact]
    public async Task Invoke_UnknownVerb_ReturnsErrorBody()
    {
        var response = await _bot.PostActivityAsync(Invoke("no-such-verb", []));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        body["statusCode"]!.GetValue<int>().Should().Be(400);
        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.error");
        body["value"]!["code"]!.GetValue<string>().Should().Be("NotSupported");
        body["value"]!["message"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Invoke_HandlerThrows_ReturnsErrorBodyNot500()
    {
        var response = await _bot.PostActivityAsync(Invoke("fails", []));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.error");
        (await response.Content.ReadAsStringAsync()).Should().NotContain("handler bug", "exception details stay in the logs");
    }

    [Fact]
    public async Task Invoke_SlowerThanBudget_AnsweredInTimeAndFinishesInBackground()
    {
        // The handler cannot finish until the test lets it, so an answer proves the budget cut in.
        var response = await _bot.PostActivityAsync(Invoke("slow", []));
        SlowHandlerFinished.Task.IsCompleted.Should().BeFalse();
        ReleaseSlowHandler.SetResult();

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        body["value"]!.GetValue<string>().Should().Be(TurnProcessor.StillWorkingMessage);
        await SlowHandlerFinished.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _bot.Connector.SentActivities.Should().Contain(a => a["text"]!.GetValue<string>() == "done in the background");
        // The handler's own answer is not lost either: it comes through the outbox as a message.
        (await WaitUntilAsync(() => _bot.Connector.SentActivities.Any(a => a["text"]?.GetValue<string>() == "the late answer")))
            .Should().BeTrue("the invoke's late answer is posted in the conversation");
    }

    [Fact]
    public async Task Invoke_CardAnswerSlowerThanBudget_PressedCardReplacedThroughTheOutbox()
    {
        var invoke = Invoke("slow-card", []);
        invoke["replyToId"] = "card-message-7";

        var response = await _bot.PostActivityAsync(invoke);
        ReleaseSlowCard.SetResult();

        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["value"]!.GetValue<string>().Should().Be(TurnProcessor.StillWorkingMessage);
        (await WaitUntilAsync(() => _bot.Connector.Requests.Any(r => r.Method == "PUT" && r.Path.EndsWith("/activities/card-message-7", StringComparison.Ordinal))))
            .Should().BeTrue("the card the user pressed is replaced by the late answer");
        var update = _bot.Connector.Requests.Single(r => r.Method == "PUT" && r.Path.EndsWith("/activities/card-message-7", StringComparison.Ordinal));
        update.Body!["attachments"]![0]!["content"]!["body"]![0]!["text"]!.GetValue<string>().Should().Be("finished late");
    }

    /// <summary>Runs outbox passes (the fixture's dispatcher does not run by itself) until the condition holds or 10 s pass.</summary>
    private async Task<bool> WaitUntilAsync(Func<bool> condition)
    {
        var dispatcher = _bot.Services.GetRequiredService<Infrastructure.BotFramework.Proactive.OutboxDispatcher>();
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await dispatcher.DispatchOnceAsync(default);
            await Task.Delay(100);
        }
        return condition();
    }

    [Fact]
    public async Task Invoke_NoVerb_Returns400ErrorBody()
    {
        var activity = _bot.Activity("invoke", text: null);
        activity["name"] = "adaptiveCard/action";
        activity["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute" } };

        var response = await _bot.PostActivityAsync(activity);

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        body["statusCode"]!.GetValue<int>().Should().Be(400);
    }

    [Fact]
    public async Task PostActivity_BodyOver256KB_Returns413()
    {
        var activity = _bot.Activity(text: new string('x', 300 * 1024));

        var response = await _bot.PostActivityAsync(activity);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task PostActivity_ChunkedBodyOver256KB_Returns413()
    {
        var client = _bot.CreateClient();
        var token = _bot.Identity.CreateToken(BotFactory.AppId, _bot.Connector.ServiceUrl);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(_bot.Activity(text: new string('y', 300 * 1024)).ToJsonString()))),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        request.Headers.TransferEncodingChunked = true;

        var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("{\"id\":\"1\"}")]
    [InlineData("{\"type\":\"\"}")]
    [InlineData("{\"type\":42}")]
    public async Task PostActivity_MalformedBody_Returns400(string body)
    {
        var client = _bot.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _bot.Identity.CreateToken(BotFactory.AppId, _bot.Connector.ServiceUrl));

        var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ConversationUpdate_BotAdded_SendsWelcomeAndStoresReference()
    {
        var activity = _bot.Activity("conversationUpdate", text: null);
        activity["membersAdded"] = new JsonArray(new JsonObject { ["id"] = "28:" + BotFactory.AppId });

        var response = await _bot.PostActivityAsync(activity);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var sent = (await _bot.Connector.WaitForAsync(1)).Single();
        sent.Body!["attachments"]![0]!["content"]!["body"]![0]!["text"]!.GetValue<string>().Should().Be("Welcome to SendPlans");
        var references = _bot.Services.GetRequiredService<ConversationReferenceStore>();
        var stored = await references.FindAsync("a:personal-chat-1", CancellationToken.None);
        stored.Should().NotBeNull();
        stored!.ServiceUrl.Should().Be(_bot.Connector.ServiceUrl);
        stored.Conversation.TenantId.Should().Be("tenant-1");
    }

    [Fact]
    public async Task ConversationUpdate_OnlyUsersAdded_SendsNothing()
    {
        var activity = _bot.Activity("conversationUpdate", text: null);
        activity["membersAdded"] = new JsonArray(new JsonObject { ["id"] = "29:someone-else" });

        (await _bot.PostActivityAsync(activity)).StatusCode.Should().Be(HttpStatusCode.OK);

        await Task.Delay(200);
        _bot.Connector.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task InstallationUpdate_Remove_ReferenceNoLongerUsable()
    {
        var added = _bot.Activity("installationUpdate", text: null);
        added["action"] = "add";
        await _bot.PostActivityAsync(added);
        var removed = _bot.Activity("installationUpdate", text: null);
        removed["action"] = "remove";

        await _bot.PostActivityAsync(removed);

        var references = _bot.Services.GetRequiredService<ConversationReferenceStore>();
        (await references.FindAsync("a:personal-chat-1", CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task Message_UnknownText_RepliesWithHelp()
    {
        await _bot.PostActivityAsync(_bot.Activity(text: "what is the weather"));

        var sent = await _bot.Connector.WaitForAsync(2);
        sent[0].Body!["text"]!.GetValue<string>().Should().Contain("didn't understand");
        sent[1].Body!["attachments"]![0]!["content"]!["body"]![0]!["text"]!.GetValue<string>().Should().Be("What I can do for you");
    }

    [Fact]
    public async Task Message_HelpWithMention_RepliesWithHelpCardToTheConversation()
    {
        await _bot.PostActivityAsync(_bot.Activity(text: "<at>SendPlans</at> help"));

        var sent = (await _bot.Connector.WaitForAsync(1)).Single();
        sent.Path.Should().Be("/v3/conversations/a:personal-chat-1/activities");
        sent.Authorization.Should().Be("Bearer " + FakeTokenEndpoint.AccessToken);
        sent.Body!["attachments"]![0]!["contentType"]!.GetValue<string>().Should().Be("application/vnd.microsoft.card.adaptive");
        sent.Body["replyToId"].Should().NotBeNull();
    }

    [Fact]
    public async Task Health_Always_Returns200AndReadyWhenStorageAnswers()
    {
        var client = _bot.CreateClient();

        (await client.GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync("/readyz")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Ready_StorageUnreachable_Returns503()
    {
        await using var bot = await BotFactory.StartAsync(settings: new()
        {
            ["Storage:ConnectionString"] = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Azurite.AccountKey};TableEndpoint=http://127.0.0.1:{Azurite.FreePort()}/devstoreaccount1;",
        });

        var response = await bot.CreateClient().GetAsync("/readyz");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task PostActivity_DeduplicationRecord_WrittenToAzurite()
    {
        await _bot.PostActivityAsync(_bot.Activity(id: "stored-id"));

        var storage = _bot.Services.GetRequiredService<TableStorage>();
        var table = await storage.GetTableAsync("BotProcessedActivities");
        var rows = table.QueryAsync<TableEntity>().ToBlockingEnumerable().ToList();
        rows.Should().ContainSingle();
    }

    private JsonObject Invoke(string verb, JsonObject data)
    {
        var activity = _bot.Activity("invoke", text: null);
        activity["name"] = "adaptiveCard/action";
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data },
            ["trigger"] = "manual",
        };
        return activity;
    }
}
