using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using SendPlans.Bot.DataProtection;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Bot.Booking;

/// <summary>
/// Where a pupil's plan meeting for a term stands. Proposed, ParentChoosing and LeftOut are the
/// teacher's draft; Booked and Rescheduled have a calendar event.
/// </summary>
public enum MeetingStatus { Proposed, ParentChoosing, LeftOut, Booked, Rescheduled, Cancelled }

/// <summary>A meeting time in UTC.</summary>
public sealed record SlotTimes(
    [property: JsonPropertyName("s")] DateTimeOffset Start,
    [property: JsonPropertyName("e")] DateTimeOffset End)
{
    /// <summary>A short stable id for a choice on a card or a page.</summary>
    public string Key => Start.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);
}

/// <summary>What the bot noticed about the parents when it proposed the meeting.</summary>
[Flags]
public enum MeetingFlags { None = 0, InterpreterNeeded = 1, NoEmail = 2, HardToAttendTimes = 4 }

/// <summary>
/// One pupil's plan meeting in one term. The row key is the term and the UPN, so there is one
/// meeting per pupil per term and creating it twice finds the first.
/// </summary>
public sealed record MeetingRecord(string SchoolId, string TermId, string Upn, string TeacherId, string TeacherEmail)
{
    public MeetingStatus Status { get; init; } = MeetingStatus.Proposed;
    public SlotTimes? Slot { get; init; }
    public string TimeZone { get; init; } = "Europe/London";
    public IReadOnlyList<SlotTimes> Alternatives { get; init; } = [];
    public IReadOnlyList<SlotTimes> Offered { get; init; } = [];
    public MeetingFlags Flags { get; init; }
    public string? LeaveOutReason { get; init; }
    public string? UnplacedReason { get; init; }
    public string? EventId { get; init; }
    public string? JoinUrl { get; init; }

    /// <summary>Bumped when a cancelled meeting is booked again, so the new event gets a new transaction id.</summary>
    public int Attempt { get; init; }

    public bool InterpreterRequested { get; init; }
    public bool ParentCannotCome { get; init; }
    public string? ParentNote { get; init; }

    /// <summary>Reminders already sent, by lead time ("2.00:00:00"), so each goes once.</summary>
    public IReadOnlyList<string> RemindersSent { get; init; } = [];

    public bool NoEmailFlagged { get; init; }
    public string? LastError { get; init; }
    public string? ETag { get; init; }

    public bool HasEvent => EventId is not null && Status is MeetingStatus.Booked or MeetingStatus.Rescheduled;

    /// <summary>Derived from what the event is for, never random: a retried or double-clicked Book all books once.</summary>
    public string TransactionId => $"ssp-{TableKeys.Hash($"{SchoolId}|{TermId}|{Upn}")}-{Attempt}";
}

