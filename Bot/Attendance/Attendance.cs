using Azure.Data.Tables;
using SendPlans.Bot.Booking;
using SendPlans.Bot.Roster;
using SendPlans.Infrastructure.Calendars;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Bot.Attendance;

/// <summary>What became of a meeting. The first two come from a report or the teacher; the last two only from the teacher.</summary>
public enum AttendanceOutcome { Attended, DidNotAttend, RearrangedByParent, CancelledBySchool }

public enum AttendanceSource { Report, Teacher }

/// <summary>
/// A meeting that has ended. <see cref="MeetingId"/> names this occurrence (term, pupil, attempt,
/// start), so a rebooked meeting is a new occurrence with its own attendance and alert.
/// </summary>
public sealed record EndedMeeting(
    string SchoolId,
    string MeetingId,
    string TermId,
    string Upn,
    string TeacherEntraId,
    IReadOnlyList<string> ContactEmails,
    string OrganizerMailbox,
    string? EventId,
    string? JoinUrl,
    DateTimeOffset Start,
    DateTimeOffset End)
{
    public bool IsOnline => JoinUrl is not null;
}

/// <summary>The seam over the meetings store: which meetings ended in a window.</summary>
public interface IEndedMeetings
{
    /// <summary>
    /// Meetings that ended in [from, to). <paramref name="include"/> (school id, meeting id) is asked
    /// first, so a meeting the caller has already settled costs no read of the pupil's contacts.
    /// </summary>
    Task<IReadOnlyList<EndedMeeting>> EndedBetweenAsync(DateTimeOffset from, DateTimeOffset to, Func<string, string, CancellationToken, Task<bool>>? include, CancellationToken cancellationToken);

    Task<EndedMeeting?> FindAsync(string schoolId, string meetingId, CancellationToken cancellationToken);
}

/// <summary>The booking branch's meetings, with the contacts' emails from the roster.</summary>
public sealed class BookedEndedMeetings(MeetingStore meetings, RosterStore roster) : IEndedMeetings
{
    private static readonly RosterReader Reader = RosterReader.System("attendance");

    // A plan meeting is ~15 minutes; looking back an hour more finds any that started earlier and ended in the window.
    private static readonly TimeSpan LongestMeeting = TimeSpan.FromHours(2);

    public async Task<IReadOnlyList<EndedMeeting>> EndedBetweenAsync(DateTimeOffset from, DateTimeOffset to, Func<string, string, CancellationToken, Task<bool>>? include, CancellationToken cancellationToken)
    {
        var found = new List<EndedMeeting>();
        foreach (var m in await meetings.StartingBetweenAsync(from - LongestMeeting, to, cancellationToken))
        {
            if (m.Slot is { } slot && slot.End >= from && slot.End < to && (include is null || await include(m.SchoolId, IdOf(m), cancellationToken)))
            {
                found.Add(await ToEndedAsync(m, cancellationToken));
            }
        }
        return found;
    }

    public async Task<EndedMeeting?> FindAsync(string schoolId, string meetingId, CancellationToken cancellationToken)
    {
        var parts = meetingId.Split('|');
        if (parts.Length != 4)
        {
            return null;
        }
        var m = await meetings.GetAsync(schoolId, parts[0], parts[1], cancellationToken);
        return m is { Slot: not null } && IdOf(m) == meetingId ? await ToEndedAsync(m, cancellationToken) : null;
    }

    internal static string IdOf(MeetingRecord m) => $"{m.TermId}|{m.Upn}|{m.Attempt}|{m.Slot!.Start.UtcDateTime:yyyyMMddHHmm}";

    private async Task<EndedMeeting> ToEndedAsync(MeetingRecord m, CancellationToken cancellationToken)
    {
        var contacts = await roster.GetContactsAsync(Reader, m.SchoolId, m.Upn, cancellationToken);
        return new EndedMeeting(
            m.SchoolId, IdOf(m), m.TermId, m.Upn, m.TeacherId,
            [.. contacts.Where(c => !c.IsArchived && c.Email is not null).Select(c => c.Email!)],
            m.TeacherEmail, m.EventId, m.JoinUrl, m.Slot!.Start, m.Slot.End);
    }
}

/// <summary>The outcome of a meeting as recorded, and who said so.</summary>
public sealed record AttendanceRecord(string SchoolId, string MeetingId, string Upn, AttendanceOutcome? Outcome, AttendanceSource? Source, DateTimeOffset At, string By)
{
    /// <summary>The teacher was sent the one-tap card and has not answered yet.</summary>
    public bool TeacherAsked { get; init; }
}

