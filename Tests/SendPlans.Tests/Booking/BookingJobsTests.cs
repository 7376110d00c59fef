using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SendPlans.Bot.Booking;
using SendPlans.Cards.Booking;
using SendPlans.Infrastructure.Calendars.Local;
using SendPlans.Infrastructure.Jobs;
using SendPlans.Infrastructure.Mail;
using SendPlans.Infrastructure.Storage;
using SendPlans.Tests.Support;
using static SendPlans.Tests.Booking.BookingSchool;

namespace SendPlans.Tests.Booking;

/// <summary>
/// The booking jobs on a fake clock, each run twice and on two "instances" (two job objects
/// sharing the tables): every message goes exactly once.
/// </summary>
public sealed class BookingJobsTests : IAsyncLifetime
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private readonly CapturingLoggerProvider _logs = new();
    private BotFactory _bot = null!;

    private IServiceProvider Services => _bot.Services;
    private MeetingStore Meetings => Services.GetRequiredService<MeetingStore>();

    public async Task InitializeAsync()
    {
        _bot = await BotFactory.StartAsync(settings: new() { ["Booking:RunJobs"] = "false" }, services: s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(_logs));
        await SeedAsync(Services);
        await RememberChatAsync(Services, _bot, School, SencoId);
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task DeadlineWatch_RunTwiceOnTwoInstances_TeacherAndSencoToldOnce()
    {
        await SayAsync(_bot, "help"); // the teacher's chat is remembered when they use booking; help does not
        await SayAsync(_bot, "my meetings");
        var time = At(CurrentTerm().Deadline.AddDays(-2), 10, 0);
        var (a, b) = (Job<DeadlineWatchJob>(time), Job<DeadlineWatchJob>(time));

        await Task.WhenAll(a.RunOnceAsync(default), b.RunOnceAsync(default));
        await a.RunOnceAsync(default);
        await b.RunOnceAsync(default);

        var sent = await DispatchedAsync();
        sent.Should().HaveCount(2);
        var teacher = sent.Single(s => s.Path.Contains("personal-chat-1"));
        Texts(Card(teacher)).Should().Contain(["Amelia Hartley", "Oliver Nwosu", "Isla Kowalska", "Noah Patel", "Book my plan meetings"]);
        Texts(Card(teacher)).Should().NotContain("Zara Begum", "a teacher hears only of their own classes");
        var senco = sent.Single(s => s.Path.Contains(SencoId));
        Texts(Card(senco)).Should().Contain(t => t.Contains("9 pupils have no meeting booked yet"));
    }

    [Fact]
    public async Task DeadlineWatch_TeacherWithNoChat_SencoToldTheirNameAndCountLogged()
    {
        await Services.GetRequiredService<SendPlans.Infrastructure.BotFramework.TrustedServiceUrls>().TrustAsync(_bot.Connector.ServiceUrl, default); // no turn came in to trust it
        var job = Job<DeadlineWatchJob>(At(CurrentTerm().Deadline.AddDays(-2), 10, 0));

        await job.RunOnceAsync(default);

        var sent = await DispatchedAsync();
        var senco = sent.Should().ContainSingle("the teacher has no chat with the bot").Which;
        senco.Path.Should().Contain(SencoId);
        Texts(Card(senco)).Should().Contain(t => t.EndsWith("The bot cannot reach Terry Teacher, Priya Shah, Tom Ellis and Nadia Rahman in Teams yet, so they were not sent their own list: please tell them.", StringComparison.Ordinal));
        _logs.Lines.Should().Contain(l => l.Contains("plan-deadline-watch in school oak: 4 of 5 recipients have no personal chat", StringComparison.Ordinal));
        _logs.Lines.Should().NotContain(l => l.Contains("Terry", StringComparison.Ordinal), "logs carry counts, not names");
    }

    [Fact]
    public async Task DeadlineWatch_BeforeTheWarningDays_SendsNothing()
    {
        var job = Job<DeadlineWatchJob>(At(CurrentTerm().Deadline.AddDays(-6), 10, 0));

        (await job.RunOnceAsync(default)).Should().Be(0);
    }

    [Fact]
    public async Task MorningList_RunTwiceOnTwoInstances_OneCardForTheTeacherThatDay()
    {
        await BookAllAsync();
        var first = (await Meetings.ForTeacherAsync(School, TermId, TeacherId, default)).OrderBy(m => m.Slot!.Start).First();
        var day = DateOnly.FromDateTime(BookingText.Local(first.Slot!.Start, "Europe/London"));
        var onThatDay = (await Meetings.ForTeacherAsync(School, TermId, TeacherId, default))
            .Count(m => DateOnly.FromDateTime(BookingText.Local(m.Slot!.Start, "Europe/London")) == day);
        (await Job<MorningListJob>(At(day, 7, 0)).RunOnceAsync(default)).Should().Be(0, "the list goes from 07:30");
        var time = At(day, 7, 45);
        var (a, b) = (Job<MorningListJob>(time), Job<MorningListJob>(time));

        await Task.WhenAll(a.RunOnceAsync(default), b.RunOnceAsync(default));
        await a.RunOnceAsync(default);
        await b.RunOnceAsync(default);

        var sent = await DispatchedAsync();
        sent.Should().ContainSingle();
        var card = Card(sent[0]);
        Texts(card).Should().Contain("Today's plan meetings").And.Contain(t => t.StartsWith($"You have {onThatDay} plan meeting"));
        card.ToJsonString().Should().Contain(first.JoinUrl!);
        card.ToJsonString().Should().Contain("\"title\":\"Plan and views\"").And.Contain("\"value\":\"plan for ", "each meeting opens its plan with the views");
    }

    [Fact]
    public async Task Reminders_TwoDaysAndTwoHoursBefore_EachSentOnceEvenOnTwoInstances()
    {
        await BookAllAsync();
        var oliver = (await Meetings.GetAsync(School, TermId, Oliver, default))!;
        var outbox = Services.GetRequiredService<LocalOutbox>();
        var twoDays = new FakeTimeProvider(oliver.Slot!.Start - TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        var (a, b) = (Job<ParentRemindersJob>(twoDays), Job<ParentRemindersJob>(twoDays));

        await Task.WhenAll(a.RunOnceAsync(default), b.RunOnceAsync(default));
        await a.RunOnceAsync(default);
        var twoHours = new FakeTimeProvider(oliver.Slot.Start - TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        await Job<ParentRemindersJob>(twoHours).RunOnceAsync(default);
        await Job<ParentRemindersJob>(twoHours).RunOnceAsync(default);

        var reminders = (await outbox.ListAsync("o.nwosu@example.org")).Where(m => m.Subject.StartsWith("Reminder")).ToList();
        reminders.Should().HaveCount(2);
        reminders[0].HtmlBody.Should().Contain("/booking/").And.Contain("You do not need a Teams account");
    }

    [Fact]
    public async Task Reminders_MailFailsOnce_SentOnTheNextPass()
    {
        await BookAllAsync();
        var oliver = (await Meetings.GetAsync(School, TermId, Oliver, default))!;
        var twoDays = new FakeTimeProvider(oliver.Slot!.Start - TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        var mailer = new FailingOnceMailer(Services.GetRequiredService<LocalOutboxMailer>());
        var failing = ActivatorUtilities.CreateInstance<ParentRemindersJob>(Services, twoDays, mailer);

        await failing.Invoking(j => j.RunOnceAsync(default)).Should().ThrowAsync<HttpRequestException>();
        (await Meetings.GetAsync(School, TermId, Oliver, default))!.RemindersSent.Should().BeEmpty("the failed reminder's claim is given back");
        await failing.RunOnceAsync(default);

        var reminders = (await Services.GetRequiredService<LocalOutbox>().ListAsync("o.nwosu@example.org")).Where(m => m.Subject.StartsWith("Reminder")).ToList();
        reminders.Should().ContainSingle();
        (await Meetings.GetAsync(School, TermId, Oliver, default))!.RemindersSent.Should().NotBeEmpty();
    }

    [Fact]
    public async Task Reminders_ProcessDiedAfterClaiming_SentExactlyOnceOnceTheClaimIsStale()
    {
        await BookAllAsync();
        var oliver = (await Meetings.GetAsync(School, TermId, Oliver, default))!;
        var time = new FakeTimeProvider(oliver.Slot!.Start - TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        var table = await Services.GetRequiredService<TableStorage>().GetTableAsync(ParentRemindersJob.Table);
        // The process that died got as far as claiming the two-day reminder.
        var dead = await new MailClaims(table, time, NullLogger.Instance).ClaimAsync(School, ParentRemindersJob.ClaimKey(oliver.TransactionId, TimeSpan.FromDays(2)),
            $"reminder-{oliver.TransactionId}-2.00:00:00", new Dictionary<string, object> { ["Upn"] = Oliver }, default);
        dead.Won.Should().BeTrue();
        var mailer = new CountingMailer(Services.GetRequiredService<LocalOutboxMailer>());
        ParentRemindersJob Instance() => ActivatorUtilities.CreateInstance<ParentRemindersJob>(Services, time, mailer);

        await Instance().RunOnceAsync(default);
        mailer.To("o.nwosu@example.org").Should().BeEmpty("a fresh claim may still be sending");
        time.Advance(MailClaims.StaleAfter + TimeSpan.FromMinutes(1));
        var (a, b) = (Instance(), Instance());
        await Task.WhenAll(a.RunOnceAsync(default), b.RunOnceAsync(default));
        await a.RunOnceAsync(default);
        await b.RunOnceAsync(default);

        mailer.To("o.nwosu@example.org").Should().ContainSingle(m => m.Subject.StartsWith("Reminder") && m.MessageId.StartsWith($"reminder-{oliver.TransactionId}-2.00:00:00-", StringComparison.Ordinal),
            "one instance takes the stale claim over and sends with the dead process's message id");
        (await Meetings.GetAsync(School, TermId, Oliver, default))!.RemindersSent.Should().Contain("2.00:00:00");
    }

    /// <summary>Passes every send on and remembers it, to count sends the outbox would fold into one.</summary>
    private sealed class CountingMailer(IParentMailer inner) : IParentMailer
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<MailMessage> _sent = new();

        public IReadOnlyList<MailMessage> To(string address) => [.. _sent.Where(m => m.To == address)];

        public async Task SendAsync(MailMessage message, CancellationToken cancellationToken)
        {
            await inner.SendAsync(message, cancellationToken);
            _sent.Enqueue(message);
        }
    }

    /// <summary>Throws on its first send, as a mail server that is briefly down; then sends.</summary>
    private sealed class FailingOnceMailer(IParentMailer inner) : IParentMailer
    {
        private int _calls;

        public Task SendAsync(MailMessage message, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) == 1 ? throw new HttpRequestException("mail server unavailable") : inner.SendAsync(message, cancellationToken);
    }

    [Fact]
    public async Task Reminders_ParentWithoutEmail_TeacherAskedToPhoneOnce()
    {
        await BookAllAsync();
        var isla = (await Meetings.GetAsync(School, TermId, Isla, default))!;
        var time = new FakeTimeProvider(isla.Slot!.Start - TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));

        await Job<ParentRemindersJob>(time).RunOnceAsync(default);
        await Job<ParentRemindersJob>(time).RunOnceAsync(default);
        time.Advance(TimeSpan.FromDays(2) - TimeSpan.FromHours(2));
        await Job<ParentRemindersJob>(time).RunOnceAsync(default);

        var sent = (await DispatchedAsync()).Where(r => r.Body?["text"]?.GetValue<string>()?.Contains("Isla Kowalska") == true).ToList();
        sent.Should().ContainSingle();
        sent[0].Body!["text"]!.GetValue<string>().Should().Contain("has no email address").And.Contain("07700900104");
    }

    [Fact]
    public async Task Reminders_ParentWithoutEmailTeacherWithNoChat_SencoAskedInstead()
    {
        await BookAllAsync();
        var chats = await Services.GetRequiredService<SendPlans.Infrastructure.Storage.TableStorage>().GetTableAsync(StaffChats.Table);
        await chats.DeleteEntityAsync(School, TeacherId); // as if the teacher had booked from another device and never chatted
        var isla = (await Meetings.GetAsync(School, TermId, Isla, default))!;
        var time = new FakeTimeProvider(isla.Slot!.Start - TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));

        await Job<ParentRemindersJob>(time).RunOnceAsync(default);
        await Job<ParentRemindersJob>(time).RunOnceAsync(default);

        var sent = (await DispatchedAsync()).Where(r => r.Body?["text"]?.GetValue<string>()?.Contains("Isla Kowalska") == true).ToList();
        var senco = sent.Should().ContainSingle().Which;
        senco.Path.Should().Contain(SencoId);
        senco.Body!["text"]!.GetValue<string>().Should().StartWith("Terry Teacher cannot be reached by the bot in Teams, so I am telling you instead.")
            .And.Contain("has no email address").And.Contain("07700900104");
    }

    private async Task BookAllAsync()
    {
        await SayAsync(_bot, "book my plan meetings");
        await BookingSchool.BookAllAsync(_bot);
    }

    private T Job<T>(TimeProvider time) where T : LeasedJob => ActivatorUtilities.CreateInstance<T>(Services, time);

    private static FakeTimeProvider At(DateOnly day, int hour, int minute)
    {
        var local = day.ToDateTime(new TimeOnly(hour, minute));
        return new FakeTimeProvider(new DateTimeOffset(local, London.GetUtcOffset(local)));
    }

    /// <summary>Delivers the outbox and returns what reached the Connector in that pass.</summary>
    private async Task<IReadOnlyList<FakeConnector.Received>> DispatchedAsync()
    {
        var before = _bot.Connector.Requests.Count;
        var count = await DispatchAsync(Services);
        return [.. (await _bot.Connector.WaitForAsync(before + count)).Skip(before)];
    }

    private static JsonNode Card(FakeConnector.Received r) => r.Body!["attachments"]![0]!["content"]!;
}