[JsonSerializable(typeof(List<SlotTimes>))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class MeetingJsonContext : JsonSerializerContext;

/// <summary>
/// The Meetings table: partition = school, row = "{term}|{UPN}". Creates are idempotent and
/// changes are ETag-conditional read-change-write, so two instances never lose each other's update.
/// </summary>
public sealed class MeetingStore(TableStorage storage)
{
    public const string Table = "Meetings";

    public async Task<MeetingRecord?> GetAsync(string schoolId, string termId, string upn, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(schoolId, Key(termId, upn), cancellationToken: cancellationToken);
        return row.HasValue ? From(row.Value!) : null;
    }

    /// <summary>A teacher's meetings of one term.</summary>
    public async Task<IReadOnlyList<MeetingRecord>> ForTeacherAsync(string schoolId, string termId, string teacherId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var rows = await table.QueryAllAsync(TableKeys.StartsWith(schoolId, termId + "|") + " and " + TableClient.CreateQueryFilter($"TeacherId eq {teacherId}"), null, cancellationToken);
        return [.. rows.Select(From)];
    }

    /// <summary>Every meeting of a term in a school.</summary>
    public async Task<IReadOnlyList<MeetingRecord>> ForTermAsync(string schoolId, string termId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var rows = await table.QueryAllAsync(TableKeys.StartsWith(schoolId, termId + "|"), null, cancellationToken);
        return [.. rows.Select(From)];
    }

    /// <summary>Meetings with an event starting in [from, to), in every school: for the timed jobs.</summary>
    public async Task<IReadOnlyList<MeetingRecord>> StartingBetweenAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var rows = await table.QueryAllAsync(TableClient.CreateQueryFilter(
            $"Start ge {from} and Start lt {to}"), null, cancellationToken);
        return [.. rows.Select(From).Where(m => m.HasEvent)];
    }

    /// <summary>Creates the meeting, or returns the one already there.</summary>
    public async Task<MeetingRecord> CreateAsync(MeetingRecord meeting, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        await table.AddIfAbsentAsync(ToEntity(meeting), cancellationToken);
        return (await GetAsync(meeting.SchoolId, meeting.TermId, meeting.Upn, cancellationToken))!;
    }

    /// <summary>
    /// Applies a change with the row's ETag, reading again on a conflict. The change returns null
    /// to leave the row alone. Returns the stored meeting, or null when there is none.
    /// </summary>
    public async Task<MeetingRecord?> UpdateAsync(string schoolId, string termId, string upn, Func<MeetingRecord, MeetingRecord?> change, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var row = await table.UpdateOptimisticAsync(schoolId, Key(termId, upn), e =>
        {
            var changed = change(From(e));
            return changed is null ? null : ToEntity(changed with { SchoolId = schoolId, TermId = termId, Upn = upn });
        }, null, cancellationToken);
        return row is null ? null : From(row);
    }

    internal static string Key(string termId, string upn) => $"{termId}|{upn}";

    private static TableEntity ToEntity(MeetingRecord m) => new(m.SchoolId, Key(m.TermId, m.Upn))
    {
        ["TermId"] = m.TermId,
        ["Upn"] = m.Upn,
        ["TeacherId"] = m.TeacherId,
        ["TeacherEmail"] = m.TeacherEmail,
        ["Status"] = m.Status.ToString(),
        ["Start"] = m.Slot?.Start,
        ["End"] = m.Slot?.End,
        ["TimeZone"] = m.TimeZone,
        ["Alternatives"] = JsonSerializer.Serialize(m.Alternatives.ToList(), MeetingJsonContext.Default.ListSlotTimes),
        ["Offered"] = JsonSerializer.Serialize(m.Offered.ToList(), MeetingJsonContext.Default.ListSlotTimes),
        ["Flags"] = (int)m.Flags,
        ["LeaveOutReason"] = m.LeaveOutReason,
        ["UnplacedReason"] = m.UnplacedReason,
        ["EventId"] = m.EventId,
        ["JoinUrl"] = m.JoinUrl,
        ["Attempt"] = m.Attempt,
        ["InterpreterRequested"] = m.InterpreterRequested,
        ["ParentCannotCome"] = m.ParentCannotCome,
        ["ParentNote"] = m.ParentNote,
        ["RemindersSent"] = string.Join(';', m.RemindersSent),
        ["NoEmailFlagged"] = m.NoEmailFlagged,
        ["LastError"] = m.LastError,
    };

    private static MeetingRecord From(TableEntity e) => new(
        e.PartitionKey, e.GetString("TermId") ?? "", e.GetString("Upn") ?? "", e.GetString("TeacherId") ?? "", e.GetString("TeacherEmail") ?? "")
    {
        Status = Enum.TryParse<MeetingStatus>(e.GetString("Status"), out var status) ? status : MeetingStatus.Proposed,
        Slot = e.GetDateTimeOffset("Start") is { } start && e.GetDateTimeOffset("End") is { } end ? new SlotTimes(start, end) : null,
        TimeZone = e.GetString("TimeZone") ?? "Europe/London",
        Alternatives = Slots(e.GetString("Alternatives")),
        Offered = Slots(e.GetString("Offered")),
        Flags = (MeetingFlags)(e.GetInt32("Flags") ?? 0),
        LeaveOutReason = e.GetString("LeaveOutReason"),
        UnplacedReason = e.GetString("UnplacedReason"),
        EventId = e.GetString("EventId"),
        JoinUrl = e.GetString("JoinUrl"),
        Attempt = e.GetInt32("Attempt") ?? 0,
        InterpreterRequested = e.GetBoolean("InterpreterRequested") ?? false,
        ParentCannotCome = e.GetBoolean("ParentCannotCome") ?? false,
        ParentNote = e.GetString("ParentNote"),
        RemindersSent = (e.GetString("RemindersSent") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries),
        NoEmailFlagged = e.GetBoolean("NoEmailFlagged") ?? false,
        LastError = e.GetString("LastError"),
        ETag = e.ETag.ToString(),
    };

    private static List<SlotTimes> Slots(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize(json, MeetingJsonContext.Default.ListSlotTimes) ?? [];
}

/// <summary>Erasure reaches the meetings: every term's meeting row of the pupil goes, and the claims of their reminders.</summary>
public sealed class MeetingEraser(TableStorage storage) : UpnColumnEraser(storage, MeetingStore.Table, ParentRemindersJob.Table);
