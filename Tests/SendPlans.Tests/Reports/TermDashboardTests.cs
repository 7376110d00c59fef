using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using SendPlans.Bot.AfterMeeting;
using SendPlans.Bot.DataProtection;
using SendPlans.Bot.Roster.Import;
using SendPlans.Bot.Terms;
using Microsoft.Playwright;
using SendPlans.Bot.Reports;
using SendPlans.Bot.Roster;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Reports;

/// <summary>The term dashboard: its figures from the real stores on Azurite, the CSV, the page in Chromium and the card.</summary>
public sealed class TermDashboardTests(DashboardSchool school) : IClassFixture<DashboardSchool>
{
    private const string Priya = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a02";

    private async Task<TermDashboardFigures> FiguresAsync() =>
        (await school.Bot.Services.GetRequiredService<TermDashboard>().ForSchoolAsync(RosterReader.System("test"), DashboardSchool.School, default))!;

    [Fact]
    public async Task ForSchool_SeededTerm_CountsEachYearGroup()
    {
        var f = await FiguresAsync();

        f.TermId.Should().Be("2026-27-autumn");
        f.GoalPercent.Should().Be(99);
        f.Years.Select(y => y.Code).Should().Equal("R", "1", "2", "3", "4", "5", "6");
        var reception = f.Years.Single(y => y.Code == "R");
        reception.Should().BeEquivalentTo(new { Pupils = 2, Booked = 2, Held = 1, Missed = 1, ViewsReturned = 1, VoiceCaptured = 1 });
        reception.FollowUps.Should().Be(new FollowUpCounts(0, 1, 0, 0, 0, 0));
        reception.AttendancePercent.Should().Be(50);
        reception.ViewsPercent.Should().Be(50);
        reception.VoicePercent.Should().Be(50);

        var year1 = f.Years.Single(y => y.Code == "1");
        year1.Should().BeEquivalentTo(new { Pupils = 1, Booked = 1, Held = 1, Missed = 0, ViewsReturned = 1, VoiceCaptured = 1 }, "a miss made good by the rebooked meeting counts as held");
        year1.FollowUps.Should().Be(new FollowUpCounts(0, 0, 0, 1, 0, 0));
        year1.AttendancePercent.Should().Be(100);

        var year4 = f.Years.Single(y => y.Code == "4");
        year4.Should().BeEquivalentTo(new { Pupils = 2, Booked = 1, Held = 0, Missed = 0, ViewsReturned = 0, VoiceCaptured = 0 }, "a parent still choosing has no meeting booked");
        year4.AttendancePercent.Should().BeNull("no outcome is known yet");
        year4.ViewsPercent.Should().Be(0);

        var year2 = f.Years.Single(y => y.Code == "2");
        year2.Should().BeEquivalentTo(new { Pupils = 1, Booked = 0, Held = 0, Missed = 0, ViewsReturned = 0 }, "last summer's meeting and views are not this term's");
    }

    [Fact]
    public async Task ForSchool_SeededTerm_TotalsAreTheSumOfTheYearGroups()
    {
        var t = (await FiguresAsync()).Total;

        t.Should().BeEquivalentTo(new { Pupils = 9, Booked = 4, Held = 2, Missed = 1, ViewsReturned = 2, VoiceCaptured = 2 });
        t.FollowUps.Total.Should().Be(2);
        t.FollowUps.Unfinished.Should().Be(1);
        t.AttendancePercent.Should().Be(66.7);
        t.ViewsPercent.Should().Be(22.2);
        t.VoicePercent.Should().Be(22.2);
    }

    [Fact]
    public void Percent_NothingToDivideBy_Null() =>
        YearFigures.Percent(0, 0).Should().BeNull();

