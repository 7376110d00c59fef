using Microsoft.Playwright;
using SendPlans.Bot.ParentLinks;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Views;

/// <summary>The parent web form in real Chromium, against the bot on a loopback port and Azurite.</summary>
public sealed class ParentFormBrowserTests(ViewsSchool school) : IClassFixture<ViewsSchool>
{
    /// <summary>Where screenshots go: artifacts/, or docs/images when scripts/render-images.sh sets SENDPLANS_DOC_IMAGES.</summary>
    private static string Image(string name) => Path.Combine(
        Environment.GetEnvironmentVariable("SENDPLANS_DOC_IMAGES")
            ?? (Environment.GetEnvironmentVariable("SENDPLANS_CARD_IMAGES") is { } cards ? Path.Combine(cards, "..") : Path.Combine(Paths.RepoRoot, "artifacts")),
        name);

    [Fact]
    public async Task Form_SignedLinkFilledInAndSent_ViewsInAzuriteAndShownOnReopen()
    {
        var token = await school.LinkAsync(ViewsSchool.Oliver, 1);
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Browser.NewPageAsync();

        await page.GotoAsync($"{school.Url}/views/{token}");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "What worries you?" }).FillAsync("Lunch times are loud.");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Please email me the notes after the meeting." }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();
        await page.WaitForSelectorAsync(".banner");

        var stored = await school.Store.GetAsync(ViewsSchool.School, school.Open.Id, ViewsSchool.Oliver, "1", default);
        stored!.Answers.Should().Contain("worries", "Lunch times are loud.").And.Contain("emailConsent", "true");
        (await page.TextContentAsync(".banner")).Should().Be("Thank you. We have your answers.");
        await page.GotoAsync($"{school.Url}/views/{token}");
        (await page.GetByRole(AriaRole.Textbox, new() { Name = "What worries you?" }).InputValueAsync()).Should().Be("Lunch times are loud.");
    }

    [Fact]
    public async Task Form_KeyboardOnly_AnswersSent()
    {
        var token = await school.LinkAsync(ViewsSchool.Amelia, 1);
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Browser.NewPageAsync();
        await page.GotoAsync($"{school.Url}/views/{token}");

        // Tab to the first "Do you agree?" choice, pick "Yes" with the space bar, type a comment.
        await TabUntilAsync(page, "el => el.type === 'radio'");
        await page.Keyboard.PressAsync("Space");
        await TabUntilAsync(page, "el => el.tagName === 'TEXTAREA'");
        await page.Keyboard.TypeAsync("Keyboard only");
        await TabUntilAsync(page, "el => el.tagName === 'BUTTON' && el.textContent.trim() === 'Send my answers'");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync(".banner");

        var stored = await school.Store.GetAsync(ViewsSchool.School, school.Open.Id, ViewsSchool.Amelia, "1", default);
        stored!.Answers.Should().Contain("agree0", "yes").And.Contain("comment0", "Keyboard only");
    }

    [Fact]
    public async Task Form_PhoneScreen360_NoSidewaysScrollEveryInputLabelledAndScreenshot()
    {
        var token = await school.LinkAsync(ViewsSchool.Amelia, 1);
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 360, Height = 740 }, DeviceScaleFactor = 2 });

        await page.GotoAsync($"{school.Url}/views/{token}");
        await page.WaitForSelectorAsync(".ac-adaptiveCard");

        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(360);
        var unlabelled = await page.EvaluateAsync<string[]>("""
            [...document.querySelectorAll('input:not([type=hidden]), textarea, select')]
              .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
              .map(el => el.id || el.name || el.outerHTML.slice(0, 80))
            """);
        unlabelled.Should().BeEmpty();
        var file = Image("views-form-360.png");
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });
        new FileInfo(file).Length.Should().BeGreaterThan(10_000);
    }

    [Fact]
    public async Task Form_CookieGoneBeforeSending_FormBackWithWhatTheyTypedAndNothingStored()
    {
        // A parent opens the link, the browser drops the page's antiforgery cookie (cleared, or
        // the page sat open for days), then they press Send.
        var token = await school.LinkAsync(ViewsSchool.Oliver, 1);
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 360, Height = 740 }, DeviceScaleFactor = 2 });
        await page.GotoAsync($"{school.Url}/views/{token}");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "What is going well at home?" }).FillAsync("Never saved: the cookie was gone.");
        await page.Context.ClearCookiesAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();
        await page.WaitForSelectorAsync(".banner");

        (await page.TextContentAsync(".banner.warning")).Should().StartWith("Sorry, your answers were not saved");
        await page.WaitForSelectorAsync(".ac-adaptiveCard");
        (await page.GetByRole(AriaRole.Textbox, new() { Name = "What is going well at home?" }).InputValueAsync())
            .Should().Be("Never saved: the cookie was gone.", "what the parent typed comes back, ready to send again");
        var stored = await school.Store.GetAsync(ViewsSchool.School, school.Open.Id, ViewsSchool.Oliver, "1", default);
        (stored?.Answers.Values ?? []).Should().NotContain(v => v.Contains("Never saved", StringComparison.Ordinal));
        var file = Image("views-form-not-saved-360.png");
        await page.ScreenshotAsync(new() { Path = file });
    }

    [Fact]
    public async Task ProblemPage_TamperedLink_GeneralTextNoPupilDataNoInputs()
    {
        var good = await school.LinkAsync(ViewsSchool.Amelia, 1);
        var tampered = Tokens.Tampered(good);
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Browser.NewPageAsync();

        var response = await page.GotoAsync($"{school.Url}/views/{tampered}");

        response!.Status.Should().Be(404);
        (await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).TextContentAsync()).Should().Be("Sorry, this link does not work");
        var text = await page.InnerTextAsync("body");
        text.Should().Contain("Please phone or email your child's school office.");
        text.Should().NotContain(ViewsSchool.SchoolName).And.NotContain(ViewsSchool.OfficeContact);
        await ShowsNoPupilDataOrInputsAsync(page, text);
    }

    [Fact]
    public async Task ProblemPage_ExpiredLinkOnPhone_SchoolContactNoPupilDataNoInputsAndScreenshot()
    {
        var expired = school.Tokens.Create(new ParentLink(ParentLinkPurpose.Views, ViewsSchool.School, ViewsSchool.Amelia, "1", school.Open.Id, DateTimeOffset.UtcNow.AddMinutes(-1)));
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 360, Height = 740 }, DeviceScaleFactor = 2 });

        var response = await page.GotoAsync($"{school.Url}/views/{expired}");

        response!.Status.Should().Be(404);
        (await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).TextContentAsync()).Should().Be("Sorry, this link does not work");
        var text = await page.InnerTextAsync("body");
        text.Should().Contain("This link is too old to use now.").And.Contain($"You can reach {ViewsSchool.SchoolName} on {ViewsSchool.OfficeContact}.");
        await ShowsNoPupilDataOrInputsAsync(page, text);
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(360);
        var file = Image("views-expired-link-360.png");
        await page.ScreenshotAsync(new() { Path = file });
        new FileInfo(file).Length.Should().BeGreaterThan(5_000);
    }

    /// <summary>The page names no pupil and no target, and has nothing to fill in.</summary>
    private static async Task ShowsNoPupilDataOrInputsAsync(IPage page, string text)
    {
        text.Should().NotContain("Amelia").And.NotContain("picture card").And.NotContain("Talking");
        (await page.Locator("form, input, textarea, select, button, #card").CountAsync()).Should().Be(0);
    }

    private static async Task TabUntilAsync(IPage page, string test)
    {
        for (var i = 0; i < 80; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>($"(({test}))(document.activeElement)"))
            {
                return;
            }
        }
        throw new InvalidOperationException("The keyboard never reached: " + test);
    }
}
