using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using SendPlans.Bot.Booking;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Terms;
using SendPlans.Cards.Attendance;
using SendPlans.Infrastructure.Calendars;
using SendPlans.Infrastructure.Jobs;

namespace SendPlans.Bot.Attendance;

/// <summary>What one sweep did.</summary>
public sealed record SweepCounts(int SettledByReport, int TeachersAsked, int Missed, int Escalated);

/// <summary>
/// Settles the attendance of meetings that ended: the Teams attendance report when there is one,
/// otherwise a one-tap card to the teacher. A missed meeting raises a follow-up at once, so the
/// year lead's alert goes out within the sweep interval plus the report delay. Then it escalates
/// follow-ups left unreached too long, and re-routes alerts the channel could not take.
/// </summary>
public sealed class AttendanceService(
    IEndedMeetings meetings,
    IMeetingAttendance reports,
    AttendanceStore attendance,
    FollowUpAlerts alerts,
    FollowUpStore items,
    NoResponseCheck noResponses,
    ModerationService moderation,
    StaffChats chats,
    RosterStore roster,
    SchoolCalendarStore calendars,
    IOptions<AttendanceOptions> options,
    TimeProvider time,
    ILogger<AttendanceService> logger)
{
    private static readonly RosterReader Reader = RosterReader.System("attendance");

    /// <summary>Attendance reports read at once (see <see cref="ReadReportsAsync"/>).</summary>
    internal const int ReportReaders = 4;

    public async Task<SweepCounts> SweepAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        int settled = 0, asked = 0, missed = 0;
        // A meeting with a record is settled, or its teacher was asked and their answer will come through the card.
        var unsettled = await meetings.EndedBetweenAsync(now - o.Lookback, now,
            async (schoolId, meetingId, token) => await attendance.GetAsync(schoolId, meetingId, token) is null, cancellationToken);
        var read = await ReadReportsAsync(unsettled.Where(m => m.IsOnline && now >= m.End + o.ReportDelay), cancellationToken);
        foreach (var meeting in unsettled)
        {
            if (meeting.IsOnline)
            {
                if (now < meeting.End + o.ReportDelay)
                {
                    continue;
                }
                // A read that failed above is made again here, so its error ends the pass where it did before.
                var report = read.TryGetValue(meeting.MeetingId, out var found) ? found
                    : await reports.GetAttendanceAsync(meeting.OrganizerMailbox, meeting.JoinUrl!, cancellationToken);
                if (AttendanceRules.FromReport(report, meeting.ContactEmails) is { } outcome)
                {
                    settled++;
                    if (await RecordAsync(meeting, outcome, AttendanceSource.Report, "Teams attendance report", cancellationToken) == AttendanceOutcome.DidNotAttend)
                    {
                        missed++;
                    }
                    continue;
                }
                Log.ReportUnavailable(logger, meeting.SchoolId, report.Status.ToString());
                asked += await AskTeacherAsync(meeting, report.Status == AttendanceReportStatus.Forbidden
                    ? "The school has not allowed SendPlans to read Teams attendance reports, so please tell me."
                    : "Teams has no attendance report for this meeting, so please tell me.", cancellationToken);
            }
            else
            {
                asked += await AskTeacherAsync(meeting, "This meeting was not on Teams, so please tell me.", cancellationToken);
            }
        }
        await noResponses.RaiseAsync(cancellationToken);
        await moderation.StartDueAsync(cancellationToken);
        var escalated = await alerts.EscalateDueAsync(o.EscalateAfter, cancellationToken);
        await alerts.RedeliverUndeliverableAsync(cancellationToken);
        Log.Swept(logger, settled, asked, missed, escalated);
        return new SweepCounts(settled, asked, missed, escalated);
    }

    /// <summary>
    /// Records an outcome (the teacher's answer replaces a report's, never the other way) and
    /// acts on it: a miss raises a follow-up; an attended rebooked meeting closes the follow-up.
    /// Returns the outcome as stored.
    /// </summary>
    public async Task<AttendanceOutcome?> RecordAsync(EndedMeeting meeting, AttendanceOutcome outcome, AttendanceSource source, string by, CancellationToken cancellationToken)
    {
        var (record, changed) = await attendance.RecordAsync(meeting, outcome, source, by, time.GetUtcNow(), cancellationToken);
        if (!changed)
        {
            return record.Outcome;
        }
        Log.AttendanceRecorded(logger, meeting.SchoolId, outcome.ToString(), source.ToString());
        if (outcome == AttendanceOutcome.DidNotAttend)
        {
            await alerts.RaiseAsync(new FollowUpRequest(meeting.SchoolId, meeting.MeetingId, meeting.TermId, meeting.Upn, meeting.TeacherEntraId, FollowUpReason.Missed, meeting.Start), cancellationToken);
        }
        else
        {
            // The parent came after all (or the teacher corrected a report): follow-ups of this pupil this term close.
            foreach (var item in (await items.ForSchoolAsync(meeting.SchoolId, cancellationToken))
                .Where(i => i.Upn == meeting.Upn && i.TermId == meeting.TermId && !i.IsFinal && (i.State == FollowUpState.Rebooked || i.MeetingId == meeting.MeetingId)))
            {
                if (outcome == AttendanceOutcome.Attended)
                {
                    var (stored, _) = await alerts.ApplyAsync(item.SchoolId, item.Id, FollowUpAction.Attend, "system", by, null, cancellationToken);
                    if (stored is not null)
                    {
                        await alerts.UpdatePostedCardAsync(stored, (await alerts.CardAsync(stored, cancellationToken)).ToJsonNode(), cancellationToken);
                    }
                }
            }
        }
        return outcome;
    }

    /// <summary>
    /// Reads the due reports a few at a time: a backlog (after an outage) would otherwise cost three
    /// Graph round trips per meeting in a row. Four at once stays within Graph's per-mailbox limit.
    /// </summary>
    private async Task<ConcurrentDictionary<string, MeetingAttendanceReport>> ReadReportsAsync(IEnumerable<EndedMeeting> due, CancellationToken cancellationToken)
    {
        var read = new ConcurrentDictionary<string, MeetingAttendanceReport>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = ReportReaders, CancellationToken = cancellationToken }, async (meeting, token) =>
        {
            try
            {
                read[meeting.MeetingId] = await reports.GetAttendanceAsync(meeting.OrganizerMailbox, meeting.JoinUrl!, token);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.ReportReadFailed(logger, meeting.SchoolId, e.GetType().Name); // read again in order below
            }
        });
        return read;
    }

    private async Task<int> AskTeacherAsync(EndedMeeting meeting, string why, CancellationToken cancellationToken)
    {
        var pupil = await roster.GetPupilAsync(Reader, meeting.SchoolId, meeting.Upn, cancellationToken);
        var timeZone = (await calendars.GetSettingsAsync(meeting.SchoolId, cancellationToken))?.TimeZone ?? "Europe/London";
        var card = AttendanceCards.AttendanceQuestion(new AttendanceQuestionInput(
            meeting.SchoolId, meeting.MeetingId,
            pupil is null ? "your pupil" : $"{pupil.LegalForename} {pupil.LegalSurname}",
            $"Plan meeting, {BookingText.Local(meeting.Start, timeZone).ToString("dddd d MMMM HH:mm", CultureInfo.GetCultureInfo("en-GB"))}",
            why, null));
        if (!await chats.SendAsync(meeting.SchoolId, meeting.TeacherEntraId, $"attendance-ask|{meeting.SchoolId}|{meeting.MeetingId}", card.ToJsonNode(), null, cancellationToken)
            && await chats.FindAsync(meeting.SchoolId, meeting.TeacherEntraId, cancellationToken) is null)
        {
            Log.TeacherUnreachable(logger, meeting.SchoolId);
            return 0; // asked again next sweep, once the teacher has talked to the bot
        }
        await attendance.MarkTeacherAskedAsync(meeting, time.GetUtcNow(), cancellationToken);
        return 1;
    }
}

/// <summary>The timed sweep: one instance at a time, under a lease.</summary>
public sealed class AttendanceSweepJob(AttendanceService service, TableLeases leases, IOptions<AttendanceOptions> options, TimeProvider time, ILogger<AttendanceSweepJob> logger)
    : LeasedJob(leases, time)
{
    protected override string LeaseName => "attendance-sweep";

    protected override TimeSpan LeaseDuration => TimeSpan.FromMinutes(10);

    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override bool RunsInBackground => options.Value.RunJobs;

    protected override async Task<int> RunPassAsync(CancellationToken cancellationToken)
    {
        var counts = await service.SweepAsync(cancellationToken);
        return counts.SettledByReport + counts.TeachersAsked + counts.Escalated;
    }

    protected override void OnPassFailed(Exception exception) => Log.SweepFailed(logger, exception.GetType().Name);
}
