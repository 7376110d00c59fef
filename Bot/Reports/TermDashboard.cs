using SendPlans.Bot.Attendance;
using SendPlans.Bot.Booking;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Terms;
using SendPlans.Bot.Views;
using Microsoft.Extensions.Options;

namespace SendPlans.Bot.Reports;

/// <summary>How many follow-up items are in each state.</summary>
public sealed record FollowUpCounts(int Open, int Claimed, int Rebooked, int Attended, int Declined, int Escalated)
{
    public static FollowUpCounts None { get; } = new(0, 0, 0, 0, 0, 0);

    public int Total => Open + Claimed + Rebooked + Attended + Declined + Escalated;

    /// <summary>Not yet in a final state (attended, declined or escalated).</summary>
    public int Unfinished => Open + Claimed + Rebooked;

    public FollowUpCounts Add(FollowUpCounts o) =>
        new(Open + o.Open, Claimed + o.Claimed, Rebooked + o.Rebooked, Attended + o.Attended, Declined + o.Declined, Escalated + o.Escalated);

    public static FollowUpCounts Of(IEnumerable<FollowUpState> states)
    {
        var s = states.ToList();
        return new(
            s.Count(x => x == FollowUpState.Open), s.Count(x => x == FollowUpState.Claimed), s.Count(x => x == FollowUpState.Rebooked),
            s.Count(x => x == FollowUpState.Attended), s.Count(x => x == FollowUpState.Declined), s.Count(x => x == FollowUpState.Escalated));
    }
}

/// <summary>
/// One year group's figures for a term, counted per pupil: <see cref="Held"/> = the parent
/// attended a plan meeting this term; <see cref="Missed"/> = a meeting was missed and none
/// attended since (a miss made good by a rebooked meeting counts as held; the follow-up stays
/// in <see cref="FollowUps"/>).
/// </summary>
public sealed record YearFigures(
    string Code,
    string Name,
    int Pupils,
    int Booked,
    int Held,
    int Missed,
    FollowUpCounts FollowUps,
    int ViewsReturned,
    int VoiceCaptured)
{
    /// <summary>Attended ÷ (held + missed), as a percentage; null before any meeting's outcome is known.</summary>
    public double? AttendancePercent => Percent(Held, Held + Missed);

    /// <summary>Pupils with at least one parent's views this term ÷ pupils.</summary>
    public double? ViewsPercent => Percent(ViewsReturned, Pupils);

    /// <summary>Pupils whose plan has the pupil's voice this term ÷ pupils.</summary>
    public double? VoicePercent => Percent(VoiceCaptured, Pupils);

    public static double? Percent(int part, int whole) => whole == 0 ? null : Math.Round(100.0 * part / whole, 1);

    public YearFigures Add(YearFigures o) => this with
    {
        Pupils = Pupils + o.Pupils,
        Booked = Booked + o.Booked,
        Held = Held + o.Held,
        Missed = Missed + o.Missed,
        FollowUps = FollowUps.Add(o.FollowUps),
        ViewsReturned = ViewsReturned + o.ViewsReturned,
        VoiceCaptured = VoiceCaptured + o.VoiceCaptured,
    };
}

/// <summary>A school's term dashboard: a row per year group (in year order) and the whole school.</summary>
public sealed record TermDashboardFigures(
    string SchoolId,
    string SchoolName,
    string TermId,
    string TermTitle,
    double GoalPercent,
    IReadOnlyList<YearFigures> Years,
    YearFigures Total);

/// <summary>What the dashboard counts, as read from the stores. Plain data, so the arithmetic is testable on its own.</summary>
public sealed record DashboardInputs(
    IReadOnlyList<Pupil> Pupils,
    IReadOnlyList<MeetingRecord> Meetings,
    IReadOnlyList<AttendanceRecord> Attendance,
    IReadOnlyList<FollowUpItem> FollowUps,
    IReadOnlyList<ParentViews> Views,
    IReadOnlyList<Plan> Plans);

