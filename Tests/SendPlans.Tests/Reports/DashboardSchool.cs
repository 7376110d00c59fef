using Microsoft.Extensions.DependencyInjection;
using SendPlans.Bot.Attendance;
using SendPlans.Bot.Booking;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Roster.Import;
using SendPlans.Bot.Terms;
using SendPlans.Bot.Views;
using SendPlans.Infrastructure.Storage;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Reports;

/// <summary>
/// The bot in dev mode on a loopback port with Azurite and the sample school "oak" (9 pupils,
/// Reception to Year 6), with this term's meetings, outcomes, follow-ups, views and pupil voice:
/// - Reception: Amelia booked and attended (views, voice); Oliver booked and missed (follow-up claimed);
/// - Year 1: Isla missed, then attended the rebooked meeting (follow-up attended; views, voice);
/// - Year 4: Leo's parent still choosing (not booked); Maya booked, no outcome yet;
/// - this term's "you said, we did": Amelia's and Isla's parents asked for something (Amelia's
///   also wrote a worry) and both plans have what was agreed;
/// - last summer: Noah attended, with views; none of it counts this term. Its moderation sample:
///   Noah approved, Isla needs changes, Amelia awaiting review.
/// </summary>
public sealed class DashboardSchool : IAsyncLifetime
{
    public const string School = "oak";
    public const string Amelia = "P823204124001";
    public const string Oliver = "D823204124002";
    public const string Isla = "D823204123001";
    public const string Noah = "T823204122001";
    public const string Leo = "W823204120001";
    public const string Maya = "K823204120002";
    public const string Senco = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a01";
    public const string Teacher = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a03";
    public const string Slt = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a05";
    public const string Admin = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a06";

    /// <summary>What Amelia's and Isla's parents asked school to work on: names to hide, markup to encode, a cell a spreadsheet would run.</summary>
    public const string AmeliaAsked = "Help Amelia Hartley to talk to friends at lunch & break <3";
    public const string IslaAsked = "+ more phonics, Isla finds blending hard";
    private static readonly RosterReader System = RosterReader.System("test");

    public BotFactory Bot { get; private set; } = null!;
    public string Url { get; private set; } = "";
    public Term Open { get; } = SampleTerms.Open(School);
    public Term Past { get; } = SampleTerms.Past(School);

