using Microsoft.Extensions.DependencyInjection;
using SendPlans.Bot.Booking;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Roster.Demo;
using SendPlans.Infrastructure.Calendars;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Booking;

public sealed class DemoBusyTimesTests : IAsyncLifetime
{
    private BotFactory _bot = null!;

    public async Task InitializeAsync() => _bot = await BotFactory.StartAsync(settings: new() { ["Booking:RunJobs"] = "false" });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Seed_Twice_TeachersBusyTeachingWithLunchAndPpaFreeAndOneCopyOfEachBlock()
    {
        var busy = _bot.Services.GetRequiredService<DemoBusyTimes>();
        var calendar = _bot.Services.GetRequiredService<ICalendarProvider>();
        var megan = DemoSchool.Generate().Roster.Staff!.Select(s => s.Member).Single(m => m.DisplayName == "Megan Bowen");
        megan.Is(StaffRole.Teacher).Should().BeTrue();
        // Wednesday 4 November 2026, in the autumn meeting window (GMT, so local = UTC).
        var day = new DateTimeOffset(2026, 11, 4, 0, 0, 0, TimeSpan.Zero);

        var first = await busy.SeedAsync(default);
        var second = await busy.SeedAsync(default);
        var read = (await calendar.GetBusyAsync([megan.Email], day, day.AddDays(1))).Single();

        first.Should().BeGreaterThan(1000).And.Be(second);
        read.Succeeded.Should().BeTrue();
        var blocks = read.Busy.Select(b => $"{b.Start:HH:mm}-{b.End:HH:mm}").ToList();
        blocks.Should().Contain(["09:00-10:30", "10:45-12:00", "15:30-16:30"], "teaching and the Wednesday staff meeting");
        blocks.Should().NotContain(b => b.StartsWith("12:"), "lunchtime stays free for meetings");
        blocks.Should().Contain(b => b == "13:00-15:15" || b == "14:30-15:15", "afternoon teaching, or the end of a PPA afternoon");
    }
}
