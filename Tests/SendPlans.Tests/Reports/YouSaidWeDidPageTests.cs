using System.Net;
using SendPlans.Bot.Reports;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Reports;

/// <summary>"You said, we did" on the dashboard: the page and CSV of the summary the Teams card shows, in dev mode on the dashboard's school.</summary>
public sealed class YouSaidWeDidPageTests(DashboardSchool school) : IClassFixture<DashboardSchool>
{
    private async Task<string> GetAsync(string path)
    {
        var response = await school.Bot.CreateClient().GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Page_DevModeInChromium_CountsPerYearGroupAndPairsForTheTermAndScreenshot()
    {
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1024, Height = 800 } });
        var violations = new List<string>();
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.Ordinal)) { violations.Add(m.Text); } };

        var response = await page.GotoAsync($"{school.Url}/dashboard/oak/you-said-we-did");

        response!.Status.Should().Be(200);
        (await response.HeaderValueAsync("content-security-policy")).Should().StartWith("default-src 'none'");
        (await response.HeaderValueAsync("cache-control")).Should().Be("no-store");
        (await page.TitleAsync()).Should().Be("oak: you said, we did");
        (await page.Locator("h1").InnerTextAsync()).Should().Be("oak: you said, we did");
        (await page.Locator("p.sub").InnerTextAsync()).Should().StartWith("Autumn term 2026-27");
        (await page.Locator("#years thead th[scope=col]").AllInnerTextsAsync()).Should().Equal("Year group", "Pupils", "Parents' views", "Worries", "Asked", "Agreed");
        var rows = (await page.Locator("#years tbody tr").AllInnerTextsAsync()).Select(r => string.Join("|", r.Split('\t', StringSplitOptions.TrimEntries))).ToList();
        rows.Should().Equal("Reception|2|1|1|1|1", "Year 1|1|1|0|1|1", "Year 2|1|0|0|0|0", "Year 3|1|0|0|0|0", "Year 4|2|0|0|0|0", "Year 5|1|0|0|0|0", "Year 6|1|0|0|0|0",
            "Whole school|9|2|1|2|2");
        (await page.Locator("#years tbody th[scope=row]").CountAsync()).Should().Be(8, "each row is headed by its year group for a screen reader");
        var pairs = page.Locator("#pairs tbody tr");
        (await pairs.CountAsync()).Should().Be(2);
        (await pairs.Nth(0).Locator("th").InnerTextAsync()).Should().Be("Reception");
        (await pairs.Nth(0).Locator("td").Nth(0).InnerTextAsync()).Should().Be("“Help [name] [name] to talk to friends at lunch & break <3”");
        (await pairs.Nth(0).Locator("li").AllInnerTextsAsync()).Should().Equal("[name] will say hello to a friend each morning.", "[name] family to read together at home.");
        (await pairs.Nth(1).Locator("th").InnerTextAsync()).Should().Be("Year 1");
        (await page.Locator("#back a").GetAttributeAsync("href")).Should().Be("../oak?term=2026-27-autumn");
        (await page.Locator("p.sub a").GetAttributeAsync("href")).Should().Be("you-said-we-did.csv?term=2026-27-autumn");
        (await page.EvaluateAsync<string>("getComputedStyle(document.body).fontFamily")).Should().Contain("Segoe UI", "the page's style block is allowed by its hash");
        violations.Should().BeEmpty();

        var file = Path.Combine(Paths.RepoRoot, "docs", "images", "dashboard-you-said-we-did.png");
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });
        new FileInfo(file).Length.Should().BeGreaterThan(10_000);
    }

    [Fact]
    public async Task Csv_DevMode_HeaderYearRowsTotalThenPairs()
    {
        var response = await school.Bot.CreateClient().GetAsync("/dashboard/oak/you-said-we-did.csv");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        response.Content.Headers.ContentDisposition!.FileName.Should().Contain("you-said-we-did-2026-27-autumn.csv");
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        lines[0].Should().Be(string.Join(',', YouSaidWeDidCsv.Header));
        lines.Should().HaveCount(1 + 7 + 1 + 2);
        lines[1].Should().Be("year,Reception,2,1,1,1,1,,");
        lines[2].Should().Be("year,Year 1,1,1,0,1,1,,");
        lines[7].Should().Be("year,Year 6,1,0,0,0,0,,");
        lines[8].Should().Be("total,Whole school,9,2,1,2,2,,");
        lines[9].Should().Be("pair,Reception,,,,,,Help [name] [name] to talk to friends at lunch & break <3,[name] will say hello to a friend each morning. / [name] family to read together at home.");
        lines[10].Should().Be("pair,Year 1,,,,,,\"'+ more phonics, [name] finds blending hard\",[name] will practise phonics for ten minutes a day.",
            "a parent's words starting with + would run as a formula in a spreadsheet, so they are escaped");
    }

    [Fact]
    public async Task YouSaidWeDid_PupilNameInParentsText_ReplacedInPageAndCsv()
    {
        var page = await GetAsync("/dashboard/oak/you-said-we-did");
        var csv = await GetAsync("/dashboard/oak/you-said-we-did.csv");

        foreach (var text in new[] { page, csv })
        {
            text.Should().Contain("[name]").And.NotContain("Amelia").And.NotContain("Hartley").And.NotContain("Isla").And.NotContain("Kowalska");
            text.Should().NotContain("is quiet", "worries are counted, never quoted");
        }
        page.Should().Contain("Help [name] [name] to talk to friends at lunch &amp; break &lt;3").And.NotContain("<3", "a parent's words are encoded");
    }

    [Fact]
    public async Task Page_LastTermChosen_ThatTermsCountsAndNoPairs()
    {
        var page = await GetAsync($"/dashboard/oak/you-said-we-did?term={school.Past.Id}");

        page.Should().Contain("Summer term 2025-26").And.Contain("<tr><th scope=\"row\">Year 2</th><td>1</td><td>1</td><td>0</td><td>0</td><td>0</td></tr>", "only Noah's parent gave views last summer");
        page.Should().Contain("No parent who asked for something has had the agreed targets recorded yet.");
        page.Should().Contain("<b aria-current=\"page\">Summer term 2025-26</b>").And.Contain("<a href=\"you-said-we-did?term=2026-27-autumn\">Autumn term 2026-27</a>");
    }

    [Theory]
    [InlineData("/dashboard/oak/you-said-we-did?term=2019-20-spring")]
    [InlineData("/dashboard/oak/you-said-we-did.csv?term=%3Cscript%3E")]
    public async Task YouSaidWeDid_UnknownTerm_NotFound(string path) =>
        (await school.Bot.CreateClient().GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound);

    [Fact]
    public async Task Dashboard_DevMode_LinksToYouSaidWeDidForTheSameTerm()
    {
        var page = await GetAsync($"/dashboard/oak?term={school.Past.Id}");

        page.Should().Contain("id=\"you-said-we-did\"").And.Contain("<a href=\"oak/you-said-we-did?term=2025-26-summer\">");
    }
}
