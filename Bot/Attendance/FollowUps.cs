using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using SendPlans.Bot.DataProtection;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Bot.Attendance;

/// <summary>Open → Claimed → Rebooked → Attended | Declined | Escalated.</summary>
public enum FollowUpState { Open, Claimed, Rebooked, Attended, Declined, Escalated }

/// <summary>Why the follow-up exists.</summary>
public enum FollowUpReason { Missed, NoResponse }

/// <summary>What someone did to a follow-up; each is one step in its history.</summary>
public enum FollowUpAction { Claim, Rebook, Decline, CouldNotReach, Attend, Escalate }

/// <summary>One step: who moved the item, when, to what, and their note (a decline's reason).</summary>
public sealed record FollowUpStep(
    [property: JsonPropertyName("s")] FollowUpState State,
    [property: JsonPropertyName("a")] FollowUpAction? Action,
    [property: JsonPropertyName("t")] DateTimeOffset At,
    [property: JsonPropertyName("b")] string By,
    [property: JsonPropertyName("n")] string? Note);

/// <summary>
/// A follow-up of one missed meeting or one parent who did not respond. The id comes from the
/// meeting and the reason, so creating it twice (a job run twice, two instances) finds the first.
/// </summary>
public sealed record FollowUpItem(
    string SchoolId,
    string MeetingId,
    FollowUpReason Reason,
    string Upn,
    string YearGroup,
    string ClassName,
    string TeacherEntraId,
    DateTimeOffset CreatedAt)
{
    public string Id => IdFor(MeetingId, Reason);

    /// <summary>The term the meeting belongs to, and when the missed meeting started (null for a no-response).</summary>
    public string TermId { get; init; } = "";

    public DateTimeOffset? MeetingStart { get; init; }

    public FollowUpState State { get; init; } = FollowUpState.Open;

    /// <summary>The Entra id of whoever claimed the item, and their display name for the card.</summary>
    public string? ClaimedBy { get; init; }

    public string? ClaimedByName { get; init; }

    /// <summary>Set by "Could not reach"; the item escalates when it stays unreached this long.</summary>
    public DateTimeOffset? UnreachedSince { get; init; }

    /// <summary>Where the alert card was posted, so every change updates it for everyone.</summary>
    public string? AlertConversationId { get; init; }

    public string? AlertActivityId { get; init; }

    public IReadOnlyList<FollowUpStep> History { get; init; } = [];

    public string? ETag { get; init; }

    public bool IsFinal => State is FollowUpState.Attended or FollowUpState.Declined or FollowUpState.Escalated;

    public static string IdFor(string meetingId, FollowUpReason reason) => TableKeys.Hash($"{meetingId}|{reason}");
}

/// <summary>The moves a follow-up may make. Plain rules: no I/O, unit-tested.</summary>
public static class FollowUpRules
{
    /// <summary>The item after the action, or the reason it may not happen.</summary>
    public static (FollowUpItem? Item, string? Refusal) Apply(FollowUpItem item, FollowUpAction action, string byId, string byName, DateTimeOffset at, string? note)
    {
        if (item.IsFinal)
        {
            return (null, $"This follow-up is already {Describe(item.State)}.");
        }
        if (action is FollowUpAction.Decline && string.IsNullOrWhiteSpace(note))
        {
            return (null, "Say why the parent declined, so the school can learn from it.");
        }
        if (action is not FollowUpAction.Claim and not FollowUpAction.Escalate and not FollowUpAction.Attend
            && item.ClaimedBy is { } owner && !string.Equals(owner, byId, StringComparison.OrdinalIgnoreCase))
        {
            return (null, $"{item.ClaimedByName ?? "Someone else"} is following this up.");
        }
        var claimedByOther = item.ClaimedBy is { } by && !string.Equals(by, byId, StringComparison.OrdinalIgnoreCase);
        (FollowUpState? next, string? refusal) = action switch
        {
            FollowUpAction.Claim when item.State == FollowUpState.Open => (FollowUpState.Claimed, null),
            FollowUpAction.Claim when claimedByOther => (null, $"{item.ClaimedByName ?? "Someone else"} is already following this up."),
            FollowUpAction.Claim => ((FollowUpState?)null, (string?)null),
            FollowUpAction.Rebook => (FollowUpState.Rebooked, null),
            FollowUpAction.Decline => (FollowUpState.Declined, null),
            FollowUpAction.CouldNotReach => (item.State == FollowUpState.Open ? FollowUpState.Claimed : item.State, null),
            FollowUpAction.Attend => (FollowUpState.Attended, null),
            FollowUpAction.Escalate => (FollowUpState.Escalated, null),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };
        if (refusal is not null)
        {
            return (null, refusal);
        }
        if (next is null)
        {
            return (item, null);
        }
        var claims = action is FollowUpAction.Claim or FollowUpAction.Rebook or FollowUpAction.Decline or FollowUpAction.CouldNotReach
            && item.ClaimedBy is null;
        return (item with
        {
            State = next.Value,
            ClaimedBy = claims ? byId : item.ClaimedBy,
            ClaimedByName = claims ? byName : item.ClaimedByName,
            UnreachedSince = action == FollowUpAction.CouldNotReach ? item.UnreachedSince ?? at
                : action is FollowUpAction.Rebook ? null : item.UnreachedSince,
            History = [.. item.History, new FollowUpStep(next.Value, action, at, byName, string.IsNullOrWhiteSpace(note) ? null : note.Trim())],
        }, null);
    }

