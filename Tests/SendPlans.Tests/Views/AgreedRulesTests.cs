using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SendPlans.Bot.AfterMeeting;
using SendPlans.Bot.Booking;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Terms;
using SendPlans.Bot.Views;
using SendPlans.Cards.Plans;
using SendPlans.Cards.Reports;
using SendPlans.Infrastructure.Mail;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Tests.Views;

/// <summary>The agreed-notes rules and the SLT counts, with no I/O.</summary>
public sealed class AgreedRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 16, 0, 0, TimeSpan.Zero);

    private static readonly Plan Draft = new("oak", "A123", "2026-27-autumn", PlanStatus.Draft,
        [new PlanTarget("Old one") { AreaOfNeed = "Reading" }, new PlanTarget("Old two")]);

    private static (AgreedInput? Input, string? Code, string? Problem) Parse(params (string Id, string Value)[] fields) =>
        AgreedRules.Parse(id => fields.FirstOrDefault(f => f.Id == id).Value);

    [Fact]
    public void Apply_SameWordsAgain_SamePlanSoNothingIsWritten()
    {
        var input = new AgreedInput(["New one", "New two"], "Notes");
        var once = AgreedRules.Apply(Draft, input, Now);

        AgreedRules.Apply(once, input, Now.AddHours(1)).Should().BeSameAs(once);
        once.Agreed!.Revision.Should().Be(1);
        once.Targets[0].Should().Be(new PlanTarget("New one") { AreaOfNeed = "Reading" });
        AgreedRules.Apply(once, input with { Notes = "Notes, changed" }, Now).Agreed!.Revision.Should().Be(2);
    }

    [Fact]
    public void Unexplained_CapitalsTheGlossaryLacks_EachOnceInTheOrderWritten()
    {
        var input = new AgreedInput(["Sam will see SALT and the OT.", "I will ask the SENCo."], "SALT again, ELSA on Mondays, KS1 now and KS3 later. An EHCP, SEN. The SENCO agreed. Send a note. A1 X");

        AgreedRules.Unexplained(input).Should().Equal("SALT", "OT", "ELSA", "KS3");
    }

    [Theory]
    [InlineData("The SENCo will check the EHCP.", "")]
    [InlineData("Sam sees the SALT team.", " Parents may not know SALT: please say what it means in the notes.")]
    [InlineData("SALT, OT and ELSA.", " Parents may not know SALT, OT, ELSA: please say what they mean in the notes.")]
    [InlineData("A TOOLONG word.", "")]
    [InlineData("PE is OK now; the GP wrote at 3 PM.", "")]
    [InlineData("PE with the SALT team.", " Parents may not know SALT: please say what it means in the notes.")]
    public void PlainWordsHint_Notes_NamesOnlyWordsParentsMayNotKnow(string notes, string expected) =>
        AgreedRules.PlainWordsHint(new AgreedInput(["One.", "Two."], notes)).Should().Be(expected);

    [Fact]
    public void Parse_BlankSlotsAndControlCharacters_DroppedAndLineEndsKept()
    {
        var (input, code, _) = Parse(("agreedTarget0", " One\u0007 "), ("agreedTarget1", "   "), ("agreedTarget2", "Two"), ("agreedNotes", "a\r\nb"));

        code.Should().BeNull();
        input!.Targets.Should().Equal("One", "Two");
        input.Notes.Should().Be("a\nb");
    }

    [Fact]
    public void Parse_OneTarget_Refused() =>
        Parse(("agreedTarget0", "One")).Code.Should().Be("TooFewTargets");

    [Fact]
    public void MayRecord_BookedMeetingNotStartedYet_FalseUntilItStarts()
    {
        var meeting = new MeetingRecord("oak", "2026-27-autumn", "A123", "t", "t@example.org")
        {
            Status = MeetingStatus.Booked, EventId = "e1", Slot = new SlotTimes(Now, Now.AddMinutes(15)),
        };

        AfterMeetingHandlers.MayRecord(meeting, Draft, Now.AddSeconds(-1)).Should().BeFalse();
        AfterMeetingHandlers.MayRecord(meeting, Draft, Now).Should().BeTrue();
        AfterMeetingHandlers.MayRecord(meeting with { Status = MeetingStatus.Cancelled }, Draft, Now.AddDays(1)).Should().BeFalse();
        AfterMeetingHandlers.MayRecord(null, Draft, Now).Should().BeFalse();
        AfterMeetingHandlers.MayRecord(null, AgreedRules.Apply(Draft, new(["a", "b"], ""), Now), Now).Should().BeTrue("a recorded agreement may be corrected");
    }

    [Fact]
    public void PlanCard_BeforeTheMeeting_NoRecordButton()
    {
        var input = new PlanCardInput("Sam", "Year 3", "2026-27-autumn", [], [], null, new() { ["upn"] = "A123" });

        PlanCards.Plan(input).ToJson().Should().NotContain(AgreedFields.OpenVerb);
        PlanCards.Plan(input with { CanRecordAgreed = true }).ToJson().Should().Contain(AgreedFields.OpenVerb);
    }

    [Fact]
    public void Count_ParentsOfOnePupilBothAsk_PupilCountedOnceAndNamesHidden()
    {
        var amelia = new Pupil("oak", "A1", "Amelia", "Hartley", YearGroup.Reception, "RA", SenStatus.K, NeedCode.SLCN);
        var noah = new Pupil("oak", "N1", "Noah", "Patel", YearGroup.Year(2), "2B", SenStatus.K, NeedCode.SEMH);
        var plans = new[] { AgreedRules.Apply(Draft with { Upn = "A1" }, new(["Amelia will say hello.", "AMELIA will play."], ""), Now) };
        var views = new[]
        {
            new ParentViews("oak", "t", "A1", "1", new Dictionary<string, string> { ["workOn"] = "Friends for Amelia", ["worries"] = "x" }),
            new ParentViews("oak", "t", "A1", "2", new Dictionary<string, string> { ["workOn"] = "Talking" }),
            new ParentViews("oak", "t", "N1", "1", new Dictionary<string, string> { ["workOn"] = "Reading" }),
        };

        var summary = YouSaidWeDid.Count("Oak", "Autumn term 2026-27", [amelia, noah], plans, views);

        summary.Years.Should().Equal(new YouSaidWeDidYear("Reception", 1, 1, 1, 1, 1), new YouSaidWeDidYear("Year 2", 1, 1, 0, 1, 0));
        summary.Items.Should().ContainSingle();
        summary.Items[0].YouSaid.Should().Be("Friends for [name] / Talking");
        summary.Items[0].WeDid.Should().Equal("[name] will say hello.", "[name] will play.");
    }

    [Fact]
    public void Count_ParentNamesAnotherPupil_ThatNameHiddenTooButNotTheWordItSpells()
    {
        var amelia = new Pupil("oak", "A1", "Amelia", "Hartley", YearGroup.Reception, "RA", SenStatus.K, NeedCode.SLCN);
        var will = new Pupil("oak", "W1", "Will", "Okafor", YearGroup.Year(2), "2B", SenStatus.K, NeedCode.SEMH);
        var plans = new[] { AgreedRules.Apply(Draft with { Upn = "A1" }, new(["Amelia will play with Will at break.", "She will say hello."], ""), Now) };
        var views = new[] { new ParentViews("oak", "t", "A1", "1", new Dictionary<string, string> { ["workOn"] = "She will only play with her brother Will Okafor" }) };

        var summary = YouSaidWeDid.Count("Oak", "Autumn term 2026-27", [amelia, will], plans, views);

        summary.Items.Should().ContainSingle();
        summary.Items[0].YouSaid.Should().Be("She will only play with her brother [name] [name]");
        summary.Items[0].WeDid.Should().Equal("[name] will play with [name] at break.", "She will say hello.");
    }
}

