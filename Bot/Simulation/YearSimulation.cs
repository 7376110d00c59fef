using System.Globalization;
using System.Text.Json.Nodes;
using Stopwatch = System.Diagnostics.Stopwatch;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using SendPlans.Bot.AfterMeeting;
using SendPlans.Bot.Attendance;
using SendPlans.Bot.Booking;
using SendPlans.Bot.ParentLinks;
using SendPlans.Bot.Reports;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Roster.Demo;
using SendPlans.Bot.Roster.Import;
using SendPlans.Bot.Terms;
using SendPlans.Bot.Views;
using SendPlans.Cards.Views;
using SendPlans.Infrastructure.BotFramework;
using SendPlans.Infrastructure.Calendars;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Bot.Simulation;

/// <summary>
/// What to simulate: the demo school (or a smaller one like it), how often parents miss, how often a
/// follow-up brings them in, how often a parent never answers at all, and how often SLT ask for changes.
/// </summary>
public sealed record SimulationSettings
{
    public string SchoolId { get; init; } = DemoSchool.Id;
    public int Seed { get; init; } = 7;
    public double MissProbability { get; init; } = 0.1;
    public double FollowUpSuccess { get; init; } = 0.8;
    public int Pupils { get; init; } = 260;
    public int Terms { get; init; } = 3;

    /// <summary>A parent who neither chooses a time nor gives views (the "no response" alert); as many again give views without choosing.</summary>
    public double NoResponseProbability { get; init; } = 0.05;

    /// <summary>An SLT member marks a sampled plan "Needs changes" (with a comment), otherwise "Approved".</summary>
    public double NeedsChangesProbability { get; init; } = 0.2;
}

/// <summary>Time from a missed meeting's end to its alert being queued, on the simulated clock.</summary>
public sealed record LatencyFigures(int Count, TimeSpan Median, TimeSpan Max)
{
    public static LatencyFigures Of(IEnumerable<TimeSpan> latencies)
    {
        var sorted = latencies.Order().ToList();
        return sorted.Count == 0 ? new(0, TimeSpan.Zero, TimeSpan.Zero)
            : new(sorted.Count, sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2, sorted[^1]);
    }
}

/// <summary>
/// One year group in one term: the dashboard's figures (after follow-up), the attendance at the
/// first meeting (before follow-up), the alerts raised and the alert latency.
/// </summary>
public sealed record SimulatedYear(
    string Code,
    string Name,
    int Pupils,
    int Meetings,
    int FirstHeld,
    int FirstMissed,
    YearFigures Dashboard,
    int Alerts,
    LatencyFigures Latency)
{
    /// <summary>Attendance at the first meeting: held ÷ (held + missed) of attempt 0.</summary>
    public double? AttendanceBefore => YearFigures.Percent(FirstHeld, FirstHeld + FirstMissed);

    /// <summary>The dashboard's attendance: a miss made good by the rebooked meeting counts as held.</summary>
    public double? AttendanceAfter => Dashboard.AttendancePercent;
}

/// <summary>
/// One term: its year groups; the parents who never answered (no time chosen, no views) and their
/// "no response" alerts, those who gave views without choosing a time; the weekly digests the real
/// job queued over its weeks; the plans agreed, and SLT moderation (from the dashboard) of the
/// classes that had agreed plans when it started.
/// </summary>
public sealed record SimulatedTerm(
    string TermId,
    string Title,
    IReadOnlyList<SimulatedYear> Years,
    SimulatedYear Total,
    int Silent,
    int ViewsOnly,
    int NoResponseAlerts,
    int DigestWeeks,
    int DigestsSent,
    int AgreedPlans,
    int ClassesWithPlans,
    int ClassesSampled,
    ModerationCounts Moderation);

/// <summary>What a simulated year did, and every broken invariant (empty when all held).</summary>
public sealed record SimulationResult(
    SimulationSettings Settings,
    IReadOnlyList<SimulatedTerm> Terms,
    int Meetings,
    int Missed,
    int Alerts,
    int NoResponseAlerts,
    LatencyFigures Latency,
    LatencyFigures ReportLatency,
    LatencyFigures TeacherLatency,
    int Sweeps,
    int Rescheduled,
    int RebookedDirectly,
    int RecipientsChecked,
    IReadOnlyList<string> Violations,
    DateTimeOffset SimulatedFrom,
    DateTimeOffset SimulatedTo,
    TimeSpan Elapsed);

/// <summary>
/// Simulates a school year of plan meetings on accelerated time: the real bot's services (meetings
/// store, attendance sweep job, follow-up alerts, proactive outbox, term dashboard) on Azurite,
/// with a clock moved from event to event. Simulated people: each parent comes with probability
/// 1 − miss; Teams reports who came (or, for a parent with no email, an in-person meeting whose
/// teacher answers the one-tap question); the year lead claims each alert and rebooks; the parent
/// comes to the rebooked meeting with probability follow-up-success, otherwise the lead records a
/// decline or "could not reach" (which the sweep escalates). A few parents never answer the
/// invitation or give views (the sweep's "no response" check alerts after the deadline); as many
/// give views without choosing a time. The teacher records what was agreed after each held meeting;
/// the sweep starts SLT moderation after the deadline and the simulated SLT member answers each
/// sampled plan through the moderation service. The weekly digest job runs on each digest day of the
/// term. Seeded, so a run repeats exactly. Alerts and digests are counted as queued in the outbox:
/// no Connector is involved.
/// </summary>
public sealed class YearSimulation
{
    private static readonly RosterReader Reader = RosterReader.System("year simulation");
    private static readonly TimeSpan MeetingLength = TimeSpan.FromMinutes(15);
    private static readonly TimeOnly[] AfterSchool = [new(15, 30), new(15, 50), new(16, 10), new(16, 30), new(16, 50), new(17, 10)];

