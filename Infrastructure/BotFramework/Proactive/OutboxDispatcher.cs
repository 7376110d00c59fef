using System.Net;
using SendPlans.Infrastructure.BotFramework;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SendPlans.Infrastructure.Jobs;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Infrastructure.BotFramework.Proactive;

public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>How often the dispatcher looks for due messages.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The least time between two messages into one conversation (Teams allows about 7 a second per thread).</summary>
    public TimeSpan PerConversationSpacing { get; set; } = TimeSpan.FromMilliseconds(250);

    public int MaxAttempts { get; set; } = 12;

    public int BatchSize { get; set; } = 50;

    /// <summary>Whether this instance runs the dispatcher in the background (tests drive passes themselves).</summary>
    public bool RunDispatcher { get; set; } = true;
}

/// <summary>
/// Delivers the outbox. Only the instance holding the "outbox" lease sends, so messages are
/// paced across the whole deployment, not per instance. A message that fails for a passing
/// reason (429, 5xx, timeout) is tried again later with back-off; one that can never succeed
/// (bot removed, conversation gone) is marked failed with the reason, for someone to act on, and
/// the conversation is marked removed in <see cref="ConversationReferenceStore"/>, as an uninstall is.
/// </summary>
public sealed class OutboxDispatcher(
    TableStorage storage,
    IConnectorClient connector,
    ConversationReferenceStore references,
    TableLeases leases,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : LeasedJob(leases, time)
{
    private readonly Dictionary<string, DateTimeOffset> _lastSendPerConversation = [];

    protected override string LeaseName => "outbox-dispatcher";

    protected override TimeSpan LeaseDuration => TimeSpan.FromMinutes(2);

    protected override TimeSpan Interval => options.Value.PollInterval;

    protected override bool RunsInBackground => options.Value.RunDispatcher;

    /// <summary>One pass: send what is due, and say how many were sent (0 when another instance holds the lease).</summary>
    public Task<int> DispatchOnceAsync(CancellationToken cancellationToken) => RunOnceAsync(cancellationToken);

    protected override Task<int> RunPassAsync(CancellationToken cancellationToken) => DispatchDueAsync(options.Value, cancellationToken);

    protected override void OnPassFailed(Exception exception) => Log.OutboxPassFailed(logger, exception.GetType().Name);

    private async Task<int> DispatchDueAsync(OutboxOptions o, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(ProactiveOutbox.Table, cancellationToken);
        var now = Time.GetUtcNow();
        var due = new List<TableEntity>();
        await foreach (var e in table.QueryAsync<TableEntity>(
            e => e.PartitionKey == ProactiveOutbox.Partition && e.GetString("Status") == nameof(OutboxStatus.Pending),
            cancellationToken: cancellationToken))
        {
            if (e.GetDateTimeOffset("NextAttemptAt") <= now)
            {
                due.Add(e);
            }
        }
        var sent = 0;
        foreach (var entity in due.OrderBy(e => e.GetDateTimeOffset("CreatedAt")).Take(o.BatchSize))
        {
            if (await SendAsync(table, entity, cancellationToken))
            {
                sent++;
            }
        }
        return sent;
    }

    private async Task<bool> SendAsync(TableClient table, TableEntity entity, CancellationToken cancellationToken)
    {
        var serviceUrl = entity.GetString("ServiceUrl")!;
        var conversationId = entity.GetString("ConversationId");
        var activity = entity.GetString("Activity") is { } a ? JsonSerializer.Deserialize(a, BotJsonContext.Default.Activity) : null;
        await PaceAsync(conversationId ?? entity.RowKey, cancellationToken);
        try
        {
            string? sentConversation = conversationId;
            string? sentActivity;
            if (conversationId is not null && entity.GetString("UpdateActivityId") is { } updateId)
            {
                activity!.Id = updateId;
                activity.Type ??= ActivityTypes.Message;
                await connector.UpdateActivityAsync(serviceUrl, conversationId, updateId, activity, cancellationToken);
                sentActivity = updateId;
            }
            else if (conversationId is not null)
            {
                sentActivity = (await connector.SendToConversationAsync(serviceUrl, conversationId, activity ?? Activity.CreateMessage(), cancellationToken)).Id;
            }
            else
            {
                var parameters = JsonSerializer.Deserialize(entity.GetString("CreateConversation")!, BotJsonContext.Default.ConversationParameters)!;
                var created = await connector.CreateConversationAsync(serviceUrl, parameters, cancellationToken);
                sentConversation = created.Id;
                sentActivity = created.ActivityId;
            }
            entity["Status"] = nameof(OutboxStatus.Sent);
            entity["SentActivityId"] = sentActivity;
            entity["SentConversationId"] = sentConversation;
            entity["SentAt"] = Time.GetUtcNow();
            entity["Attempts"] = (entity.GetInt32("Attempts") ?? 0) + 1;
            await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
            Log.OutboxSent(logger, entity.GetInt32("Attempts") ?? 1);
            return true;
        }
        catch (UntrustedServiceUrlException)
        {
            // Not called until a validated activity comes from it (the Playground or Teams saying
            // hello after the bot started, for a reference stored before): wait with the same
            // back-off as an outage, and give up as UntrustedServiceUrl only when that runs out.
            await RetryLaterAsync(table, entity, DeliveryFailure.UntrustedServiceUrl, cancellationToken);
        }
        catch (HttpRequestException e) when (Permanent(e.StatusCode) is { } failure)
        {
            if (conversationId is not null && Gone(failure, isUpdate: entity.GetString("UpdateActivityId") is not null))
            {
                // Recorded before the message is marked failed: should that write lose, the retry marks it again.
                await references.MarkRemovedAsync(conversationId, cancellationToken);
                Log.OutboxConversationGone(logger, failure.ToString());
            }
            await FailAsync(table, entity, failure, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            await RetryLaterAsync(table, entity, DeliveryFailure.TooManyAttempts, cancellationToken);
        }
        return false;
    }

    private static DeliveryFailure? Permanent(HttpStatusCode? status) => status switch
    {
        HttpStatusCode.Forbidden => DeliveryFailure.BotRemoved,
        HttpStatusCode.NotFound => DeliveryFailure.ConversationNotFound,
        HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized => DeliveryFailure.Rejected,
        _ => null,
    };

    /// <summary>
    /// Whether a refusal means the bot is no longer in the conversation (removed from the team,
    /// blocked or uninstalled by the user, or the conversation deleted), so that senders stop
    /// counting it as a way to reach someone. A 404 on a card update only says that message is gone.
    /// </summary>
    private static bool Gone(DeliveryFailure failure, bool isUpdate) =>
        failure == DeliveryFailure.BotRemoved || failure == DeliveryFailure.ConversationNotFound && !isUpdate;

    private async Task RetryLaterAsync(TableClient table, TableEntity entity, DeliveryFailure whenExhausted, CancellationToken cancellationToken)
    {
        var attempts = (entity.GetInt32("Attempts") ?? 0) + 1;
        if (attempts >= options.Value.MaxAttempts)
        {
            await FailAsync(table, entity, whenExhausted, cancellationToken);
            return;
        }
        // 2, 4, 8 ... seconds, at most 10 minutes: throttling and outages pass.
        var backOff = TimeSpan.FromSeconds(Math.Min(600, Math.Pow(2, attempts)));
        entity["Attempts"] = attempts;
        entity["NextAttemptAt"] = Time.GetUtcNow() + backOff;
        await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
        Log.OutboxRetryLater(logger, attempts, backOff);
    }

    private async Task FailAsync(TableClient table, TableEntity entity, DeliveryFailure failure, CancellationToken cancellationToken)
    {
        entity["Status"] = nameof(OutboxStatus.Failed);
        entity["Failure"] = failure.ToString();
        entity["Attempts"] = (entity.GetInt32("Attempts") ?? 0) + 1;
        await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
        Log.OutboxFailed(logger, failure.ToString());
    }

    private async Task PaceAsync(string conversation, CancellationToken cancellationToken)
    {
        var spacing = options.Value.PerConversationSpacing;
        if (_lastSendPerConversation.TryGetValue(conversation, out var last))
        {
            var wait = last + spacing - Time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, Time, cancellationToken);
            }
        }
        _lastSendPerConversation[conversation] = Time.GetUtcNow();
    }
}