/// <summary>The once-per-parent-per-version claims of the agreed-notes mail, against Azurite.</summary>
public sealed class AgreedMailTests(ViewsSchool school) : IClassFixture<ViewsSchool>
{
    private sealed class FailingMailer : IParentMailer
    {
        public bool Fail { get; set; } = true;

        public int Calls { get; private set; }

        public Task SendAsync(MailMessage message, CancellationToken cancellationToken)
        {
            Calls++;
            return Fail ? throw new HttpRequestException("mail server down") : Task.CompletedTask;
        }
    }

    private AgreedNotesMailer Mailer(IParentMailer mailer, TimeProvider time)
    {
        var s = school.Bot.Services;
        return new AgreedNotesMailer(s.GetRequiredService<TableStorage>(), mailer, s.GetRequiredService<RosterStore>(), school.Store,
            s.GetRequiredService<SchoolCalendarStore>(), time, NullLogger<AgreedNotesMailer>.Instance);
    }

    [Fact]
    public async Task SendAsync_MailFailsThenWorks_ClaimReleasedSoTheNextSaveSendsOnce()
    {
        var pupil = (await school.Bot.Services.GetRequiredService<RosterStore>().GetPupilAsync(ViewsSchool.System, ViewsSchool.School, ViewsSchool.Amelia, default))!;
        await school.Store.SaveAsync(new ParentViews(ViewsSchool.School, school.Past.Id, ViewsSchool.Amelia, "1", new Dictionary<string, string> { ["emailConsent"] = "true" }), default);
        var agreed = new AgreedNotes(["One", "Two"], "Notes", 1, DateTimeOffset.UtcNow);
        var failing = new FailingMailer();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);

