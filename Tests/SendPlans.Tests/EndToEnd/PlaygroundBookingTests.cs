using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using SendPlans.Bot.Booking;
using SendPlans.Bot.Roster.Demo;
using SendPlans.Bot.Terms;
using SendPlans.Infrastructure.Storage;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.EndToEnd;

/// <summary>
/// A teacher's first booking round as they would do it: the real bot process with the seeded
/// demo school and Local calendars, the Agents Playground signed in as Megan Bowen (class
/// teacher of 3A), driven in Chromium.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class PlaygroundBookingTests
{
    private static readonly string Screenshot = Path.Combine(
        Environment.GetEnvironmentVariable("SENDPLANS_DOC_IMAGES") ?? Path.Combine(Paths.RepoRoot, "artifacts"), "playground-booking.png");

    [Fact(Timeout = 240_000)]
    public async Task BookMyPlanMeetings_TeacherInPlayground_BooksEveryProposedMeeting()
    {
        var prefix = Azurite.NewPrefix();
        await BotProcess.RunCommandAsync(prefix, "seed-demo");
        var storage = new TableStorage(Options.Create(new StorageOptions { ConnectionString = await Azurite.ConnectionStringAsync(), TablePrefix = prefix }));
        await OpenTheMeetingWindowNowAsync(new SchoolCalendarStore(storage, TimeProvider.System));
        await using var bot = await BotProcess.StartAsync(new Dictionary<string, string?> { ["Storage:TablePrefix"] = prefix });
        await using var playground = await PlaygroundProcess.StartAsync(bot.MessagesUrl, user: "megan");
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 1000 } });
        page.SetDefaultTimeout(30_000);
        var cards = page.Locator(".ac-adaptiveCard");
        ILocator Card(string heading) => cards.Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = heading }) });

        string proposed;
        try
        {
            await page.GotoAsync(playground.WebUrl.ToString());
            await cards.First.WaitForAsync(); // the welcome: the chat is live

            await page.GetByRole(AriaRole.Textbox).PressSequentiallyAsync("book my plan meetings");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send Message" }).ClickAsync();
            var proposal = Card("Proposed plan meetings");
            await proposal.WaitForAsync();
            proposed = await proposal.InnerTextAsync();

            await proposal.GetByRole(AriaRole.Button, new() { Name = "Book all" }).ClickAsync();
            await Card("Plan meetings booked").WaitForAsync(new() { Timeout = 60_000 });
        }
        catch (Exception e) when (e is TimeoutException or PlaywrightException)
        {
            throw new InvalidOperationException(
                $"The booking round did not complete in the Playground: {e.Message}\n--- bot ---\n{bot.Process.Output}\n--- Playground ---\n{playground.ToolLog()}", e);
        }

        var meetings = await (await storage.GetTableAsync(MeetingStore.Table)).QueryAsync<TableEntity>(m => m.PartitionKey == DemoSchool.Id).ToListAsync();
        meetings.Should().NotBeEmpty();
        meetings.Should().OnlyContain(m => m.GetString("Status") == nameof(MeetingStatus.Booked), "every proposed meeting of 3A is booked");
        meetings.Should().OnlyContain(m => !string.IsNullOrEmpty(m.GetString("EventId")));
        proposed.Should().Contain("Book all");
        await SaveScreenshotAsync(page, Card("Plan meetings booked"));
    }

    /// <summary>
    /// The demo's term dates are fixed (2026-27), and the round needs a meeting window open
    /// today whenever the suite runs: the term the bot will book for is moved around today.
    /// </summary>
    private static async Task OpenTheMeetingWindowNowAsync(SchoolCalendarStore calendar)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")).DateTime);
        Term Around(Term t) => t with
        {
            Start = today.AddDays(-14), End = today.AddDays(70), HalfTermStart = today.AddDays(40), HalfTermEnd = today.AddDays(44), Closures = [],
            MeetingWindowStart = today, MeetingWindowEnd = today.AddDays(21), Deadline = today.AddDays(28),
        };
        if (await calendar.CurrentOrNextTermAsync(DemoSchool.Id, CancellationToken.None) is { } current)
        {
            (await calendar.UpdateTermAsync(DemoSchool.Id, current.Id, Around, CancellationToken.None)).Should().NotBeNull();
        }
        else
        {
            var term = new Term(DemoSchool.Id, AcademicYears.For(today), TermName.Autumn, today, today, today, today, [], today, today, today);
            (await calendar.CreateTermsAsync([Around(term)], CancellationToken.None)).Should().Be(1);
        }
    }

    /// <summary>The Playground's window with the top of the booked card in view, for the README.</summary>
    private static async Task SaveScreenshotAsync(IPage page, ILocator card)
    {
        await card.GetByRole(AriaRole.Heading).First.EvaluateAsync("h => h.scrollIntoView({ block: 'start' })");
        Directory.CreateDirectory(Path.GetDirectoryName(Screenshot)!);
        await page.ScreenshotAsync(new() { Path = Screenshot });
    }
}