    [Fact]
    public async Task Csv_DevMode_SameFiguresAsThePage()
    {
        var response = await school.Bot.CreateClient().GetAsync("/dashboard/oak.csv");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        response.Content.Headers.ContentDisposition!.FileName.Should().Contain("dashboard-2026-27-autumn.csv");
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        lines[0].Should().Be(string.Join(',', DashboardCsv.Header));
        lines.Should().HaveCount(1 + 7 + 1);
        lines[1].Should().Be("R,2,2,1,1,1,0,1,0,0,0,0,50.0,1,50.0,1,50.0,0,0,0,0");
        lines.Single(l => l.StartsWith("4,", StringComparison.Ordinal)).Should().Be("4,2,1,0,0,0,0,0,0,0,0,0,,0,0.0,0,0.0,0,0,0,0");
        lines[^1].Should().Be("all,9,4,2,1,2,0,1,0,1,0,0,66.7,2,22.2,2,22.2,0,0,0,0");
    }

    [Fact]
    public async Task ForSchool_LastTermChosen_ItsFiguresAndModerationOutcomes()
    {
        var f = (await school.Bot.Services.GetRequiredService<TermDashboard>().ForSchoolAsync(RosterReader.System("test"), DashboardSchool.School, school.Past.Id, default))!;

        f.TermId.Should().Be("2025-26-summer");
        f.Terms.Select(t => t.Id).Should().Equal("2025-26-summer", "2026-27-autumn");
        f.Total.Should().BeEquivalentTo(new { Booked = 1, Held = 1, Missed = 0, ViewsReturned = 1 }, "only Noah's meeting and views were last summer's");
        f.Total.Moderation.Should().Be(new ModerationCounts(3, 1, 1));
        f.Total.Moderation.Awaiting.Should().Be(1);
        f.Years.Single(y => y.Code == "2").Moderation.Should().Be(new ModerationCounts(1, 1, 0));
        f.Years.Single(y => y.Code == "1").Moderation.Should().Be(new ModerationCounts(1, 0, 1));
        (await FiguresAsync()).Total.Moderation.Should().Be(ModerationCounts.None, "this term's plans have not been sampled yet");
    }

