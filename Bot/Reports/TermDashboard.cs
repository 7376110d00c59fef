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

/// <summary>SLT moderation of a term's plans: how many were sampled and what the reviewers decided.</summary>
public sealed record ModerationCounts(int Sampled, int Approved, int NeedsChanges)
{
    public static ModerationCounts None { get; } = new(0, 0, 0);

    /// <summary>Sampled plans no reviewer has decided on yet.</summary>
    public int Awaiting => Sampled - Approved - NeedsChanges;

    public ModerationCounts Add(ModerationCounts o) => new(Sampled + o.Sampled, Approved + o.Approved, NeedsChanges + o.NeedsChanges);

    public static ModerationCounts Of(IEnumerable<ModerationOutcome> outcomes)
    {
        var o = outcomes.ToList();
        return new(o.Count, o.Count(x => x == ModerationOutcome.Approved), o.Count(x => x == ModerationOutcome.NeedsChanges));
    }
}

/// <summary>
/// One year group's figures for a term, counted per pupil: <see cref="Held"/> = the parent
/// attended a plan meeting this term; <see cref="Missed"/> = a meeting was missed and none
/// attended since (a miss made good by a rebooked meeting counts as held; the follow-up stays
/// in <see cref="FollowUps"/>). <see cref="VoiceCaptured"/> is null when the reader may not read
/// plans (an admin), since it is counted from them.
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
    int? VoiceCaptured)
{
    /// <summary>Attended ÷ (held + missed), as a percentage; null before any meeting's outcome is known.</summary>
    public double? AttendancePercent => Percent(Held, Held + Missed);

    /// <summary>Pupils with at least one parent's views this term ÷ pupils.</summary>
    public double? ViewsPercent => Percent(ViewsReturned, Pupils);

    /// <summary>Pupils whose plan has the pupil's voice this term ÷ pupils; null also when the reader may not read plans.</summary>
    public double? VoicePercent => VoiceCaptured is { } voice ? Percent(voice, Pupils) : null;

    /// <summary>The SLT's moderation of this year group's plans (nothing sampled before the deadline).</summary>
    public ModerationCounts Moderation { get; init; } = ModerationCounts.None;

    public static double? Percent(int part, int whole) => whole == 0 ? null : Math.Round(100.0 * part / whole, 1);

    public YearFigures Add(YearFigures o) => this with
    {
        Moderation = Moderation.Add(o.Moderation),
        Pupils = Pupils + o.Pupils,
        Booked = Booked + o.Booked,
        Held = Held + o.Held,
        Missed = Missed + o.Missed,
        FollowUps = FollowUps.Add(o.FollowUps),
        ViewsReturned = ViewsReturned + o.ViewsReturned,
        VoiceCaptured = VoiceCaptured + o.VoiceCaptured,
    };
}

/// <summary>A term the dashboard can show, for the term picker.</summary>
public sealed record TermChoice(string Id, string Title);

/// <summary>A school's term dashboard: a row per year group (in year order) and the whole school.</summary>
public sealed record TermDashboardFigures(
    string SchoolId,
    string SchoolName,
    string TermId,
    string TermTitle,
    double GoalPercent,
    IReadOnlyList<YearFigures> Years,
    YearFigures Total)
{
    /// <summary>Every term the school has set up, oldest first, so the page can show another one.</summary>
    public IReadOnlyList<TermChoice> Terms { get; init; } = [];

    /// <summary>False when the reader may not read plans (an admin): pupil voice is counted from plans, so it is left out, not shown as 0.</summary>
    public bool VoiceCounted => Total.VoiceCaptured is not null;

    /// <summary>Staff on the list the bot cannot message in Teams (no personal chat yet): deadline lists, digests, moderation cards and comments miss them.</summary>
    public IReadOnlyList<UnreachableStaff> Unreachable { get; init; } = [];
}

/// <summary>A member of staff the bot cannot reach, for the dashboard: their name and roles, nothing else.</summary>
public sealed record UnreachableStaff(string Name, string Roles)
{
    public static UnreachableStaff Of(StaffMember member) =>
        new(member.DisplayName, string.Join(", ", member.Roles.Order().Select(r => r switch
        {
            StaffRole.YearLead => "year lead",
            StaffRole.Teacher => "teacher",
            StaffRole.Admin => "admin",
            StaffRole.TeachingAssistant => "teaching assistant",
            _ => r.ToString(),
        })));
}

