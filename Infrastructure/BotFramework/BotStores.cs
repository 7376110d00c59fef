using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Infrastructure.BotFramework;

/// <summary>
/// The serviceUrls the bot may call: only those seen on validated inbound activities.
/// The table is the record; the set in memory only saves a round trip.
/// </summary>
public sealed class TrustedServiceUrls(TableStorage storage)
{
    private const string Table = "BotServiceUrls";
    private const string Partition = "serviceurl";
    private readonly ConcurrentDictionary<string, bool> _known = new(StringComparer.OrdinalIgnoreCase);

    public async Task TrustAsync(string serviceUrl, CancellationToken cancellationToken)
    {
        var url = Normalise(serviceUrl);
        if (_known.ContainsKey(url))
        {
            return;
        }
        var table = await storage.GetTableAsync(Table, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(Partition, TableKeys.Hash(url)) { ["Url"] = url }, TableUpdateMode.Replace, cancellationToken);
        _known[url] = true;
    }

    public async Task<bool> IsTrustedAsync(string serviceUrl, CancellationToken cancellationToken)
    {
        var url = Normalise(serviceUrl);
        if (_known.ContainsKey(url))
        {
            return true;
        }
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Hash(url), cancellationToken: cancellationToken);
        if (found.HasValue)
        {
            _known[url] = true;
        }
        return found.HasValue;
    }

    private static string Normalise(string url) => url.Trim().TrimEnd('/').ToLowerInvariant();
}

/// <summary>
/// Remembers which activities were already handled, so a delivery that Teams retries has no
/// second side effect. A create that conflicts means another delivery (perhaps on another
/// instance) got there first.
/// </summary>
public sealed class ActivityDeduplicator(TableStorage storage, TimeProvider time)
{
    private const string Table = "BotProcessedActivities";

    /// <summary>True when this call is the first to claim the activity.</summary>
    public async Task<bool> TryClaimAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(activity.Id))
        {
            return true; // nothing to key on; Teams always sends an id
        }
        var key = TableKeys.Hash($"{activity.ChannelId}|{activity.Conversation?.Id}|{activity.Id}");
        var table = await storage.GetTableAsync(Table, cancellationToken);
        try
        {
            await table.AddEntityAsync(new TableEntity(key[..2], key) { ["ClaimedAt"] = time.GetUtcNow() }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConflict())
        {
            return false;
        }
    }
}

/// <summary>Conversation references, stored when the bot is installed, for proactive messages later.</summary>
public sealed class ConversationReferenceStore(TableStorage storage, TimeProvider time)
{
    private const string Table = "BotConversationReferences";
    private const string Partition = "conversation";
    private const string PersonalPartition = "personal-user";

    public async Task SaveAsync(ConversationReference reference, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var entity = new TableEntity(Partition, TableKeys.Hash(reference.Conversation.Id ?? ""))
        {
            ["Reference"] = JsonSerializer.Serialize(reference, BotJsonContext.Default.ConversationReference),
            ["ConversationType"] = reference.Conversation.ConversationType,
            ["UserAadObjectId"] = reference.User?.AadObjectId,
            ["SavedAt"] = time.GetUtcNow(),
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        if (reference.Conversation.ConversationType == "personal" && reference.User?.AadObjectId is { Length: > 0 } user)
        {
            // The user's newest personal install, by user: a point read for proactive messages, not a scan.
            await table.UpsertEntityAsync(new TableEntity(PersonalPartition, UserKey(user))
            {
                ["ConversationId"] = reference.Conversation.Id,
                ["SavedAt"] = time.GetUtcNow(),
            }, TableUpdateMode.Replace, cancellationToken);
        }
    }

    private long _removals;

    /// <summary>
    /// How many conversations this instance has marked removed since it started: a note that
    /// something was already saved, taken before a removal, is stale once this changes.
    /// </summary>
    public long Removals => Interlocked.Read(ref _removals);

    /// <summary>
    /// The bot is not in this conversation any more: an uninstall was seen, or the Connector refused
    /// a message for good. Keep the record, so an alert that cannot be delivered can say why.
    /// </summary>
    public async Task MarkRemovedAsync(string conversationId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var entity = new TableEntity(Partition, TableKeys.Hash(conversationId)) { ["RemovedAt"] = time.GetUtcNow() };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
        Interlocked.Increment(ref _removals);
    }

    /// <summary>
    /// Someone talked to the bot in this conversation, so it is there again: clears a removed mark.
    /// One point read when there is no mark (the usual case); true when a mark was cleared.
    /// </summary>
    public async Task<bool> RestoreAsync(string conversationId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Hash(conversationId), cancellationToken: cancellationToken);
        if (!found.HasValue || found.Value!.GetDateTimeOffset("RemovedAt") is null)
        {
            return false;
        }
        var entity = found.Value;
        try
        {
            if (entity.GetString("Reference") is null)
            {
                // Only the mark was ever stored (a chat saved from a turn, never seen installed).
                await table.DeleteEntityAsync(entity, entity.ETag, cancellationToken);
            }
            else
            {
                entity.Remove("RemovedAt");
                await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
            }
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false; // changed meanwhile (a reinstall saved it, or a fresh refusal marked it): that write stands
        }
        return true;
    }

    /// <summary>Which of these conversations the bot is known to have been removed from: one point read each, concurrently.</summary>
    public async Task<IReadOnlySet<string>> RemovedAmongAsync(IEnumerable<string> conversationIds, CancellationToken cancellationToken)
    {
        var ids = conversationIds.Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var removed = await Task.WhenAll(ids.Select(id => IsRemovedAsync(id, cancellationToken)));
        return ids.Where((_, i) => removed[i]).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>True when the bot was removed from this conversation (an uninstall was seen).</summary>
    public async Task<bool> IsRemovedAsync(string conversationId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Hash(conversationId), select: ["RemovedAt"], cancellationToken: cancellationToken);
        return found.HasValue && found.Value!.GetDateTimeOffset("RemovedAt") is not null;
    }

    /// <summary>
    /// The personal chat the bot was last installed into for this user, unless the bot was removed
    /// from it: two point reads (the user's row, then the conversation's).
    /// </summary>
    public async Task<ConversationReference?> FindPersonalAsync(string userAadObjectId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(PersonalPartition, UserKey(userAadObjectId), cancellationToken: cancellationToken);
        return row.HasValue && row.Value!.GetString("ConversationId") is { Length: > 0 } conversationId
            ? await FindAsync(conversationId, cancellationToken)
            : null;
    }

    public async Task<ConversationReference?> FindAsync(string conversationId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Hash(conversationId), cancellationToken: cancellationToken);
        return found.HasValue && found.Value!.GetString("Reference") is not null && found.Value.GetDateTimeOffset("RemovedAt") is null
            ? JsonSerializer.Deserialize(found.Value!.GetString("Reference"), BotJsonContext.Default.ConversationReference)
            : null;
    }

    private static string UserKey(string userAadObjectId) => TableKeys.Hash(userAadObjectId.Trim().ToLowerInvariant());
}
