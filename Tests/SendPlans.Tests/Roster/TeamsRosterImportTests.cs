using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Roster.Demo;
using SendPlans.Infrastructure.Storage;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Roster;

/// <summary>
/// The Teams import through the real pipeline: an authenticated activity with file
/// attachments whose download URLs point at a local file server, the report card caught by
/// the fake Connector, and the rows checked in Azurite.
/// </summary>
public sealed class TeamsRosterImportTests : IAsyncLifetime
{
    private const string UserId = "00000000-0000-0000-0000-0000000000aa";
    private const string School = "teams-school";
    private BotFactory _bot = null!;
    private LocalServer _files = null!;
    private int _downloads;

    public async Task InitializeAsync()
    {
        _bot = await BotFactory.StartAsync();
        _files = await LocalServer.StartAsync(app => app.MapGet("/files/{name}", (string name) =>
        {
            Interlocked.Increment(ref _downloads);
            var path = Path.Combine(RosterFiles.SamplesFolder, name);
            var bad = Path.Combine(RosterFiles.BadFolder, name);
            return File.Exists(path) ? Results.File(path, "text/csv")
                : File.Exists(bad) ? Results.File(bad, "text/csv")
                : Results.NotFound();
        }));
    }

    public async Task DisposeAsync()
    {
        await _files.DisposeAsync();
        await _bot.DisposeAsync();
    }

    [Fact]
    public async Task PostFiles_Admin_ImportsAndRepliesWithReportCard()
    {
        await AddTestUserAsync(StaffRole.Admin);

        var response = await _bot.PostActivityAsync(WithFiles(null, "pupils.csv", "contacts.csv", "staff.csv"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var card = await CardAsync();
        Texts(card).Should().Contain("Roster imported");
        var counts = card["body"]!.AsArray().Single(e => e!["id"]?.GetValue<string>() == "counts")!;
        CellTexts(counts).Should().ContainInOrder("Pupils", "9", "0", "0", "0");
        var store = _bot.Services.GetRequiredService<RosterStore>();
        (await store.GetPupilsAsync(RosterReader.System("test"), School, false, default)).Should().HaveCount(9);
        (await store.GetPupilsWithContactsAsync(RosterReader.System("test"), School, false, default)).SelectMany(p => p.Contacts).Should().HaveCount(12);
    }

    [Fact]
    public async Task PostFiles_DryRun_ReportsAndWritesNothing()
    {
        await AddTestUserAsync(StaffRole.Admin);

        await _bot.PostActivityAsync(WithFiles("dry run please", "pupils.csv", "contacts.csv"));

        var card = await CardAsync();
        Texts(card).Should().Contain("Roster check (dry run): nothing written");
        Texts(card).Should().Contain("+ pupil P823204124001 (year R, class RA)");
        (await _bot.Services.GetRequiredService<RosterStore>().HasPupilsAsync(School, default)).Should().BeFalse();
    }

    [Fact]
    public async Task PostFiles_BadRow_CardListsProblemWithFileAndLine()
    {
        await AddTestUserAsync(StaffRole.Admin);

        await _bot.PostActivityAsync(WithFiles(null, "pupils-bad-check-letter.csv"));

        var card = await CardAsync();
        Texts(card).Should().Contain("Roster not imported");
        var problems = card["body"]!.AsArray().Single(e => e!["id"]?.GetValue<string>() == "problems")!;
        CellTexts(problems).Should().ContainInOrder("pupils-bad-check-letter.csv", "3", "UPN E823204124002: the UPN's check letter is wrong (it should be D)");
        (await _bot.Services.GetRequiredService<RosterStore>().HasPupilsAsync(School, default)).Should().BeFalse();
    }

    [Fact]
    public async Task PostFiles_Teacher_PoliteRefusalAndNothingFetched()
    {
        await AddTestUserAsync(StaffRole.Teacher);

        await _bot.PostActivityAsync(WithFiles(null, "pupils.csv"));

        var reply = (await _bot.Connector.WaitForAsync(1)).Single().Body!;
        reply["text"]!.GetValue<string>().Should().StartWith("Sorry, only your school's admin can import the roster");
        _downloads.Should().Be(0);
    }

    [Fact]
    public async Task PostFiles_InsecureLink_RefusedWithoutFetching()
    {
        await AddTestUserAsync(StaffRole.Admin);
        var activity = WithFiles(null, "pupils.csv");
        activity["attachments"]![0]!["content"]!["downloadUrl"] = "http://files.example.com/pupils.csv";

        await _bot.PostActivityAsync(activity);

        Texts(await CardAsync()).Should().Contain(t => t.Contains("not a secure (https) link"));
    }

    [Fact]
    public async Task Help_DemoSenco_ShowsSencoAndAdminCommands()
    {
        await _bot.Services.GetRequiredService<DemoSchoolSeeder>().SeedIfEmptyAsync(default);
        var activity = _bot.Activity(text: "help");
        activity["from"]!["aadObjectId"] = DemoSchool.PlaygroundUsers.AlexWilber;

        await _bot.PostActivityAsync(activity);

        var card = await CardAsync();
        Texts(card).Should().Contain(t => t.Contains("Hello Alex") && t.Contains("special needs coordinator (SENCo)"));
        card.ToJsonString().Should().Contain("import roster");
    }

    private async Task AddTestUserAsync(StaffRole role)
    {
        var storage = _bot.Services.GetRequiredService<TableStorage>();
        var staff = await storage.GetTableAsync(StaffDirectory.StaffTable);
        var index = await storage.GetTableAsync(StaffDirectory.IndexTable);
        await staff.UpsertEntityAsync(new TableEntity(School, UserId)
        {
            ["Email"] = "test.user@example.org",
            ["DisplayName"] = "Test User",
            ["Roles"] = role.ToString(),
            ["Classes"] = "",
        });
        await index.UpsertEntityAsync(new TableEntity(UserId, "school") { ["SchoolId"] = School });
    }

    private JsonObject WithFiles(string? text, params string[] names)
    {
        var activity = _bot.Activity(text: text);
        activity["attachments"] = new JsonArray([.. names.Select(n => (JsonNode)new JsonObject
        {
            ["contentType"] = "application/vnd.microsoft.teams.file.download.info",
            ["name"] = n,
            ["contentUrl"] = $"https://contoso.sharepoint.com/personal/{n}",
            ["content"] = new JsonObject
            {
                ["downloadUrl"] = $"{_files.Url}/files/{n}",
                ["uniqueId"] = Guid.NewGuid().ToString(),
                ["fileType"] = "csv",
            },
        })]);
        return activity;
    }

    private async Task<JsonNode> CardAsync()
    {
        var sent = await _bot.Connector.WaitForAsync(1);
        return sent.Single().Body!["attachments"]![0]!["content"]!;
    }

    /// <summary>Every "text" in the card, at any depth.</summary>
    private static List<string> Texts(JsonNode? node) => node switch
    {
        JsonObject o => [.. o.SelectMany(p => p.Key == "text" && p.Value is JsonValue v ? [v.GetValue<string>()] : Texts(p.Value))],
        JsonArray a => [.. a.SelectMany(Texts)],
        _ => [],
    };

    private static List<string> CellTexts(JsonNode table) =>
        [.. table["rows"]!.AsArray().SelectMany(r => r!["cells"]!.AsArray()).Select(c => c!["items"]![0]!["text"]!.GetValue<string>())];
}
