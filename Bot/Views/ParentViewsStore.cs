using System.Text.Json;
using Azure.Data.Tables;
using SendPlans.Bot.DataProtection;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Bot.Views;

/// <summary>One parent's answers on one pupil's plan for one term, by the card's input ids.</summary>
public sealed record ParentViews(string SchoolId, string TermId, string Upn, string ContactId, IReadOnlyDictionary<string, string> Answers)
{
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>How many times the answers changed; 1 after the first submission.</summary>
    public int Revision { get; init; }
}

/// <summary>
/// Parents' views, partitioned by school, one row per term, pupil and contact. A submission
/// writes only when the answers differ from the stored ones, so a double submit changes nothing.
/// </summary>
public sealed class ParentViewsStore(TableStorage storage, TimeProvider time)
{
    public const string Table = "ParentViews";

    public static string RowKey(string termId, string upn, string contactId) => $"{termId}|{upn}|{contactId}";

    public async Task<ParentViews?> GetAsync(string schoolId, string termId, string upn, string contactId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(schoolId, RowKey(termId, upn, contactId), cancellationToken: cancellationToken);
        return row.HasValue ? ToViews(row.Value!) : null;
    }

    /// <summary>Every parent's views on one pupil's plan this term.</summary>
    public async Task<IReadOnlyList<ParentViews>> GetForPupilAsync(string schoolId, string termId, string upn, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var prefix = $"{termId}|{upn}|";
        var rows = await table.QueryAllAsync(
            TableKeys.StartsWith(schoolId, prefix), null, cancellationToken);
        return [.. rows.Select(ToViews)];
    }

    /// <summary>Every parent's views on every plan of one term: for the term dashboard.</summary>
    public async Task<IReadOnlyList<ParentViews>> ForTermAsync(string schoolId, string termId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var prefix = $"{termId}|";
        var rows = await table.QueryAllAsync(
            TableKeys.StartsWith(schoolId, prefix), null, cancellationToken);
        return [.. rows.Select(ToViews)];
    }

    /// <summary>Stores the answers; returns the stored views and whether anything was written.</summary>
    public async Task<(ParentViews Views, bool Changed)> SaveAsync(ParentViews views, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var key = RowKey(views.TermId, views.Upn, views.ContactId);
        var now = time.GetUtcNow();
        var first = ToEntity(views with { Revision = 1, UpdatedAt = now });
        if (await table.AddIfAbsentAsync(first, cancellationToken))
        {
            return (ToViews(first), true);
        }
        var changed = false;
        var row = await table.UpdateOptimisticAsync(views.SchoolId, key, e =>
        {
            var stored = ToViews(e);
            changed = AnswersJson(stored.Answers) != AnswersJson(views.Answers);
            return changed ? ToEntity(views with { Revision = stored.Revision + 1, UpdatedAt = now }) : null;
        }, null, cancellationToken);
        return (ToViews(row!), changed);
    }

    private static string AnswersJson(IReadOnlyDictionary<string, string> answers) =>
        JsonSerializer.Serialize(new SortedDictionary<string, string>(answers.ToDictionary(), StringComparer.Ordinal), ViewsJsonContext.Default.SortedDictionaryStringString);

    private static TableEntity ToEntity(ParentViews v) => new(v.SchoolId, RowKey(v.TermId, v.Upn, v.ContactId))
    {
        ["TermId"] = v.TermId,
        ["Upn"] = v.Upn,
        ["ContactId"] = v.ContactId,
        ["Answers"] = AnswersJson(v.Answers),
        ["UpdatedAt"] = v.UpdatedAt,
        ["Revision"] = v.Revision,
    };

    private static ParentViews ToViews(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("TermId") ?? "",
        e.GetString("Upn") ?? "",
        e.GetString("ContactId") ?? "",
        JsonSerializer.Deserialize(e.GetString("Answers") ?? "{}", ViewsJsonContext.Default.SortedDictionaryStringString) ?? [])
    {
        UpdatedAt = e.GetDateTimeOffset("UpdatedAt") ?? default,
        Revision = e.GetInt32("Revision") ?? 0,
    };
}

/// <summary>Erasure reaches the parents' views too.</summary>
public sealed class ParentViewsEraser(TableStorage storage) : UpnColumnEraser(storage, ParentViewsStore.Table);