/// <summary>Plain rules for reading a report. No I/O.</summary>
public static class AttendanceRules
{
    /// <summary>
    /// Attended when any record matches a contact's email (or an invited identity equal to it);
    /// did not attend when a report exists without them; null when there is nothing to judge by.
    /// </summary>
    public static AttendanceOutcome? FromReport(MeetingAttendanceReport report, IReadOnlyList<string> contactEmails)
    {
        if (report.Status != AttendanceReportStatus.Found)
        {
            return null;
        }
        var emails = contactEmails.Select(e => e.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return report.Attendees.Any(a => (a.Email is { } e && emails.Contains(e.Trim())) || (a.IdentityId is { } id && emails.Contains(id)))
            ? AttendanceOutcome.Attended
            : AttendanceOutcome.DidNotAttend;
    }

    /// <summary>The teacher's answer wins over the report; a report never replaces a teacher's answer.</summary>
    public static bool MayReplace(AttendanceRecord? current, AttendanceSource incoming) =>
        current?.Outcome is null || incoming == AttendanceSource.Teacher || current.Source != AttendanceSource.Teacher;
}

/// <summary>The Attendance table: partition = school, row = hash of the meeting occurrence id.</summary>
public sealed class AttendanceStore(TableStorage storage)
{
    public const string Table = "Attendance";

    public async Task<AttendanceRecord?> GetAsync(string schoolId, string meetingId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(schoolId, TableKeys.Hash(meetingId), cancellationToken: cancellationToken);
        return row.HasValue ? From(row.Value!) : null;
    }

    public async Task<IReadOnlyList<AttendanceRecord>> ForSchoolAsync(string schoolId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        return [.. (await table.QueryAllAsync(TableClient.CreateQueryFilter($"PartitionKey eq {schoolId}"), null, cancellationToken)).Select(From)];
    }

    /// <summary>Marks the teacher as asked; false when the meeting already had a record (asked or answered).</summary>
    public async Task<bool> MarkTeacherAskedAsync(EndedMeeting meeting, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        return await table.AddIfAbsentAsync(ToEntity(new AttendanceRecord(meeting.SchoolId, meeting.MeetingId, meeting.Upn, null, null, at, "SendPlans") { TeacherAsked = true }), cancellationToken);
    }

    /// <summary>
    /// Records the outcome unless a teacher's answer is already there and this is a report.
    /// Returns the record as stored and whether this call changed the outcome.
    /// </summary>
    public async Task<(AttendanceRecord Record, bool Changed)> RecordAsync(EndedMeeting meeting, AttendanceOutcome outcome, AttendanceSource source, string by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var incoming = new AttendanceRecord(meeting.SchoolId, meeting.MeetingId, meeting.Upn, outcome, source, at, by);
        if (await table.AddIfAbsentAsync(ToEntity(incoming), cancellationToken))
        {
            return (incoming, true);
        }
        var changed = false;
        var row = await table.UpdateOptimisticAsync(meeting.SchoolId, TableKeys.Hash(meeting.MeetingId), e =>
        {
            var current = From(e);
            changed = AttendanceRules.MayReplace(current, source) && current.Outcome != outcome;
            return changed ? ToEntity(incoming with { TeacherAsked = current.TeacherAsked }) : null;
        }, null, cancellationToken);
        return (From(row!), changed);
    }

    private static TableEntity ToEntity(AttendanceRecord r) => new(r.SchoolId, TableKeys.Hash(r.MeetingId))
    {
        ["MeetingId"] = r.MeetingId,
        ["Upn"] = r.Upn,
        ["Outcome"] = r.Outcome?.ToString(),
        ["Source"] = r.Source?.ToString(),
        ["At"] = r.At,
        ["By"] = r.By,
        ["TeacherAsked"] = r.TeacherAsked,
    };

    private static AttendanceRecord From(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("MeetingId") ?? "",
        e.GetString("Upn") ?? "",
        Enum.TryParse<AttendanceOutcome>(e.GetString("Outcome"), out var o) ? o : null,
        Enum.TryParse<AttendanceSource>(e.GetString("Source"), out var s) ? s : null,
        e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
        e.GetString("By") ?? "")
    {
        TeacherAsked = e.GetBoolean("TeacherAsked") ?? false,
    };
}
