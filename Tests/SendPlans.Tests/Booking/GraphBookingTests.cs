using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SendPlans.Bot.Booking;
using SendPlans.Bot.Roster;
using SendPlans.Cards.Booking;
using SendPlans.Infrastructure.BotFramework;
using SendPlans.Infrastructure.Calendars.Graph;
using SendPlans.Infrastructure.Storage;
using SendPlans.Tests.Support;
using static SendPlans.Tests.Booking.BookingSchool;

namespace SendPlans.Tests.Booking;

/// <summary>Book all against the fake Graph through the real pipeline: faults, permissions, slow calendars.</summary>
public sealed class GraphBookingTests : IAsyncLifetime
{
    private FakeGraph _graph = null!;
    private BotFactory _bot = null!;

    private MeetingStore Meetings => _bot.Services.GetRequiredService<MeetingStore>();

    public async Task InitializeAsync()
    {
        _graph = await FakeGraph.StartAsync();
        _bot = await BotFactory.StartAsync(settings: new()
        {
            ["Booking:RunJobs"] = "false",
            ["Booking:InvokeWait"] = "00:00:00.300",
            ["Calendar:Provider"] = "Graph",
            ["Graph:TenantId"] = "tenant",
            ["Graph:ClientId"] = "client",
            ["Graph:ClientSecret"] = "secret",
            ["Graph:BaseUrl"] = _graph.BaseUrl,
            ["Graph:MaxAttempts"] = "1",
            ["Graph:MaxConcurrentRequestsPerMailbox"] = "2",
            ["Mail:GraphSender"] = "office@oakfield.example.org",
        }, services: s => s.AddKeyedSingleton<Azure.Core.TokenCredential>(GraphClients.CredentialKey, new StaticTokenCredential("graph-token")));
        await SeedAsync(_bot.Services);
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _graph.DisposeAsync();
    }

    [Fact]
    public async Task BookAll_GraphDropsSecondBatch_CardShowsTrueStateAndRetryCompletesWithoutDuplicates()
    {
        await SayAsync(_bot, "book my plan meetings");
        _graph.DropConnectionAfterApplying(1, skip: 1);

        var first = await BookAllAsync(_bot);

        Texts(first).Should().Contain("2 booked; 2 not booked yet.").And.Contain("Try again");
        Texts(first).Should().Contain(t => t.Contains("will not be booked twice"));
        Texts(first).Should().NotContain(t => t.Contains("Exception") || t.Contains(" at "));
        (await Meetings.ForTeacherAsync(School, TermId, TeacherId, default)).Count(m => m.EventId != null).Should().Be(2);

        var retry = await BookAllAsync(_bot);

        Texts(retry).Should().Contain(t => t.StartsWith("All done: 4 plan meetings are booked"));
        _graph.Events.Should().HaveCount(4, "the dropped batch's events were made once and found again by transaction id");
        _graph.Events.Select(e => e.TransactionId).Should().OnlyHaveUniqueItems();
        _graph.Events.Should().OnlyContain(e => e.IsOnlineMeeting && e.OnlineMeetingProvider == "teamsForBusiness");
        (await Meetings.ForTeacherAsync(School, TermId, TeacherId, default)).Should().OnlyContain(m => m.JoinUrl!.StartsWith("https://teams.microsoft.com/"));
    }

    [Fact]
    public async Task BookCommand_GraphAnswers403_TeacherToldPlainlyAndAdminToldThePermission()
    {
        await RememberChatAsync(_bot.Services, _bot, School, AdminId);
        _graph.Deny(TeacherEmail, 403);

        var reply = await SayAsync(_bot, "book my plan meetings");
        var before = _bot.Connector.Requests.Count;
        (await DispatchAsync(_bot.Services)).Should().Be(1);
        var admin = (await _bot.Connector.WaitForAsync(before + 1))[before];

        var text = reply["text"]!.GetValue<string>();
        text.Should().Contain("calendar connection is not set up yet").And.Contain("admin has been told");
        text.Should().NotContain("Calendars.").And.NotContain("Exception").And.NotContain("403");
        admin.Path.Should().Contain(AdminId);
        admin.Body!["text"]!.GetValue<string>().Should().Contain("Calendars.Read").And.Contain("application permission");
    }

