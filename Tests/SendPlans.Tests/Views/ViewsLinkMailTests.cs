using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SendPlans.Bot.DataProtection;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Terms;
using SendPlans.Bot.Views;
using SendPlans.Infrastructure.Calendars.Local;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Tests.Views;

/// <summary>
/// Parents are mailed their views link once a term when the plan has its targets, on Azurite
/// with the development outbox. Each test uses the ViewsSchool of its own class, in the order
/// xunit picks, so every check reads the state it needs instead of assuming a fresh one.
/// </summary>
public sealed partial class ViewsLinkMailTests(ViewsSchool school) : IClassFixture<ViewsSchool>
{
    private const string AmeliasMother = "hartley.home@example.com";
    private const string OliversFather = "o.nwosu@example.org";

    private ViewsLinkMailJob Job => school.Bot.Services.GetRequiredService<ViewsLinkMailJob>();

    /// <summary>The jobs go through the schools that have settings; the views school has none until a test adds them.</summary>
    private Task SettingsAsync() => school.Bot.Services.GetRequiredService<SchoolCalendarStore>().CreateSettingsAsync(new SchoolSettings(ViewsSchool.School, "Oakfield Primary"), default);
    private LocalOutbox Outbox => school.Bot.Services.GetRequiredService<LocalOutbox>();

    private async Task<TableClient> ClaimsAsync() =>
        await school.Bot.Services.GetRequiredService<TableStorage>().GetTableAsync(ViewsLinkMailJob.Table);