/// <summary>
/// What the dashboard counts, as read from the stores. Plain data, so the arithmetic is testable on its own.
/// <see cref="Plans"/> is null when the reader may not read plans: pupil voice is then not counted.
/// </summary>
public sealed record DashboardInputs(
    IReadOnlyList<Pupil> Pupils,
    IReadOnlyList<MeetingRecord> Meetings,
    IReadOnlyList<AttendanceRecord> Attendance,
    IReadOnlyList<FollowUpItem> FollowUps,
    IReadOnlyList<ParentViews> Views,
    IReadOnlyList<Plan>? Plans)
{
    /// <summary>The term's moderation rows (one per sampled plan).</summary>
    public IReadOnlyList<ModerationItem> Moderation { get; init; } = [];
}

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
        var voice = inputs.Plans?.Where(p => p.TermId == termId && p.PupilVoice is { Count: > 0 }).Select(p => p.Upn).ToHashSet(StringComparer.Ordinal);
        var moderated = inputs.Moderation.Where(m => m.TermId == termId).ToList();

        var years = pupils.Values.GroupBy(p => p.YearGroup).OrderBy(g => g.Key.Order).Select(g =>
        {
            var upns = g.Select(p => p.Upn).ToHashSet(StringComparer.Ordinal);
            return new YearFigures(
                g.Key.Code, g.Key.DisplayName, upns.Count,
                upns.Count(booked.Contains), upns.Count(attended.Contains), upns.Count(missed.Contains),
                FollowUpCounts.Of(followUps.Where(f => upns.Contains(f.Upn)).Select(f => f.State)),
                upns.Count(views.Contains), voice is null ? null : upns.Count(voice.Contains))
            {
                Moderation = ModerationCounts.Of(moderated.Where(m => upns.Contains(m.Upn)).Select(m => m.Outcome)),
            };
        }).ToList();
        var total = years.Aggregate(new YearFigures("all", "Whole school", 0, 0, 0, 0, FollowUpCounts.None, 0, voice is null ? null : 0), (sum, y) => sum.Add(y));
        return (years, total);
    }

    /// <summary>A meeting with a time in the parent's calendar: booked, rescheduled, or held while the parent may still choose another time.</summary>
    public static bool IsBooked(MeetingRecord m) =>
        m.Slot is not null && (m.Status is MeetingStatus.Booked or MeetingStatus.Rescheduled || (m.Status == MeetingStatus.ParentChoosing && m.EventId is not null));
}

/// <summary>Reads what the dashboard counts, for one of a school's terms (by default the current or next one).</summary>
public sealed class TermDashboard(
    SchoolCalendarStore calendars,
    RosterStore roster,
    MeetingStore meetings,
    AttendanceStore attendance,
    FollowUpStore followUps,
    ParentViewsStore views,
    ModerationService moderation,
    StaffChats chats,
    IRosterAccess access,
    IOptions<ReportsOptions> options)
{
    /// <summary>Null when the school, its term, or the term asked for is not known.</summary>
    public async Task<TermDashboardFigures?> ForSchoolAsync(RosterReader reader, string schoolId, CancellationToken cancellationToken) =>
        await ForSchoolAsync(reader, schoolId, termId: null, cancellationToken);

    /// <summary>The figures for <paramref name="termId"/>, or for the current (or next) term when it is null.</summary>
    public async Task<TermDashboardFigures?> ForSchoolAsync(RosterReader reader, string schoolId, string? termId, CancellationToken cancellationToken)
    {
        var terms = await calendars.AllTermsAsync(schoolId, cancellationToken);
        var term = termId is null
            ? await calendars.CurrentOrNextTermAsync(schoolId, cancellationToken)
            : terms.FirstOrDefault(t => string.Equals(t.Id, termId, StringComparison.Ordinal));
        if (term is null)
        {
            return null;
        }
        var school = await calendars.GetSettingsAsync(schoolId, cancellationToken);
        var pupils = roster.GetPupilsAsync(reader, schoolId, includeArchived: false, cancellationToken);
        var plans = PlansIfAllowedAsync(reader, schoolId, term.Id, cancellationToken);
        var booked = meetings.ForTermAsync(schoolId, term.Id, cancellationToken);
        var outcomes = attendance.ForSchoolAsync(schoolId, cancellationToken);
        var items = followUps.ForSchoolAsync(schoolId, cancellationToken);
        var given = views.ForTermAsync(schoolId, term.Id, cancellationToken);
        var sampled = moderation.ForTermAsync(schoolId, term.Id, cancellationToken);
        var unreachable = chats.UnreachableAsync(schoolId, cancellationToken);
        await Task.WhenAll(pupils, plans, booked, outcomes, items, given, sampled, unreachable);
        var (years, total) = DashboardArithmetic.Count(term.Id, new DashboardInputs(
            await pupils, await booked, await outcomes, await items, await given, await plans) { Moderation = await sampled });
        return new TermDashboardFigures(schoolId, school?.Name ?? schoolId, term.Id, Title(term), options.Value.AttendanceGoalPercent, years, total)
        {
            Terms = [.. terms.Select(t => new TermChoice(t.Id, Title(t)))],
            Unreachable = [.. (await unreachable).OrderBy(m => m.DisplayName, StringComparer.OrdinalIgnoreCase).Select(UnreachableStaff.Of)],
        };
    }

    public static string Title(Term term) => $"{term.Name} term {term.AcademicYear}";

    /// <summary>
    /// The term's plans, or null when the reader may not read plans: an admin reads the roster but
    /// not plans (docs/data-protection.md), so they get every figure but pupil voice.
    /// </summary>
    private async Task<IReadOnlyList<Plan>?> PlansIfAllowedAsync(RosterReader reader, string schoolId, string termId, CancellationToken cancellationToken) =>
        await access.MayReadAsync(reader, new RosterScope.School(schoolId), RosterData.Plan, cancellationToken)
            ? await roster.GetPlansAsync(reader, schoolId, termId, cancellationToken)
            : null;
}