    [Fact]
    public async Task BookCommand_GraphAnswers403Twice_AdminToldOnceAndTeacherStillHearsAdminWasTold()
    {
        await RememberChatAsync(_bot.Services, _bot, School, AdminId);
        _graph.Deny(TeacherEmail, 403);

        await SayAsync(_bot, "book my plan meetings");
        var again = await SayAsync(_bot, "book my plan meetings");

        (await DispatchAsync(_bot.Services)).Should().Be(1, "the admin is told once a day per cause");
        again["text"]!.GetValue<string>().Should().Contain("admin has been told");
    }

    [Fact]
    public async Task BookCommand_GraphAnswers403AdminOnlyInstalledTheBot_AdminToldInTheInstalledChat()
    {
        var install = _bot.Activity("conversationUpdate", text: null);
        install["from"] = new JsonObject { ["id"] = "29:jo-barker", ["aadObjectId"] = AdminId };
        install["conversation"] = new JsonObject { ["id"] = $"a:installed-{AdminId}", ["conversationType"] = "personal", ["tenantId"] = "tenant-1" };
        install["membersAdded"] = new JsonArray(new JsonObject { ["id"] = "28:" + BotFactory.AppId });
        (await _bot.PostActivityAsync(install)).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        await _bot.Connector.WaitForAsync(1);
        _graph.Deny(TeacherEmail, 403);

        var reply = await SayAsync(_bot, "book my plan meetings");
        var before = _bot.Connector.Requests.Count;
        (await DispatchAsync(_bot.Services)).Should().Be(1);
        var admin = (await _bot.Connector.WaitForAsync(before + 1))[before];

        reply["text"]!.GetValue<string>().Should().Contain("admin has been told");
        admin.Path.Should().Contain($"a:installed-{AdminId}");
        admin.Body!["text"]!.GetValue<string>().Should().Contain("Calendars.Read");
    }

    [Fact]
    public async Task BookCommand_GraphAnswers403AdminNeverChatted_TeacherToldWhomToTellAndWhat()
    {
        _graph.Deny(TeacherEmail, 403);

        var reply = await SayAsync(_bot, "book my plan meetings");

        var text = reply["text"]!.GetValue<string>();
        text.Should().Contain("could not reach your school's admin in Teams").And.Contain("Please tell Jo Barker")
            .And.Contain("calendar permission Calendars.Read").And.Contain("is missing");
        text.Should().NotContain("has been told").And.NotContain("Exception").And.NotContain("403");
        (await DispatchAsync(_bot.Services)).Should().Be(0, "nothing can reach an admin without a chat");
    }

    [Fact]
    public async Task BookCommand_GraphAnswers403AdminRemovedTheBot_TeacherToldWhomToTell()
    {
        await RememberChatAsync(_bot.Services, _bot, School, AdminId);
        await _bot.Services.GetRequiredService<ConversationReferenceStore>().MarkRemovedAsync($"a:personal-{AdminId}", default);
        _graph.Deny(TeacherEmail, 403);

        var reply = await SayAsync(_bot, "book my plan meetings");

        reply["text"]!.GetValue<string>().Should().Contain("Please tell Jo Barker").And.NotContain("has been told");
        (await DispatchAsync(_bot.Services)).Should().Be(0);
    }

    [Fact]
    public async Task BookCommand_GraphAnswers403SchoolHasNoAdmin_TeacherToldToTellTheItAdmin()
    {
        var staff = await _bot.Services.GetRequiredService<TableStorage>().GetTableAsync(StaffDirectory.StaffTable);
        await staff.DeleteEntityAsync(School, AdminId);
        _graph.Deny(TeacherEmail, 403);

        var reply = await SayAsync(_bot, "book my plan meetings");

        var text = reply["text"]!.GetValue<string>();
        text.Should().Contain("no admin set up").And.Contain("Please tell your school's IT admin").And.Contain("Calendars.Read");
        text.Should().NotContain("has been told");
    }