    private readonly SimulationSettings _settings;
    private readonly SimulationClock _clock;
    private readonly SimulatedTeams _teams;
    private readonly IServiceProvider _services;
    private readonly Random _random;
    private readonly AttendanceOptions _options;
    private readonly PriorityQueue<Func<Task>, (DateTimeOffset At, long Order)> _events = new();
    private readonly HashSet<DateTimeOffset> _sweepsDue = [];
    private readonly Dictionary<string, Occurrence> _occurrences = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _actors = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly List<string> _violations = [];
    private readonly HashSet<(string TermId, string Upn)> _silent = [];
    private readonly HashSet<(string TermId, string Upn)> _viewsOnly = [];
    private readonly Dictionary<string, List<string>> _digestWeeks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _digestsSent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _agreedPlans = new(StringComparer.Ordinal);
    private readonly HashSet<string> _agreedByDeadline = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlySet<string>> _classesWithPlans = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<ModerationItem>> _sampled = new(StringComparer.Ordinal);
    private long _order;
    private long _sweepPhase;
    private readonly long _digestPhase;
    private int _rescheduled;
    private int _directRebooks;
    private int _sweeps;
    private string _school = "";
    private IReadOnlyList<StaffMember> _staff = [];
    private IReadOnlyList<YearGroupInfo> _years = [];
    private IReadOnlyList<Term> _terms = [];
    private string _timeZone = SchoolClock.DefaultTimeZone;

    private YearSimulation(SimulationSettings settings, SimulationClock clock, SimulatedTeams teams, IServiceProvider services)
    {
        _settings = settings;
        _clock = clock;
        _teams = teams;
        _services = services;
        _random = new Random(settings.Seed);
        _options = services.GetRequiredService<IOptions<AttendanceOptions>>().Value;
        // The sweep's timer started whenever the host did: its runs fall anywhere in the interval.
        _sweepPhase = (long)(_random.NextDouble() * _options.SweepInterval.Ticks);
        _digestPhase = (long)(_random.NextDouble() * DigestInterval.Ticks);
    }

    /// <summary>How often the weekly digest job looks whether its time has come (<see cref="WeeklyDigestJob"/>'s interval).</summary>
    private static readonly TimeSpan DigestInterval = TimeSpan.FromMinutes(30);

    /// <summary>One meeting occurrence (round 0 the first, 1 the rebooked one) and what the simulated parent does.</summary>
    private sealed record Occurrence(string MeetingId, string TermId, Pupil Pupil, int Round, DateTimeOffset End, bool Online, bool Attends, StaffMember Teacher);

