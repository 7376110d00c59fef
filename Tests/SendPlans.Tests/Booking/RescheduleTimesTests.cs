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
/// "my meetings" → Reschedule → Find free times, through POST /api/messages with real JWTs,
/// Azurite and the Local calendar: the times are found in the teacher's calendar when the card is
/// opened, not taken from the proposal.
/// </summary>
public sealed class RescheduleTimesTests : IAsyncLifetime
{
    private const string Zone = "Europe/London";
    private BotFactory _bot = null!;

    private IServiceProvider Services => _bot.Services;
    private MeetingStore Meetings => Services.GetRequiredService<MeetingStore>();
    private LocalCalendarProvider Calendar => Services.GetRequiredService<LocalCalendarProvider>();
    private LocalOutbox Mail => Services.GetRequiredService<LocalOutbox>();

    public async Task InitializeAsync()
    {
        _bot = await BotFactory.StartAsync(settings: new() { ["Booking:RunJobs"] = "false" });
        await SeedAsync(Services);
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task MyMeetings_Booked_ReschedulePicksTheMeetingAndFindsTimesThen()
    {
        await BookAsync();

        var card = (await SayAsync(_bot, "my meetings"))["attachments"]![0]!["content"]!;

        var json = card.ToJsonString();
        json.Should().Contain($"\"verb\":\"{BookingCards.RescheduleTimesVerb}\"").And.Contain($"\"id\":\"{BookingCards.MovePupilInput}\"");
        json.Should().NotContain($"\"value\":\"{Oliver}|", "no stored times are offered before the calendar is asked again");
        Texts(card).Should().Contain(["Reschedule", "Find free times"]);
    }

    [Fact]
    public async Task OpenReschedule_TimesFilledSinceTheProposal_NotOffered()
    {
        await BookAsync();
        var meeting = (await Meetings.GetAsync(School, TermId, Oliver, default))!;
        var found = meeting.Alternatives.Concat(meeting.Offered).Where(s => s.Key != meeting.Slot!.Key).DistinctBy(s => s.Key).ToList();
        found.Should().NotBeEmpty();
        await BusyAsync(found.Select(s => (s.Start, s.End)));

        var card = await OpenRescheduleAsync(_bot, Oliver);

        var offered = OfferedKeys(card);
        offered.Should().NotBeEmpty().And.NotIntersectWith(found.Select(s => s.Key));
        Texts(card).Should().Contain(t => t.StartsWith("These times are free in your calendar now"));
        Texts(card).Should().Contain($"Now: {BookingText.Short(meeting.Slot!, Zone)}");
        (await Meetings.GetAsync(School, TermId, Oliver, default))!.Alternatives.Select(s => s.Key).Should().Equal(offered, "the move accepts the times the card offers");
    }

    [Fact]
    public async Task OpenReschedule_TimeFreedSinceTheProposal_Offered()
    {
        // Busy all day for the first two weeks of what is left of the window, so the proposal uses the last week.
        var freedUntil = Today.AddDays(14);
        var training = await BusyAsync([(Instant(Today.AddDays(1), 0), Instant(freedUntil.AddDays(1), 0))]);
        await BookAsync();
        var meeting = (await Meetings.GetAsync(School, TermId, Oliver, default))!;
        meeting.Alternatives.Concat(meeting.Offered).Append(meeting.Slot!).Should().OnlyContain(s => LocalDate(s) > freedUntil);
        (await Calendar.CancelEventAsync(TeacherEmail, training[0], "Training moved")).Succeeded.Should().BeTrue();

        var card = await OpenRescheduleAsync(_bot, Oliver);

        var offered = OfferedKeys(card);
        offered.Should().Contain(k => LocalDate(Key(k)) <= freedUntil, "the freed days are free now and lighter than the booked week");
        offered.Should().NotIntersectWith(meeting.Alternatives.Concat(meeting.Offered).Select(s => s.Key).Where(k => LocalDate(Key(k)) <= freedUntil));
    }

    [Fact]
    public async Task OpenReschedule_StoredTimesInThePastOrAfterTheWindow_OnlyFutureTimesInTheWindowOffered()
    {
        await BookAsync();
        var past = new SlotTimes(Instant(Today.AddDays(-1), 16 * 60), Instant(Today.AddDays(-1), 16 * 60 + 15));
        var late = new SlotTimes(Instant(CurrentTerm().MeetingWindowEnd.AddDays(3), 16 * 60), Instant(CurrentTerm().MeetingWindowEnd.AddDays(3), 16 * 60 + 15));
        await Meetings.UpdateAsync(School, TermId, Oliver, m => m with { Alternatives = [past, .. m.Alternatives, late] }, default);
        var meeting = (await Meetings.GetAsync(School, TermId, Oliver, default))!;

        var card = await OpenRescheduleAsync(_bot, Oliver);

        var offered = OfferedKeys(card);
        offered.Should().NotBeEmpty().And.HaveCountLessThanOrEqualTo(BookingService.AlternativeCount);
        offered.Should().NotContain([past.Key, late.Key, meeting.Slot!.Key]);
        offered.Select(Key).Should().OnlyContain(s => s.Start > DateTimeOffset.UtcNow && LocalDate(s) > Today && LocalDate(s) <= CurrentTerm().MeetingWindowEnd);
    }

    [Fact]
    public async Task OpenReschedule_NoFreeTimeLeftInTheWindow_SaysSoAndSuggestsTheSenco()
    {
        await BookAsync();
        await Calendar.SeedBusyAsync(TeacherEmail, [new(Instant(Today, 0), Instant(CurrentTerm().MeetingWindowEnd.AddDays(1), 0))]);

        var card = await OpenRescheduleAsync(_bot, Oliver);

        OfferedKeys(card).Should().BeEmpty();
        Texts(card).Should().Contain(t => t.StartsWith("No time is free in your calendar for this meeting") && t.Contains("Ask your SENCo to extend the window"));
        Texts(card).Should().NotContain("Move the meeting");
    }

    [Fact]
    public async Task Reschedule_OfferedTimeChosenTwice_MeetingMovesOnceAndParentToldOnce()
    {
        await BookAsync();
        var meeting = (await Meetings.GetAsync(School, TermId, Oliver, default))!;
        var card = await OpenRescheduleAsync(_bot, Oliver);
        var chosen = OfferedKeys(card)[0];
        var data = new JsonObject { ["term"] = TermId, [BookingCards.SlotInput] = $"{Oliver}|{chosen}" };

        var first = await InvokeAsync(_bot, BookingCards.RescheduleVerb, data);
        var second = await InvokeAsync(_bot, BookingCards.RescheduleVerb, (JsonObject)data.DeepClone());

        Texts(first["value"]).Should().Contain(t => t.StartsWith("Moved to"));
        Texts(second["value"]).Should().Contain("That meeting or time is no longer there.");
        (await Calendar.FindEventAsync(TeacherEmail, meeting.EventId!))!.Start.Should().Be(Key(chosen).Start);
        (await Calendar.ListEventsAsync(TeacherEmail)).Should().HaveCount(4);
        var after = (await Meetings.GetAsync(School, TermId, Oliver, default))!;
        after.Slot!.Key.Should().Be(chosen);
        after.Status.Should().Be(MeetingStatus.Rescheduled);
        (await Mail.ListAsync("o.nwosu@example.org")).Count(m => m.HtmlBody.Contains("This meeting has moved")).Should().Be(1);
    }

    private async Task BookAsync()
    {
        await SayAsync(_bot, "book my plan meetings");
        Texts(await BookAllAsync(_bot)).Should().Contain(t => t.StartsWith("All done: 4 plan meetings are booked"));
    }

    /// <summary>Events (not meetings) in the teacher's calendar; returns their ids.</summary>
    private async Task<List<string>> BusyAsync(IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> times)
    {
        var events = times.Select((t, i) => new NewCalendarEvent($"busy-{i}-{t.Start.UtcTicks}", TeacherEmail, "Staff training", "", t.Start, t.End, Zone, [], OnlineMeeting: false)).ToList();
        var created = await Calendar.CreateEventsAsync(events);
        created.Should().OnlyContain(r => r.Event != null);
        return [.. created.Select(r => r.Event!.EventId)];
    }

    private static DateTimeOffset Instant(DateOnly day, int minutes)
    {
        var local = day.ToDateTime(TimeOnly.MinValue).AddMinutes(minutes);
        return new DateTimeOffset(local, TimeZoneInfo.FindSystemTimeZoneById(Zone).GetUtcOffset(local));
    }

    private static SlotTimes Key(string key)
    {
        var start = new DateTimeOffset(DateTime.ParseExact(key, "yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero);
        return new SlotTimes(start, start.AddMinutes(15));
    }

    private static DateOnly LocalDate(SlotTimes slot) => DateOnly.FromDateTime(BookingText.Local(slot.Start, Zone));
}
