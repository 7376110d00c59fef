using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using SendPlans.Bot.Attendance;
using SendPlans.Bot.Booking;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Views;
using SendPlans.Cards.Attendance;
using SendPlans.Infrastructure.BotFramework;
using SendPlans.Infrastructure.BotFramework.Proactive;
using SendPlans.Infrastructure.Calendars;
using SendPlans.Infrastructure.Storage;
using SendPlans.Tests.Support;
using static SendPlans.Tests.Booking.BookingSchool;

namespace SendPlans.Tests.Attendance;

/// <summary>
/// Attendance and the year lead's alert with the real pipeline, Azurite and the fake Connector:
/// Freya (Year 3, class 3A) has a plan meeting with Priya, who teaches 3A and leads Years 3 and 4.
/// The Teams report is mocked at the Graph boundary (the Graph path has its own tests).
/// </summary>
public sealed class FollowUpAlertTests : IAsyncLifetime
{
    private const string Freya = "G823204121001";
    private const string Amelia = "P823204124001";
    private const string PriyaId = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a02";
    private const string TomId = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a03";
    private const string SltId = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a05";
    private const string KimId = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a07"; // added in a test: a teaching assistant in 3A
    private const string JoinUrl = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_freya";
    private const string Year3Channel = "19:year3-alerts@thread.tacv2";
    private readonly Mock<IMeetingAttendance> _reports = new();
    private readonly FakeTimeProvider _dispatchTime = new(DateTimeOffset.UtcNow);
    private BotFactory _bot = null!;

    private IServiceProvider Services => _bot.Services;