/// <summary>The dashboard's arithmetic. No I/O.</summary>
public static class DashboardArithmetic
{
    public static (IReadOnlyList<YearFigures> Years, YearFigures Total) Count(string termId, DashboardInputs inputs)
    {
        var pupils = inputs.Pupils.Where(p => !p.IsArchived).ToDictionary(p => p.Upn, StringComparer.Ordinal);
        var ofTerm = $"{termId}|";
        var attended = inputs.Attendance.Where(a => a.MeetingId.StartsWith(ofTerm, StringComparison.Ordinal) && a.Outcome == AttendanceOutcome.Attended)
            .Select(a => a.Upn).ToHashSet(StringComparer.Ordinal);
        var missed = inputs.Attendance.Where(a => a.MeetingId.StartsWith(ofTerm, StringComparison.Ordinal) && a.Outcome == AttendanceOutcome.DidNotAttend)
            .Select(a => a.Upn).Where(u => !attended.Contains(u)).ToHashSet(StringComparer.Ordinal);
        var booked = inputs.Meetings.Where(m => m.TermId == termId && IsBooked(m)).Select(m => m.Upn)
            .Concat(attended).Concat(missed).ToHashSet(StringComparer.Ordinal);
        var followUps = inputs.FollowUps.Where(f => f.TermId == termId || (f.TermId.Length == 0 && f.MeetingId.StartsWith(ofTerm, StringComparison.Ordinal))).ToList();
        var views = inputs.Views.Where(v => v.TermId == termId).Select(v => v.Upn).ToHashSet(StringComparer.Ordinal);
        var voice = inputs.Plans.Where(p => p.TermId == termId && p.PupilVoice is { Count: > 0 }).Select(p => p.Upn).ToHashSet(StringComparer.Ordinal);

        var years = pupils.Values.GroupBy(p => p.YearGroup).OrderBy(g => g.Key.Order).Select(g =>
        {
            var upns = g.Select(p => p.Upn).ToHashSet(StringComparer.Ordinal);
            return new YearFigures(
                g.Key.Code, g.Key.DisplayName, upns.Count,
                upns.Count(booked.Contains), upns.Count(attended.Contains), upns.Count(missed.Contains),
                FollowUpCounts.Of(followUps.Where(f => upns.Contains(f.Upn)).Select(f => f.State)),
                upns.Count(views.Contains), upns.Count(voice.Contains));
        }).ToList();
        var total = years.Aggregate(new YearFigures("all", "Whole school", 0, 0, 0, 0, FollowUpCounts.None, 0, 0), (sum, y) => sum.Add(y));
        return (years, total);
    }

    /// <summary>A meeting with a time in the parent's calendar: booked, rescheduled, or held while the parent may still choose another time.</summary>
    public static bool IsBooked(MeetingRecord m) =>
        m.Slot is not null && (m.Status is MeetingStatus.Booked or MeetingStatus.Rescheduled || (m.Status == MeetingStatus.ParentChoosing && m.EventId is not null));
}

/// <summary>Reads what the dashboard counts, for a school's current (or next) term.</summary>
public sealed class TermDashboard(
    SchoolCalendarStore calendars,
    RosterStore roster,
    MeetingStore meetings,
    AttendanceStore attendance,
    FollowUpStore followUps,
    ParentViewsStore views,
    IOptions<ReportsOptions> options)
{
    /// <summary>Null when the school or its term is not known.</summary>
    public async Task<TermDashboardFigures?> ForSchoolAsync(RosterReader reader, string schoolId, CancellationToken cancellationToken)
    {
        if (await calendars.CurrentOrNextTermAsync(schoolId, cancellationToken) is not { } term)
        {
            return null;
        }
        var school = await calendars.GetSettingsAsync(schoolId, cancellationToken);
        var pupils = roster.GetPupilsAsync(reader, schoolId, includeArchived: false, cancellationToken);
        var plans = roster.GetPlansAsync(reader, schoolId, term.Id, cancellationToken);
        var booked = meetings.ForTermAsync(schoolId, term.Id, cancellationToken);
        var outcomes = attendance.ForSchoolAsync(schoolId, cancellationToken);
        var items = followUps.ForSchoolAsync(schoolId, cancellationToken);
        var given = views.ForTermAsync(schoolId, term.Id, cancellationToken);
        await Task.WhenAll(pupils, plans, booked, outcomes, items, given);
        var (years, total) = DashboardArithmetic.Count(term.Id, new DashboardInputs(
            await pupils, await booked, await outcomes, await items, await given, await plans));
        return new TermDashboardFigures(schoolId, school?.Name ?? schoolId, term.Id, $"{term.Name} term {term.AcademicYear}",
            options.Value.AttendanceGoalPercent, years, total);
    }
}
