using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SendPlans.Infrastructure.Calendars;
using SendPlans.Infrastructure.Calendars.Local;
using SendPlans.Infrastructure.Storage;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Calendars;

/// <summary>The Local provider on Azurite, resolved through AddCalendars as the host does by default.</summary>
public sealed class LocalCalendarProviderTests : IAsyncLifetime
{
    private const string Teacher = "teacher@school.example";
    private const string Senco = "senco@school.example";
    private const string Parent = "parent@home.example";
    private static readonly DateTimeOffset Monday = new(2025, 10, 6, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Monday.AddDays(-7));
    private ServiceProvider _services = null!;
    private ICalendarProvider _calendars = null!;
    private LocalCalendarProvider _local = null!;
    private LocalOutbox _outbox = null!;

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Calendar:PublicBaseUrl"] = "http://127.0.0.1:3978/",
        }).Build());
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_time);
        var connection = await Azurite.ConnectionStringAsync();
        var prefix = Azurite.NewPrefix();
        services.Configure<StorageOptions>(o => { o.ConnectionString = connection; o.TablePrefix = prefix; });
        services.AddCalendars();
        _services = services.BuildServiceProvider();
        _calendars = _services.GetRequiredService<ICalendarProvider>();
        _local = _services.GetRequiredService<LocalCalendarProvider>();
        _outbox = _services.GetRequiredService<LocalOutbox>();
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public void AddCalendars_NoProviderConfigured_ResolvesLocal() =>
        _calendars.Should().BeSameAs(_local);

    [Fact]
    public async Task CreateEvents_SameTransactionIdTwice_OneEventAndOneInvite()
    {
        var meeting = Meeting("plan-1-autumn-2025-1", Monday.AddHours(15));

        var first = (await _calendars.CreateEventsAsync([meeting])).Single();
        var second = (await _calendars.CreateEventsAsync([meeting])).Single();

        first.Succeeded.Should().BeTrue();
        second.Event.Should().Be(first.Event);
        (await _local.ListEventsAsync(Teacher)).Should().ContainSingle();
        (await _outbox.ListAsync(Parent)).Should().ContainSingle();
    }

    [Fact]
    public async Task CreateEvents_OnlineMeeting_JoinUrlIsTheBotsMeetPage()
    {
        var created = (await _calendars.CreateEventsAsync([Meeting("plan-2", Monday.AddHours(15))])).Single().Event!;

        created.JoinUrl.Should().Be($"http://127.0.0.1:3978/meet/{created.EventId}");
        var stored = await _local.FindEventAsync(Teacher, created.EventId);
        stored!.Attendees.Select(a => a.Email).Should().Equal(Parent, Senco);
        stored.Start.Should().Be(Monday.AddHours(15));
    }

    [Fact]
    public async Task CreateEvents_Attendees_OutboxHoldsAnInvitePerAttendee()
    {
        _time.SetUtcNow(Monday.AddDays(-3));
        var created = (await _calendars.CreateEventsAsync([Meeting("plan-3", Monday.AddHours(15))])).Single().Event!;

        var toParent = (await _outbox.ListAsync(Parent)).Single();
        toParent.Recipient.Should().Be(Parent);
        toParent.RecipientName.Should().Be("Parent of A");
        toParent.Subject.Should().Be("SEN support plan review");
        toParent.HtmlBody.Should().Contain(created.JoinUrl!).And.Contain("Monday 6 October 2025, 16:00 to 16:15 (Europe/London)").And.Contain("<p>Agenda</p>");
        toParent.CreatedAt.Should().Be(Monday.AddDays(-3));
        toParent.EventId.Should().Be(created.EventId);
        (await _outbox.ListAsync(Senco)).Should().ContainSingle();
    }

    [Fact]
    public async Task GetBusy_SeededBlocksAndEvents_ReturnedForOrganizerAndStaffAttendee()
    {
        await _local.SeedBusyAsync(Teacher, [new BusyInterval(Monday.AddHours(8), Monday.AddHours(9)), new BusyInterval(Monday.AddHours(8.5), Monday.AddHours(10))]);
        await _local.SeedBusyAsync(Teacher, [new BusyInterval(Monday.AddHours(8), Monday.AddHours(9))]); // seeding again changes nothing
        await _local.SeedBusyAsync(Teacher, [new BusyInterval(Monday.AddDays(9), Monday.AddDays(9).AddHours(1))]);
        await _calendars.CreateEventsAsync([Meeting("plan-4", Monday.AddHours(15))]);

        var busy = await _calendars.GetBusyAsync([Teacher, Senco, "nobody@school.example"], Monday, Monday.AddDays(5));

        busy[0].Busy.Should().Equal(new BusyInterval(Monday.AddHours(8), Monday.AddHours(10)), new BusyInterval(Monday.AddHours(15), Monday.AddHours(15.25)));
        busy[1].Busy.Should().Equal(new BusyInterval(Monday.AddHours(15), Monday.AddHours(15.25)));
        busy[2].Succeeded.Should().BeTrue();
        busy[2].Busy.Should().BeEmpty();
    }

    [Fact]
    public async Task UpdateEvent_NewTimeAndAttendees_BusyMovesAndUpdatesAreSent()
    {
        var created = (await _calendars.CreateEventsAsync([Meeting("plan-5", Monday.AddHours(15))])).Single().Event!;
        var later = Monday.AddDays(1).AddHours(16);
        _time.Advance(TimeSpan.FromMinutes(1));

        var result = await _calendars.UpdateEventAsync(new CalendarEventChange(Teacher, created.EventId, later, later.AddMinutes(15), "Europe/London", [new EventAttendee(Parent, "Parent of A")]));
        var again = await _calendars.UpdateEventAsync(new CalendarEventChange(Teacher, created.EventId, later, later.AddMinutes(15), "Europe/London", [new EventAttendee(Parent, "Parent of A")]));

        result.Succeeded.Should().BeTrue();
        again.Succeeded.Should().BeTrue();
        var busy = await _calendars.GetBusyAsync([Teacher, Senco], Monday, Monday.AddDays(5));
        busy[0].Busy.Should().Equal(new BusyInterval(later, later.AddMinutes(15)));
        busy[1].Busy.Should().BeEmpty("the SENCo was taken off the meeting");
        (await _outbox.ListAsync(Parent)).Select(m => m.Subject).Should().Equal("SEN support plan review", "Updated: SEN support plan review");
        (await _outbox.ListAsync(Senco)).Select(m => m.Subject).Should().Equal("SEN support plan review", "Cancelled: SEN support plan review");
    }

    [Fact]
    public async Task CancelEvent_Existing_FreesTheTimeAndTellsAttendeesOnce()
    {
        var created = (await _calendars.CreateEventsAsync([Meeting("plan-6", Monday.AddHours(15))])).Single().Event!;
        _time.Advance(TimeSpan.FromMinutes(1));

        var result = await _calendars.CancelEventAsync(Teacher, created.EventId, "Moved to next week at the parent's request");
        var again = await _calendars.CancelEventAsync(Teacher, created.EventId, "again");

        result.Succeeded.Should().BeTrue();
        again.Failure!.Kind.Should().Be(CalendarFailureKind.NotFound);
        (await _calendars.GetBusyAsync([Teacher, Senco], Monday, Monday.AddDays(5))).Should().OnlyContain(b => b.Busy.Count == 0);
        var cancellation = (await _outbox.ListAsync(Parent)).Last();
        cancellation.Subject.Should().Be("Cancelled: SEN support plan review");
        cancellation.HtmlBody.Should().Contain("Moved to next week at the parent&#39;s request");
        (await _local.FindEventAsync(Teacher, created.EventId))!.Cancelled.Should().BeTrue();
    }

    [Fact]
    public async Task UpdateEvent_Missing_NotFound()
    {
        var result = await _calendars.UpdateEventAsync(new CalendarEventChange(Teacher, "localnope", Monday, Monday.AddMinutes(15), "Europe/London"));

        result.Failure!.Kind.Should().Be(CalendarFailureKind.NotFound);
    }

    [Fact]
    public async Task CreateEvents_BadInput_InvalidAndNothingStored()
    {
        var bad = Meeting("plan-7", Monday.AddHours(15)) with { TimeZone = "Nowhere/Special" };

        var result = (await _calendars.CreateEventsAsync([bad])).Single();

        result.Failure!.Kind.Should().Be(CalendarFailureKind.Invalid);
        (await _local.ListEventsAsync(Teacher)).Should().BeEmpty();
        (await _outbox.ListAllAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task CreateEvents_ManyAtOnce_AllCreatedWithProgress()
    {
        var events = Enumerable.Range(0, 30).Select(i => Meeting($"plan-many-{i}", Monday.AddHours(8).AddMinutes(15 * i))).ToList();
        var reports = 0;

        var results = await _calendars.CreateEventsAsync(events, new Progress<CreateEventsProgress>(_ => Interlocked.Increment(ref reports)));

        results.Should().OnlyContain(r => r.Succeeded);
        results.Select(r => r.Event!.EventId).Should().OnlyHaveUniqueItems();
        (await _local.ListEventsAsync(Teacher)).Should().HaveCount(30);
    }

    private static NewCalendarEvent Meeting(string transactionId, DateTimeOffset start) => new(
        transactionId, Teacher, "SEN support plan review", "<p>Agenda</p>", start, start.AddMinutes(15), "Europe/London",
        [new EventAttendee(Parent, "Parent of A"), new EventAttendee(Senco, "SENCo", Required: false)]);
}
