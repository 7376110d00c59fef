using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using SendPlans.Infrastructure.BotFramework;
using SendPlans.Infrastructure.BotFramework.Proactive;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Bot.Booking;

/// <summary>
/// Each member of staff's personal chat with the bot (table "StaffChats": partition = school,
/// row = Entra object id), remembered whenever they talk to the bot there, so that jobs and
/// parents' answers can reach them later through the proactive outbox.
/// </summary>
public sealed class StaffChats(TableStorage storage, ProactiveOutbox outbox, ConversationReferenceStore installs)
{
    public const string Table = "StaffChats";

    public async Task RememberAsync(string schoolId, string entraId, Activity activity, CancellationToken cancellationToken)
    {
        if (activity.Conversation?.ConversationType is { } type && type != "personal")
        {
            return;
        }
        var table = await storage.GetTableAsync(Table, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(schoolId, entraId)
        {
            ["Reference"] = JsonSerializer.Serialize(activity.GetConversationReference(), BotJsonContext.Default.ConversationReference),
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<ConversationReference?> FindAsync(string schoolId, string entraId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(schoolId, entraId, cancellationToken: cancellationToken);
        return row.HasValue && row.Value!.GetString("Reference") is { } json
            ? JsonSerializer.Deserialize(json, BotJsonContext.Default.ConversationReference)
            : null;
    }

    /// <summary>Queues a card (or text) for one member of staff; false when they never chatted with the bot or it was queued before.</summary>
    public async Task<bool> SendAsync(string schoolId, string entraId, string key, JsonNode? card, string? text, CancellationToken cancellationToken) =>
        await FindAsync(schoolId, entraId, cancellationToken) is { } reference
        && await outbox.EnqueueAsync(Message(reference, key, card, text), cancellationToken);

    /// <summary>
    /// Queues a message that someone must act on, and says truly whether it can reach them: through
    /// their personal chat, or else the personal chat the bot was installed into for them, unless
    /// the bot was removed from it or an earlier message with this key could not be delivered.
    /// </summary>
    public async Task<StaffReach> ReachAsync(string schoolId, string entraId, string key, string text, CancellationToken cancellationToken)
    {
        var reference = await FindAsync(schoolId, entraId, cancellationToken);
        if (reference is not null && await installs.IsRemovedAsync(reference.Conversation.Id ?? "", cancellationToken))
        {
            reference = null;
        }
        reference ??= await installs.FindPersonalAsync(entraId, cancellationToken);
        if (reference is null)
        {
            return StaffReach.NoChat;
        }
        if (await outbox.EnqueueAsync(Message(reference, key, null, text), cancellationToken))
        {
            return StaffReach.Queued;
        }
        return (await outbox.FindAsync(key, cancellationToken))?.Status == OutboxStatus.Failed ? StaffReach.Undeliverable : StaffReach.QueuedBefore;
    }

    private static OutboxMessage Message(ConversationReference reference, string key, JsonNode? card, string? text)
    {
        var activity = Activity.CreateMessage(text);
        activity.Conversation = reference.Conversation;
        activity.From = reference.Bot;
        activity.Recipient = reference.User;
        activity.ChannelId = reference.ChannelId;
        if (card is not null)
        {
            activity.Attachments = [Attachment.AdaptiveCard(card)];
        }
        return new OutboxMessage
        {
            Key = key,
            ServiceUrl = reference.ServiceUrl,
            ConversationId = reference.Conversation.Id,
            Activity = activity,
        };
    }
}

/// <summary>What became of a message to a member of staff.</summary>
public enum StaffReach
{
    /// <summary>No personal chat with the bot is known: nothing was queued.</summary>
    NoChat,

    /// <summary>Queued now in the outbox.</summary>
    Queued,

    /// <summary>The same message was queued before and is sent or on its way.</summary>
    QueuedBefore,

    /// <summary>The same message was queued before and the Connector refused it for good.</summary>
    Undeliverable,
}