    public async Task InitializeAsync()
    {
        _reports.Setup(r => r.GetAttendanceAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(MeetingAttendanceReport.Of(AttendanceReportStatus.NoReport));
        _bot = await BotFactory.StartAsync(settings: new() { ["Attendance:RunJobs"] = "false" },
            services: s => s.AddSingleton(_reports.Object));
        await SeedAsync(Services);
        await Services.GetRequiredService<TrustedServiceUrls>().TrustAsync(_bot.Connector.ServiceUrl, default);
        foreach (var id in new[] { SencoId, AdminId, PriyaId, SltId })
        {
            await RememberChatAsync(Services, _bot, School, id);
        }
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Sweep_ReportWithoutParentRunTwiceOnTwoInstances_OneAlertInTheYearChannel()
    {
        await ChannelForYear3Async();
        ReportSays(("priya.shah@oakfield.example.org", 900));
        await MeetingAsync(online: true);

        await Task.WhenAll(Sweep().SweepAsync(default), Sweep().SweepAsync(default));
        await Sweep().SweepAsync(default);
        var sent = await DispatchedAsync();

        var alert = sent.Should().ContainSingle().Subject;
        alert.Path.Should().Contain("year3-alerts");
        var texts = Texts(Card(alert));
        texts.Should().Contain(["Follow up: Freya O'Connor", "I'll follow up", "Contacted — rebook", "Contacted — declined", "Could not reach"]);
        texts.Should().Contain(t => t.Contains("did not attend", StringComparison.Ordinal));
        string.Join(" ", texts).Should().NotContainAny(["@example", "07700", "SEMH", "MLD", "ASD"], "a year lead sees no phone numbers, emails or needs on the alert");
        (await Items()).Should().ContainSingle().Which.State.Should().Be(FollowUpState.Open);
    }

    [Fact]
    public async Task Sweep_ParentInReport_AttendedAndNoAlert()
    {
        await ChannelForYear3Async();
        var email = (await Services.GetRequiredService<RosterStore>().GetContactsAsync(RosterReader.System("test"), School, Freya, default)).First(c => c.Email is not null).Email!;
        ReportSays((email, 800));
        await MeetingAsync(online: true);

        var counts = await Sweep().SweepAsync(default);

        counts.SettledByReport.Should().Be(1);
        counts.Missed.Should().Be(0);
        (await Items()).Should().BeEmpty();
        (await DispatchedAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Sweep_Report403_TeacherAskedOnceThenDidNotAttendRaisesTheAlert()
    {
        await ChannelForYear3Async();
        _reports.Setup(r => r.GetAttendanceAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(MeetingAttendanceReport.Of(AttendanceReportStatus.Forbidden));
        var meeting = await MeetingAsync(online: true);

        await Sweep().SweepAsync(default);
        await Sweep().SweepAsync(default);
        var asked = (await DispatchedAsync()).Should().ContainSingle().Subject;
        asked.Path.Should().Contain($"personal-{PriyaId}");
        Texts(Card(asked)).Should().Contain(["Attended", "Did not attend", "Rearranged by parent", "Cancelled by school"]);
        Texts(Card(asked)).Should().Contain(t => t.Contains("not allowed SendPlans to read Teams attendance", StringComparison.Ordinal));

        var answer = await InvokeAsAsync(PriyaId, AttendanceCards.AttendanceVerb, new JsonObject { ["school"] = School, ["meeting"] = MeetingId(meeting), ["answer"] = "DidNotAttend" }, $"a:personal-{PriyaId}");

        Texts(answer["value"]).Should().Contain("Recorded: Did not attend. Thank you.");
        var alert = (await DispatchedAsync()).Should().ContainSingle().Subject;
        Texts(Card(alert)).Should().Contain("Follow up: Freya O'Connor");
    }

    [Fact]
    public async Task Sweep_InPersonMeeting_TeacherAskedAndReportNeverRead()
    {
        await MeetingAsync(online: false);

        var counts = await Sweep().SweepAsync(default);

        counts.TeachersAsked.Should().Be(1);
        _reports.Verify(r => r.GetAttendanceAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        Texts(Card((await DispatchedAsync()).Single())).Should().Contain(t => t.Contains("not on Teams", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TeacherAnswer_AfterReportSaidMissed_TeacherWinsAndFollowUpCloses()
    {
        await ChannelForYear3Async();
        ReportSays(("priya.shah@oakfield.example.org", 900));
        var meeting = await MeetingAsync(online: true);
        await Sweep().SweepAsync(default);

        await InvokeAsAsync(PriyaId, AttendanceCards.AttendanceVerb, new JsonObject { ["school"] = School, ["meeting"] = MeetingId(meeting), ["answer"] = "Attended" }, $"a:personal-{PriyaId}");
        await Sweep().SweepAsync(default);

        var record = await Services.GetRequiredService<AttendanceStore>().GetAsync(School, MeetingId(meeting), default);
        record!.Outcome.Should().Be(AttendanceOutcome.Attended);
        record.Source.Should().Be(AttendanceSource.Teacher);
        (await Items()).Single().State.Should().Be(FollowUpState.Attended, "the parent came after all: the follow-up closes");
    }

    [Fact]
    public async Task Alert_ConnectorAnswers429And503_RetriedFromTheOutboxAndSentOnce()
    {
        await ChannelForYear3Async();
        ReportSays();
        await MeetingAsync(online: true);
        await Sweep().SweepAsync(default);
        var dispatcher = Dispatcher();
        for (var i = 0; i < 5; i++)
        {
            _bot.Connector.FailNext(429, retryAfter: "0");
        }

        (await dispatcher.DispatchOnceAsync(default)).Should().Be(0, "throttled beyond the HTTP client's own retries");
        for (var i = 0; i < 5; i++)
        {
            _bot.Connector.FailNext(503);
        }
        var sent = 0;
        for (var pass = 0; pass < 8; pass++)
        {
            _dispatchTime.Advance(TimeSpan.FromMinutes(10));
            sent += await dispatcher.DispatchOnceAsync(default);
        }

        sent.Should().Be(1, "the alert is kept through 429s and 5xx and sent exactly once");
        var entry = await Services.GetRequiredService<ProactiveOutbox>().FindAsync(FollowUpAlerts.ChannelKey((await Items()).Single()), default);
        entry!.Status.Should().Be(OutboxStatus.Sent);
        entry.Attempts.Should().BeGreaterThan(1);
        (await Items()).Should().ContainSingle();
    }

    [Fact]
    public async Task Alert_NoChannelConfigured_SencoInPersonalChatAndAdminTold()
    {
        ReportSays();
        await MeetingAsync(online: true);

        await Sweep().SweepAsync(default);
        await Sweep().SweepAsync(default);
        var sent = await DispatchedAsync();

        sent.Should().HaveCount(2);
        Texts(Card(sent.Single(s => s.Path.Contains(SencoId, StringComparison.Ordinal)))).Should().Contain("Follow up: Freya O'Connor");
        var admin = sent.Single(s => s.Path.Contains(AdminId, StringComparison.Ordinal));
        admin.Body!["text"]!.GetValue<string>().Should().Contain("Year 3 has no channel for attendance alerts");
        sent.Should().NotContain(s => s.Path.Contains(SltId, StringComparison.Ordinal) || s.Path.Contains(PriyaId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Alert_BotRemovedFromTheTeam_SencoGetsItAndAdminToldOfTheRemoval()
    {
        await ChannelForYear3Async();
        ReportSays();
        await MeetingAsync(online: true);
        await Sweep().SweepAsync(default);
        _bot.Connector.FailNext(403);

        await DispatchedAsync();
        (await Services.GetRequiredService<ProactiveOutbox>().FindAsync(FollowUpAlerts.ChannelKey((await Items()).Single()), default))!.Failure
            .Should().Be(DeliveryFailure.BotRemoved);
        await Sweep().SweepAsync(default);
        var sent = await DispatchedAsync();

        Texts(Card(sent.Single(s => s.Path.Contains(SencoId, StringComparison.Ordinal)))).Should().Contain("Follow up: Freya O'Connor");
        sent.Single(s => s.Path.Contains(AdminId, StringComparison.Ordinal)).Body!["text"]!.GetValue<string>()
            .Should().Contain("removed from the Year 3 team");
    }

    [Theory]
    [InlineData(403)]
    [InlineData(404)]
    public async Task Alert_ChannelRefusedForGood_NextAlertGoesStraightToSencoAndAdminToldOfTheRemoval(int status)
    {
        await ChannelForYear3Async();
        ReportSays();
        await MeetingAsync(online: true);
        await Sweep().SweepAsync(default);
        _bot.Connector.FailNext(status);
        await DispatchedAsync();

        (await Services.GetRequiredService<ConversationReferenceStore>().IsRemovedAsync(Year3Channel, default)).Should().BeTrue();
        var next = await Services.GetRequiredService<FollowUpAlerts>().RaiseAsync(
            new FollowUpRequest(School, "meeting-freya-2", TermId, Freya, PriyaId, FollowUpReason.Missed, DateTimeOffset.UtcNow.AddHours(-1)), default);
        var sent = await DispatchedAsync();

        next.Should().NotBeNull();
        sent.Should().NotContain(s => s.Path.Contains("year3-alerts", StringComparison.Ordinal), "the channel refused for good is not tried again");
        Texts(Card(sent.Single(s => s.Path.Contains(SencoId, StringComparison.Ordinal)))).Should().Contain("Follow up: Freya O'Connor");
        sent.Single(s => s.Path.Contains(AdminId, StringComparison.Ordinal)).Body!["text"]!.GetValue<string>()
            .Should().Contain("removed from the Year 3 team");
    }

    [Fact]
    public async Task ClaimThenRebook_ThroughApiMessages_CardUpdatedForEveryoneAndTeacherAskedToMoveTheMeeting()
    {
        await ChannelForYear3Async();
        ReportSays();
        await MeetingAsync(online: true);
        await Sweep().SweepAsync(default);
        (await DispatchedAsync()).Should().ContainSingle();
        const string activityId = "activity-posted";
        var item = (await Items()).Single();
        var data = new JsonObject { ["school"] = School, ["item"] = item.Id };

        var claimed = await InvokeAsAsync(PriyaId, AttendanceCards.ClaimVerb, data, Year3Channel, activityId);
        var updates = await DispatchedAsync();

        claimed["type"]!.GetValue<string>().Should().Be(InvokeResponse.CardType);
        StatusOf(claimed["value"]!).Should().Be("Being followed up · Priya Shah has it");
        Texts(claimed["value"]).Should().NotContain("I'll follow up", "a claimed alert cannot be claimed again");
        var update = updates.Should().ContainSingle().Subject;
        update.Method.Should().Be("PUT");
        update.Path.Should().EndWith($"/activities/{activityId}");
        StatusOf(Card(update)).Should().Be("Being followed up · Priya Shah has it");

        var rebooked = await InvokeAsAsync(PriyaId, AttendanceCards.RebookVerb, (JsonObject)data.DeepClone(), Year3Channel, activityId);
        var afterRebook = await DispatchedAsync();

        StatusOf(rebooked["value"]!).Should().Be("Rebooked · Priya Shah has it");
        afterRebook.Should().Contain(r => r.Method == "PUT");
        afterRebook.Should().Contain(r => r.Path.Contains($"personal-{PriyaId}", StringComparison.Ordinal), "the teacher is asked to move the meeting");
        var stored = (await Items()).Single();
        stored.State.Should().Be(FollowUpState.Rebooked);
        stored.History.Select(h => h.State).Should().Equal(FollowUpState.Open, FollowUpState.Claimed, FollowUpState.Rebooked);
        stored.History.Skip(1).Should().OnlyContain(h => h.By == "Priya Shah");
    }

    [Fact]
    public async Task Rebook_WithTheDayAndTimeAgreed_KeptInTheHistoryAndTheTeacherTold()
    {
        await ParentMissedAndAlertPostedAsync();
        var item = (await Items()).Single();
        var day = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(14));
        var agreed = $"{day.ToString("dddd d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB"))} at 15:30";

        var rebooked = await InvokeAsAsync(PriyaId, AttendanceCards.RebookVerb, new JsonObject
        {
            ["school"] = School, ["item"] = item.Id, [AttendanceCards.RebookDayInput] = day.ToString("yyyy-MM-dd"), [AttendanceCards.RebookTimeInput] = "15:30",
        }, Year3Channel);
        var sent = await DispatchedAsync();

        Texts(rebooked["value"]).Should().Contain(t => t.EndsWith($"contacted the parent: rebooking for {agreed}", StringComparison.Ordinal));
        var stored = (await Items()).Single();
        stored.State.Should().Be(FollowUpState.Rebooked);
        stored.History[^1].Note.Should().Be(agreed);
        sent.Single(r => r.Path.Contains($"personal-{PriyaId}", StringComparison.Ordinal)).Body!.ToJsonString()
            .Should().Contain($"They can come on {agreed}.", "the teacher moves the meeting to the time agreed");
    }

    [Theory]
    [InlineData("2020-01-06", "15:30", "has passed")]
    [InlineData("2026-13-01", null, "could not read that day")]
    [InlineData(null, "15:30", "day as well as the time")]
    public async Task Rebook_BadOrPastDayOrTime_ToldWhyAndNothingWritten(string? day, string? time, string reason)
    {
        await ParentMissedAndAlertPostedAsync();
        var before = (await Items()).Single();
        var data = new JsonObject { ["school"] = School, ["item"] = before.Id, [AttendanceCards.RebookDayInput] = day, [AttendanceCards.RebookTimeInput] = time };

        var response = await InvokeAsAsync(PriyaId, AttendanceCards.RebookVerb, data, Year3Channel);

        response["type"]!.GetValue<string>().Should().Be(InvokeResponse.MessageType);
        response["value"]!.GetValue<string>().Should().Contain(reason);
        var after = (await Items()).Single();
        after.State.Should().Be(FollowUpState.Open);
        after.History.Should().HaveCount(before.History.Count);
        after.ETag.Should().Be(before.ETag, "nothing was written");
        _dispatchTime.Advance(TimeSpan.FromMinutes(1));
        (await Dispatcher().DispatchOnceAsync(default)).Should().Be(0, "nobody was sent anything");
    }

    [Fact]
    public async Task Claim_ByAYearLeadOfAnotherYear_RefusedAndNothingChanges()
    {
        await ChannelForYear3Async();
        await SetYearLeadAsync(TomId, "R");
        ReportSays();
        await MeetingAsync(online: true);
        await Sweep().SweepAsync(default);
        var item = (await Items()).Single();

        var response = await InvokeAsAsync(TomId, AttendanceCards.ClaimVerb, new JsonObject { ["school"] = School, ["item"] = item.Id }, Year3Channel);

        response["statusCode"]!.GetValue<int>().Should().Be(403);
        (await Items()).Single().State.Should().Be(FollowUpState.Open);
    }

    [Theory]
    [InlineData(AttendanceCards.ClaimVerb)]
    [InlineData(AttendanceCards.RebookVerb)]
    [InlineData(AttendanceCards.DeclineVerb)]
    [InlineData(AttendanceCards.CouldNotReachVerb)]
    public async Task FollowUp_ByATeachingAssistantOfThePupilsClass_RefusedAndNothingChanges(string verb)
    {
        await StaffAsync(KimId, "TeachingAssistant", "Kim Webb", "3A");
        await ParentMissedAndAlertPostedAsync();
        var before = (await Items()).Single();

        var response = await InvokeAsAsync(KimId, verb, new JsonObject { ["school"] = School, ["item"] = before.Id, ["reason"] = "Prefers a phone call" }, Year3Channel);

        response["statusCode"]!.GetValue<int>().Should().Be(403);
        response["value"]!["message"]!.GetValue<string>().Should().Be("This alert is for the pupil's class teacher and year team, the SENCo, SLT and the school's admins.");
        var after = (await Items()).Single();
        after.State.Should().Be(FollowUpState.Open);
        after.ETag.Should().Be(before.ETag, "nothing was written");
    }

    [Fact]
    public async Task Decline_WithoutReason_AskedForItThenClosedWithIt()
    {
        await ChannelForYear3Async();
        ReportSays();
        await MeetingAsync(online: true);
        await Sweep().SweepAsync(default);
        var item = (await Items()).Single();

        var refused = await InvokeAsAsync(PriyaId, AttendanceCards.DeclineVerb, new JsonObject { ["school"] = School, ["item"] = item.Id }, Year3Channel);
        var declined = await InvokeAsAsync(PriyaId, AttendanceCards.DeclineVerb, new JsonObject { ["school"] = School, ["item"] = item.Id, ["reason"] = "Prefers a phone call with the SENCo" }, Year3Channel);

        refused["value"]!.GetValue<string>().Should().Contain("why");
        Texts(declined["value"]).Should().Contain(t => t.Contains("declined (Prefers a phone call with the SENCo)", StringComparison.Ordinal));
        (await Items()).Single().State.Should().Be(FollowUpState.Declined);
    }

    [Fact]
    public async Task CouldNotReach_ForTheConfiguredDays_EscalatedToSencoAndSltOnce()
    {
        await ChannelForYear3Async();
        ReportSays();
        await MeetingAsync(online: true);
        await Sweep().SweepAsync(default);
        var item = (await Items()).Single();
        await DispatchedAsync();
        await InvokeAsAsync(PriyaId, AttendanceCards.CouldNotReachVerb, new JsonObject { ["school"] = School, ["item"] = item.Id }, Year3Channel);
        await DispatchedAsync();
        var days = Services.GetRequiredService<IOptions<AttendanceOptions>>().Value.EscalateAfter;

        var early = new FakeTimeProvider(DateTimeOffset.UtcNow + days - TimeSpan.FromHours(1));
        (await ActivatorUtilities.CreateInstance<FollowUpAlerts>(Services, (TimeProvider)early).EscalateDueAsync(days, default)).Should().Be(0);
        var late = new FakeTimeProvider(DateTimeOffset.UtcNow + days + TimeSpan.FromMinutes(1));
        var alerts = ActivatorUtilities.CreateInstance<FollowUpAlerts>(Services, (TimeProvider)late);
        (await alerts.EscalateDueAsync(days, default)).Should().Be(1);
        (await alerts.EscalateDueAsync(days, default)).Should().Be(0);
        var sent = await DispatchedAsync();

        (await Items()).Single().State.Should().Be(FollowUpState.Escalated);
        sent.Should().Contain(s => s.Path.Contains(SencoId, StringComparison.Ordinal));
        sent.Should().Contain(s => s.Path.Contains(SltId, StringComparison.Ordinal));
        sent.Should().NotContain(s => s.Path.Contains(AdminId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoResponse_AfterTheDeadlineRunTwice_OneAlertSaysSo()
    {
        await ChannelForYear3Async();
        await Services.GetRequiredService<MeetingStore>().CreateAsync(new MeetingRecord(School, TermId, Freya, PriyaId, "priya.shah@oakfield.example.org") { Status = MeetingStatus.ParentChoosing }, default);
        var deadline = CurrentTerm().Deadline.ToDateTime(new TimeOnly(12, 0));

        (await Check(new DateTimeOffset(deadline, TimeSpan.Zero))).Should().Be(0, "on the deadline day the parent can still answer");
        await Check(new DateTimeOffset(deadline.AddDays(1), TimeSpan.Zero));
        await Check(new DateTimeOffset(deadline.AddDays(2), TimeSpan.Zero));
        var sent = await DispatchedAsync();

        Texts(Card(sent.Should().ContainSingle().Subject)).Should().Contain(t => t.Contains("no views and did not answer the invitation", StringComparison.Ordinal)
            && t.Contains("No views link was emailed to them.", StringComparison.Ordinal));
        (await Items()).Should().ContainSingle().Which.Reason.Should().Be(FollowUpReason.NoResponse);

        Task<int> Check(DateTimeOffset at) => ActivatorUtilities.CreateInstance<NoResponseCheck>(Services, (TimeProvider)new FakeTimeProvider(at)).RaiseAsync(default);
    }

    [Fact]
    public async Task NoResponse_ParentWasMailedAndReminded_AlertSaysWhen()
    {
        await ChannelForYear3Async();
        await Services.GetRequiredService<MeetingStore>().CreateAsync(new MeetingRecord(School, TermId, Freya, PriyaId, "priya.shah@oakfield.example.org") { Status = MeetingStatus.ParentChoosing }, default);
        var deadline = CurrentTerm().Deadline.ToDateTime(new TimeOnly(12, 0));
        var claims = await Services.GetRequiredService<TableStorage>().GetTableAsync(ViewsLinkMailJob.Table, default);
        var key = ViewsLinkMailJob.RowKey(TermId, Freya, "1");
        await claims.AddEntityAsync(new TableEntity(School, key) { ["State"] = "sent", ["Upn"] = Freya, ["SentAt"] = new DateTimeOffset(deadline.AddDays(-10), TimeSpan.Zero) });
        await claims.AddEntityAsync(new TableEntity(School, key + ViewsLinkMailJob.ReminderSuffix) { ["State"] = "sent", ["Upn"] = Freya, ["SentAt"] = new DateTimeOffset(deadline.AddDays(-2), TimeSpan.Zero) });

        await ActivatorUtilities.CreateInstance<NoResponseCheck>(Services, (TimeProvider)new FakeTimeProvider(new DateTimeOffset(deadline.AddDays(1), TimeSpan.Zero))).RaiseAsync(default);
        var sent = await DispatchedAsync();

        var sentOn = deadline.AddDays(-10).ToString("d MMMM", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
        var remindedOn = deadline.AddDays(-2).ToString("d MMMM", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
        Texts(Card(sent.Should().ContainSingle().Subject)).Should().Contain(t => t.Contains($"We emailed their views link on {sentOn} and a reminder on {remindedOn}.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoResponse_ParentSentViewsButChoseNoTime_NoAlert()
    {
        await ChannelForYear3Async();
        await Services.GetRequiredService<MeetingStore>().CreateAsync(new MeetingRecord(School, TermId, Freya, PriyaId, "priya.shah@oakfield.example.org") { Status = MeetingStatus.ParentChoosing }, default);
        await Services.GetRequiredService<Bot.Views.ParentViewsStore>().SaveAsync(
            new Bot.Views.ParentViews(School, TermId, Freya, "c1", new Dictionary<string, string> { ["goingWell"] = "She reads to her brother at bedtime." }), default);
        var deadline = CurrentTerm().Deadline.ToDateTime(new TimeOnly(12, 0));

        var raised = await ActivatorUtilities.CreateInstance<NoResponseCheck>(Services, (TimeProvider)new FakeTimeProvider(new DateTimeOffset(deadline.AddDays(1), TimeSpan.Zero))).RaiseAsync(default);

        raised.Should().Be(0, "a parent who gave their views has responded");
        (await Items()).Should().BeEmpty();
    }

    [Fact]
    public async Task WeeklyDigest_OnTheDayRunTwice_OneCardPerYearChannelAndOneForSlt()
    {
        await ParentMissedAndAlertPostedAsync();
        var friday = DateTimeOffset.UtcNow.Date.AddDays(((int)DayOfWeek.Friday - (int)DateTimeOffset.UtcNow.DayOfWeek + 7) % 7).AddHours(16);
        var digest = ActivatorUtilities.CreateInstance<WeeklyDigest>(Services, (TimeProvider)new FakeTimeProvider(new DateTimeOffset(friday, TimeSpan.Zero)));
        var thursday = ActivatorUtilities.CreateInstance<WeeklyDigest>(Services, (TimeProvider)new FakeTimeProvider(new DateTimeOffset(friday.AddDays(-1), TimeSpan.Zero)));

        (await thursday.SendDueAsync(default)).Should().Be(0);
        await Task.WhenAll(digest.SendDueAsync(default), digest.SendDueAsync(default));
        var sent = await DispatchedAsync();

        sent.Should().HaveCount(2);
        var year3 = Texts(Card(sent.Single(s => s.Path.Contains("year3-alerts", StringComparison.Ordinal))));
        year3.Should().Contain("Year 3: plan meetings this week");
        year3.Should().Contain(t => t.Contains("Freya O'Connor (3A): open, nobody has it yet", StringComparison.Ordinal));
        var slt = Texts(Card(sent.Single(s => s.Path.Contains(SltId, StringComparison.Ordinal))));
        slt.Should().Contain("Oakfield Primary: plan meetings this week");
    }

    [Fact]
    public async Task WeeklyDigest_SltWithNoChat_AdminToldTheirNameOnce()
    {
        var chats = await Services.GetRequiredService<TableStorage>().GetTableAsync(StaffChats.Table);
        await chats.DeleteEntityAsync(School, SltId);
        var friday = DateTimeOffset.UtcNow.Date.AddDays(((int)DayOfWeek.Friday - (int)DateTimeOffset.UtcNow.DayOfWeek + 7) % 7).AddHours(16);
        var digest = ActivatorUtilities.CreateInstance<WeeklyDigest>(Services, (TimeProvider)new FakeTimeProvider(new DateTimeOffset(friday, TimeSpan.Zero)));

        await digest.SendDueAsync(default);
        await digest.SendDueAsync(default);
        var sent = await DispatchedAsync();

        sent.Should().NotContain(s => s.Path.Contains(SltId, StringComparison.Ordinal));
        var toAdmin = sent.Where(s => s.Path.Contains(AdminId, StringComparison.Ordinal)).Select(s => s.Body!["text"]!.GetValue<string>()).ToList();
        toAdmin.Should().ContainSingle().Which.Should().Contain("could not be sent to Grace Lee (SLT)").And.Contain("Ask them to open the bot in Teams once");
    }

    [Fact]
    public async Task Erase_PupilWithAFollowUpAndAttendance_NoneOfTheirRowsLeft()
    {
        ReportSays();
        var meeting = await MeetingAsync(online: true);
        await Sweep().SweepAsync(default);
        (await Items()).Should().ContainSingle();

        await Services.GetRequiredService<SendPlans.Bot.DataProtection.PupilErasure>().EraseAsync(RosterReader.System("erasure request"), School, Freya, default);

        (await Items()).Should().BeEmpty();
        (await Services.GetRequiredService<AttendanceStore>().GetAsync(School, MeetingId(meeting), default)).Should().BeNull();
    }

    private void ReportSays(params (string Email, int Seconds)[] attendees) =>
        _reports.Setup(r => r.GetAttendanceAsync(It.IsAny<string>(), JoinUrl, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new MeetingAttendanceReport(AttendanceReportStatus.Found, [.. attendees.Select(a => new AttendeeRecord(a.Email, null, TimeSpan.FromSeconds(a.Seconds)))]));

    private async Task<MeetingRecord> MeetingAsync(bool online)
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(-40);
        return await Services.GetRequiredService<MeetingStore>().CreateAsync(new MeetingRecord(School, TermId, Freya, PriyaId, "priya.shah@oakfield.example.org")
        {
            Status = MeetingStatus.Booked,
            Slot = new SlotTimes(start, start.AddMinutes(15)),
            EventId = "event-freya",
            JoinUrl = online ? JoinUrl : null,
        }, default);
    }

    private static string MeetingId(MeetingRecord m) => BookedEndedMeetings.IdOf(m);

    /// <summary>Year 3 has a channel; the report says nobody joined Freya's online meeting; the sweep's alert is posted.</summary>
    private async Task ParentMissedAndAlertPostedAsync()
    {
        await ChannelForYear3Async();
        ReportSays();
        await MeetingAsync(online: true);
        await Sweep().SweepAsync(default);
        await DispatchedAsync();
    }

    private async Task ChannelForYear3Async() =>
        await Services.GetRequiredService<RosterStore>().UpdateYearGroupAsync(School, YearGroup.Parse("3"), y => y with
        {
            AlertChannel = new ConversationReference
            {
                Conversation = new ConversationAccount { Id = Year3Channel, ConversationType = "channel", IsGroup = true },
                ChannelId = "msteams",
                ServiceUrl = _bot.Connector.ServiceUrl,
                Bot = new ChannelAccount { Id = "28:" + BotFactory.AppId },
            },
        }, default);

    private async Task SetYearLeadAsync(string entraId, string year)
    {
        await StaffAsync(entraId, "Teacher;YearLead", "Tom Ellis", "RA");
        await Services.GetRequiredService<RosterStore>().UpdateYearGroupAsync(School, YearGroup.Parse(year), y => y with { YearLeadEntraIds = [.. y.YearLeadEntraIds, entraId] }, default);
    }

    /// <summary>Puts a member of staff on the school's staff list with these roles and classes.</summary>
    private async Task StaffAsync(string entraId, string roles, string name, string classes)
    {
        var storage = Services.GetRequiredService<Infrastructure.Storage.TableStorage>();
        var staff = await storage.GetTableAsync(StaffDirectory.StaffTable);
        await staff.UpsertEntityAsync(new Azure.Data.Tables.TableEntity(School, entraId) { ["Roles"] = roles, ["DisplayName"] = name, ["Classes"] = classes }, Azure.Data.Tables.TableUpdateMode.Merge);
        var index = await storage.GetTableAsync(StaffDirectory.IndexTable);
        await index.UpsertEntityAsync(new Azure.Data.Tables.TableEntity(entraId, "school") { ["SchoolId"] = School });
    }

    private AttendanceService Sweep() => Services.GetRequiredService<AttendanceService>();

    private async Task<IReadOnlyList<FollowUpItem>> Items() => await Services.GetRequiredService<FollowUpStore>().ForSchoolAsync(School, default);

    private OutboxDispatcher Dispatcher() =>
        ActivatorUtilities.CreateInstance<OutboxDispatcher>(Services, (TimeProvider)_dispatchTime, Options.Create(new OutboxOptions { PerConversationSpacing = TimeSpan.Zero }));

    /// <summary>Delivers the outbox and returns what reached the Connector in that pass.</summary>
    private async Task<IReadOnlyList<FakeConnector.Received>> DispatchedAsync()
    {
        _dispatchTime.Advance(TimeSpan.FromMinutes(1));
        var before = _bot.Connector.Requests.Count;
        var count = await Dispatcher().DispatchOnceAsync(default);
        return [.. (await _bot.Connector.WaitForAsync(before + count)).Skip(before)];
    }

    private async Task<JsonNode> InvokeAsAsync(string entraId, string verb, JsonObject data, string conversationId, string replyToId = "activity-1")
    {
        var activity = Invoke(_bot, verb, data, replyToId);
        activity["from"] = new JsonObject { ["id"] = $"29:{entraId}", ["aadObjectId"] = entraId };
        activity["conversation"] = new JsonObject { ["id"] = conversationId, ["conversationType"] = conversationId.StartsWith("19:", StringComparison.Ordinal) ? "channel" : "personal", ["tenantId"] = "tenant-1" };
        var response = await _bot.PostActivityAsync(activity);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static string StatusOf(JsonNode card) =>
        card["body"]!.AsArray().Single(e => e!["id"]?.GetValue<string>() == "facts")!["facts"]!.AsArray()
            .Single(f => f!["title"]!.GetValue<string>() == "Status")!["value"]!.GetValue<string>();

    private static JsonNode Card(FakeConnector.Received r) => r.Body!["attachments"]![0]!["content"]!;
}