    [Fact]
    public async Task RunOnce_PlanWithTargets_MotherMailedOnceWithALinkThatOpensHerForm()
    {
        await SettingsAsync();
        await Job.RunOnceAsync(default);
        var again = await Job.RunOnceAsync(default);

        again.Should().Be(0, "a second pass mails nobody twice");
        var mail = (await Outbox.ListAsync(AmeliasMother)).Where(m => m.Subject == "Your views on Amelia's plan").Should().ContainSingle().Subject;
        mail.HtmlBody.Should().Contain("Please answer by Friday 11 December").And.Contain("Tell us your views");
        var link = LinkPattern().Match(mail.HtmlBody).Groups["path"].Value;
        link.Should().StartWith("/views/");
        using var http = new HttpClient { BaseAddress = new Uri(school.Url) };
        var page = await http.GetAsync(link);
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).Should().Contain("Amelia");
        var claim = (await ClaimsAsync()).GetEntity<TableEntity>(ViewsSchool.School, ViewsLinkMailJob.RowKey(school.Open.Id, ViewsSchool.Amelia, "1")).Value;
        claim.GetString("State").Should().Be("sent");
        var audit = await school.Bot.Services.GetRequiredService<PlanAudit>().ForPupilAsync(ViewsSchool.School, ViewsSchool.Amelia, default);
        audit.Should().NotContain(e => e.Actor == "system:views link mail", "the job reads target counts, not plans, so it leaves nothing in the plan audit");
    }

    [Fact]
    public async Task RunOnce_ThreeDaysBeforeTheDeadlineNoAnswerYet_OneReminder()
    {
        await SettingsAsync();
        var week = JobAt(At(school.Open.Deadline.AddDays(-7)));
        var window = JobAt(At(school.Open.Deadline.AddDays(-2)));
        await week.RunOnceAsync(default);

        (await JobAt(At(school.Open.Deadline.AddDays(-4))).RunOnceAsync(default)).Should().Be(0, "the reminder waits for the last three days");
        var reminded = await window.RunOnceAsync(default);
        var again = await window.RunOnceAsync(default);

        reminded.Should().Be(1, "Amelia's mother was mailed her link before the last three days and has not answered");
        again.Should().Be(0);
        var reminder = (await Outbox.ListAsync(AmeliasMother)).Should().ContainSingle(m => m.Subject == "A reminder: your views on Amelia's plan").Subject;
        reminder.HtmlBody.Should().Contain("We have not had your views").And.Contain("/views/");
    }

    private ViewsLinkMailJob JobAt(TimeProvider time) => ActivatorUtilities.CreateInstance<ViewsLinkMailJob>(school.Bot.Services, time);

    /// <summary>10:00 in London on the day.</summary>
    private static FakeTimeProvider At(DateOnly day) => new(new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero));

    [Fact]
    public async Task PlanCard_AfterTheLinkWasMailed_TeacherSeesHowEachParentWasAsked()
    {
        await SettingsAsync();
        await Job.RunOnceAsync(default);

        var card = (await school.SayAsync("3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a03", "plan for Amelia")) // Tom Ellis, Amelia's teacher
            .Single(b => b["attachments"] is not null)["attachments"]![0]!["content"]!.ToJsonString();

        card.Should().Contain("We emailed the link on", "her mother has an email address");
        card.Should().Contain("No email address: phone them", "her father has none");
    }

    [Theory]
    [InlineData("a@example.org", 2, false, false, "The link will be emailed shortly.")]
    [InlineData("a@example.org", 1, false, false, "The link is emailed once the plan has 2 targets.")]
    [InlineData(null, 2, false, false, "No email address: phone them, or fill it in with them on a call.")]
    [InlineData("a@example.org", 2, true, false, "We emailed the link on 4 December.")]
    [InlineData("a@example.org", 2, true, true, "We emailed the link on 4 December and a reminder on 9 December.")]
    public void AskedNote_EachWayAParentWasAsked_SaysIt(string? email, int targets, bool mailed, bool reminded, string expected)
    {
        var contact = new Contact(ViewsSchool.School, ViewsSchool.Amelia, 1, "Mother", true, email, null, "English", false);
        var record = mailed ? new ViewsLinkMailed(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero), reminded ? new DateTimeOffset(2026, 12, 9, 9, 0, 0, TimeSpan.Zero) : null) : null;

        SendPlans.Bot.Plans.PlansHandlers.AskedNote(contact, record, targets, SchoolClock.DefaultTimeZone).Should().Be(expected);
    }

    [Theory]
    [InlineData("2026-06-04T22:30:00Z", "2026-06-08T22:30:00Z", "4 June", "8 June")] // 23:30 British summer time: the same day in UTC
    [InlineData("2026-06-04T23:30:00Z", "2026-06-08T23:15:00Z", "5 June", "9 June")] // 00:30 and 00:15 at school: still the day before in UTC
    public void AskedNote_MailedAroundMidnightInBritishSummerTime_SaysTheSchoolsDayLikeTheYearLeadsAlert(string sentAt, string remindedAt, string sentDay, string remindedDay)
    {
        var contact = new Contact(ViewsSchool.School, ViewsSchool.Amelia, 1, "Mother", true, "a@example.org", null, "English", false);
        var record = new ViewsLinkMailed(DateTimeOffset.Parse(sentAt, CultureInfo.InvariantCulture), DateTimeOffset.Parse(remindedAt, CultureInfo.InvariantCulture));

        SendPlans.Bot.Plans.PlansHandlers.AskedNote(contact, record, 2, "Europe/London")
            .Should().Be($"We emailed the link on {sentDay} and a reminder on {remindedDay}.");
        SendPlans.Bot.Attendance.FollowUpAlerts.HowAsked(new Dictionary<string, ViewsLinkMailed> { ["1"] = record }, "Europe/London")
            .Should().Be($"We emailed their views link on {sentDay} and a reminder on {remindedDay}.");
    }

    [Fact]
    public async Task RunOnce_TwoInstancesAtOnce_EachParentMailedOnce()
    {
        await SettingsAsync();
        var other = ActivatorUtilities.CreateInstance<ViewsLinkMailJob>(school.Bot.Services);
        var claims = await ClaimsAsync();
        await claims.DeleteEntityAsync(ViewsSchool.School, ViewsLinkMailJob.RowKey(school.Open.Id, ViewsSchool.Amelia, "1"));

        var passes = await Task.WhenAll(Job.RunOnceAsync(default), other.RunOnceAsync(default), Job.RunOnceAsync(default), other.RunOnceAsync(default));

        passes.Sum().Should().Be(1, "the mother's link was unclaimed: one of the passes mails it, the others find it claimed or the lease taken");
    }

    [Fact]
    public async Task RunOnce_ClaimWhoseMailFailed_MailedOnTheNextPass()
    {
        await SettingsAsync();
        await Job.RunOnceAsync(default);
        var claims = await ClaimsAsync();
        var key = ViewsLinkMailJob.RowKey(school.Open.Id, ViewsSchool.Amelia, "1");
        await claims.UpsertEntityAsync(new TableEntity(ViewsSchool.School, key) { ["State"] = "claimed", ["Upn"] = ViewsSchool.Amelia }, TableUpdateMode.Replace);

        var sent = await Job.RunOnceAsync(default);

        sent.Should().Be(1);
        (await claims.GetEntityAsync<TableEntity>(ViewsSchool.School, key)).Value.GetString("State").Should().Be("sent");
    }

    [Fact]
    public async Task RunOnce_NoEmailNoTargetsOrViewsGiven_NotMailed()
    {
        await SettingsAsync();

        // Oliver's father has an email but Oliver has no plan yet; Amelia's father has no email.
        await Job.RunOnceAsync(default);
        (await Outbox.ListAsync(OliversFather)).Should().NotContain(m => m.Subject.StartsWith("Your views", StringComparison.Ordinal));

        // With targets, but the father already gave his views (on the phone with staff): no mail either.
        await school.Bot.Services.GetRequiredService<RosterStore>().CreatePlanAsync(ViewsSchool.System, new Plan(ViewsSchool.School, ViewsSchool.Oliver, school.Open.Id, PlanStatus.Draft,
            [new PlanTarget("Oliver will wait for his turn in a game."), new PlanTarget("Oliver will use his words when cross.")]), default);
        await school.Store.SaveAsync(new ParentViews(ViewsSchool.School, school.Open.Id, ViewsSchool.Oliver, "1", new Dictionary<string, string> { ["worries"] = "Lunchtimes." }), default);
        await Job.RunOnceAsync(default);

        (await Outbox.ListAsync(OliversFather)).Should().NotContain(m => m.Subject.StartsWith("Your views", StringComparison.Ordinal));
        (await ClaimsAsync()).Query<TableEntity>(e => e.PartitionKey == ViewsSchool.School && e.GetString("Upn") != ViewsSchool.Amelia).Should().BeEmpty();
    }

    [Fact]
    public async Task Erase_PupilWhoseParentWasMailed_ClaimGone()
    {
        await SettingsAsync();
        await Job.RunOnceAsync(default);
        var eraser = school.Bot.Services.GetServices<IPupilDataEraser>().OfType<ViewsLinkMailEraser>().Single();

        (await eraser.EraseAsync(ViewsSchool.School, ViewsSchool.Amelia, default)).Should().BeGreaterThan(0);

        (await ClaimsAsync()).Query<TableEntity>(e => e.PartitionKey == ViewsSchool.School).Should().NotContain(e => e.GetString("Upn") == ViewsSchool.Amelia);
    }

    [GeneratedRegex("href=\"https?://[^/\"]+(?<path>/views/[^\"]+)\"")]
    private static partial Regex LinkPattern();
}