    /// <summary>
    /// Runs the simulation on the storage named in <paramref name="configuration"/>
    /// (Storage:ConnectionString, Storage:TablePrefix), in tables of its own that it drops at the end;
    /// <paramref name="inspect"/> may look at the simulated bot's services and stores before they go.
    /// </summary>
    public static async Task<SimulationResult> RunAsync(SimulationSettings settings, IConfiguration configuration, CancellationToken cancellationToken,
        Func<IServiceProvider, SimulationResult, Task>? inspect = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Pupils, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Terms, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.Terms, 3);
        var stopwatch = Stopwatch.StartNew();
        var terms = DemoSchool.Terms2026To27(settings.SchoolId).Take(settings.Terms).ToList();
        var clock = new SimulationClock(new DateTimeOffset(terms[0].MeetingWindowStart.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        var teams = new SimulatedTeams();
        await using var host = SimulationHost.Build(configuration, clock, services: s => s.AddSingleton<Infrastructure.Calendars.IMeetingAttendance>(teams));
        var simulation = new YearSimulation(settings, clock, teams, host.Services);
        var from = clock.GetUtcNow();
        await simulation.SeedAsync(terms, cancellationToken);
        await simulation.RunEventsAsync(cancellationToken);
        var result = await simulation.ResultAsync(from, stopwatch, cancellationToken);
        if (inspect is not null)
        {
            await inspect(host.Services, result);
        }
        return result;
    }

    private T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    private async Task SeedAsync(IReadOnlyList<Term> terms, CancellationToken cancellationToken)
    {
        var demo = DemoSchool.Generate(new DemoSchoolOptions { SchoolId = _settings.SchoolId, PupilCount = _settings.Pupils });
        _school = demo.Settings.SchoolId;
        var report = await Get<RosterImporter>().ApplyAsync(demo.Roster, dryRun: false, cancellationToken);
        if (!report.Succeeded)
        {
            throw new InvalidOperationException("The simulated school could not be stored: " + string.Join("; ", report.Problems));
        }
        var calendar = Get<SchoolCalendarStore>();
        await calendar.CreateTermsAsync(demo.Terms, cancellationToken);
        await calendar.CreateSettingsAsync(demo.Settings, cancellationToken);
        _timeZone = demo.Settings.TimeZone;
        _terms = terms;
        var roster = Get<RosterStore>();
        foreach (var year in demo.AlertChannels.Keys)
        {
            await roster.UpdateYearGroupAsync(_school, year, y => y with { AlertChannel = Channel(year), AlertChannelIsPlaceholder = false }, cancellationToken);
        }
        _years = await roster.GetYearGroupsAsync(Reader, _school, cancellationToken);
        _staff = await Get<StaffDirectory>().ForSchoolAsync(_school, cancellationToken);
        var chats = Get<StaffChats>();
        foreach (var member in _staff)
        {
            // As if each member of staff had said hello to the bot: their personal chat is known.
            await chats.RememberAsync(_school, member.EntraObjectId, PersonalChat(member.EntraObjectId), cancellationToken);
        }

        var pupils = (await roster.GetPupilsWithContactsAsync(Reader, _school, includeArchived: false, cancellationToken))
            .OrderBy(p => p.Pupil.YearGroup.Order).ThenBy(p => p.Pupil.ClassName, StringComparer.Ordinal).ThenBy(p => p.Pupil.Upn, StringComparer.Ordinal).ToList();
        var meetings = Get<MeetingStore>();
        var calendarProvider = Get<ICalendarProvider>();
        foreach (var term in terms)
        {
            // Booked as "Book all" does: the events in the Local calendar (invitations in its outbox), then the meetings store.
            var days = term.SchoolDays(term.MeetingWindowStart, term.MeetingWindowEnd).ToList();
            var booked = new List<(MeetingRecord Meeting, Pupil Pupil, StaffMember Teacher, string? Email)>();
            for (var i = 0; i < pupils.Count; i++)
            {
                var (pupil, contacts) = (pupils[i].Pupil, pupils[i].Contacts);
                var start = Instant(days[i % days.Count], AfterSchool[i / days.Count % AfterSchool.Length]);
                var email = contacts.Where(c => !c.IsArchived && c.Email is not null).OrderBy(c => c.Priority).Select(c => c.Email).FirstOrDefault();
                var teacher = TeacherOf(pupil);
                // Most parents accept the booked time. A few are asked to choose from offered times and never
                // answer (nor give views); as many give their views but never choose a time.
                var answer = _random.NextDouble();
                var choosing = answer < 2 * _settings.NoResponseProbability && contacts.Any(c => !c.IsArchived && c.ParentalResponsibility);
                if (choosing)
                {
                    if (answer < _settings.NoResponseProbability)
                    {
                        _silent.Add((term.Id, pupil.Upn));
                    }
                    else
                    {
                        _viewsOnly.Add((term.Id, pupil.Upn));
                        var day = days[_random.Next(days.Count(d => d < term.Deadline))];
                        var upn = pupil.Upn;
                        At(Instant(day, new TimeOnly(19, 0)), () => ParentGivesViewsAsync(term, upn, CancellationToken.None));
                    }
                }
                var slot = new SlotTimes(start, start + MeetingLength);
                booked.Add((new MeetingRecord(_school, term.Id, pupil.Upn, teacher.EntraObjectId, teacher.Email)
                {
                    Status = choosing ? MeetingStatus.ParentChoosing : MeetingStatus.Booked,
                    Slot = slot,
                    // Before-school times as the other choices, so they never hold a slot a rebooking would take.
                    Offered = choosing ? [slot, .. new[] { new TimeOnly(8, 0), new TimeOnly(8, 20) }.Select(t => new SlotTimes(Instant(days[i % days.Count], t), Instant(days[i % days.Count], t) + MeetingLength))] : [],
                    TimeZone = _timeZone,
                }, pupil, teacher, email));
            }
            var events = await calendarProvider.CreateEventsAsync([.. booked.Select(b => new NewCalendarEvent(
                b.Meeting.TransactionId, b.Teacher.Email, "Plan meeting", "<p>Your child's plan meeting.</p>", b.Meeting.Slot!.Start, b.Meeting.Slot.End, _timeZone,
                b.Email is null ? [] : [new EventAttendee(b.Email, "Parent")], OnlineMeeting: b.Email is not null, Location: b.Email is null ? "At school" : null))],
                cancellationToken: cancellationToken);
            for (var i = 0; i < booked.Count; i++)
            {
                var created = events[i].Event ?? throw new InvalidOperationException($"The Local calendar refused a simulated meeting: {events[i].Failure}");
                var meeting = await meetings.CreateAsync(booked[i].Meeting with { EventId = created.EventId, JoinUrl = created.JoinUrl }, cancellationToken);
                if (meeting.Status == MeetingStatus.Booked)
                {
                    Plan(meeting, booked[i].Pupil, booked[i].Teacher, booked[i].Email, round: 0, attends: _random.NextDouble() >= _settings.MissProbability);
                }
            }
            // The first sweep after the deadline day raises "no response" and starts moderation, as the host's timer would.
            SweepAt(Instant(term.Deadline.AddDays(1), TimeOnly.MinValue));
            PlanDigests(term);
        }
    }

    /// <summary>
    /// The digest job runs every half hour; on the digest day of each week of the simulated term
    /// (half-term too: the job does not skip it) its first run after the digest time sends, and the
    /// next one must send nothing.
    /// </summary>
    private void PlanDigests(Term term)
    {
        var from = DateOnly.FromDateTime(SchoolClock.Local(_clock.GetUtcNow(), _timeZone));
        var weeks = _digestWeeks[term.Id] = [];
        for (var day = term.Start < from ? from : term.Start; day <= term.End; day = day.AddDays(1))
        {
            if (day.DayOfWeek != _options.DigestDay)
            {
                continue;
            }
            var due = Instant(day, TimeOnly.FromTimeSpan(_options.DigestAt));
            var interval = DigestInterval.Ticks;
            var first = new DateTimeOffset(((due.UtcTicks - _digestPhase + interval - 1) / interval * interval) + _digestPhase, TimeSpan.Zero);
            if (first < _clock.GetUtcNow())
            {
                continue;
            }
            var local = day.ToDateTime(TimeOnly.MinValue);
            weeks.Add($"{ISOWeek.GetYear(local)}-W{ISOWeek.GetWeekOfYear(local):00}");
            var termId = term.Id;
            At(first, () => DigestAsync(termId, again: false, CancellationToken.None));
            At(first + DigestInterval, () => DigestAsync(termId, again: true, CancellationToken.None));
        }
    }

    private async Task DigestAsync(string termId, bool again, CancellationToken cancellationToken)
    {
        var sent = await Get<WeeklyDigestJob>().RunOnceAsync(cancellationToken);
        if (again && sent > 0)
        {
            _violations.Add($"The weekly digest job's second run on {_clock.GetUtcNow():yyyy-MM-dd} sent {sent} more digest(s).");
        }
        _digestsSent[termId] = _digestsSent.GetValueOrDefault(termId) + sent;
    }

    /// <summary>A parent who never chooses a time sends views through their link's page (the same service the page posts to).</summary>
    private async Task ParentGivesViewsAsync(Term term, string upn, CancellationToken cancellationToken)
    {
        var contacts = await Get<RosterStore>().GetContactsAsync(Reader, _school, upn, cancellationToken);
        var contact = contacts.Where(c => !c.IsArchived && c.ParentalResponsibility).OrderBy(c => c.Priority).First();
        var views = Get<ParentViewsService>();
        var link = new ParentLink(ParentLinkPurpose.Views, _school, upn, ParentViewsService.ContactId(contact), term.Id, _clock.GetUtcNow().AddDays(14));
        if (await views.FindAsync(link, cancellationToken) is not { } subject
            || await views.SubmitAsync(subject, new JsonObject { [ParentViewsFields.GoingWell] = "Reading at bedtime", [ParentViewsFields.Worries] = "Friendships at playtime" }, cancellationToken) is null)
        {
            _violations.Add($"A parent's views for {TableKeys.Hash($"{term.Id}|{upn}")} could not be given before the deadline.");
        }
    }

    /// <summary>
    /// After a held meeting the teacher records what was agreed (the "what we agreed" card's rules), which makes the plan agreed;
    /// the draft holds the targets as the plan card saves them, all four parts each.
    /// </summary>
    private async Task TeacherAgreesPlanAsync(Occurrence occurrence, CancellationToken cancellationToken)
    {
        var draft = new Plan(_school, occurrence.Pupil.Upn, occurrence.TermId, PlanStatus.Draft,
        [
            new PlanTarget("Read a short book with an adult") { AreaOfNeed = "Reading", HowSchoolHelps = "Reading with an adult three times a week", HowWeKnow = "Can say what happened in the book" },
            new PlanTarget("Ask for help") { AreaOfNeed = "Communication", HowSchoolHelps = "A help card on the desk", HowWeKnow = "Uses the card most days" },
        ]);
        var agreed = AgreedRules.Apply(draft, new AgreedInput(["Read a short book with an adult each day", "Ask for help using the class help card"], "Parent and teacher agreed the targets."), _clock.GetUtcNow());
        await Get<RosterStore>().CreatePlanAsync(RosterReader.For(occurrence.Teacher, "what we agreed"), agreed, cancellationToken);
        _agreedPlans[occurrence.TermId] = _agreedPlans.GetValueOrDefault(occurrence.TermId) + 1;
        if (SchoolClock.Today(_clock, _timeZone) <= _terms.First(t => t.Id == occurrence.TermId).Deadline)
        {
            _agreedByDeadline.Add(occurrence.TermId); // so the first sweep after the deadline has a sample to take
        }
    }

    /// <summary>
    /// Once the sweep has started a term's moderation, notes which classes had agreed plans then (each
    /// must be sampled), and the SLT member answers each sampled plan an hour to three days later.
    /// </summary>
    private async Task CollectModerationAsync(CancellationToken cancellationToken)
    {
        var today = SchoolClock.Today(_clock, _timeZone);
        foreach (var term in _terms.Where(t => today > t.Deadline && today <= t.End && !_sampled.ContainsKey(t.Id)))
        {
            var sample = await Get<ModerationService>().ForTermAsync(_school, term.Id, cancellationToken);
            if (sample.Count == 0)
            {
                continue;
            }
            _sampled[term.Id] = sample;
            var pupils = (await Get<RosterStore>().GetPupilsAsync(Reader, _school, includeArchived: false, cancellationToken)).ToDictionary(p => p.Upn, StringComparer.Ordinal);
            _classesWithPlans[term.Id] = (await Get<RosterStore>().GetPlanStatusesAsync(Reader, _school, term.Id, cancellationToken))
                .Where(p => p.Value is PlanStatus.Agreed or PlanStatus.Reviewed && pupils.ContainsKey(p.Key))
                .Select(p => pupils[p.Key].ClassName).ToHashSet(StringComparer.Ordinal);
            foreach (var item in sample)
            {
                At(_clock.GetUtcNow() + TimeSpan.FromMinutes(_random.Next(60, 72 * 60)), () => SltDecidesAsync(item, CancellationToken.None));
            }
        }
    }

    private async Task SltDecidesAsync(ModerationItem item, CancellationToken cancellationToken)
    {
        var slts = _staff.Where(s => s.Is(StaffRole.SLT)).OrderBy(s => s.DisplayName, StringComparer.Ordinal).ToList();
        var slt = slts[_random.Next(slts.Count)];
        var changes = _random.NextDouble() < _settings.NeedsChangesProbability;
        var (_, refusal, notice) = await Get<ModerationService>().DecideAsync(slt, item.TermId, item.Upn,
            changes ? ModerationOutcome.NeedsChanges : ModerationOutcome.Approved, changes ? "The second target needs a measure of success." : null, cancellationToken);
        if (refusal is not null || notice is not null)
        {
            _violations.Add($"Moderation of {TableKeys.Hash($"{item.TermId}|{item.Upn}")} by SLT: {refusal ?? notice}");
        }
    }

    private async Task RunEventsAsync(CancellationToken cancellationToken)
    {
        while (_events.TryDequeue(out var next, out var at))
        {
            cancellationToken.ThrowIfCancellationRequested();
            _clock.AdvanceTo(at.At);
            await next();
        }
        // Anything left unreached escalates once its days have passed.
        _clock.AdvanceTo(_clock.GetUtcNow() + _options.EscalateAfter + _options.SweepInterval);
        await SweepAsync(cancellationToken);
    }

    private void At(DateTimeOffset at, Func<Task> action) => _events.Enqueue(action, (at, _order++));

    private void SweepAt(DateTimeOffset at)
    {
        var tick = Tick(at);
        if (_sweepsDue.Add(tick))
        {
            At(tick, () => SweepAsync(CancellationToken.None));
        }
    }

    /// <summary>The sweep runs every interval from its phase; the first run at or after <paramref name="at"/>.</summary>
    private DateTimeOffset Tick(DateTimeOffset at)
    {
        var interval = _options.SweepInterval.Ticks;
        var ticks = ((at.UtcTicks - _sweepPhase + interval - 1) / interval * interval) + _sweepPhase;
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    /// <summary>Records what the parent will do and when the bot can know it.</summary>
    private void Plan(MeetingRecord meeting, Pupil pupil, StaffMember teacher, string? parentEmail, int round, bool attends)
    {
        var id = BookedEndedMeetings.IdOf(meeting);
        var end = meeting.Slot!.End;
        var occurrence = new Occurrence(id, meeting.TermId, pupil, round, end, meeting.JoinUrl is not null, attends, teacher);
        _occurrences[id] = occurrence;
        if (attends)
        {
            At(end + TimeSpan.FromMinutes(_random.Next(10, 121)), () => TeacherAgreesPlanAsync(occurrence, CancellationToken.None));
        }
        if (meeting.JoinUrl is { } joinUrl)
        {
            _teams.Held(joinUrl, teacher.Email, attends ? parentEmail : null);
            SweepAt(end + _options.ReportDelay);
        }
        else
        {
            // The sweep sees meetings that ended before it runs; the teacher answers the one-tap card some minutes after it asked.
            var asked = Tick(end + TimeSpan.FromSeconds(1));
            SweepAt(asked);
            At(asked + TimeSpan.FromMinutes(_random.Next(5, 61)), () => TeacherAnswersAsync(occurrence, CancellationToken.None));
        }
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        _sweeps++;
        await Get<AttendanceSweepJob>().RunOnceAsync(cancellationToken);
        await CollectNewAlertsAsync(cancellationToken);
        await CollectModerationAsync(cancellationToken);
    }

    private async Task TeacherAnswersAsync(Occurrence occurrence, CancellationToken cancellationToken)
    {
        var record = await Get<AttendanceStore>().GetAsync(_school, occurrence.MeetingId, cancellationToken);
        if (record is not { TeacherAsked: true })
        {
            _violations.Add($"The teacher was not asked about in-person meeting {TableKeys.Hash(occurrence.MeetingId)}.");
            return;
        }
        var ended = await Get<IEndedMeetings>().FindAsync(_school, occurrence.MeetingId, cancellationToken);
        if (ended is null)
        {
            _violations.Add($"In-person meeting {TableKeys.Hash(occurrence.MeetingId)} could not be found to record its outcome.");
            return;
        }
        await Get<AttendanceService>().RecordAsync(ended, occurrence.Attends ? AttendanceOutcome.Attended : AttendanceOutcome.DidNotAttend,
            AttendanceSource.Teacher, occurrence.Teacher.DisplayName, cancellationToken);
        await CollectNewAlertsAsync(cancellationToken);
    }

    /// <summary>New follow-ups are alerts just queued: the year lead will see them and claim them.</summary>
    private async Task CollectNewAlertsAsync(CancellationToken cancellationToken)
    {
        foreach (var item in await Get<FollowUpStore>().ForSchoolAsync(_school, cancellationToken))
        {
            if (_seen.Add(item.Id))
            {
                At(_clock.GetUtcNow() + TimeSpan.FromMinutes(_random.Next(10, 20 * 60)), () => LeadClaimsAsync(item.Id, CancellationToken.None));
            }
        }
    }

    private async Task LeadClaimsAsync(string itemId, CancellationToken cancellationToken)
    {
        var item = await Get<FollowUpStore>().GetAsync(_school, itemId, cancellationToken);
        if (item is null || item.IsFinal)
        {
            return;
        }
        var lead = await LeadForAsync(item, cancellationToken);
        await ActAsync(item, FollowUpAction.Claim, lead, null, cancellationToken);
        At(_clock.GetUtcNow() + TimeSpan.FromMinutes(_random.Next(60, 48 * 60)), () => LeadContactsAsync(itemId, lead, CancellationToken.None));
    }

    private async Task LeadContactsAsync(string itemId, StaffMember lead, CancellationToken cancellationToken)
    {
        var items = Get<FollowUpStore>();
        var item = await items.GetAsync(_school, itemId, cancellationToken);
        if (item is null || item.IsFinal)
        {
            return;
        }
        if (_occurrences.TryGetValue(item.MeetingId, out var missed) && missed.Round == 0)
        {
            await ActAsync(item, FollowUpAction.Rebook, lead, null, cancellationToken);
            await RebookAsync(missed, cancellationToken);
            return;
        }
        // The rebooked meeting was missed too (or the parent never responded): the lead closes this
        // pupil's follow-ups: the parent declines, or cannot be reached and the sweep escalates.
        var declines = _random.NextDouble() < 0.5;
        var open = (await items.ForSchoolAsync(_school, cancellationToken))
            .Where(i => i.Upn == item.Upn && i.TermId == item.TermId && !i.IsFinal).ToList();
        foreach (var each in open)
        {
            var current = each;
            if (current.ClaimedBy is null)
            {
                current = await ActAsync(current, FollowUpAction.Claim, lead, null, cancellationToken) ?? current;
            }
            await ActAsync(current, declines ? FollowUpAction.Decline : FollowUpAction.CouldNotReach, lead, declines ? "Parent does not want another meeting this term" : null, cancellationToken);
        }
        if (!declines)
        {
            SweepAt(_clock.GetUtcNow() + _options.EscalateAfter);
        }
    }

    private async Task<FollowUpItem?> ActAsync(FollowUpItem item, FollowUpAction action, StaffMember by, string? note, CancellationToken cancellationToken)
    {
        var alerts = Get<FollowUpAlerts>();
        if (!await alerts.MaySeeAsync(by, item, cancellationToken))
        {
            _violations.Add($"{by.DisplayName} acted on follow-up {item.Id} but may not see that pupil.");
        }
        if (!_actors.TryGetValue(item.Id, out var actors))
        {
            _actors[item.Id] = actors = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        }
        actors.Add(by.EntraObjectId);
        var (stored, refusal) = await alerts.ApplyAsync(_school, item.Id, action, by.EntraObjectId, by.DisplayName, note, cancellationToken);
        if (refusal is not null)
        {
            _violations.Add($"{action} of follow-up {item.Id} by its year lead was refused: {refusal}");
        }
        return stored;
    }

    /// <summary>
    /// The teacher moves the meeting through booking's reschedule (the event moves in the Local
    /// calendar and the parent is sent the new time) to an after-school slot 2 to 6 school days on
    /// that is free in their calendar. Past the term (reschedule is for the current term only) or
    /// with no free slot, the meetings store is changed as reschedule would (counted as direct).
    /// </summary>
    private async Task RebookAsync(Occurrence missed, CancellationToken cancellationToken)
    {
        var term = _terms.First(t => t.Id == missed.TermId);
        var day = DateOnly.FromDateTime(SchoolClock.Local(_clock.GetUtcNow(), _timeZone));
        for (var skip = _random.Next(2, 7); skip > 0 || !IsWeekday(day) || (day <= term.End && !term.IsSchoolDay(day));)
        {
            day = day.AddDays(1);
            if (IsWeekday(day) && (day > term.End || term.IsSchoolDay(day)))
            {
                skip--;
            }
        }
        var first = _random.Next(AfterSchool.Length);
        var candidates = Enumerable.Range(0, AfterSchool.Length)
            .Select(k => Instant(day, AfterSchool[(first + k) % AfterSchool.Length]))
            .Select(start => new SlotTimes(start, start + MeetingLength)).ToList();
        var meetings = Get<MeetingStore>();
        var booking = Get<BookingService>();
        MeetingRecord? moved = null;
        foreach (var slot in candidates)
        {
            // The slot the teacher picks on their "my meetings" card is one of the meeting's alternatives.
            await meetings.UpdateAsync(_school, missed.TermId, missed.Pupil.Upn, m => m with { Alternatives = [.. m.Alternatives.Where(a => a.Key != slot.Key), slot] }, cancellationToken);
            await booking.RescheduleAsync(missed.Teacher, missed.TermId, missed.Pupil.Upn, slot.Key, cancellationToken);
            moved = await meetings.GetAsync(_school, missed.TermId, missed.Pupil.Upn, cancellationToken);
            if (moved?.Slot?.Start == slot.Start)
            {
                break;
            }
            moved = null;
        }
        if (moved is null)
        {
            _directRebooks++;
            moved = await meetings.UpdateAsync(_school, missed.TermId, missed.Pupil.Upn, m => m with
            {
                Alternatives = [.. m.Alternatives.Where(a => a.Key != candidates[0].Key).Append(m.Slot!)],
                Slot = candidates[0],
                Status = MeetingStatus.Rescheduled,
            }, cancellationToken);
        }
        else
        {
            _rescheduled++;
        }
        var contacts = await Get<RosterStore>().GetContactsAsync(Reader, _school, missed.Pupil.Upn, cancellationToken);
        var email = contacts.Where(c => !c.IsArchived && c.Email is not null).OrderBy(c => c.Priority).Select(c => c.Email).FirstOrDefault();
        Plan(moved!, missed.Pupil, missed.Teacher, email, round: missed.Round + 1, attends: _random.NextDouble() < _settings.FollowUpSuccess);
    }

    private async Task<StaffMember> LeadForAsync(FollowUpItem item, CancellationToken cancellationToken)
    {
        var year = _years.FirstOrDefault(y => y.YearGroup.Code == item.YearGroup);
        var leads = _staff.Where(s => year?.YearLeadEntraIds.Contains(s.EntraObjectId, StringComparer.OrdinalIgnoreCase) == true).OrderBy(s => s.DisplayName, StringComparer.Ordinal);
        foreach (var lead in leads)
        {
            if (await Get<FollowUpAlerts>().MaySeeAsync(lead, item, cancellationToken))
            {
                return lead;
            }
        }
        return _staff.Where(s => s.Is(StaffRole.SENCo)).OrderBy(s => s.DisplayName, StringComparer.Ordinal).First();
    }

    private StaffMember TeacherOf(Pupil pupil) =>
        _staff.Where(s => s.Is(StaffRole.Teacher) && s.Classes.Contains(pupil.ClassName, StringComparer.Ordinal)).OrderBy(s => s.DisplayName, StringComparer.Ordinal).FirstOrDefault()
        ?? _staff.Where(s => s.Is(StaffRole.SENCo)).OrderBy(s => s.DisplayName, StringComparer.Ordinal).First();

    private DateTimeOffset Instant(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time);
        return new DateTimeOffset(local, SchoolClock.Zone(_timeZone).GetUtcOffset(local));
    }

    private static bool IsWeekday(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>Each year group's own channel, so an alert's audience is that year's team.</summary>
    public static ConversationReference Channel(YearGroup year) => new()
    {
        ChannelId = "msteams",
        ServiceUrl = "https://simulation.invalid/",
        Conversation = new ConversationAccount { Id = $"19:sim-year-{year.Code.ToLowerInvariant()}@thread.tacv2", ConversationType = "channel", IsGroup = true },
    };

    public static Activity PersonalChat(string entraId)
    {
        var activity = Activity.CreateMessage("hi");
        activity.ServiceUrl = "https://simulation.invalid/";
        activity.ChannelId = "msteams";
        activity.Conversation = new() { Id = $"a:personal-{entraId}", ConversationType = "personal" };
        activity.From = new() { Id = $"29:{entraId}", AadObjectId = entraId };
        activity.Recipient = new() { Id = "28:simulation" };
        return activity;
    }

    private async Task<SimulationResult> ResultAsync(DateTimeOffset from, Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        var items = await Get<FollowUpStore>().ForSchoolAsync(_school, cancellationToken);
        var outcomes = (await Get<AttendanceStore>().ForSchoolAsync(_school, cancellationToken)).ToDictionary(a => a.MeetingId, StringComparer.Ordinal);
        var queued = await QueuedKeysAsync(cancellationToken);
        var missedItems = items.Where(i => i.Reason == FollowUpReason.Missed).ToList();

        // Every missed meeting: exactly one alert, queued once; no alert for a meeting the parent came to.
        foreach (var occurrence in _occurrences.Values)
        {
            var raised = missedItems.Count(i => i.MeetingId == occurrence.MeetingId);
            if (outcomes.GetValueOrDefault(occurrence.MeetingId)?.Outcome is not { } outcome)
            {
                _violations.Add($"Meeting {TableKeys.Hash(occurrence.MeetingId)} has no outcome.");
            }
            else if (outcome != (occurrence.Attends ? AttendanceOutcome.Attended : AttendanceOutcome.DidNotAttend))
            {
                _violations.Add($"Meeting {TableKeys.Hash(occurrence.MeetingId)} was recorded as {outcome}.");
            }
            if (raised != (occurrence.Attends ? 0 : 1))
            {
                _violations.Add($"Meeting {TableKeys.Hash(occurrence.MeetingId)} ({(occurrence.Attends ? "attended" : "missed")}) raised {raised} alert(s).");
            }
        }
        var recipients = 0;
        var maySee = new Dictionary<(string, string), bool>();
        var alerts = Get<FollowUpAlerts>();
        foreach (var item in items)
        {
            if (!item.IsFinal)
            {
                _violations.Add($"Follow-up {item.Id} ended {item.State}, not in a final state.");
            }
            var inChannel = queued.Contains(TableKeys.Hash(FollowUpAlerts.ChannelKey(item)));
            var toSenco = _staff.Count(s => queued.Contains(TableKeys.Hash($"followup|{_school}|{item.Id}|senco|{s.EntraObjectId}")));
            if (inChannel == toSenco > 0)
            {
                _violations.Add($"Follow-up {item.Id} was queued {(inChannel ? "to the channel and the SENCo" : "nowhere")}.");
            }
            // Who the alert reached: the year team's channel (its year leads), personal chats, and whoever acted on it.
            var reached = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (inChannel)
            {
                reached.UnionWith(_years.FirstOrDefault(y => y.YearGroup.Code == item.YearGroup)?.YearLeadEntraIds ?? []);
            }
            foreach (var member in _staff)
            {
                if (queued.Contains(TableKeys.Hash($"followup|{_school}|{item.Id}|senco|{member.EntraObjectId}"))
                    || queued.Contains(TableKeys.Hash($"followup-escalated|{_school}|{item.Id}|{member.EntraObjectId}")))
                {
                    reached.Add(member.EntraObjectId);
                }
            }
            reached.UnionWith(_actors.GetValueOrDefault(item.Id) ?? []);
            foreach (var id in reached)
            {
                recipients++;
                var member = _staff.FirstOrDefault(s => string.Equals(s.EntraObjectId, id, StringComparison.OrdinalIgnoreCase));
                if (!maySee.TryGetValue((id, item.Upn), out var allowed))
                {
                    maySee[(id, item.Upn)] = allowed = member is not null && await alerts.MaySeeAsync(member, item, cancellationToken);
                }
                if (!allowed)
                {
                    _violations.Add($"Follow-up {item.Id} reached {member?.DisplayName ?? "someone not on the staff list"}, who may not see that pupil.");
                }
            }
        }

        var noResponse = items.Where(i => i.Reason == FollowUpReason.NoResponse).ToList();
        CheckNoResponse(noResponse);
        CheckDigests(queued);
        await CheckModerationAsync(queued, cancellationToken);

        var latencies = missedItems.Where(i => _occurrences.ContainsKey(i.MeetingId))
            .Select(i => (_occurrences[i.MeetingId].Online, Latency: i.CreatedAt - _occurrences[i.MeetingId].End)).ToList();
        var terms = new List<SimulatedTerm>();
        var dashboard = Get<TermDashboard>();
        foreach (var term in _terms)
        {
            var figures = (await dashboard.ForSchoolAsync(Reader, _school, term.Id, cancellationToken))!;
            var years = new List<SimulatedYear>();
            foreach (var y in figures.Years)
            {
                years.Add(Year(term.Id, y, o => o.Pupil.YearGroup.Code == y.Code, i => i.YearGroup == y.Code, items, outcomes));
            }
            var total = Year(term.Id, figures.Total, _ => true, _ => true, items, outcomes);
            foreach (var y in years.Append(total))
            {
                if (y.AttendanceAfter < y.AttendanceBefore)
                {
                    _violations.Add($"{TermDashboard.Title(term)}, {y.Name}: attendance after follow-up {y.AttendanceAfter}% is below {y.AttendanceBefore}% before it.");
                }
            }
            var sampled = _sampled.GetValueOrDefault(term.Id) ?? [];
            terms.Add(new SimulatedTerm(term.Id, TermDashboard.Title(term), years, total,
                _silent.Count(p => p.TermId == term.Id), _viewsOnly.Count(p => p.TermId == term.Id), noResponse.Count(i => i.TermId == term.Id),
                _digestWeeks.GetValueOrDefault(term.Id)?.Count ?? 0, _digestsSent.GetValueOrDefault(term.Id), _agreedPlans.GetValueOrDefault(term.Id),
                _classesWithPlans.GetValueOrDefault(term.Id)?.Count ?? 0, sampled.Select(m => m.ClassName).Distinct(StringComparer.Ordinal).Count(),
                figures.Total.Moderation));
        }
        return new SimulationResult(
            _settings, terms, _occurrences.Count, _occurrences.Values.Count(o => !o.Attends), missedItems.Count, noResponse.Count,
            LatencyFigures.Of(latencies.Select(l => l.Latency)),
            LatencyFigures.Of(latencies.Where(l => l.Online).Select(l => l.Latency)),
            LatencyFigures.Of(latencies.Where(l => !l.Online).Select(l => l.Latency)),
            _sweeps, _rescheduled, _directRebooks, recipients, _violations, from, _clock.GetUtcNow(), stopwatch.Elapsed);
    }

    /// <summary>Exactly one "no response" follow-up per pupil whose parents neither chose a time nor gave views by the deadline; none for anyone else.</summary>
    private void CheckNoResponse(IReadOnlyList<FollowUpItem> noResponse)
    {
        var raised = noResponse.GroupBy(i => (i.TermId, i.Upn)).ToDictionary(g => g.Key, g => g.Count());
        foreach (var silent in _silent)
        {
            if (raised.GetValueOrDefault(silent) != 1)
            {
                _violations.Add($"A parent who never answered ({TableKeys.Hash($"{silent.TermId}|{silent.Upn}")}) raised {raised.GetValueOrDefault(silent)} no-response alert(s).");
            }
        }
        foreach (var (pupil, count) in raised.Where(r => !_silent.Contains(r.Key)))
        {
            _violations.Add($"A parent who answered ({TableKeys.Hash($"{pupil.TermId}|{pupil.Upn}")}{(_viewsOnly.Contains(pupil) ? ", views without a time" : "")}) raised {count} no-response alert(s).");
        }
    }

    /// <summary>One digest per year channel and one per SLT member for every simulated week of a term, and no more.</summary>
    private void CheckDigests(HashSet<string> queued)
    {
        var channels = _years.Where(y => y.AlertChannel is { Conversation.Id: not null }).ToList();
        var slts = _staff.Where(s => s.Is(StaffRole.SLT)).ToList();
        foreach (var (termId, weeks) in _digestWeeks)
        {
            foreach (var week in weeks)
            {
                var missing = channels.Count(y => !queued.Contains(TableKeys.Hash($"digest|{_school}|{y.YearGroup.Code}|{week}")))
                    + slts.Count(m => !queued.Contains(TableKeys.Hash($"digest|{_school}|slt|{m.EntraObjectId}|{week}")));
                if (missing > 0)
                {
                    _violations.Add($"Week {week}: {missing} of the {channels.Count} year channels' and {slts.Count} SLT digests were not queued.");
                }
            }
            var expected = weeks.Count * (channels.Count + slts.Count);
            if (_digestsSent.GetValueOrDefault(termId) != expected)
            {
                _violations.Add($"{termId}: the digest job queued {_digestsSent.GetValueOrDefault(termId)} digests, not {expected} ({weeks.Count} weeks).");
            }
        }
    }

    /// <summary>
    /// Moderation started for every term, sampled at least one plan of each class that had agreed plans
    /// then, sent each sampled plan to every SLT member, and each ended Approved or Needs changes (whose
    /// comment went to the class's teachers).
    /// </summary>
    private async Task CheckModerationAsync(HashSet<string> queued, CancellationToken cancellationToken)
    {
        var moderation = Get<ModerationService>();
        var slts = _staff.Where(s => s.Is(StaffRole.SLT)).ToList();
        foreach (var term in _terms)
        {
            if (!_sampled.TryGetValue(term.Id, out var started))
            {
                if (_agreedByDeadline.Contains(term.Id))
                {
                    _violations.Add($"{term.Id}: moderation did not start after the deadline.");
                }
                continue;
            }
            var sampledClasses = started.Select(m => m.ClassName).ToHashSet(StringComparer.Ordinal);
            foreach (var className in _classesWithPlans[term.Id].Where(c => !sampledClasses.Contains(c)))
            {
                _violations.Add($"{term.Id}: class {className} had agreed plans but none was sampled for moderation.");
            }
            foreach (var item in await moderation.ForTermAsync(_school, term.Id, cancellationToken))
            {
                var which = TableKeys.Hash($"{item.TermId}|{item.Upn}");
                if (item.Outcome is not (ModerationOutcome.Approved or ModerationOutcome.NeedsChanges))
                {
                    _violations.Add($"Moderated plan {which} ended {item.Outcome}.");
                }
                if (slts.Any(m => !queued.Contains(TableKeys.Hash($"moderation|{_school}|{item.TermId}|{item.Upn}|{m.EntraObjectId}"))))
                {
                    _violations.Add($"Moderated plan {which} was not sent to every SLT member.");
                }
                if (item.Outcome == ModerationOutcome.NeedsChanges
                    && _staff.Where(m => m.Is(StaffRole.Teacher) && m.Classes.Contains(item.ClassName, StringComparer.OrdinalIgnoreCase)).Any(m => !queued.Contains(TableKeys.Hash($"moderation-comment|{_school}|{item.TermId}|{item.Upn}|{m.EntraObjectId}"))))
                {
                    _violations.Add($"The comment on moderated plan {which} did not reach every teacher of its class.");
                }
            }
        }
    }

    private SimulatedYear Year(string termId, YearFigures figures, Func<Occurrence, bool> inYear, Func<FollowUpItem, bool> itemInYear,
        IReadOnlyList<FollowUpItem> items, Dictionary<string, AttendanceRecord> outcomes)
    {
        var occurrences = _occurrences.Values.Where(o => o.TermId == termId && inYear(o)).ToList();
        var first = occurrences.Where(o => o.Round == 0).Select(o => outcomes.GetValueOrDefault(o.MeetingId)?.Outcome).ToList();
        var alerts = items.Where(i => i.Reason == FollowUpReason.Missed && i.TermId == termId && itemInYear(i) && _occurrences.ContainsKey(i.MeetingId)).ToList();
        return new SimulatedYear(
            figures.Code, figures.Name, figures.Pupils, occurrences.Count,
            first.Count(o => o == AttendanceOutcome.Attended), first.Count(o => o == AttendanceOutcome.DidNotAttend),
            figures, alerts.Count, LatencyFigures.Of(alerts.Select(i => i.CreatedAt - _occurrences[i.MeetingId].End)));
    }

    /// <summary>The row keys (hashes of the message keys) of everything queued in the outbox: the alerts as sent, without a Connector.</summary>
    private async Task<HashSet<string>> QueuedKeysAsync(CancellationToken cancellationToken)
    {
        // The outbox's own table; the simulation's host has it to itself.
        var table = await Get<TableStorage>().GetTableAsync("ProactiveOutbox", cancellationToken);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add(row.RowKey);
        }
        return keys;
    }
}