    [Fact]
    public async Task Csv_LastTermChosen_ThatTermsFileWithModeration()
    {
        var response = await school.Bot.CreateClient().GetAsync($"/dashboard/oak.csv?term={school.Past.Id}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentDisposition!.FileName.Should().Contain("dashboard-2025-26-summer.csv");
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        lines[^1].Should().EndWith(",3,1,1,1");
    }

    [Theory]
    [InlineData("/dashboard/oak?term=2019-20-spring")]
    [InlineData("/dashboard/oak.csv?term=%3Cscript%3E")]
    public async Task Dashboard_UnknownTerm_NotFound(string path) =>
        (await school.Bot.CreateClient().GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound);

    [Fact]
    public async Task Page_DevModeInChromium_ChartsPerYearGroupWithTheGoalLineAndScreenshot()
    {
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1024, Height = 800 } });
        var violations = new List<string>();
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.Ordinal)) { violations.Add(m.Text); } };

        var response = await page.GotoAsync($"{school.Url}/dashboard/oak");

        response!.Status.Should().Be(200);
        (await response.HeaderValueAsync("content-security-policy")).Should().StartWith("default-src 'none'");
        (await page.TitleAsync()).Should().Be("oak: term dashboard");
        var goal = page.Locator("#attendance-chart line.goal");
        (await goal.CountAsync()).Should().Be(1);
        (await goal.GetAttributeAsync("data-goal")).Should().Be("99");
        var box = await goal.BoundingBoxAsync();
        var chart = await page.Locator("#attendance-chart").BoundingBoxAsync();
        box!.Height.Should().BeGreaterThan(50, "the goal line spans the chart");
        ((double)(box.X - chart!.X) / chart.Width).Should().BeApproximately((90 + 500 * 0.99) / 640, 0.01, "the line sits at 99% of the scale");
        (await page.Locator("#attendance-chart rect.bar[data-year='R']").GetAttributeAsync("data-percent")).Should().Be("50");
        (await page.Locator("#meetings-chart rect.bar").CountAsync()).Should().Be(7 * 4, "booked, held, missed and followed up for each year group");
        (await page.Locator("#views-chart rect.bar").CountAsync()).Should().Be(7);
        (await page.Locator("#voice-chart rect.bar").CountAsync()).Should().Be(7);
        (await page.Locator("#totals").InnerTextAsync()).Should().Contain("66.7%");
        (await page.EvaluateAsync<string>("getComputedStyle(document.body).fontFamily")).Should().Contain("Segoe UI", "the page's style block is allowed by its hash");
        violations.Should().BeEmpty();
        (await page.Locator("#moderation").InnerTextAsync()).Should().Contain("No plans have been sampled");

        var file = Path.Combine(Paths.RepoRoot, "docs", "images", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });
        new FileInfo(file).Length.Should().BeGreaterThan(10_000);
    }

    [Fact]
    public async Task Page_TermPickerInChromium_OpensLastTermWithItsModeration()
    {
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1024, Height = 800 } });
        await page.GotoAsync($"{school.Url}/dashboard/oak");

        (await page.Locator("#terms [aria-current=page]").InnerTextAsync()).Should().Be("Autumn term 2026-27");
        await page.Locator("#terms a", new() { HasText = "Summer term 2025-26" }).ClickAsync();

        page.Url.Should().EndWith("/dashboard/oak?term=2025-26-summer");
        (await page.Locator("p.sub").InnerTextAsync()).Should().StartWith("Summer term 2025-26");
        var rows = await page.Locator("#moderation tbody tr").AllInnerTextsAsync();
        rows.Should().HaveCount(4, "Reception, Year 1, Year 2 (the year groups with sampled plans) and the whole school");
        rows[^1].Should().MatchRegex(@"Whole school\s+3\s+1\s+1\s+1");
        (await page.Locator("p.sub a").GetAttributeAsync("href")).Should().Be("oak.csv?term=2025-26-summer");
    }

    [Fact]
    public async Task DashboardCommand_Senco_SummaryCardWithLinkToThePage()
    {
        var sent = (await SayDashboardAsync("29:sam", DashboardSchool.Senco))
            .Single(b => b["attachments"] is not null);
        var card = sent["attachments"]![0]!["content"]!;
        card["actions"]![0]!["url"]!.GetValue<string>().Should().Be("https://sendplans.example.org/dashboard/oak");
        card.ToJsonString().Should().Contain("Attendance 66.7% against a goal of 99%.");
    }

    [Fact]
    public async Task ForSchool_AdminReader_EveryFigureButPupilVoiceAndNoPlanRead()
    {
        var services = school.Bot.Services;
        var admin = (await services.GetRequiredService<StaffDirectory>().FindByEntraIdAsync(DashboardSchool.Admin, default))!;
        var all = await FiguresAsync();

        var f = (await services.GetRequiredService<TermDashboard>().ForSchoolAsync(RosterReader.For(admin, "term dashboard"), DashboardSchool.School, default))!;

        f.VoiceCounted.Should().BeFalse("an admin reads the roster but not plans, and pupil voice is counted from plans");
        all.VoiceCounted.Should().BeTrue();
        f.Years.Should().OnlyContain(y => y.VoiceCaptured == null && y.VoicePercent == null);
        f.Total.Should().BeEquivalentTo(all.Total with { VoiceCaptured = null }, "every other figure is the same as the SENCo's");
        (await services.GetRequiredService<PlanAudit>().ForPupilAsync(DashboardSchool.School, DashboardSchool.Amelia, default))
            .Should().NotContain(e => e.Actor == $"staff:{DashboardSchool.Admin}", "no plan was read for the admin");
    }

    [Fact]
    public async Task DashboardCommand_Admin_SummaryCardWithoutPupilVoice()
    {
        var sent = await SayDashboardAsync("29:jo", DashboardSchool.Admin);
        sent.Should().NotContain(b => b["text"] != null && b["text"]!.GetValue<string>().Contains("went wrong", StringComparison.Ordinal));
        var card = sent.Should().ContainSingle(b => b["attachments"] != null).Which["attachments"]![0]!["content"]!;
        card["actions"]![0]!["url"]!.GetValue<string>().Should().Be("https://sendplans.example.org/dashboard/oak");
        card.ToJsonString().Should().Contain("Attendance 66.7% against a goal of 99%.");
        var facts = card["body"]!.AsArray().Single(e => e!["id"]?.GetValue<string>() == "figures")!["facts"]!.AsArray()
            .ToDictionary(x => x!["title"]!.GetValue<string>(), x => x!["value"]!.GetValue<string>());
        facts["Parents' views returned"].Should().Be("22.2%");
        facts["Pupil voice captured"].Should().Be("not shown");
        card["body"]!.AsArray().Single(e => e!["id"]?.GetValue<string>() == "voice-not-shown")!["text"]!.GetValue<string>()
            .Should().Be(DashboardPage.VoiceNotShown);
    }

    [Fact]
    public async Task DashboardCommand_Senco_CardShowsPupilVoice()
    {
        var card = (await SayDashboardAsync("29:sam", DashboardSchool.Senco))
            .Single(b => b["attachments"] is not null)["attachments"]![0]!["content"]!;
        card["body"]!.AsArray().Single(e => e!["id"]?.GetValue<string>() == "figures")!["facts"]!.AsArray()
            .Single(x => x!["title"]!.GetValue<string>() == "Pupil voice captured")!["value"]!.GetValue<string>().Should().Be("22.2%");
        card["body"]!.AsArray().Should().NotContain(e => e!["id"] != null && e["id"]!.GetValue<string>() == "voice-not-shown");
    }

    [Fact]
    public async Task ForSchool_StaffWithNoChat_ListedUntilTheyOpenTheBot()
    {
        var before = await FiguresAsync();
        await Booking.BookingSchool.RememberChatAsync(school.Bot.Services, school.Bot, DashboardSchool.School, Priya);

        var after = await FiguresAsync();

        before.Unreachable.Should().Contain(new UnreachableStaff("Nadia Rahman", "teacher"));
        before.Unreachable.Should().Contain(new UnreachableStaff("Priya Shah", "teacher, year lead"));
        after.Unreachable.Should().Contain(new UnreachableStaff("Nadia Rahman", "teacher"));
        after.Unreachable.Should().NotContain(s => s.Name == "Priya Shah", "she has a chat with the bot now");
    }

    [Fact]
    public async Task Page_StaffWithNoChat_LineSaysHowManyAndNamesThem()
    {
        var html = await school.Bot.CreateClient().GetStringAsync("/dashboard/oak");
        var count = (await FiguresAsync()).Unreachable.Count;

        html.Should().Contain($"<p class=\"legend\" id=\"unreachable\">{count} staff cannot be reached by the bot: ask each of them to open the bot in Teams once.");
        html.Should().Contain("<li>Nadia Rahman (teacher)</li>");
    }

    [Fact]
    public void Page_EveryoneReachable_NoLine()
    {
        var figures = new TermDashboardFigures("oak", "Oakfield Primary", "t", "Autumn term", 99, [], new YearFigures("all", "Whole school", 0, 0, 0, 0, FollowUpCounts.None, 0, 0));

        DashboardPage.Render(figures).Should().NotContain("unreachable");
        ReportsHandlers.Summary(figures, "https://x.example").Unreachable.Should().BeNull();
    }

    [Fact]
    public async Task DashboardCommand_StaffWithNoChat_CardSaysHowMany()
    {
        var card = (await SayDashboardAsync("29:sam", DashboardSchool.Senco))
            .Single(b => b["attachments"] is not null)["attachments"]![0]!["content"]!;
        card["body"]!.AsArray().Single(e => e!["id"]?.GetValue<string>() == "unreachable")!["text"]!.GetValue<string>()
            .Should().MatchRegex(@"^\d+ (staff|member of staff) cannot be reached by the bot: .* The dashboard lists them\.$");
    }

    [Fact]
    public async Task DashboardCommand_Teacher_Refused()
    {
        var sent = await SayDashboardAsync("29:tom", DashboardSchool.Teacher);
        sent.Should().ContainSingle(b => b["text"] != null && b["text"]!.GetValue<string>().Contains("SENCo, SLT and admin", StringComparison.Ordinal));
        sent.Should().NotContain(b => b["attachments"] != null);
    }

    /// <summary>Says "dashboard" in Teams as this member of staff; what the bot sent back.</summary>
    private async Task<IReadOnlyList<JsonNode>> SayDashboardAsync(string teamsId, string entraId)
    {
        var activity = school.Bot.Activity(text: "dashboard");
        activity["from"] = new JsonObject { ["id"] = teamsId, ["aadObjectId"] = entraId };
        var before = school.Bot.Connector.Requests.Count;

        (await school.Bot.PostActivityAsync(activity, authorization: null)).StatusCode.Should().Be(HttpStatusCode.OK);

        return [.. (await school.Bot.Connector.WaitForAsync(before + 1)).Skip(before).Select(r => r.Body).OfType<JsonNode>()];
    }
}

