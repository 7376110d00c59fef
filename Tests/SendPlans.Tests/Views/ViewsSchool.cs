using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SendPlans.Bot.ParentLinks;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Roster.Import;
using SendPlans.Bot.Terms;
using SendPlans.Bot.Views;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Views;

/// <summary>
/// The bot on a real loopback port with Azurite, the sample school "oak", this term (deadline
/// in the future), last summer (deadline passed), the school's settings with its office contact
/// and a plan with two targets for Amelia.
/// </summary>
public sealed class ViewsSchool : IAsyncLifetime
{
    public const string School = "oak";
    public const string Amelia = "P823204124001";
    public const string Oliver = "D823204124002";
    public const string SchoolName = "Oakfield Primary";
    public const string OfficeContact = "01632 960123, office@oakfield.example.org";
    public static readonly RosterReader System = RosterReader.System("test");

    /// <summary>The /views rate limit; high, so only a test about the limit meets it.</summary>
    public int PermitsPerMinute { get; init; } = 100_000;

    public BotFactory Bot { get; private set; } = null!;
    public string Url { get; private set; } = "";
    public Term Open { get; } = SampleTerms.Open(School);
    public Term Past { get; } = SampleTerms.Past(School);

    public ParentViewsService Service => Bot.Services.GetRequiredService<ParentViewsService>();
    public ParentViewsStore Store => Bot.Services.GetRequiredService<ParentViewsStore>();
    public ParentLinkTokens Tokens => Bot.Services.GetRequiredService<ParentLinkTokens>();

    public async Task InitializeAsync()
    {
        Bot = await BotFactory.StartAsync(settings: new() { ["Views:PermitsPerMinute"] = PermitsPerMinute.ToString(CultureInfo.InvariantCulture) });
        Url = Bot.ServeOnLoopback();
        var importer = Bot.Services.GetRequiredService<RosterImporter>();
        (await importer.ImportAsync(School, RosterFiles.Samples(), dryRun: false, default)).Problems.Should().BeEmpty();
        var calendar = Bot.Services.GetRequiredService<SchoolCalendarStore>();
        await calendar.CreateSettingsAsync(new SchoolSettings(School, SchoolName) { Contact = OfficeContact }, default);
        Open.Problems().Should().BeEmpty();
        Past.Problems().Should().BeEmpty();
        await calendar.CreateTermsAsync([Open, Past], default);
        var roster = Bot.Services.GetRequiredService<RosterStore>();
        foreach (var term in new[] { Open, Past })
        {
            await roster.CreatePlanAsync(System, new Plan(School, Amelia, term.Id, PlanStatus.Draft,
            [
                new PlanTarget("Amelia will ask for help with a picture card.") { AreaOfNeed = "Talking", HowSchoolHelps = "A help card on her desk.", HowWeKnow = "She uses it most days." },
                new PlanTarget("Amelia will read a short book with an adult.") { AreaOfNeed = "Reading", HowSchoolHelps = "Reading with Mrs Shah three times a week.", HowWeKnow = "She can say what happened." },
            ]), default);
        }
    }

    public async Task DisposeAsync() => await Bot.DisposeAsync();

    /// <summary>A card's Action.Execute pressed by a member of staff, through /api/messages; the invoke's response body.</summary>
    public async Task<JsonNode> InvokeAsync(string verb, string asStaff, JsonObject data)
    {
        var activity = Bot.Activity("invoke", text: null, asStaff: asStaff);
        activity["name"] = "adaptiveCard/action";
        activity["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data } };
        var response = await Bot.PostActivityAsync(activity);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>A message from a member of staff in personal chat; what the bot sent back through the Connector.</summary>
    public async Task<IReadOnlyList<JsonNode>> SayAsync(string asStaff, string text)
    {
        var activity = Bot.Activity(text: text, asStaff: asStaff);
        var before = Bot.Connector.Requests.Count;
        (await Bot.PostActivityAsync(activity)).StatusCode.Should().Be(HttpStatusCode.OK);
        return [.. (await Bot.Connector.WaitForAsync(before + 1)).Skip(before).Select(r => r.Body).OfType<JsonNode>()];
    }

    public async Task<Contact> ContactAsync(string upn, int priority) =>
        (await Bot.Services.GetRequiredService<RosterStore>().GetContactsAsync(System, School, upn, default)).Single(c => c.Priority == priority);

    public async Task<string> LinkAsync(string upn = Amelia, int priority = 1, Term? term = null) =>
        Service.CreateLink(await ContactAsync(upn, priority), term ?? Open)!;
}
