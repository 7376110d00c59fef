using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SendPlans.Bot.Booking;
using SendPlans.Cards.Booking;
using SendPlans.Infrastructure.Calendars;
using SendPlans.Infrastructure.Calendars.Local;
using SendPlans.Tests.Support;
using static SendPlans.Tests.Booking.BookingSchool;

namespace SendPlans.Tests.Booking;

/// <summary>
/// The teacher's booking conversation end to end through POST /api/messages: real JWT auth,
/// Azurite, the Local calendar, the fake Connector.
/// </summary>
public sealed class BookingConversationTests : IAsyncLifetime
{
    private readonly CapturingLoggerProvider _logs = new();
    private BotFactory _bot = null!;

    private IServiceProvider Services => _bot.Services;
    private MeetingStore Meetings => Services.GetRequiredService<MeetingStore>();
    private LocalCalendarProvider Calendar => Services.GetRequiredService<LocalCalendarProvider>();
    private LocalOutbox Mail => Services.GetRequiredService<LocalOutbox>();

    public async Task InitializeAsync()
    {
        _bot = await BotFactory.StartAsync(settings: new() { ["Booking:RunJobs"] = "false" }, services: s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(_logs));
        await SeedAsync(Services);
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Theory]
    [InlineData("book my plan meetings")]
    [InlineData("Book meetings")]
    [InlineData("book my SSP meetings")]
    [InlineData("please book my plan meetings")]
    public async Task BookCommand_TeacherWithSenPupils_SendsProposalCardWithFlags(string text)
    {
        var reply = await SayAsync(_bot, text);

        var card = reply["attachments"]![0]!["content"]!;
        var texts = Texts(card);
        texts.Should().Contain("Proposed plan meetings");
        texts.Should().Contain(["Amelia Hartley", "Oliver Nwosu", "Isla Kowalska", "Noah Patel"]);
        texts.Should().Contain(t => t.Contains("Interpreter needed (Polish)") && t.Contains("No email"));
        texts.Should().Contain(["Book all", "Change time", "Leave out", "Parent chooses"]);
        card.ToJsonString().Should().Contain($"\"value\":\"{Oliver}|");
        texts.Should().Contain("Mother and Father", "both of Amelia's parents have parental responsibility");
        var meetings = await Meetings.ForTeacherAsync(School, TermId, TeacherId, default);
        meetings.Should().HaveCount(4).And.OnlyContain(m => m.Status == MeetingStatus.Proposed && m.Slot != null);
        meetings.Should().OnlyContain(m => DateOnly.FromDateTime(BookingText.Local(m.Slot!.Start, "Europe/London")) > Today, "meetings start tomorrow at the earliest");
    }

    [Fact]
    public async Task BookAll_DoubleClick_CreatesEachEventOnceAndInvitesOnlyResponsibleContactsWithEmail()
    {
        await SayAsync(_bot, "book my plan meetings");

        var first = await InvokeAsync(_bot, BookingCards.BookAllVerb, new JsonObject { ["term"] = TermId });
        var second = await InvokeAsync(_bot, BookingCards.BookAllVerb, new JsonObject { ["term"] = TermId });

        first["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.card.adaptive", string.Join("\n", _logs.Lines.Where(l => l.Contains("Exception"))));
        Texts(first["value"]).Should().Contain(t => t.StartsWith("All done: 4 plan meetings are booked"));
        Texts(second["value"]).Should().Contain(t => t.StartsWith("All done: 4 plan meetings are booked"));
        var events = await Calendar.ListEventsAsync(TeacherEmail);
        events.Should().HaveCount(4);
        events.Should().OnlyContain(e => e.JoinUrl!.Contains("/meet/"));
        var mail = await Mail.ListAllAsync();
        mail.Select(m => m.Recipient).Should().BeEquivalentTo(["hartley.home@example.com", "o.nwosu@example.org", "patel.family@example.net"],
            "the email-less father and mother get no mail, and Noah's grandmother has no parental responsibility");
        var invite = mail.First(m => m.Recipient == "hartley.home@example.com").HtmlBody;
        invite.Should().Contain("You do not need a Teams account").And.Contain("/booking/").And.Contain("Amelia").And.NotContain("SSP");
        (await Meetings.ForTeacherAsync(School, TermId, TeacherId, default)).Should().OnlyContain(m => m.Status == MeetingStatus.Booked && m.EventId != null);
    }

