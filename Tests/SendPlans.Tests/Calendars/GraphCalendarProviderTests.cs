using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SendPlans.Infrastructure.Calendars;
using SendPlans.Infrastructure.Calendars.Graph;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Calendars;

/// <summary>The Graph provider through the real SDK and HTTP stack, against the fake Graph server.</summary>
public sealed class GraphCalendarProviderTests : IAsyncLifetime
{
    private const string Token = "test-token";
    private static readonly DateTimeOffset Monday = new(2025, 10, 6, 0, 0, 0, TimeSpan.Zero);
    private readonly CapturingLoggerProvider _logs = new();
    private FakeGraph _graph = null!;
    private ServiceProvider? _services;

    public async Task InitializeAsync()
    {
        _graph = await FakeGraph.StartAsync();
        _graph.ExpectedToken = Token;
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        await _graph.DisposeAsync();
    }

    [Fact]
    public async Task CreateEvents_NoFaults60Events_SendsCeilingOfNOver20Requests()
    {
        var provider = Provider();
        var events = Meetings(60, organizers: 6);

        var results = await provider.CreateEventsAsync(events);

        results.Should().OnlyContain(r => r.Succeeded);
        _graph.Batches.Should().Be(3, "60 events fit 3 batches of 20 when no organizer has more than 4 in one");
        _graph.Requests.Should().BeLessThanOrEqualTo(3 + 1);
        _graph.ConcurrencyRejections.Should().Be(0);
        _graph.MaxInFlightAnyMailbox.Should().BeLessThanOrEqualTo(4);
    }

    [Fact]
    public async Task CreateEvents_Created_EachHasTeamsLinkTransactionIdAndParentAttendee()
    {
        var provider = Provider();
        var meeting = Meetings(1, organizers: 1)[0];

        var result = (await provider.CreateEventsAsync([meeting])).Single();

        result.Succeeded.Should().BeTrue();
        var stored = _graph.Events.Single();
        stored.Id.Should().Be(result.Event!.EventId);
        stored.TransactionId.Should().Be(meeting.TransactionId);
        stored.IsOnlineMeeting.Should().BeTrue();
        stored.OnlineMeetingProvider.Should().Be("teamsForBusiness");
        result.Event.JoinUrl.Should().Be(stored.JoinUrl).And.StartWith("https://teams.microsoft.com/l/meetup-join/");
        stored.Attendees.Should().Equal("parent0@home.example");
        stored.Start.Should().Be(meeting.Start);
        stored.End.Should().Be(meeting.End);
        stored.Json["start"]!["timeZone"]!.GetValue<string>().Should().Be("GMT Standard Time", "Graph is given Windows zone names");
        stored.Json["body"]!["contentType"]!.GetValue<string>().Should().Be("html");
    }

    [Fact]
    public async Task CreateEvents_TenPercent429sAndADroppedConnection_CreatesEachEventExactlyOnce()
    {
        var provider = Provider();
        _graph.ThrottleShare = 0.10;
        _graph.DropConnectionAfterApplying(1, skip: 1);
        var events = Meetings(60, organizers: 6);

        var results = await provider.CreateEventsAsync(events);

        results.Should().OnlyContain(r => r.Succeeded);
        _graph.InjectedThrottles.Should().BeGreaterThan(0);
        _graph.DroppedConnections.Should().Be(1);
        var stored = _graph.Events;
        stored.Should().HaveCount(60);
        stored.GroupBy(e => e.TransactionId).Should().OnlyContain(g => g.Count() == 1);
        results.Select(r => r.Event!.EventId).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(stored.Select(e => e.Id));
        _graph.ConcurrencyRejections.Should().Be(0);
    }

