using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;
using SendPlans.Bot.Roster;
using SendPlans.Infrastructure.BotFramework;
using SendPlans.Infrastructure.BotFramework.Proactive;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Bot.Booking;

/// <summary>
/// Each member of staff's personal chat with the bot (table "StaffChats": partition = school,
/// row = Entra object id), saved after every personal turn of theirs (any message, card action
/// or install), so that jobs and parents' answers can reach them later through the proactive
/// outbox. A member of staff the bot was installed for before they were on the staff list is
/// found through the install record (<see cref="ConversationReferenceStore.FindPersonalAsync"/>).
/// A chat the bot was removed from (an uninstall, or the Connector refusing a message for good)
/// is no chat, everywhere here, until the person talks to the bot again or it is reinstalled.
/// </summary>
public sealed class StaffChats(
    TableStorage storage,
    ProactiveOutbox outbox,
    ConversationReferenceStore installs,
    StaffDirectory staff,
    IMemoryCache cache,
    ILogger<StaffChats> logger)
{
    public const string Table = "StaffChats";

    /// <summary>How long this instance trusts its note of what it last saved for a user: one upsert per user per hour at most, unless the chat changes.</summary>
    private static readonly TimeSpan SavedNoteLifetime = TimeSpan.FromHours(1);

    public async Task RememberAsync(string schoolId, string entraId, Activity activity, CancellationToken cancellationToken)
    {
        if (activity.Conversation?.ConversationType is { } type && type != "personal")
        {
            return;
        }
        await SaveAsync(schoolId, entraId, activity.GetConversationReference(), cancellationToken);
    }

    /// <summary>
    /// After-turn hook: saves the sender's personal chat when they are on a staff list. The write
    /// is a blind upsert (one request, the same as the read that would compare it), made only
    /// when this instance has not already saved this serviceUrl and conversation for this user in
    /// the last hour, so a run of turns (the load benchmark's `help`) costs no storage request at
    /// all; the staff lookup is the handler's, cached. A failure is logged and never fails the
    /// turn, whose reply is already sent.
    /// </summary>
    public async Task RememberTurnAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (!IsPersonalTurn(activity) || activity.From?.AadObjectId is not { Length: > 0 } user)
        {
            return;
        }
        var noteKey = ("staff-chat", user.Trim().ToLowerInvariant());
        // A removal marked on this instance since the note was taken makes it stale, so this turn clears the mark.
        var address = $"{installs.Removals}|{activity.ServiceUrl}|{activity.Conversation!.Id}";
        if (cache.TryGetValue(noteKey, out string? saved) && saved == address)
        {
            return;
        }
        try
        {
            if (await staff.FindByEntraIdAsync(user, cancellationToken) is not { } member)
            {
                return; // not staff (yet): the install record still has the chat, for when they are added
            }
            await SaveAsync(member.SchoolId, member.EntraObjectId, activity.GetConversationReference(), cancellationToken);
            // They are talking in it, so the bot is there: a chat marked removed (a refusal, an uninstall) is live again.
            if (await installs.RestoreAsync(activity.Conversation.Id!, cancellationToken))
            {
                Log.StaffChatRestored(logger, member.SchoolId);
            }
            cache.Set(noteKey, address, SavedNoteLifetime);
            Log.StaffChatSaved(logger, member.SchoolId, activity.Type ?? "");
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException or TimeoutException)
        {
            Log.StaffChatNotSaved(logger, e.GetType().Name);
        }
    }

    /// <summary>A 1:1 chat's message, card action or install; never a channel or group chat, never an uninstall.</summary>
    internal static bool IsPersonalTurn(Activity activity)
    {
        if (activity.Conversation is not { ConversationType: "personal", IsGroup: not true, Id.Length: > 0 } || string.IsNullOrEmpty(activity.ServiceUrl))
        {
            return false;
        }
        return activity.Type switch
        {
            ActivityTypes.Message or ActivityTypes.Invoke => true,
            ActivityTypes.ConversationUpdate => activity.Recipient?.Id is { } bot && activity.MembersAdded?.Any(m => m.Id == bot) == true,
            ActivityTypes.InstallationUpdate => activity.Action?.StartsWith("add", StringComparison.OrdinalIgnoreCase) == true,
            _ => false,
        };
    }

    private async Task SaveAsync(string schoolId, string entraId, ConversationReference reference, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(schoolId, entraId)
        {
            ["Reference"] = JsonSerializer.Serialize(reference, BotJsonContext.Default.ConversationReference),
        }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>
    /// Their saved personal chat, or else the personal chat the bot was last installed into for them;
    /// never one the bot was removed from.
    /// </summary>
    public async Task<ConversationReference?> FindAsync(string schoolId, string entraId, CancellationToken cancellationToken)
    {
        var saved = await FindSavedAsync(schoolId, entraId, cancellationToken);
        if (saved is not null && !await installs.IsRemovedAsync(saved.Conversation.Id ?? "", cancellationToken))
        {
            return saved;
        }
        return await installs.FindPersonalAsync(entraId, cancellationToken);
    }

    private async Task<ConversationReference?> FindSavedAsync(string schoolId, string entraId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(schoolId, entraId, cancellationToken: cancellationToken);
        return row.HasValue && row.Value!.GetString("Reference") is { } json
            ? JsonSerializer.Deserialize(json, BotJsonContext.Default.ConversationReference)
            : null;
    }

    /// <summary>Queues a card (or text) for one member of staff; false when they have no chat with the bot or it was queued before.</summary>
    public async Task<bool> SendAsync(string schoolId, string entraId, string key, JsonNode? card, string? text, CancellationToken cancellationToken) =>
        await DeliverAsync(schoolId, entraId, key, card, text, cancellationToken) == StaffReach.Queued;

    /// <summary>As <see cref="SendAsync"/>, but tells "no chat" (nobody will see it) from "queued before" (they will).</summary>
    public async Task<StaffReach> DeliverAsync(string schoolId, string entraId, string key, JsonNode? card, string? text, CancellationToken cancellationToken)
    {
        if (await FindAsync(schoolId, entraId, cancellationToken) is not { } reference)
        {
            return StaffReach.NoChat;
        }
        return await outbox.EnqueueAsync(Message(reference, key, card, text), cancellationToken) ? StaffReach.Queued : StaffReach.QueuedBefore;
    }

    /// <summary>
    /// Queues a message that someone must act on, and says truly whether it can reach them: through
    /// their personal chat, or else the personal chat the bot was installed into for them, unless
    /// the bot was removed from it or an earlier message with this key could not be delivered.
    /// </summary>
    public async Task<StaffReach> ReachAsync(string schoolId, string entraId, string key, string text, CancellationToken cancellationToken)
    {
        var reach = await DeliverAsync(schoolId, entraId, key, null, text, cancellationToken);
        return reach == StaffReach.QueuedBefore && (await outbox.FindAsync(key, cancellationToken))?.Status == OutboxStatus.Failed
            ? StaffReach.Undeliverable
            : reach;
    }

    /// <summary>
    /// The school's staff that no message can reach (no live saved personal chat and no live personal
    /// install of the bot): what <see cref="DeliverAsync"/> would call <see cref="StaffReach.NoChat"/>.
    /// One partition read, a removed check per saved chat (concurrently), then an install lookup only
    /// for those without a live saved chat.
    /// </summary>
    public async Task<IReadOnlyList<StaffMember>> UnreachableAsync(string schoolId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var saved = (await table.QueryAllAsync(TableClient.CreateQueryFilter($"PartitionKey eq {schoolId}"), ["RowKey", "Reference"], cancellationToken))
            .Where(e => e.GetString("Reference") is not null)
            .ToDictionary(
                e => e.RowKey,
                e => JsonSerializer.Deserialize(e.GetString("Reference"), BotJsonContext.Default.ConversationReference)?.Conversation.Id ?? "",
                StringComparer.OrdinalIgnoreCase);
        var removed = await installs.RemovedAmongAsync(saved.Values, cancellationToken);
        var unreachable = new List<StaffMember>();
        foreach (var member in await staff.ForSchoolAsync(schoolId, cancellationToken))
        {
            var live = saved.TryGetValue(member.EntraObjectId, out var conversationId) && conversationId.Length > 0 && !removed.Contains(conversationId);
            if (!live && await installs.FindPersonalAsync(member.EntraObjectId, cancellationToken) is null)
            {
                unreachable.Add(member);
            }
        }
        return unreachable;
    }

    /// <summary>
    /// Tells the school's admins (who look after the bot's set-up) a sentence about staff a message
    /// could not reach, once per <paramref name="key"/>. Returns how many admins there are and how many it reached.
    /// </summary>
    public Task<(int Recipients, int Reached)> TellAdminsAsync(string schoolId, string key, string text, CancellationToken cancellationToken) =>
        TellAsync(schoolId, StaffRole.Admin, key, text, cancellationToken);

    /// <summary>Tells everyone with <paramref name="role"/> in the school, once per <paramref name="key"/>; how many there are and how many it reached.</summary>
    public async Task<(int Recipients, int Reached)> TellAsync(string schoolId, StaffRole role, string key, string text, CancellationToken cancellationToken)
    {
        var delivery = await DeliverToEachAsync(schoolId, (await staff.ForSchoolAsync(schoolId, cancellationToken)).Where(s => s.Is(role)), key, null, text, cancellationToken);
        return (delivery.Recipients, delivery.Reached);
    }

    /// <summary>
    /// <see cref="DeliverAsync"/> to each of <paramref name="people"/>, keyed <c>{key}|{their Entra id}</c>
    /// so each gets it once: how many were asked, how many it was queued for now, and whom it cannot reach.
    /// </summary>
    public async Task<StaffDelivery> DeliverToEachAsync(
        string schoolId, IEnumerable<StaffMember> people, string key, JsonNode? card, string? text, CancellationToken cancellationToken)
    {
        var (recipients, queued, unreached) = (0, 0, new List<StaffMember>());
        foreach (var member in people)
        {
            recipients++;
            switch (await DeliverAsync(schoolId, member.EntraObjectId, $"{key}|{member.EntraObjectId}", card, text, cancellationToken))
            {
                case StaffReach.Queued:
                    queued++;
                    break;
                case StaffReach.NoChat:
                    unreached.Add(member);
                    break;
            }
        }
        return new StaffDelivery(recipients, queued, unreached);
    }

    /// <summary>"Ann Lee", "Ann Lee and Bo Cole", "Ann Lee, Bo Cole and Cy Dee".</summary>
    public static string Names(IReadOnlyList<string> names) =>
        names.Count <= 1 ? string.Concat(names) : $"{string.Join(", ", names.Take(names.Count - 1))} and {names[^1]}";

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

/// <summary>What became of one message to several members of staff.</summary>
/// <param name="Queued">Queued by this call; the others it reached had it queued before.</param>
/// <param name="Unreached">Those with no chat with the bot: nobody will see it for them.</param>
public sealed record StaffDelivery(int Recipients, int Queued, IReadOnlyList<StaffMember> Unreached)
{
    /// <summary>Queued now or before: they will see it.</summary>
    public int Reached => Recipients - Unreached.Count;
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