    [Fact]
    public async Task ChangeSlot_PickAlternative_MeetingUsesItAndOldTimeBecomesAlternative()
    {
        await SayAsync(_bot, "book my plan meetings");
        var before = (await Meetings.GetAsync(School, TermId, Oliver, default))!;
        var chosen = before.Alternatives[0];

        var body = await InvokeAsync(_bot, BookingCards.ChangeSlotVerb, new JsonObject { ["term"] = TermId, ["slot"] = $"{Oliver}|{chosen.Key}" });

        Texts(body["value"]).Should().Contain(BookingText.Short(chosen, "Europe/London"));
        var after = (await Meetings.GetAsync(School, TermId, Oliver, default))!;
        after.Slot.Should().Be(chosen);
        after.Alternatives.Should().Contain(before.Slot!);
    }

    [Fact]
    public async Task LeaveOut_WithReason_PupilNotBookedAndReasonShown()
    {
        await SayAsync(_bot, "book my plan meetings");

        var body = await InvokeAsync(_bot, BookingCards.LeaveOutVerb, new JsonObject { ["term"] = TermId, ["pupil"] = Noah, ["reason"] = "Met the SENCo last week" });
        await BookAllAsync(_bot);

        Texts(body["value"]).Should().Contain("Left out: Met the SENCo last week");
        (await Calendar.ListEventsAsync(TeacherEmail)).Should().HaveCount(3);
        (await Meetings.GetAsync(School, TermId, Noah, default))!.Status.Should().Be(MeetingStatus.LeftOut);
    }

    [Fact]
    public async Task ParentChooses_ParentPicksOnPage_EventMovesAndTeacherToldInTeams()
    {
        var link = await ParentChoosingLinkAsync(_bot);
        var meeting = (await Meetings.GetAsync(School, TermId, Amelia, default))!;
        meeting.Status.Should().Be(MeetingStatus.ParentChoosing);
        meeting.Offered.Should().HaveCount(3);
        meeting.Offered.Should().Contain(s => BookingText.Local(s.Start, "Europe/London").Hour < 9 || BookingText.Local(s.End, "Europe/London").TimeOfDay > new TimeSpan(15, 0, 0),
            "at least one offered time lies outside 09:00-15:00");
        var page = new ParentPage(_bot.CreateClient());

        var html = await page.OpenAsync(link);
        var answer = await page.ChooseAsync(link, html, meeting.Offered[2].Key);

        answer.Should().Contain("Your meeting has moved");
        var moved = (await Calendar.FindEventAsync(TeacherEmail, meeting.EventId!))!;
        moved.Start.Should().Be(meeting.Offered[2].Start);
        (await Meetings.GetAsync(School, TermId, Amelia, default))!.Slot.Should().Be(meeting.Offered[2]);
        (await Mail.ListAsync("hartley.home@example.com")).Should().Contain(m => m.HtmlBody.Contains("This meeting has moved"));
        var before = _bot.Connector.Requests.Count;
        (await DispatchAsync(Services)).Should().Be(1);
        var told = (await _bot.Connector.WaitForAsync(before + 1))[before];
        told.Body!["text"]!.GetValue<string>().Should().Contain("chose a new time for Amelia Hartley's plan meeting");
        told.Path.Should().Contain("personal-chat-1");
    }

    [Fact]
    public async Task MyMeetings_Cancel_EventCancelledAndParentTold()
    {
        await SayAsync(_bot, "book my plan meetings");
        await BookAllAsync(_bot);
        var meeting = (await Meetings.GetAsync(School, TermId, Oliver, default))!;

        var list = await SayAsync(_bot, "my meetings");
        var body = await InvokeAsync(_bot, BookingCards.CancelVerb, new JsonObject { ["term"] = TermId, ["pupil"] = Oliver, ["reason"] = "" });

        Texts(list["attachments"]![0]!["content"]).Should().Contain(t => t.Contains("Oliver Nwosu"));
        Texts(body["value"]).Should().Contain(t => t.StartsWith("Cancelled. The parent has been told."));
        Texts(body["value"]).Should().NotContain(t => t.Contains("Oliver Nwosu"));
        (await Calendar.FindEventAsync(TeacherEmail, meeting.EventId!))!.Cancelled.Should().BeTrue();
        (await Mail.ListAsync("o.nwosu@example.org")).Should().Contain(m => m.HtmlBody.Contains("has been cancelled"));
        var after = (await Meetings.GetAsync(School, TermId, Oliver, default))!;
        after.Status.Should().Be(MeetingStatus.Cancelled);
        after.TransactionId.Should().NotBe(meeting.TransactionId, "booking again must make a new event");
    }