    /// <summary>
    /// The day and time the year lead agreed with the parent for the rebooked meeting, as the teacher
    /// reads it ("Thursday 3 December 2026 at 15:30"); both empty is none agreed. A day that cannot be read,
    /// has passed or is over a year away, a time that cannot be read, or a time without a day is refused.
    /// </summary>
    public static (string? Agreed, string? Refusal) AgreedTime(string? day, string? time, DateTime schoolNow)
    {
        var hasTime = !string.IsNullOrWhiteSpace(time);
        if (string.IsNullOrWhiteSpace(day))
        {
            return (null, hasTime ? "Choose the day as well as the time, or leave both empty." : null);
        }
        if (!DateOnly.TryParseExact(day.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return (null, "I could not read that day. Choose it from the calendar, or leave it empty.");
        }
        TimeOnly? at = null;
        if (hasTime)
        {
            if (!TimeOnly.TryParseExact(time!.Trim(), ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                return (null, "I could not read that time. Choose a time such as 15:30, or leave it empty.");
            }
            at = parsed;
        }
        var today = DateOnly.FromDateTime(schoolNow);
        var text = date.ToString("dddd d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB")) + (at is { } t ? " at " + t.ToString("HH:mm", CultureInfo.InvariantCulture) : "");
        if (date < today || (date == today && at < TimeOnly.FromDateTime(schoolNow)))
        {
            return (null, $"{text} has passed. Choose a day and time still to come.");
        }
        return date > today.AddYears(1)
            ? (null, $"{text} is more than a year away. Check the year.")
            : (text, null);
    }

    /// <summary>Whether "Could not reach" has lasted long enough to hand the item to the SENCo/SLT.</summary>
    public static bool IsDueForEscalation(FollowUpItem item, DateTimeOffset now, TimeSpan after) =>
        !item.IsFinal && item.UnreachedSince is { } since && now - since >= after;

    public static string Describe(FollowUpState state) => state switch
    {
        FollowUpState.Open => "open",
        FollowUpState.Claimed => "being followed up",
        FollowUpState.Rebooked => "rebooked",
        FollowUpState.Attended => "done: the parent attended",
        FollowUpState.Declined => "closed: the parent declined",
        FollowUpState.Escalated => "escalated to the SENCo and SLT",
        _ => state.ToString(),
    };
}

[JsonSerializable(typeof(List<FollowUpStep>))]
internal sealed partial class FollowUpJsonContext : JsonSerializerContext;

/// <summary>
/// The FollowUps table: partition = school, row = the item id. Creating is add-if-absent (the
/// unique key that stops a duplicate alert); every change is ETag-conditional with its history.
/// </summary>
public sealed class FollowUpStore(TableStorage storage)
{
    public const string Table = "FollowUps";

