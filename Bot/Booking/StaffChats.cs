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
public sealed class StaffChats(TableStorage storage, ProactiveOutbox outbox)
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
    public async Task<bool> SendAsync(string schoolId, string entraId, string key, JsonNode? card, string? text, CancellationToken cancellationToken)
    {
        if (await FindAsync(schoolId, entraId, cancellationToken) is not { } reference)
        {
            return false;
        }
        var activity = Activity.CreateMessage(text);
        activity.Conversation = reference.Conversation;
        activity.From = reference.Bot;
        activity.Recipient = reference.User;
        activity.ChannelId = reference.ChannelId;
        if (card is not null)
        {
            activity.Attachments = [Attachment.AdaptiveCard(card)];
        }
        return await outbox.EnqueueAsync(new OutboxMessage
        {
            Key = key,
            ServiceUrl = reference.ServiceUrl,
            ConversationId = reference.Conversation.Id,
            Activity = activity,
        }, cancellationToken);
    }
}
