using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SendPlans.Infrastructure.BotFramework;
using SendPlans.Infrastructure.BotFramework.Proactive;
using SendPlans.Infrastructure.Jobs;
using SendPlans.Infrastructure.Storage;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.BotFramework;

/// <summary>The persisted outbox for proactive messages, on Azurite, against the fake Connector.</summary>
public sealed class ProactiveOutboxTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
    private BotFactory _bot = null!;
    private ProactiveOutbox _outbox = null!;

    public async Task InitializeAsync()
    {
        _bot = await BotFactory.StartAsync();
        await _bot.Services.GetRequiredService<TrustedServiceUrls>().TrustAsync(_bot.Connector.ServiceUrl, CancellationToken.None);
        _outbox = new ProactiveOutbox(_bot.Services.GetRequiredService<TableStorage>(), _time);
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Dispatch_QueuedMessage_SentOnceAndMarkedSent()
    {
        await _outbox.EnqueueAsync(Message("alert-1"), CancellationToken.None);

        var sent = await Dispatcher(_bot).DispatchOnceAsync(CancellationToken.None);

        sent.Should().Be(1);
        var request = _bot.Connector.Requests.Single();
        request.Path.Should().Be("/v3/conversations/19:year3@thread.tacv2/activities");
        request.Body!["text"]!.GetValue<string>().Should().Be("A parent missed a meeting");
        var entry = await _outbox.FindAsync("alert-1", CancellationToken.None);
        entry!.Status.Should().Be(OutboxStatus.Sent);
        entry.SentActivityId.Should().NotBeNullOrEmpty();
        (await Dispatcher(_bot).DispatchOnceAsync(CancellationToken.None)).Should().Be(0, "a sent message is not sent again");
    }

    [Fact]
    public async Task Enqueue_SameKeyTwice_SentOnce()
    {
        (await _outbox.EnqueueAsync(Message("alert-2"), CancellationToken.None)).Should().BeTrue();
        (await _outbox.EnqueueAsync(Message("alert-2"), CancellationToken.None)).Should().BeFalse();

        await Dispatcher(_bot).DispatchOnceAsync(CancellationToken.None);

        _bot.Connector.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task Dispatch_ConnectorKeepsThrottling_KeptAndRetriedLater()
    {
        await _outbox.EnqueueAsync(Message("alert-3"), CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            _bot.Connector.FailNext(429, retryAfter: "0"); // more than the HTTP client's own retries
        }
        var dispatcher = Dispatcher(_bot);

        (await dispatcher.DispatchOnceAsync(CancellationToken.None)).Should().Be(0);
        var afterFirst = await _outbox.FindAsync("alert-3", CancellationToken.None);
        (await dispatcher.DispatchOnceAsync(CancellationToken.None)).Should().Be(0, "not due again until the back-off has passed");
        _time.Advance(TimeSpan.FromSeconds(3));
        var sent = await dispatcher.DispatchOnceAsync(CancellationToken.None);

        afterFirst!.Status.Should().Be(OutboxStatus.Pending);
        afterFirst.Attempts.Should().Be(1);
        sent.Should().Be(1);
        (await _outbox.FindAsync("alert-3", CancellationToken.None))!.Status.Should().Be(OutboxStatus.Sent);
    }

    [Theory]
    [InlineData(403, DeliveryFailure.BotRemoved)]
    [InlineData(404, DeliveryFailure.ConversationNotFound)]
    public async Task Dispatch_PermanentFailure_MarkedFailedWithReason(int status, DeliveryFailure failure)
    {
        await _outbox.EnqueueAsync(Message("alert-4"), CancellationToken.None);
        _bot.Connector.FailNext(status);

        await Dispatcher(_bot).DispatchOnceAsync(CancellationToken.None);

        var entry = await _outbox.FindAsync("alert-4", CancellationToken.None);
        entry!.Status.Should().Be(OutboxStatus.Failed);
        entry.Failure.Should().Be(failure);
    }

    [Theory]
    [InlineData(403)]
    [InlineData(404)]
    public async Task Dispatch_RefusedForGood_ConversationMarkedRemoved(int status)
    {
        await _outbox.EnqueueAsync(Message("alert-gone"), CancellationToken.None);
        _bot.Connector.FailNext(status);

        await Dispatcher(_bot).DispatchOnceAsync(CancellationToken.None);

        (await _bot.Services.GetRequiredService<ConversationReferenceStore>().IsRemovedAsync("19:year3@thread.tacv2", CancellationToken.None)).Should().BeTrue();
    }

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(400)]
    public async Task Dispatch_ThrottledServerErrorOrBadRequest_ConversationNotMarkedRemoved(int status)
    {
        await _outbox.EnqueueAsync(Message("alert-passing"), CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            _bot.Connector.FailNext(status, retryAfter: "0"); // more than the HTTP client's own retries
        }

        (await Dispatcher(_bot).DispatchOnceAsync(CancellationToken.None)).Should().Be(0);

        (await _bot.Services.GetRequiredService<ConversationReferenceStore>().IsRemovedAsync("19:year3@thread.tacv2", CancellationToken.None)).Should().BeFalse();
    }

    [Fact]
    public async Task Dispatch_CardUpdateAnswered404_ConversationNotMarkedRemoved()
    {
        var update = Message("update-gone") with { UpdateActivityId = "activity-deleted" };
        await _outbox.EnqueueAsync(update, CancellationToken.None);
        _bot.Connector.FailNext(404);

        await Dispatcher(_bot).DispatchOnceAsync(CancellationToken.None);

        (await _outbox.FindAsync("update-gone", CancellationToken.None))!.Failure.Should().Be(DeliveryFailure.ConversationNotFound);
        (await _bot.Services.GetRequiredService<ConversationReferenceStore>().IsRemovedAsync("19:year3@thread.tacv2", CancellationToken.None))
            .Should().BeFalse("a 404 on an update says the message is gone, not the conversation");
    }

    [Fact]
    public async Task Dispatch_ServiceUrlNotSeenYet_NotCalledButKeptUntilItIs()
    {
        await using var later = await FakeConnector.StartAsync();
        await _outbox.EnqueueAsync(Message("alert-later") with { ServiceUrl = later.ServiceUrl }, CancellationToken.None);
        var dispatcher = Dispatcher(_bot);

        (await dispatcher.DispatchOnceAsync(CancellationToken.None)).Should().Be(0);
        var waiting = await _outbox.FindAsync("alert-later", CancellationToken.None);
        await _bot.Services.GetRequiredService<TrustedServiceUrls>().TrustAsync(later.ServiceUrl, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(3));
        var sent = await dispatcher.DispatchOnceAsync(CancellationToken.None);

        waiting!.Status.Should().Be(OutboxStatus.Pending, "an alert stored before Teams said hello is not lost");
        sent.Should().Be(1);
        later.Requests.Should().ContainSingle("called only once a validated activity came from it");
    }

    [Fact]
    public async Task Dispatch_ServiceUrlNeverSeen_FailsAsUntrustedWhenTheAttemptsRunOut()
    {
        await using var never = await FakeConnector.StartAsync();
        await _outbox.EnqueueAsync(Message("alert-never") with { ServiceUrl = never.ServiceUrl }, CancellationToken.None);
        var dispatcher = Dispatcher(_bot, Options.Create(new OutboxOptions { MaxAttempts = 3 }));

        for (var i = 0; i < 3; i++)
        {
            await dispatcher.DispatchOnceAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromMinutes(11));
        }

        var entry = await _outbox.FindAsync("alert-never", CancellationToken.None);
        entry!.Status.Should().Be(OutboxStatus.Failed);
        entry.Failure.Should().Be(DeliveryFailure.UntrustedServiceUrl);
        never.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Dispatch_CreateConversation_StartsTheThreadAndRecordsIt()
    {
        await _outbox.EnqueueAsync(new OutboxMessage
        {
            Key = "to-senco",
            ServiceUrl = _bot.Connector.ServiceUrl,
            CreateConversation = new ConversationParameters
            {
                Members = [new ChannelAccount { Id = "29:senco" }],
                TenantId = "tenant-1",
                Activity = Activity.CreateMessage("No channel is set up for Year 4"),
            },
        }, CancellationToken.None);

        await Dispatcher(_bot).DispatchOnceAsync(CancellationToken.None);

        _bot.Connector.Requests.Single().Path.Should().Be("/v3/conversations");
        (await _outbox.FindAsync("to-senco", CancellationToken.None))!.SentConversationId.Should().StartWith("conversation-");
    }

    [Fact]
    public async Task Dispatch_TwoInstancesAtOnce_EachMessageSentOnce()
    {
        for (var i = 0; i < 20; i++)
        {
            await _outbox.EnqueueAsync(Message($"burst-{i}"), CancellationToken.None);
        }
        var prefix = _bot.Services.GetRequiredService<IOptions<StorageOptions>>().Value.TablePrefix;
        await using var second = await BotFactory.StartAsync(settings: new() { ["Storage:TablePrefix"] = prefix });
        var spacingFree = Options.Create(new OutboxOptions { PerConversationSpacing = TimeSpan.Zero });

        var passes = await Task.WhenAll(
            Enumerable.Range(0, 3).SelectMany(_ => new[] { Dispatcher(_bot, spacingFree), Dispatcher(second, spacingFree) })
                .Select(d => d.DispatchOnceAsync(CancellationToken.None)));

        passes.Sum().Should().Be(20);
        _bot.Connector.Requests.Should().HaveCount(20);
    }

    [Fact]
    public async Task Lease_HeldByAnother_NotAcquiredUntilExpired()
    {
        var leases = new TableLeases(_bot.Services.GetRequiredService<TableStorage>(), _time);

        (await leases.TryAcquireAsync("job", "a", TimeSpan.FromMinutes(1), CancellationToken.None)).Should().BeTrue();
        (await leases.TryAcquireAsync("job", "b", TimeSpan.FromMinutes(1), CancellationToken.None)).Should().BeFalse();
        (await leases.TryAcquireAsync("job", "a", TimeSpan.FromMinutes(1), CancellationToken.None)).Should().BeTrue("the holder renews");
        _time.Advance(TimeSpan.FromMinutes(2));
        (await leases.TryAcquireAsync("job", "b", TimeSpan.FromMinutes(1), CancellationToken.None)).Should().BeTrue("an expired lease can be taken");
    }

    [Fact]
    public async Task Lease_ManyContendersAtOnce_ExactlyOneWins()
    {
        var leases = new TableLeases(_bot.Services.GetRequiredService<TableStorage>(), _time);

        var results = await Task.WhenAll(Enumerable.Range(0, 10)
            .Select(i => leases.TryAcquireAsync("contended", $"owner-{i}", TimeSpan.FromMinutes(1), CancellationToken.None)));

        results.Count(r => r).Should().Be(1);
    }

    private OutboxMessage Message(string key) => new()
    {
        Key = key,
        ServiceUrl = _bot.Connector.ServiceUrl,
        ConversationId = "19:year3@thread.tacv2",
        Activity = Activity.CreateMessage("A parent missed a meeting"),
    };

    private OutboxDispatcher Dispatcher(BotFactory host, IOptions<OutboxOptions>? options = null) =>
        ActivatorUtilities.CreateInstance<OutboxDispatcher>(host.Services, _time, options ?? Options.Create(new OutboxOptions()));
}