    [Fact]
    public async Task BookAll_SlowCalendar_AnswersWithProgressThenUpdatesCardToFinalState()
    {
        await SayAsync(_bot, "book my plan meetings");
        _graph.RequestLatency = TimeSpan.FromMilliseconds(700);
        var before = _bot.Connector.Requests.Count;

        var started = DateTime.UtcNow;
        var body = await InvokeAsync(_bot, BookingCards.BookAllVerb, new JsonObject { ["term"] = TermId });
        var answeredIn = DateTime.UtcNow - started;

        answeredIn.Should().BeLessThan(TimeSpan.FromSeconds(4));
        Texts(body["value"]).Should().Contain(t => t.StartsWith("Booking your meetings:"));
        var update = await CardUpdateAsync(_bot, before);
        _bot.Connector.Requests.Skip(before).Single(r => r.Method == "PUT").Path.Should().EndWith("/activities/activity-1");
        Texts(update["attachments"]![0]!["content"]).Should().Contain(t => t.StartsWith("All done: 4 plan meetings are booked"));
        _graph.Events.Should().HaveCount(4);
    }

    [Fact]
    public async Task OpenReschedule_GraphUnavailable_StoredFutureTimesOfferedWithASentence()
    {
        await SayAsync(_bot, "book my plan meetings");
        await BookAllAsync(_bot);
        var now = DateTimeOffset.UtcNow;
        var past = new SlotTimes(now.AddDays(-1), now.AddDays(-1).AddMinutes(15));
        var meeting = (await Meetings.UpdateAsync(School, TermId, Oliver, m => m with { Alternatives = [past, .. m.Alternatives] }, default))!;
        var ahead = meeting.Alternatives.Concat(meeting.Offered).Where(s => s.Start > now && s.Key != meeting.Slot!.Key).Select(s => s.Key).Distinct().Order().ToList();
        ahead.Should().NotBeEmpty();
        _graph.FailNextRequests(1, 503);

        var card = await OpenRescheduleAsync(_bot, Oliver);

        Texts(card).Should().Contain(t => t.StartsWith("I could not read your calendar just now, so these are the times found earlier"));
        OfferedKeys(card).Should().Equal(ahead, "the stored times still ahead, in time order, and not the one in the past");
        Texts(card).Should().Contain("Move the meeting");
    }

    [Fact]
    public async Task OpenReschedule_SlowCalendar_AnswersWhileLookingThenUpdatesCardWithFreshTimes()
    {
        await SayAsync(_bot, "book my plan meetings");
        await BookAllAsync(_bot);
        _graph.RequestLatency = TimeSpan.FromMilliseconds(700);
        var before = _bot.Connector.Requests.Count;

        var started = DateTime.UtcNow;
        var body = await InvokeAsync(_bot, BookingCards.RescheduleTimesVerb, new JsonObject { ["term"] = TermId, [BookingCards.MovePupilInput] = Oliver });
        var answeredIn = DateTime.UtcNow - started;

        answeredIn.Should().BeLessThan(TimeSpan.FromSeconds(4));
        Texts(body["value"]).Should().Contain(t => t.StartsWith("Looking for free times in your calendar"));
        OfferedKeys(body["value"]!).Should().BeEmpty();
        var update = (await CardUpdateAsync(_bot, before))["attachments"]![0]!["content"]!;
        _bot.Connector.Requests.Skip(before).Single(r => r.Method == "PUT").Path.Should().EndWith("/activities/activity-1");
        Texts(update).Should().Contain(t => t.StartsWith("These times are free in your calendar now"));
        OfferedKeys(update).Should().NotBeEmpty();
    }

    [Fact]
    public async Task Reminders_GraphProvider_SentWithSendMailFromTheSchoolMailbox()
    {
        await SayAsync(_bot, "book my plan meetings");
        await BookAllAsync(_bot);
        var oliver = (await Meetings.GetAsync(School, TermId, Oliver, default))!;
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(oliver.Slot!.Start - TimeSpan.FromHours(1));
        var job = ActivatorUtilities.CreateInstance<ParentRemindersJob>(_bot.Services, (TimeProvider)time);

        await job.RunOnceAsync(default);
        await job.RunOnceAsync(default);

        var sent = _graph.SentMail.Where(m => m.Body["message"]!["toRecipients"]![0]!["emailAddress"]!["address"]!.GetValue<string>() == "o.nwosu@example.org").ToList();
        sent.Should().ContainSingle();
        sent[0].Sender.Should().Be("office@oakfield.example.org");
        sent[0].Body["message"]!["body"]!["content"]!.GetValue<string>().Should().Contain("join the meeting on Teams");
    }
}