    /// <summary>Creates the item; false (and the stored one) when it existed already.</summary>
    public async Task<(bool Created, FollowUpItem Item)> CreateAsync(FollowUpItem item, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var opened = item with { History = item.History.Count > 0 ? item.History : [new FollowUpStep(FollowUpState.Open, null, item.CreatedAt, "SendPlans", null)] };
        var created = await table.AddIfAbsentAsync(ToEntity(opened), cancellationToken);
        return (created, (await GetAsync(item.SchoolId, item.Id, cancellationToken))!);
    }

    public async Task<FollowUpItem?> GetAsync(string schoolId, string id, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(schoolId, id, cancellationToken: cancellationToken);
        return row.HasValue ? From(row.Value!) : null;
    }

    public async Task<IReadOnlyList<FollowUpItem>> ForSchoolAsync(string schoolId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        return [.. (await table.QueryAllAsync(TableClient.CreateQueryFilter($"PartitionKey eq {schoolId}"), null, cancellationToken)).Select(From)];
    }

    /// <summary>Every item not yet final, in every school: for the escalation pass.</summary>
    public async Task<IReadOnlyList<FollowUpItem>> UnfinishedAsync(CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var rows = await table.QueryAllAsync(
            $"State ne '{FollowUpState.Attended}' and State ne '{FollowUpState.Declined}' and State ne '{FollowUpState.Escalated}'", null, cancellationToken);
        return [.. rows.Select(From)];
    }

    /// <summary>Read-change-write with the ETag; the change returns null to leave the row alone.</summary>
    public async Task<FollowUpItem?> UpdateAsync(string schoolId, string id, Func<FollowUpItem, FollowUpItem?> change, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var row = await table.UpdateOptimisticAsync(schoolId, id, e => change(From(e)) is { } changed ? ToEntity(changed) : null, null, cancellationToken);
        return row is null ? null : From(row);
    }

    private static TableEntity ToEntity(FollowUpItem i) => new(i.SchoolId, i.Id)
    {
        ["MeetingId"] = i.MeetingId,
        ["TermId"] = i.TermId,
        ["MeetingStart"] = i.MeetingStart,
        ["Reason"] = i.Reason.ToString(),
        ["Upn"] = i.Upn,
        ["YearGroup"] = i.YearGroup,
        ["ClassName"] = i.ClassName,
        ["TeacherEntraId"] = i.TeacherEntraId,
        ["CreatedAt"] = i.CreatedAt,
        ["State"] = i.State.ToString(),
        ["ClaimedBy"] = i.ClaimedBy,
        ["ClaimedByName"] = i.ClaimedByName,
        ["UnreachedSince"] = i.UnreachedSince,
        ["AlertConversationId"] = i.AlertConversationId,
        ["AlertActivityId"] = i.AlertActivityId,
        ["History"] = JsonSerializer.Serialize(i.History.ToList(), FollowUpJsonContext.Default.ListFollowUpStep),
    };

    private static FollowUpItem From(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("MeetingId") ?? "",
        Enum.TryParse<FollowUpReason>(e.GetString("Reason"), out var reason) ? reason : FollowUpReason.Missed,
        e.GetString("Upn") ?? "",
        e.GetString("YearGroup") ?? "",
        e.GetString("ClassName") ?? "",
        e.GetString("TeacherEntraId") ?? "",
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue)
    {
        TermId = e.GetString("TermId") ?? "",
        MeetingStart = e.GetDateTimeOffset("MeetingStart"),
        State = Enum.TryParse<FollowUpState>(e.GetString("State"), out var state) ? state : FollowUpState.Open,
        ClaimedBy = e.GetString("ClaimedBy"),
        ClaimedByName = e.GetString("ClaimedByName"),
        UnreachedSince = e.GetDateTimeOffset("UnreachedSince"),
        AlertConversationId = e.GetString("AlertConversationId"),
        AlertActivityId = e.GetString("AlertActivityId"),
        History = e.GetString("History") is { Length: > 0 } json ? JsonSerializer.Deserialize(json, FollowUpJsonContext.Default.ListFollowUpStep) ?? [] : [],
        ETag = e.ETag.ToString(),
    };
}

/// <summary>Erasure reaches the follow-ups, the attendance records and the moderation rows of the pupil.</summary>
public sealed class AttendancePupilEraser(TableStorage storage)
    : UpnColumnEraser(storage, FollowUpStore.Table, AttendanceStore.Table, ModerationService.Table);