        (await Mailer(failing, time).SendAsync(pupil, school.Past.Id, agreed, default)).Should().Be((0, 1));
        failing.Fail = false;
        (await Mailer(failing, time).SendAsync(pupil, school.Past.Id, agreed, default)).Should().Be((1, 0));
        (await Mailer(failing, time).SendAsync(pupil, school.Past.Id, agreed, default)).Should().Be((0, 0));

        failing.Calls.Should().Be(2);
    }

    [Fact]
    public async Task SendAsync_ClaimLeftSendingByADeadProcess_TakenOverAfterTenMinutesOnly()
    {
        var pupil = (await school.Bot.Services.GetRequiredService<RosterStore>().GetPupilAsync(ViewsSchool.System, ViewsSchool.School, ViewsSchool.Amelia, default))!;
        await school.Store.SaveAsync(new ParentViews(ViewsSchool.School, school.Open.Id, ViewsSchool.Amelia, "1", new Dictionary<string, string> { ["emailConsent"] = "true" }), default);
        var agreed = new AgreedNotes(["One", "Two"], "Notes", 7, DateTimeOffset.UtcNow);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var table = await school.Bot.Services.GetRequiredService<TableStorage>().GetTableAsync(AgreedNotesMailer.Table, default);
        await table.AddEntityAsync(new Azure.Data.Tables.TableEntity(ViewsSchool.School, AgreedNotesMailer.ClaimKey(school.Open.Id, ViewsSchool.Amelia, "1", 7))
        {
            ["Upn"] = ViewsSchool.Amelia, ["ClaimedAt"] = time.GetUtcNow(), ["State"] = "sending",
        });
        var mailer = new FailingMailer { Fail = false };

        time.Advance(TimeSpan.FromMinutes(9));
        (await Mailer(mailer, time).SendAsync(pupil, school.Open.Id, agreed, default)).Should().Be((0, 0));
        time.Advance(TimeSpan.FromMinutes(2));
        (await Mailer(mailer, time).SendAsync(pupil, school.Open.Id, agreed, default)).Should().Be((1, 0));
        (await Mailer(mailer, time).SendAsync(pupil, school.Open.Id, agreed, default)).Should().Be((0, 0));
    }
}
