using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Infrastructure.BotFramework.Proactive;

public enum OutboxStatus { Pending, Sent, Failed }

/// <summary>Why a proactive message could not be delivered at all.</summary>
public enum DeliveryFailure { None, BotRemoved, ConversationNotFound, Rejected, TooManyAttempts, UntrustedServiceUrl }

/// <summary>A proactive message: to an existing conversation, or to one the Connector must create first.</summary>
public sealed record OutboxMessage
{
    /// <summary>The caller's idempotency key: enqueueing the same key twice sends once.</summary>
    public required string Key { get; init; }

    public required string ServiceUrl { get; init; }

    /// <summary>Send into this conversation. Either this or <see cref="CreateConversation"/>.</summary>
    public string? ConversationId { get; init; }

    /// <summary>Start a new conversation (a channel thread or a 1:1 chat) with this activity.</summary>
    public ConversationParameters? CreateConversation { get; init; }

    public Activity? Activity { get; init; }

    /// <summary>Replace this earlier activity in <see cref="ConversationId"/> (a card update for everyone) instead of sending.</summary>
    public string? UpdateActivityId { get; init; }

    /// <summary>A message that replaces a posted card with <paramref name="card"/>, at the outbox's pace.</summary>
    public static OutboxMessage CardUpdate(string key, string serviceUrl, string conversationId, string activityId, JsonNode card)
    {
        var activity = Activity.CreateMessage();
        activity.Attachments = [Attachment.AdaptiveCard(card)];
        return new OutboxMessage { Key = key, ServiceUrl = serviceUrl, ConversationId = conversationId, UpdateActivityId = activityId, Activity = activity };
    }
}

/// <summary>What is known of one message in the outbox.</summary>
public sealed record OutboxEntry(string Key, OutboxStatus Status, int Attempts, string? SentActivityId, string? SentConversationId, DeliveryFailure Failure)
{
    public string? ServiceUrl { get; init; }
}

/// <summary>
/// Proactive messages wait here, in Azure Tables, until the dispatcher has delivered them.
/// A message is never lost to a 429 or an instance restart, and a key is sent once.
/// </summary>
public sealed class ProactiveOutbox(TableStorage storage, TimeProvider time)
{
    internal const string Table = "ProactiveOutbox";
    internal const string Partition = "outbox";

    /// <summary>Queues the message; false when a message with this key was queued before.</summary>
    public async Task<bool> EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        if ((message.ConversationId is null) == (message.CreateConversation is null))
        {
            throw new ArgumentException("Give either a conversation id or the parameters to create one.", nameof(message));
        }
        if (message.UpdateActivityId is not null && (message.ConversationId is null || message.Activity is null))
        {
            throw new ArgumentException("An update needs the conversation id and the replacement activity.", nameof(message));
        }
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var now = time.GetUtcNow();
        var entity = new TableEntity(Partition, TableKeys.Hash(message.Key))
        {
            ["ServiceUrl"] = message.ServiceUrl,
            ["ConversationId"] = message.ConversationId,
            ["CreateConversation"] = message.CreateConversation is null ? null : JsonSerializer.Serialize(message.CreateConversation, BotJsonContext.Default.ConversationParameters),
            ["Activity"] = message.Activity is null ? null : JsonSerializer.Serialize(message.Activity, BotJsonContext.Default.Activity),
            ["UpdateActivityId"] = message.UpdateActivityId,
            ["Status"] = nameof(OutboxStatus.Pending),
            ["Attempts"] = 0,
            ["NextAttemptAt"] = now,
            ["CreatedAt"] = now,
        };
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConflict())
        {
            return false;
        }
    }

    public async Task<OutboxEntry?> FindAsync(string key, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Hash(key), cancellationToken: cancellationToken);
        return found.HasValue ? ToEntry(key, found.Value!) : null;
    }

    internal static OutboxEntry ToEntry(string key, TableEntity e) => new(
        key,
        Enum.Parse<OutboxStatus>(e.GetString("Status") ?? nameof(OutboxStatus.Pending)),
        e.GetInt32("Attempts") ?? 0,
        e.GetString("SentActivityId"),
        e.GetString("SentConversationId"),
        Enum.TryParse<DeliveryFailure>(e.GetString("Failure"), out var failure) ? failure : DeliveryFailure.None)
    {
        ServiceUrl = e.GetString("ServiceUrl"),
    };
}
