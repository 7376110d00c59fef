using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SendPlans.Bot.Booking;
using SendPlans.Cards.Booking;
using SendPlans.Infrastructure.Calendars.Local;
using SendPlans.Tests.Support;
using static SendPlans.Tests.Booking.BookingSchool;

namespace SendPlans.Tests.Booking;

/// <summary>The parent's booking page on a real Kestrel server, in Debian's Chromium at phone width.</summary>
public sealed class ParentBookingPageTests : IAsyncLifetime
{
    // CI writes to artifacts/; scripts/render-images.sh sets SENDPLANS_DOC_IMAGES to refresh docs/images.
    private static readonly string Images = Environment.GetEnvironmentVariable("SENDPLANS_DOC_IMAGES") ?? Path.Combine(Paths.RepoRoot, "artifacts");

    private BotFactory _bot = null!;
    private string _baseUrl = null!;

    private MeetingStore Meetings => _bot.Services.GetRequiredService<MeetingStore>();

    public async Task InitializeAsync()
    {
        _bot = await BotFactory.StartAsync(settings: new() { ["Booking:FallbackContact"] = "01632 960999 (the trust's office)" });
        _baseUrl = _bot.ServeOnLoopback();
        await SeedAsync(_bot.Services);
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact(Timeout = 120_000)]
    public async Task BookingPage_ParentPicksTimeAt360px_MeetingMovesAndPageFitsThePhone()
    {
        var link = await ParentChoosingLinkAsync(_bot);
        var meeting = (await Meetings.GetAsync(School, TermId, Amelia, default))!;
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 360, Height = 800 } });
        var violations = new List<string>();
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.Ordinal)) { violations.Add(m.Text); } };

        var response = await page.GotoAsync(_baseUrl + link);
        (await response!.HeaderValueAsync("content-security-policy")).Should().StartWith("default-src 'none'");
        (await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('button')).backgroundColor")).Should().Be("rgb(70, 71, 117)",
            "the page's own style is allowed by its hash");
        Directory.CreateDirectory(Images);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Images, "parent-booking-360.png"), FullPage = true });

        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(360, "no sideways scrolling on a phone");
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Plan meeting about Amelia");
        var radios = page.GetByRole(AriaRole.Radio);
        (await radios.CountAsync()).Should().Be(5, "three offered times, another time, cannot come");
        var third = BookingText.Long(meeting.Offered[2], "Europe/London");
        await page.GetByLabel(third).CheckAsync();
        await page.GetByLabel("I would like an interpreter at the meeting").CheckAsync();
        await page.GetByLabel("Which language?").FillAsync("Polish");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my answer" }).ClickAsync();

        (await page.Locator("h1").InnerTextAsync()).Should().Be("Thank you");
        (await page.ContentAsync()).Should().Contain("Your meeting has moved");
        var after = (await Meetings.GetAsync(School, TermId, Amelia, default))!;
        after.Slot.Should().Be(meeting.Offered[2]);
        after.InterpreterRequested.Should().BeTrue();
        violations.Should().BeEmpty("the form posts to this site and the page has no script");
        (await _bot.Services.GetRequiredService<LocalCalendarProvider>().FindEventAsync(TeacherEmail, meeting.EventId!))!.Start.Should().Be(meeting.Offered[2].Start);
    }

    [Fact(Timeout = 120_000)]
    public async Task BookingPage_TamperedToken_FriendlyPageWithNoPupilData()
    {
        var link = await ParentChoosingLinkAsync(_bot);
        var tampered = link[..^6] + (link[^6] == 'A' ? 'B' : 'A') + link[^5..];
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 360, Height = 640 } });

        var response = await page.GotoAsync(_baseUrl + tampered);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Images, "parent-booking-bad-link-360.png"), FullPage = true });

        response!.Status.Should().Be(404);
        (await page.Locator("h1").InnerTextAsync()).Should().Be("This link cannot be used");
        var html = await page.ContentAsync();
        html.Should().Contain("contact your child's school").And.Contain("01632 960999 (the trust's office)");
        html.Should().NotContain("Amelia").And.NotContain("Hartley").And.NotContain("Oakfield").And.NotContain("<form");
    }

    [Fact]
    public async Task BookingPage_ExpiredLink_NamesTheSchoolAndHowToReachItButNoPupil()
    {
        await ParentChoosingLinkAsync(_bot);
        var token = _bot.Services.GetRequiredService<SendPlans.Bot.ParentLinks.ParentLinkTokens>().Create(new(
            SendPlans.Bot.ParentLinks.ParentLinkPurpose.Booking, School, Amelia, "1", TermId, DateTimeOffset.UtcNow.AddMinutes(-1)));

        var response = await _bot.CreateClient().GetAsync($"/booking/{token}");
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.Gone);
        html.Should().Contain("This link has expired").And.Contain("Oakfield Primary").And.Contain("01632 960123, office@oakfield.example.org");
        html.Should().NotContain("Amelia").And.NotContain("Hartley").And.NotContain("<form");
    }

    [Fact]
    public async Task BookingPage_AnyAnswer_NotCachedFramedSniffedOrReferred()
    {
        var link = await ParentChoosingLinkAsync(_bot);
        var client = _bot.CreateClient();

        foreach (var path in new[] { link, "/booking/not-a-token" })
        {
            var response = await client.GetAsync(path);

            response.Headers.CacheControl!.NoStore.Should().BeTrue(path);
            response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
            response.Headers.GetValues("Referrer-Policy").Should().Equal("no-referrer");
            response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("frame-ancestors 'none'").And.Contain("form-action 'self'").And.NotContain("script-src");
        }
    }

    [Fact]
    public async Task BookingPage_AnyAnswer_BritishEnglishLikeTheViewsPages()
    {
        var link = await ParentChoosingLinkAsync(_bot);
        var client = _bot.CreateClient();

        foreach (var path in new[] { link, "/booking/not-a-token" })
        {
            var response = await client.GetAsync(path);

            (await response.Content.ReadAsStringAsync()).Should().StartWith("<!doctype html><html lang=\"en-GB\">", path);
        }
    }

    [Fact]
    public async Task BookingPage_PostWithoutAntiforgeryToken_Refused()
    {
        var link = await ParentChoosingLinkAsync(_bot);
        var before = (await Meetings.GetAsync(School, TermId, Amelia, default))!;

        var response = await _bot.CreateClient().PostAsync(link, new FormUrlEncodedContent([new("choice", before.Offered[2].Key)]));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Meetings.GetAsync(School, TermId, Amelia, default))!.Slot.Should().Be(before.Slot);
    }

    [Fact]
    public async Task BookingPage_ManyRequestsFromOneAddress_RateLimitedWithAWaitPage()
    {
        var client = _bot.CreateClient();
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 40; i++)
        {
            responses.Add(await client.GetAsync("/booking/not-a-token"));
        }

        responses.Take(30).Should().OnlyContain(r => r.StatusCode == HttpStatusCode.NotFound);
        responses.Skip(30).Should().Contain(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        var limited = responses.Last();
        limited.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter.Should().NotBeNull();
        limited.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        (await limited.Content.ReadAsStringAsync()).Should().Contain("Please wait a minute");
    }

    [Fact]
    public async Task MeetPage_LocalJoinLink_ShowsWhatAndWhenOnly()
    {
        await SayAsync(_bot, "book my plan meetings");
        await BookAllAsync(_bot);
        var meeting = (await Meetings.GetAsync(School, TermId, Oliver, default))!;

        var html = await _bot.CreateClient().GetStringAsync(new Uri(meeting.JoinUrl!).PathAndQuery);

        html.Should().Contain("Plan meeting about Oliver").And.Contain(BookingText.Long(meeting.Slot!, "Europe/London"));
        html.Should().NotContain("Nwosu").And.NotContain("@");
        (await _bot.CreateClient().GetAsync("/meet/local-no-such-event")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