/// <summary>Outside dev mode the page needs a signed-in SENCo, SLT or Admin.</summary>
public sealed class DashboardAccessTests
{
    [Theory]
    [InlineData("/dashboard/oak")]
    [InlineData("/dashboard/oak.csv")]
    [InlineData("/dashboard/oak/you-said-we-did")]
    [InlineData("/dashboard/oak/you-said-we-did.csv")]
    public async Task Dashboard_NotDevModeNoSignInConfigured_Unauthorized(string path)
    {
        await using var bot = await BotFactory.StartAsync();

        var response = await bot.CreateClient().GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Dashboard_NotDevModeSignInConfiguredNoToken_UnauthorizedWithBearerChallenge()
    {
        await using var bot = await BotFactory.StartAsync(settings: new()
        {
            ["Reports:Authority"] = "https://login.microsoftonline.com/tenant-1/v2.0",
            ["Reports:Audience"] = "api://sendplans-dashboard",
        });

        var response = await bot.CreateClient().GetAsync("/dashboard/oak");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().Be("Bearer");
    }

    [Theory]
    [InlineData(DashboardSchool.Senco, HttpStatusCode.OK)]
    [InlineData(DashboardSchool.Admin, HttpStatusCode.OK)]
    [InlineData(DashboardSchool.Teacher, HttpStatusCode.Forbidden)]
    [InlineData("00000000-0000-0000-0000-00000000beef", HttpStatusCode.Forbidden)]
    public async Task Dashboard_NotDevModeSignedIn_OnlySencoSltOrAdminOfTheSchool(string objectId, HttpStatusCode expected)
    {
        var (bot, client) = await SignedInAsync(objectId);
        await using var _ = bot;

        var response = await client.GetAsync("/dashboard/oak");

        response.StatusCode.Should().Be(expected);
    }

    [Theory]
    [InlineData(DashboardSchool.Senco, "/dashboard/oak/you-said-we-did.csv", HttpStatusCode.OK)]
    [InlineData(DashboardSchool.Slt, "/dashboard/oak/you-said-we-did", HttpStatusCode.OK)]
    [InlineData(DashboardSchool.Admin, "/dashboard/oak/you-said-we-did", HttpStatusCode.Forbidden)]
    [InlineData(DashboardSchool.Admin, "/dashboard/oak/you-said-we-did.csv", HttpStatusCode.Forbidden)]
    [InlineData(DashboardSchool.Teacher, "/dashboard/oak/you-said-we-did.csv", HttpStatusCode.Forbidden)]
    public async Task YouSaidWeDid_NotDevModeSignedIn_OnlySencoOrSltAsInTeams(string objectId, string path, HttpStatusCode expected)
    {
        var (bot, client) = await SignedInAsync(objectId);
        await using var _ = bot;

        var response = await client.GetAsync(path);

        response.StatusCode.Should().Be(expected);
        if (expected == HttpStatusCode.Forbidden)
        {
            (await response.Content.ReadAsStringAsync()).Should().BeEmpty("a script is told 403 and nothing else");
        }
    }

    [Fact]
    public async Task Dashboard_NotDevModeSltSignedIn_LinksToYouSaidWeDid()
    {
        var (bot, client) = await SignedInAsync(DashboardSchool.Slt);
        await using var _ = bot;

        var page = await client.GetStringAsync("/dashboard/oak");

        page.Should().Contain("<a href=\"oak/you-said-we-did?term=2026-27-autumn\">");
    }

    [Fact]
    public async Task Dashboard_NotDevModeAdminSignedIn_EveryFigureButPupilVoice()
    {
        var (bot, client) = await SignedInAsync(DashboardSchool.Admin);
        await using var _ = bot;

        var page = await client.GetAsync("/dashboard/oak");
        var csv = await client.GetAsync("/dashboard/oak.csv");

        page.StatusCode.Should().Be(HttpStatusCode.OK, "an admin may see the dashboard (SENCo, SLT and admin staff), only not plan-derived figures");
        var html = await page.Content.ReadAsStringAsync();
        html.Should().Contain("<table id=\"figures\">").And.Contain("<p class=\"legend\" id=\"voice-not-shown\">Pupil voice is counted from the pupils&#39; plans, which admin staff do not read.", "the sentence says why the figure is missing");
        html.Should().NotContain("id=\"voice-chart\"").And.NotContain("you-said-we-did", "\"you said, we did\" is for the SENCo and SLT");
        html.Should().Contain("<tr><th scope=\"row\">Whole school</th><td>9</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>–</td><td>0%</td><td>not shown</td></tr>");
        csv.StatusCode.Should().Be(HttpStatusCode.OK);
        (await csv.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n')[^1].Should().Be("all,9,0,0,0,0,0,0,0,0,0,0,,0,0.0,,,0,0,0,0", "voice_captured and voice_percent are empty, not 0");
    }

    [Theory]
    [InlineData(StaffRole.SENCo, true)]
    [InlineData(StaffRole.SLT, true)]
    [InlineData(StaffRole.Admin, false)]
    public void MaySee_DashboardReaderAndYouSaidWeDidRoles_OnlySencoOrSlt(StaffRole role, bool expected)
    {
        var member = new StaffMember("oak", "oid", "a@oakfield.example.org", "A B", new HashSet<StaffRole> { role }, []);

        DashboardAccess.MaySee(RosterReader.For(member, "term dashboard"), YouSaidWeDidReport.Roles).Should().Be(expected);
        DashboardAccess.MaySee(RosterReader.System("term dashboard (dev mode)"), YouSaidWeDidReport.Roles).Should().BeTrue();
    }

    /// <summary>The bot outside dev mode with the sample school and a client carrying a locally signed Entra ID token for <paramref name="objectId"/>.</summary>
    private static async Task<(BotFactory Bot, HttpClient Client)> SignedInAsync(string objectId)
    {
        const string issuer = "https://login.microsoftonline.com/tenant-1/v2.0", audience = "api://sendplans-dashboard";
        var key = FakeBotFrameworkIdentity.NewKey();
        var bot = await BotFactory.StartAsync(
            settings: new() { ["Reports:Authority"] = issuer, ["Reports:Audience"] = audience },
            services: s => s.PostConfigure<JwtBearerOptions>(DashboardAccess.Scheme, o =>
            {
                var configuration = new OpenIdConnectConfiguration { Issuer = issuer };
                configuration.SigningKeys.Add(key);
                o.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
            }));
        var services = bot.Services;
        (await services.GetRequiredService<RosterImporter>().ImportAsync("oak", RosterFiles.Samples(), dryRun: false, default)).Problems.Should().BeEmpty();
        var term = new Term("oak", "2026-27", TermName.Autumn, new(2026, 9, 3), new(2026, 12, 18), new(2026, 10, 26), new(2026, 10, 30), [],
            new(2026, 11, 2), new(2026, 12, 4), new(2026, 12, 11));
        await services.GetRequiredService<SchoolCalendarStore>().CreateTermsAsync([term], default);
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = new Dictionary<string, object> { ["oid"] = objectId },
            Expires = DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
        var client = bot.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (bot, client);
    }

    [Fact]
    public void Validate_AuthorityNotHttps_Fails()
    {
        var result = new ReportsOptionsValidator().Validate(null, new ReportsOptions { Authority = "http://login.example", Audience = "a" });

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("Reports:Authority");
    }

    [Fact]
    public void Validate_GoalOver100_Fails() =>
        new ReportsOptionsValidator().Validate(null, new ReportsOptions { AttendanceGoalPercent = 101 }).Failed.Should().BeTrue();
}

/// <summary>
/// Outside dev mode, a member of staff opening the dashboard in a browser signs in with Entra ID
/// (a local fake: authorization code with PKCE), then carries a cookie for the dashboard only.
/// </summary>
public sealed class DashboardSignInTests : IAsyncLifetime
{
    private FakeEntraId _entra = null!;
    private BotFactory _bot = null!;
    private string _url = "";

    public async Task InitializeAsync()
    {
        _entra = await FakeEntraId.StartAsync();
        _bot = await BotFactory.StartAsync(settings: new()
        {
            ["Reports:Authority"] = _entra.Authority,
            ["Reports:ClientId"] = FakeEntraId.ClientId,
            ["Reports:ClientSecret"] = FakeEntraId.ClientSecret,
        });
        _url = _bot.ServeOnLoopback();
        var services = _bot.Services;
        (await services.GetRequiredService<RosterImporter>().ImportAsync("oak", RosterFiles.Samples(), dryRun: false, default)).Problems.Should().BeEmpty();
        await services.GetRequiredService<SchoolCalendarStore>().CreateTermsAsync([SampleTerms.Open("oak"), SampleTerms.Past("oak")], default);
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _entra.DisposeAsync();
    }

    [Fact]
    public async Task Dashboard_BrowserNotSignedIn_SentToEntraIdWithPkce()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        var response = await client.GetAsync($"{_url}/dashboard/oak?term=2025-26-summer");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var location = response.Headers.Location!.ToString();
        location.Should().StartWith($"{_entra.Authority}/authorize?");
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(location).Query);
        query["client_id"].Should().Be(FakeEntraId.ClientId);
        query["response_type"].Should().Be("code");
        query["code_challenge_method"].Should().Be("S256");
        query["redirect_uri"].Should().Be($"{_url}/dashboard/signin-oidc");
        response.Headers.GetValues("Set-Cookie").Should().Contain(c => c.Contains("samesite=lax", StringComparison.OrdinalIgnoreCase) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase),
            "the correlation cookie survives the GET back from Entra ID and scripts cannot read it");
    }

    [Fact]
    public async Task Dashboard_SencoSignsInInChromium_SeesThePageAndStaysSignedIn()
    {
        _entra.SignedInAs = DashboardSchool.Senco;
        await using var chromium = await Chromium.LaunchAsync();
        var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync($"{_url}/dashboard/oak?term=2025-26-summer");

        response!.Status.Should().Be(200);
        page.Url.Should().Be($"{_url}/dashboard/oak?term=2025-26-summer", "after sign-in the browser comes back to the page it asked for");
        (await page.TitleAsync()).Should().Be("oak: term dashboard");
        (await page.Locator("p.sub").InnerTextAsync()).Should().StartWith("Summer term 2025-26");
        var cookie = (await context.CookiesAsync()).Single(c => c.Name == "sendplans-dashboard");
        cookie.HttpOnly.Should().BeTrue();
        cookie.Path.Should().Be("/dashboard");
        _entra.TokensIssued.Should().Be(1);

        (await page.GotoAsync($"{_url}/dashboard/oak"))!.Status.Should().Be(200);
        (await context.APIRequest.GetAsync($"{_url}/dashboard/oak.csv", new() { MaxRedirects = 0 })).Status.Should().Be(200, "the CSV link works with the same cookie");
        _entra.AuthorizeRequests.Should().Be(1, "the cookie keeps them signed in");
    }

    [Fact]
    public async Task Dashboard_TeacherSignsInInChromium_NotForThisAccountPage()
    {
        _entra.SignedInAs = DashboardSchool.Teacher;
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Browser.NewPageAsync();

        var response = await page.GotoAsync($"{_url}/dashboard/oak");

        response!.Status.Should().Be(403);
        (await page.Locator("#notice").InnerTextAsync()).Should().Contain("for the SENCo, senior leaders and admin staff");
        (await page.ContentAsync()).Should().NotContain("Whole school");
    }

    [Fact]
    public async Task Dashboard_AdminSignsInInChromium_FiguresWithoutPupilVoice()
    {
        _entra.SignedInAs = DashboardSchool.Admin;
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Browser.NewPageAsync();

        var response = await page.GotoAsync($"{_url}/dashboard/oak");

        response!.Status.Should().Be(200);
        (await page.TitleAsync()).Should().Be("oak: term dashboard");
        (await page.Locator("#voice-not-shown").InnerTextAsync()).Should().Contain("admin staff do not read");
        (await page.Locator("#totals").InnerTextAsync()).Should().Contain("not shown");
        (await page.Locator("#voice-chart").CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task YouSaidWeDid_AdminSignsInInChromium_NotForThisAccountPage()
    {
        _entra.SignedInAs = DashboardSchool.Admin;
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Browser.NewPageAsync();

        var response = await page.GotoAsync($"{_url}/dashboard/oak/you-said-we-did");

        response!.Status.Should().Be(403);
        page.Url.Should().Be($"{_url}/dashboard/oak/you-said-we-did", "the same sign-in brings them back to the page they asked for");
        (await page.Locator("#notice").InnerTextAsync()).Should().Contain("for the SENCo and senior leaders");
        (await page.ContentAsync()).Should().NotContain("Whole school");
    }

    [Fact]
    public async Task SignInCallback_TamperedState_FriendlyPageAndNoCookie()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        var response = await client.GetAsync($"{_url}/dashboard/signin-oidc?code=ABC&state=not-a-real-state");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("open the dashboard again from the link in Teams");
        response.Headers.TryGetValues("Set-Cookie", out var cookies);
        (cookies ?? []).Should().NotContain(c => c.StartsWith("sendplans-dashboard=", StringComparison.Ordinal) && !c.Contains("expires=Thu, 01 Jan 1970", StringComparison.Ordinal));
        _entra.TokensIssued.Should().Be(0);
    }

    [Fact]
    public async Task Dashboard_ScriptWithBadBearerToken_UnauthorizedNotRedirected()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not.a.token");

        var response = await client.GetAsync($"{_url}/dashboard/oak.csv");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().Be("Bearer");
    }

    [Theory]
    [InlineData("https://login.microsoftonline.com/t/v2.0", "client", null, "Reports:ClientSecret")]
    [InlineData("http://login.example/t/v2.0", "client", "secret", "Reports:Authority")]
    [InlineData(null, "client", "secret", "Reports:Authority is required")]
    public void Validate_BrowserSignInMisconfigured_FailsNamingTheKey(string? authority, string? clientId, string? secret, string expected)
    {
        var result = new ReportsOptionsValidator().Validate(null, new ReportsOptions { Authority = authority, ClientId = clientId, ClientSecret = secret });

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain(expected);
    }

    [Fact]
    public void Validate_LoopbackHttpAuthorityWithClient_Succeeds() =>
        new ReportsOptionsValidator().Validate(null, new ReportsOptions { Authority = "http://127.0.0.1:5999/t/v2.0", ClientId = "c", ClientSecret = "s" })
            .Succeeded.Should().BeTrue();
}
