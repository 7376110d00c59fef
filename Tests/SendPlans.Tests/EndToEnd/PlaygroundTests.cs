using Microsoft.Playwright;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.EndToEnd;

/// <summary>
/// The local stack as a teacher first meets it: the real bot process in dev mode, the Agents
/// Playground as the Teams client, and the Playground's web UI in headless Chromium.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class PlaygroundTests
{
    // CI writes to artifacts/; scripts/render-images.sh sets SENDPLANS_DOC_IMAGES to refresh the README's picture.
    private static readonly string Screenshot = Path.Combine(
        Environment.GetEnvironmentVariable("SENDPLANS_DOC_IMAGES") ?? Path.Combine(Paths.RepoRoot, "artifacts"), "playground-help.png");

    [Fact(Timeout = 120_000)]
    public async Task Help_SentInPlayground_ShowsHelpCard()
    {
        await using var bot = await BotProcess.StartAsync();
        await using var playground = await PlaygroundProcess.StartAsync(bot.MessagesUrl);
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        page.SetDefaultTimeout(20_000);
        var cards = page.Locator(".ac-adaptiveCard");
        var helpCard = cards.Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "What I can do for you" }) });

        try
        {
            await page.GotoAsync(playground.WebUrl.ToString());
            // The first card answers the conversationUpdate the UI sends on connecting: from then on the chat is live.
            await cards.First.WaitForAsync();

            await page.GetByRole(AriaRole.Textbox).PressSequentiallyAsync("help");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send Message" }).ClickAsync();
            await helpCard.WaitForAsync();
        }
        catch (Exception e) when (e is TimeoutException or PlaywrightException)
        {
            throw new InvalidOperationException(
                $"The Playground did not show the help card: {e.Message}\n--- bot ---\n{bot.Process.Output}\n--- Playground ---\n{playground.ToolLog()}", e);
        }

        (await helpCard.CountAsync()).Should().Be(1);
        (await helpCard.InnerTextAsync()).Should().Contain("See what I can do for you.", "the card lists the help command");
        await SaveScreenshotAsync(page, helpCard);
    }

    /// <summary>The user's "help" and the bot's card, for the README; cropped to keep the PNG small.</summary>
    private static async Task SaveScreenshotAsync(IPage page, ILocator card)
    {
        await card.ScrollIntoViewIfNeededAsync();
        var box = await card.BoundingBoxAsync() ?? throw new InvalidOperationException("The help card has no bounding box.");
        var left = Math.Max(0, box.X - 80);
        var top = Math.Max(0, box.Y - 110);
        var right = Math.Min(1280, box.X + box.Width + 100);
        var bottom = Math.Min(800, box.Y + box.Height + 16);
        Directory.CreateDirectory(Path.GetDirectoryName(Screenshot)!);
        await page.ScreenshotAsync(new()
        {
            Path = Screenshot,
            Clip = new() { X = left, Y = top, Width = right - left, Height = bottom - top },
        });
    }
}