    [Fact]
    public async Task CreateEvents_Throttled_ResendsOnlyTheThrottledAfterRetryAfter()
    {
        var provider = Provider();
        _graph.ThrottleNextSubRequests(5);
        var events = Meetings(20, organizers: 5);

        var results = await provider.CreateEventsAsync(events);

        results.Should().OnlyContain(r => r.Succeeded);
        var log = _graph.BatchLog;
        log.Select(b => b.SubRequests).Should().Equal(20, 5);
        (log[1].At - log[0].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1) / Speed, "Retry-After is 1 s, run at 1/Speed");
        _graph.Events.Should().HaveCount(20);
    }

    [Fact]
    public async Task CreateEvents_BatchAnswered503_ResendsTheWholeBatchWithoutDuplicates()
    {
        var provider = Provider();
        _graph.FailNextRequests(1, 503, retryAfterSeconds: 1);

        var results = await provider.CreateEventsAsync(Meetings(20, organizers: 5));

        results.Should().OnlyContain(r => r.Succeeded);
        _graph.Requests.Should().Be(2);
        _graph.Events.Should().HaveCount(20);
    }

    [Fact]
    public async Task CreateEvents_BatchTimesOutAfterBeingApplied_ResendsWithTheSameTransactionIds()
    {
        // 2 s of real time at Speed: long enough for a healthy batch on a loaded machine.
        var provider = Provider(o => o.AttemptTimeout = TimeSpan.FromSeconds(40));
        _graph.StallAfterApplying(1, TimeSpan.FromSeconds(30), skip: 1);
        var events = Meetings(60, organizers: 6);

        var results = await provider.CreateEventsAsync(events);

        results.Should().OnlyContain(r => r.Succeeded);
        _graph.StalledRequests.Should().Be(1);
        _graph.Events.Should().HaveCount(60);
        _graph.Events.GroupBy(e => e.TransactionId).Should().OnlyContain(g => g.Count() == 1);
        events.Count(e => _graph.CreateAttempts(e.TransactionId) == 2).Should().Be(20, "the stalled batch, and only it, was sent twice");
    }

    [Fact]
    public async Task CreateEvents_TimeoutHalfwayThroughBookAll_RetryCompletesTheRestWithoutDuplicates()
    {
        // One attempt only: the timed-out batch is reported as failed, as if the teacher's "book all" broke off.
        var provider = Provider(o => { o.AttemptTimeout = TimeSpan.FromSeconds(40); o.MaxAttempts = 1; });
        _graph.StallAfterApplying(1, TimeSpan.FromSeconds(30), skip: 1);
        var events = Meetings(60, organizers: 6);

        var first = await provider.CreateEventsAsync(events);
        var again = await provider.CreateEventsAsync(events);

        first.Count(r => !r.Succeeded).Should().Be(20);
        first.Where(r => !r.Succeeded).Should().OnlyContain(r => r.Failure!.Kind == CalendarFailureKind.Unavailable);
        again.Should().OnlyContain(r => r.Succeeded);
        for (var i = 0; i < events.Count; i++)
        {
            if (first[i].Succeeded)
            {
                again[i].Event!.EventId.Should().Be(first[i].Event!.EventId);
            }
        }
        _graph.Events.Should().HaveCount(60);
        _graph.Events.GroupBy(e => e.TransactionId).Should().OnlyContain(g => g.Count() == 1);
    }

    [Fact]
    public async Task CreateEvents_OneOrganizer40Events_NeverMoreThanFourInFlightForTheMailbox()
    {
        var provider = Provider();
        var events = Meetings(40, organizers: 1);

        var results = await Task.WhenAll(provider.CreateEventsAsync(events[..20]), provider.CreateEventsAsync(events[20..]));

        results.SelectMany(r => r).Should().OnlyContain(r => r.Succeeded);
        _graph.MaxInFlight("teacher0@school.example").Should().BeLessThanOrEqualTo(4);
        _graph.ConcurrencyRejections.Should().Be(0);
        _graph.BatchLog.Should().OnlyContain(b => b.SubRequests <= 4);
    }

    [Fact]
    public async Task CreateEvents_MailboxDenied403_FailsWithPermissionMissingNamingCalendarsReadWrite()
    {
        var provider = Provider();
        _graph.Deny("teacher2@school.example");
        var events = Meetings(20, organizers: 5);

        var results = await provider.CreateEventsAsync(events);

        var denied = results.Where((_, i) => events[i].Organizer == "teacher2@school.example").ToList();
        denied.Should().HaveCount(4).And.OnlyContain(r => r.Failure!.Kind == CalendarFailureKind.PermissionMissing && r.Failure.Permission == "Calendars.ReadWrite");
        denied[0].Failure!.Message.Should().Contain("Calendars.ReadWrite").And.Contain("admin consent").And.NotContain("Exception").And.NotContain(" at ");
        results.Where((_, i) => events[i].Organizer != "teacher2@school.example").Should().OnlyContain(r => r.Succeeded);
        _graph.Batches.Should().Be(1, "a refusal is final; only throttling and faults are resent");
    }

    [Fact]
    public async Task CreateEvents_UnknownOrganizer_FailsAsInvalidOrNotFoundWithoutRetrying()
    {
        var provider = Provider();
        _graph.Unknown("teacher0@school.example");

        var result = (await provider.CreateEventsAsync(Meetings(1, organizers: 1))).Single();

        result.Failure!.Kind.Should().Be(CalendarFailureKind.NotFound);
        _graph.Requests.Should().Be(1);
    }

    [Fact]
    public async Task CreateEvents_BadInput_FailsAsInvalidWithoutCallingGraph()
    {
        var provider = Provider();
        var good = Meetings(1, organizers: 1)[0];
        NewCalendarEvent[] events =
        [
            good with { End = good.Start },
            good with { TransactionId = "tx-zone", TimeZone = "Mars/Olympus" },
            good with { TransactionId = "tx-org", Organizer = " " },
        ];

        var results = await provider.CreateEventsAsync(events);

        results.Should().OnlyContain(r => r.Failure!.Kind == CalendarFailureKind.Invalid);
        _graph.Requests.Should().Be(0);
    }

    [Fact]
    public async Task CreateEvents_SignInFails_ReportsSignInFailedOnceForEveryEvent()
    {
        var credential = new FailingCredential();
        var provider = Provider(credential: credential);

        var results = await provider.CreateEventsAsync(Meetings(60, organizers: 6));

        results.Should().OnlyContain(r => r.Failure!.Kind == CalendarFailureKind.SignInFailed);
        results[0].Failure!.Message.Should().Contain("Graph:ClientSecret");
        credential.Calls.Should().Be(1, "a failed sign-in is not retried batch after batch");
        _graph.Requests.Should().Be(0);
    }

    [Fact]
    public async Task CreateEvents_WholeBatchForbidden_EveryEventPermissionMissingAfterOneRequest()
    {
        var provider = Provider();
        _graph.FailNextRequests(1, 403);

        var results = await provider.CreateEventsAsync(Meetings(60, organizers: 6));

        results.Should().OnlyContain(r => r.Failure!.Kind == CalendarFailureKind.PermissionMissing && r.Failure.Permission == "Calendars.ReadWrite");
        _graph.Requests.Should().Be(1);
    }

    [Fact]
    public async Task CreateEvents_Progress_ReportedAfterEachBatch()
    {
        var provider = Provider();
        var reports = new List<CreateEventsProgress>();

        await provider.CreateEventsAsync(Meetings(45, organizers: 9), new SyncProgress<CreateEventsProgress>(reports.Add));

        reports.Should().HaveCount(3);
        reports[^1].Should().Be(new CreateEventsProgress(45, 0, 45));
    }

    [Fact]
    public async Task GetBusy_45Mailboxes_AtMostThreeCallsAndBusyTimesPerMailbox()
    {
        var provider = Provider();
        var mailboxes = Enumerable.Range(0, 45).Select(i => $"staff{i}@school.example").ToList();
        for (var i = 0; i < mailboxes.Count; i++)
        {
            _graph.SeedBusy(mailboxes[i], Monday.AddHours(9 + i % 6), Monday.AddHours(10 + i % 6));
        }
        _graph.SeedBusy(mailboxes[0], Monday.AddHours(12), Monday.AddHours(13), "tentative");
        _graph.SeedBusy(mailboxes[0], Monday.AddHours(14), Monday.AddHours(15), "free");

        var busy = await provider.GetBusyAsync(mailboxes, Monday, Monday.AddDays(5));

        _graph.ScheduleCalls.Should().BeLessThanOrEqualTo(3);
        _graph.Requests.Should().BeLessThanOrEqualTo(3);
        busy.Select(b => b.Mailbox).Should().Equal(mailboxes);
        busy[0].Busy.Should().Equal(new BusyInterval(Monday.AddHours(9), Monday.AddHours(10)), new BusyInterval(Monday.AddHours(12), Monday.AddHours(13)));
        busy[44].Busy.Should().Equal(new BusyInterval(Monday.AddHours(11), Monday.AddHours(12)));
    }

    [Fact]
    public async Task GetBusy_AfterCreate_OrganizerAndStaffAttendeeAreBusy()
    {
        var provider = Provider();
        var meeting = Meetings(1, organizers: 1)[0];
        meeting = meeting with { Attendees = [.. meeting.Attendees, new EventAttendee("senco@school.example", "SENCo", Required: false)] };
        await provider.CreateEventsAsync([meeting]);

        var busy = await provider.GetBusyAsync(["teacher0@school.example", "senco@school.example"], Monday, Monday.AddDays(7));

        busy.Should().OnlyContain(b => b.Busy.SequenceEqual(new[] { new BusyInterval(meeting.Start, meeting.End) }));
    }

    [Fact]
    public async Task GetBusy_Denied_PermissionMissingNamingCalendarsRead()
    {
        var provider = Provider();
        _graph.Deny("staff0@school.example");

        var busy = await provider.GetBusyAsync(["staff0@school.example", "staff1@school.example"], Monday, Monday.AddDays(1));

        busy.Should().OnlyContain(b => b.Failure!.Kind == CalendarFailureKind.PermissionMissing && b.Failure.Permission == "Calendars.Read");
    }

    [Fact]
    public async Task GetBusy_UnknownMailbox_OnlyThatMailboxFails()
    {
        var provider = Provider();
        _graph.Unknown("gone@school.example");

        var busy = await provider.GetBusyAsync(["staff0@school.example", "gone@school.example"], Monday, Monday.AddDays(1));

        busy[0].Succeeded.Should().BeTrue();
        busy[1].Failure!.Kind.Should().Be(CalendarFailureKind.Invalid);
    }

    [Fact]
    public async Task GetBusy_TermLongerThan62Days_SplitIntoWindowsGraphAccepts()
    {
        var provider = Provider();
        _graph.SeedBusy("staff0@school.example", Monday.AddDays(70), Monday.AddDays(70).AddHours(1));

        var busy = await provider.GetBusyAsync(["staff0@school.example"], Monday, Monday.AddDays(100));

        busy[0].Succeeded.Should().BeTrue();
        busy[0].Busy.Should().ContainSingle();
        _graph.ScheduleCalls.Should().Be(2);
    }

    [Fact]
    public async Task GetBusy_Throttled_HonoursRetryAfterAndSucceeds()
    {
        var provider = Provider();
        _graph.FailNextRequests(1, 429, retryAfterSeconds: 1);

        var busy = await provider.GetBusyAsync(["staff0@school.example"], Monday, Monday.AddDays(1));

        busy[0].Failure.Should().BeNull();
        _graph.Requests.Should().Be(2);
    }

    [Fact]
    public async Task UpdateEvent_NewTimesAndAttendees_EventMoved()
    {
        var provider = Provider();
        var meeting = Meetings(1, organizers: 1)[0];
        var created = (await provider.CreateEventsAsync([meeting])).Single().Event!;
        var later = meeting.Start.AddDays(1);

        var result = await provider.UpdateEventAsync(new CalendarEventChange(
            meeting.Organizer, created.EventId, later, later.AddMinutes(15), "Europe/London",
            [new EventAttendee("carer@home.example", "Carer")]));

        result.Succeeded.Should().BeTrue();
        var stored = _graph.Events.Single();
        stored.Start.Should().Be(later);
        stored.End.Should().Be(later.AddMinutes(15));
        stored.Attendees.Should().Equal("carer@home.example");
        stored.TransactionId.Should().Be(meeting.TransactionId);
    }

    [Fact]
    public async Task UpdateEvent_FirstAttemptUnavailable_ResentWithTheWholeChange()
    {
        var provider = Provider();
        var meeting = Meetings(1, organizers: 1)[0];
        var created = (await provider.CreateEventsAsync([meeting])).Single().Event!;
        _graph.FailNextRequests(1, 503, retryAfterSeconds: 1);
        var later = meeting.Start.AddDays(2);

        var result = await provider.UpdateEventAsync(new CalendarEventChange(meeting.Organizer, created.EventId, later, later.AddMinutes(15), "Europe/London"));

        result.Succeeded.Should().BeTrue();
        _graph.Events.Single().Start.Should().Be(later);
    }

    [Fact]
    public async Task CreateEvents_WithFaults_LogsHoldNoParentAddressesOrSubjects()
    {
        var provider = Provider();
        _graph.ThrottleShare = 0.2;
        _graph.Deny("teacher1@school.example");

        await provider.CreateEventsAsync(Meetings(20, organizers: 5));

        _logs.Lines.Should().NotBeEmpty();
        _logs.Lines.Should().NotContain(line => line.Contains("@home.example") || line.Contains("SEN support plan review") || line.Contains("Parent "));
    }

    [Fact]
    public async Task UpdateEvent_Missing_NotFound()
    {
        var provider = Provider();

        var result = await provider.UpdateEventAsync(new CalendarEventChange("teacher0@school.example", "nope", Monday, Monday.AddMinutes(15), "Europe/London"));

        result.Failure!.Kind.Should().Be(CalendarFailureKind.NotFound);
    }

    [Fact]
    public async Task CancelEvent_Existing_CancelledAndSecondCancelIsNotFound()
    {
        var provider = Provider();
        var created = (await provider.CreateEventsAsync(Meetings(1, organizers: 1))).Single().Event!;

        var first = await provider.CancelEventAsync("teacher0@school.example", created.EventId, "Parent asked to move it");
        var second = await provider.CancelEventAsync("teacher0@school.example", created.EventId, "again");

        first.Succeeded.Should().BeTrue();
        _graph.Events.Single().IsCancelled.Should().BeTrue();
        second.Failure!.Kind.Should().Be(CalendarFailureKind.NotFound);
    }

    [Fact]
    public async Task CancelEvent_Denied_PermissionMissing()
    {
        var provider = Provider();
        _graph.Deny("teacher0@school.example", 401);

        var result = await provider.CancelEventAsync("teacher0@school.example", "any", "x");

        result.Failure!.Kind.Should().Be(CalendarFailureKind.PermissionMissing);
        result.Failure.Permission.Should().Be("Calendars.ReadWrite");
    }

    [Fact]
    public void AddCalendars_ProviderGraph_ResolvesTheGraphProvider()
    {
        Provider().Should().BeOfType<GraphCalendarProvider>();
    }

    private const double Speed = 20;

    private ICalendarProvider Provider(Action<GraphOptions>? configure = null, TokenCredential? credential = null)
    {
        var services = FakeGraph.CalendarServices(_graph.BaseUrl, Token);
        services.AddLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        services.AddSingleton<TimeProvider>(new ScaledTimeProvider(Speed));
        if (credential is not null)
        {
            services.AddKeyedSingleton(GraphClients.CredentialKey, credential);
        }
        if (configure is not null)
        {
            services.Configure(configure);
        }
        _services = services.BuildServiceProvider();
        return _services.GetRequiredService<ICalendarProvider>();
    }

    /// <summary>Meetings spread round-robin over the organizers, 15 minutes each, on school days.</summary>
    internal static List<NewCalendarEvent> Meetings(int count, int organizers) =>
    [
        .. Enumerable.Range(0, count).Select(i => new NewCalendarEvent(
            TransactionId: $"plan-{i}-autumn-2025-1",
            Organizer: $"teacher{i % organizers}@school.example",
            Subject: "SEN support plan review",
            HtmlBody: "<p>Termly review of the small step plan.</p>",
            Start: Monday.AddDays(i / 40).AddHours(15).AddMinutes(15 * (i % 40 / organizers)),
            End: Monday.AddDays(i / 40).AddHours(15).AddMinutes(15 * (i % 40 / organizers) + 15),
            TimeZone: "Europe/London",
            Attendees: [new EventAttendee($"parent{i}@home.example", $"Parent {i}")])),
    ];

    private sealed class FailingCredential : TokenCredential
    {
        private int _calls;

        public int Calls => _calls;

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            throw new AuthenticationFailedException("AADSTS7000215: Invalid client secret provided.");
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
