using Microsoft.Extensions.DependencyInjection;
using SendPlans.Bot.Booking;
using SendPlans.Bot.Terms;
using SendPlans.Infrastructure.Calendars;
using SendPlans.Infrastructure.Calendars.Local;
using SendPlans.Tests.Support;
using static SendPlans.Tests.Booking.BookingSchool;

namespace SendPlans.Tests.Booking;

/// <summary>"book my plan meetings" when there is nothing to book, or no way to book it: a sentence saying what to do.</summary>
public sealed class BookingBadInputTests : IAsyncLifetime
{
    private BotFactory _bot = null!;

    public async Task InitializeAsync() => _bot = await BotFactory.StartAsync(settings: new() { ["Booking:RunJobs"] = "false" });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task BookCommand_NoSenPupilsInClass_SaysSoAndWhoToAsk()
    {
        await SeedAsync(_bot.Services, classes: "6A");

        var reply = await SayAsync(_bot, "book my plan meetings");

        reply["text"]!.GetValue<string>().Should().Contain("None of the pupils in your class (6A) is on the SEN register").And.Contain("ask your SENCo");
    }

    [Fact]
    public async Task BookCommand_NoTermSetUp_AsksForTheAdmin()
    {
        await SeedAsync(_bot.Services, terms: false);

        var reply = await SayAsync(_bot, "book my plan meetings");

        reply["text"]!.GetValue<string>().Should().Contain("No term is set up").And.Contain("admin");
    }

    [Fact]
    public async Task BookCommand_MeetingWindowClosed_SaysWhenItClosedAndWhatToDo()
    {
        await SeedAsync(_bot.Services);
        var term = CurrentTerm();
        await _bot.Services.GetRequiredService<SchoolCalendarStore>().UpdateTermAsync(School, term.Id,
            t => t with { MeetingWindowStart = Today.AddDays(-10), MeetingWindowEnd = Today.AddDays(-1), Deadline = Today.AddDays(3) }, default);

        var reply = await SayAsync(_bot, "book my plan meetings");

        reply["text"]!.GetValue<string>().Should().Contain("meeting window for this term closed").And.Contain("Ask your SENCo to extend the window");
    }

    [Fact]
    public async Task BookCommand_CalendarFullyBusy_CardSaysNoFreeTimeAndWhy()
    {
        await SeedAsync(_bot.Services);
        var local = _bot.Services.GetRequiredService<LocalCalendarProvider>();
        await local.SeedBusyAsync(TeacherEmail, [new BusyInterval(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(60))]);

        var reply = await SayAsync(_bot, "book my plan meetings");

        var texts = Texts(reply["attachments"]![0]!["content"]);
        texts.Should().Contain(t => t.StartsWith("I could not find a free time for any pupil"));
        texts.Should().Contain(t => t.StartsWith("No free time in the window for"));
        texts.Should().NotContain("Book all");
    }

    [Fact]
    public async Task BookCommand_NotATeacher_SaysOnlyClassTeachersBook()
    {
        await SeedAsync(_bot.Services, classes: "");

        var reply = await SayAsync(_bot, "book my plan meetings");

        reply["text"]!.GetValue<string>().Should().StartWith("Only class teachers book plan meetings");
    }

    [Fact]
    public async Task BookCommand_TeachingAssistant_SaysTheClassTeacherBooksAndWhatTheyCanDo()
    {
        await SeedAsync(_bot.Services, roles: "TeachingAssistant");

        var reply = await SayAsync(_bot, "book my plan meetings");

        reply["text"]!.GetValue<string>().Should().Be(BookingService.NotForTeachingAssistants).And.Contain("the class teacher does").And.Contain("plan for");
        (await _bot.Services.GetRequiredService<MeetingStore>().ForTermAsync(School, TermId, default)).Should().BeEmpty();
    }

    [Fact]
    public async Task BookCommand_UnknownUser_AsksToBeAdded()
    {
        var reply = await SayAsync(_bot, "book my plan meetings");

        reply["text"]!.GetValue<string>().Should().Contain("staff list");
    }
}