    [Fact]
    public async Task MyMeetings_Reschedule_EventMovesAndParentSentUpdate()
    {
        await SayAsync(_bot, "book my plan meetings");
        await BookAllAsync(_bot);
        var meeting = (await Meetings.GetAsync(School, TermId, Oliver, default))!;
        var target = meeting.Alternatives[0];

        var body = await InvokeAsync(_bot, BookingCards.RescheduleVerb, new JsonObject { ["term"] = TermId, ["slot"] = $"{Oliver}|{target.Key}" });

        Texts(body["value"]).Should().Contain(t => t.StartsWith("Moved to"));
        (await Calendar.FindEventAsync(TeacherEmail, meeting.EventId!))!.Start.Should().Be(target.Start);
        (await Mail.ListAsync("o.nwosu@example.org")).Should().Contain(m => m.HtmlBody.Contains("This meeting has moved"));
    }

    [Fact]
    public async Task MyMeetings_RescheduleToATimeFilledSince_RefusedAndEventStays()
    {
        await SayAsync(_bot, "book my plan meetings");
        await BookAllAsync(_bot);
        var meeting = (await Meetings.GetAsync(School, TermId, Oliver, default))!;
        var target = meeting.Alternatives[0];
        await Calendar.CreateEventsAsync([new NewCalendarEvent(
            "staff-briefing", TeacherEmail, "Staff briefing", "", target.Start, target.End, "Europe/London", [], OnlineMeeting: false)]);

        var body = await InvokeAsync(_bot, BookingCards.RescheduleVerb, new JsonObject { ["term"] = TermId, ["slot"] = $"{Oliver}|{target.Key}" });

        Texts(body["value"]).Should().Contain(t => t.Contains("is no longer free in your calendar"));
        (await Calendar.FindEventAsync(TeacherEmail, meeting.EventId!))!.Start.Should().Be(meeting.Slot!.Start);
        (await Meetings.GetAsync(School, TermId, Oliver, default))!.Status.Should().Be(MeetingStatus.Booked);
    }

    [Fact]
    public async Task ChangeSlot_PupilOfAnotherClass_Refused()
    {
        await SayAsync(_bot, "book my plan meetings");

        var body = await InvokeAsync(_bot, BookingCards.LeaveOutVerb, new JsonObject { ["term"] = TermId, ["pupil"] = "G823204121001", ["reason"] = "x" });

        body["value"]!.GetValue<string>().Should().Contain("not in your classes");
        (await Meetings.GetAsync(School, TermId, "G823204121001", default)).Should().BeNull();
    }

    [Fact]
    public async Task HelpCard_Teacher_ListsBookingCommands()
    {
        var reply = await SayAsync(_bot, "help");

        reply.ToJsonString().Should().Contain("book my plan meetings").And.Contain("my meetings");
    }

    [Fact]
    public async Task Logs_WholeBookingRound_NoNamesEmailsUpnsOrMessageText()
    {
        await SayAsync(_bot, "book my plan meetings");
        await InvokeAsync(_bot, BookingCards.ParentChoosesVerb, new JsonObject { ["term"] = TermId, [BookingCards.OfferPupilInput] = Amelia });
        await InvokeAsync(_bot, BookingCards.LeaveOutVerb, new JsonObject { ["term"] = TermId, ["pupil"] = Noah, ["reason"] = "Secret reason text" });
        await BookAllAsync(_bot);
        var link = ParentPage.LinkFrom((await Mail.ListAsync("hartley.home@example.com")).Single().HtmlBody);
        var page = new ParentPage(_bot.CreateClient());
        var meeting = (await Meetings.GetAsync(School, TermId, Amelia, default))!;
        await page.ChooseAsync(link, await page.OpenAsync(link), "another", ("note", "Private note from home"));

        _logs.Lines.Should().NotBeEmpty();
        var secrets = new[] { "Amelia", "Hartley", "hartley.home", Amelia, Noah, TeacherEmail, "Terry", "Secret reason", "Private note", meeting.EventId!, link[9..40] };
        _logs.Lines.Should().NotContain(l => secrets.Any(s => l.Contains(s, StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task ParentChooses_TimeTakenMeanwhile_PageSaysSoAndEventStays()
    {
        var link = await ParentChoosingLinkAsync(_bot);
        var meeting = (await Meetings.GetAsync(School, TermId, Amelia, default))!;
        await Calendar.SeedBusyAsync(TeacherEmail, [new(meeting.Offered[1].Start.AddMinutes(5), meeting.Offered[1].End)]);
        var page = new ParentPage(_bot.CreateClient());

        var answer = await page.ChooseAsync(link, await page.OpenAsync(link), meeting.Offered[1].Key);

        answer.Should().Contain("that time is no longer free");
        (await Calendar.FindEventAsync(TeacherEmail, meeting.EventId!))!.Start.Should().Be(meeting.Slot!.Start);
    }
}