    public async Task InitializeAsync()
    {
        Bot = await BotFactory.StartAsync(authentication: false, settings: new() { ["Booking:PublicBaseUrl"] = "https://sendplans.example.org" });
        Url = Bot.ServeOnLoopback();
        var services = Bot.Services;
        (await services.GetRequiredService<RosterImporter>().ImportAsync(School, RosterFiles.Samples(), dryRun: false, default)).Problems.Should().BeEmpty();
        await services.GetRequiredService<SchoolCalendarStore>().CreateTermsAsync([Open, Past], default);

        var meetings = services.GetRequiredService<MeetingStore>();
        var attendance = services.GetRequiredService<AttendanceStore>();
        var followUps = services.GetRequiredService<FollowUpStore>();
        var views = services.GetRequiredService<ParentViewsStore>();
        var roster = services.GetRequiredService<RosterStore>();
        var start = new DateTimeOffset(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);

        async Task MeetingAsync(Term term, string upn, MeetingStatus status, string? eventId, int attempt = 0) =>
            await meetings.CreateAsync(new MeetingRecord(School, term.Id, upn, Teacher, "tom.ellis@oakfield.example.org")
            {
                Status = status,
                Slot = new SlotTimes(start, start.AddMinutes(15)),
                EventId = eventId,
                Attempt = attempt,
            }, default);

        EndedMeeting Ended(Term term, string upn, int attempt, DateTimeOffset at) =>
            new(School, $"{term.Id}|{upn}|{attempt}|{at.UtcDateTime:yyyyMMddHHmm}", term.Id, upn, Teacher, [], "tom.ellis@oakfield.example.org", "e", null, at, at.AddMinutes(15));

        async Task OutcomeAsync(Term term, string upn, int attempt, DateTimeOffset at, AttendanceOutcome outcome) =>
            await attendance.RecordAsync(Ended(term, upn, attempt, at), outcome, AttendanceSource.Teacher, Teacher, at.AddMinutes(20), default);

        async Task FollowUpAsync(string upn, string year, string className, DateTimeOffset at, params FollowUpAction[] actions)
        {
            var (_, item) = await followUps.CreateAsync(new FollowUpItem(School, Ended(Open, upn, 0, at).MeetingId, FollowUpReason.Missed, upn, year, className, Teacher, at.AddHours(1))
            {
                TermId = Open.Id,
                MeetingStart = at,
            }, default);
            foreach (var action in actions)
            {
                await followUps.UpdateAsync(School, item.Id, i => FollowUpRules.Apply(i, action, Senco, "Sam Okafor", at.AddDays(1), null).Item, default);
            }
        }

        // Reception
        await MeetingAsync(Open, Amelia, MeetingStatus.Booked, "event-amelia");
        await OutcomeAsync(Open, Amelia, 0, start, AttendanceOutcome.Attended);
        await MeetingAsync(Open, Oliver, MeetingStatus.Booked, "event-oliver");
        await OutcomeAsync(Open, Oliver, 0, start, AttendanceOutcome.DidNotAttend);
        await FollowUpAsync(Oliver, "R", "RB", start, FollowUpAction.Claim);
        // Year 1: missed, then attended the rebooked meeting
        await MeetingAsync(Open, Isla, MeetingStatus.Booked, "event-isla-2", attempt: 1);
        await OutcomeAsync(Open, Isla, 0, start, AttendanceOutcome.DidNotAttend);
        await OutcomeAsync(Open, Isla, 1, start.AddDays(7), AttendanceOutcome.Attended);
        await FollowUpAsync(Isla, "1", "1A", start, FollowUpAction.Claim, FollowUpAction.Rebook, FollowUpAction.Attend);
        // Year 4
        await MeetingAsync(Open, Leo, MeetingStatus.ParentChoosing, null);
        await MeetingAsync(Open, Maya, MeetingStatus.Booked, "event-maya");
        // Last summer
        await MeetingAsync(Past, Noah, MeetingStatus.Booked, "event-noah");
        await OutcomeAsync(Past, Noah, 0, start.AddMonths(-5), AttendanceOutcome.Attended);
        await views.SaveAsync(new ParentViews(School, Past.Id, Noah, "1", new Dictionary<string, string> { ["goingWell"] = "Reading" }), default);
        // Last summer's moderation sample: Noah's plan approved, Isla's needs changes, Amelia's not looked at yet.
        var moderation = await services.GetRequiredService<TableStorage>().GetTableAsync(ModerationService.Table, default);
        foreach (var (upn, className, outcome) in new[] { (Noah, "2A", ModerationOutcome.Approved), (Isla, "1A", ModerationOutcome.NeedsChanges), (Amelia, "RB", ModerationOutcome.Pending) })
        {
            await moderation.AddEntityAsync(ModerationService.ToEntity(new ModerationItem(School, Past.Id, upn, className, outcome,
                outcome == ModerationOutcome.NeedsChanges ? "Make the target smaller." : null, outcome == ModerationOutcome.Pending ? null : "Ruth Adeyemi", start.AddMonths(-4))));
        }

        // You said, we did: both parents asked for something and both plans have what was agreed.
        var said = new Dictionary<string, Dictionary<string, string>>
        {
            [Amelia] = new() { ["goingWell"] = "Friends", ["worries"] = "Amelia is quiet.", ["workOn"] = AmeliaAsked },
            [Isla] = new() { ["goingWell"] = "Friends", ["workOn"] = IslaAsked },
        };
        var agreed = new Dictionary<string, string[]>
        {
            [Amelia] = ["Amelia will say hello to a friend each morning.", "Hartley family to read together at home."],
            [Isla] = ["Isla will practise phonics for ten minutes a day."],
        };
        foreach (var upn in new[] { Amelia, Isla })
        {
            await views.SaveAsync(new ParentViews(School, Open.Id, upn, "1", said[upn]), default);
            await roster.CreatePlanAsync(System, new Plan(School, upn, Open.Id, PlanStatus.Draft, [new PlanTarget("A target.")])
            {
                PupilVoice = new Dictionary<string, string> { ["like"] = "Lego" },
                Agreed = new AgreedNotes(agreed[upn], "Notes.", 1, start.AddMinutes(20)),
            }, default);
        }
        // A plan with no voice yet does not count.
        await roster.CreatePlanAsync(System, new Plan(School, Oliver, Open.Id, PlanStatus.Draft, [new PlanTarget("A target.")]), default);
    }

    public async Task DisposeAsync() => await Bot.DisposeAsync();
}
