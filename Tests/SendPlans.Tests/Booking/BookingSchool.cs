using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Roster.Demo;
using SendPlans.Bot.Roster.Import;
using SendPlans.Bot.Terms;
using SendPlans.Cards.Booking;
using SendPlans.Infrastructure.Calendars.Local;
using SendPlans.Infrastructure.BotFramework.Proactive;
using SendPlans.Infrastructure.Storage;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Booking;

/// <summary>
/// The sample school "oak" (docs/samples) with the demo school's terms, and a test teacher who
/// teaches RA, RB, 1A and 2B: four SEN pupils, with an email-less father, an email-less mother
/// who needs a Polish interpreter, and a grandmother without parental responsibility.
/// </summary>
public static class BookingSchool
{
    public const string School = "oak";
    /// <summary>Today in London; the test term is built around it, so the tests run on any date with real time (the JWTs need it).</summary>
    public static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")).DateTime);

    public static string TermId => CurrentTerm().Id;
    public const string TeacherId = "00000000-0000-0000-0000-0000000000aa";
    public const string TeacherEmail = "test.teacher@oakfield.example.org";
    public const string SencoId = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a01";
    public const string AdminId = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a06";
    public const string Amelia = "P823204124001";
    public const string Oliver = "D823204124002";
    public const string Isla = "D823204123001";
    public const string Noah = "T823204122001";

    /// <summary>A term around today: the meeting window opened a week ago and runs three more weeks.</summary>
    public static Term CurrentTerm()
    {
        var today = Today;
        var name = today.Month switch { >= 9 => TermName.Autumn, <= 3 => TermName.Spring, _ => TermName.Summer };
        return new Term(School, AcademicYears.For(today), name, today.AddDays(-14), today.AddDays(70), today.AddDays(40), today.AddDays(44), [],
            today.AddDays(-7), today.AddDays(21), today.AddDays(28));
    }

    public static async Task SeedAsync(IServiceProvider services, string classes = "RA;RB;1A;2B", bool terms = true, string roles = "Teacher")
    {
        var importer = services.GetRequiredService<RosterImporter>();
        (await importer.ImportAsync(School, RosterFiles.Samples(), dryRun: false, default)).Problems.Should().BeEmpty();
        var calendar = services.GetRequiredService<SchoolCalendarStore>();
        await calendar.CreateSettingsAsync(new SchoolSettings(School, "Oakfield Primary") { Contact = "01632 960123, office@oakfield.example.org" }, default);
        if (terms)
        {
            await calendar.CreateTermsAsync([CurrentTerm()], default);
        }
        var storage = services.GetRequiredService<TableStorage>();
        var staff = await storage.GetTableAsync(StaffDirectory.StaffTable);
        var index = await storage.GetTableAsync(StaffDirectory.IndexTable);
        await staff.UpsertEntityAsync(new TableEntity(School, TeacherId)
        {
            ["Email"] = TeacherEmail,
            ["DisplayName"] = "Terry Teacher",
            ["Roles"] = roles,
            ["Classes"] = classes,
        });
        await index.UpsertEntityAsync(new TableEntity(TeacherId, "school") { ["SchoolId"] = School });
    }

    /// <summary>Records the SENCo's or admin's personal chat, as their first message to the bot would.</summary>
    public static async Task RememberChatAsync(IServiceProvider services, BotFactory bot, string schoolId, string entraId)
    {
        var activity = SendPlans.Infrastructure.BotFramework.Activity.CreateMessage("hi");
        activity.ServiceUrl = bot.Connector.ServiceUrl;
        activity.ChannelId = "msteams";
        activity.Conversation = new() { Id = $"a:personal-{entraId}", ConversationType = "personal" };
        activity.From = new() { Id = $"29:{entraId}", AadObjectId = entraId };
        activity.Recipient = new() { Id = "28:" + BotFactory.AppId };
        await services.GetRequiredService<SendPlans.Bot.Booking.StaffChats>().RememberAsync(schoolId, entraId, activity, default);
    }

    public static JsonObject Invoke(BotFactory bot, string verb, JsonObject data, string replyToId = "activity-1")
    {
        var activity = bot.Activity("invoke", text: null);
        activity["name"] = "adaptiveCard/action";
        activity["replyToId"] = replyToId;
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data },
            ["trigger"] = "manual",
        };
        return activity;
    }

    /// <summary>Posts the invoke and returns the invoke body.</summary>
    public static async Task<JsonNode> InvokeAsync(BotFactory bot, string verb, JsonObject data)
    {
        var response = await bot.PostActivityAsync(Invoke(bot, verb, data));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>
    /// Presses Book all and returns the card that shows how it ended: the invoke's card when the
    /// booking finished within the invoke's budget, else the card the bot put in its place when
    /// it finished (on a busy machine that can take longer than the budget).
    /// </summary>
    public static async Task<JsonNode> BookAllAsync(BotFactory bot)
    {
        var before = bot.Connector.Requests.Count;
        var card = (await InvokeAsync(bot, BookingCards.BookAllVerb, new JsonObject { ["term"] = TermId }))["value"]!;
        return Texts(card).Any(t => t.StartsWith("Booking your meetings:", StringComparison.Ordinal))
            ? (await CardUpdateAsync(bot, before))["attachments"]![0]!["content"]!
            : card;
    }

    /// <summary>
    /// Opens the reschedule card for a pupil's meeting (Reschedule, then Find free times on "my
    /// meetings") and returns the card with the times: the invoke's card, or the card the bot put in
    /// its place when the calendar answered after the invoke's budget.
    /// </summary>
    public static async Task<JsonNode> OpenRescheduleAsync(BotFactory bot, string upn)
    {
        var before = bot.Connector.Requests.Count;
        var card = (await InvokeAsync(bot, BookingCards.RescheduleTimesVerb, new JsonObject { ["term"] = TermId, [BookingCards.MovePupilInput] = upn }))["value"]!;
        return Texts(card).Any(t => t.StartsWith("Looking for free times", StringComparison.Ordinal))
            ? (await CardUpdateAsync(bot, before))["attachments"]![0]!["content"]!
            : card;
    }

    /// <summary>The times a reschedule card offers, as slot keys (the "slot" list's values are "{pupil}|{key}").</summary>
    public static List<string> OfferedKeys(JsonNode card) => Find(card, "slot") is JsonObject list
        ? [.. list["choices"]!.AsArray().Select(c => c!["value"]!.GetValue<string>().Split('|')[1])]
        : [];

    /// <summary>The element with this id, at any depth.</summary>
    public static JsonNode? Find(JsonNode? node, string id) => node switch
    {
        JsonObject o when o["id"] is JsonValue v && v.TryGetValue<string>(out var s) && s == id => o,
        JsonObject o => o.Select(p => Find(p.Value, id)).FirstOrDefault(n => n is not null),
        JsonArray a => a.Select(n => Find(n, id)).FirstOrDefault(n => n is not null),
        _ => null,
    };

    /// <summary>The first card update (a PUT to the Connector) after request number <paramref name="before"/>.</summary>
    public static async Task<JsonNode> CardUpdateAsync(BotFactory bot, int before)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (bot.Connector.Requests.Skip(before).FirstOrDefault(r => r.Method == "PUT") is { } update)
            {
                return update.Body!;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("The card was not updated within 30 s of the booking.");
    }

    /// <summary>Sends a message and returns what the bot sent back: a card or a text.</summary>
    public static async Task<JsonNode> SayAsync(BotFactory bot, string text)
    {
        var before = bot.Connector.Requests.Count;
        (await bot.PostActivityAsync(bot.Activity(text: text))).StatusCode.Should().Be(HttpStatusCode.OK);
        var sent = await bot.Connector.WaitForAsync(before + 1);
        return sent[before].Body!;
    }

    /// <summary>Proposes, lets Amelia's parent choose, books all, and returns the path of the link in her mother's invitation.</summary>
    public static async Task<string> ParentChoosingLinkAsync(BotFactory bot)
    {
        await SayAsync(bot, "book my plan meetings");
        await InvokeAsync(bot, BookingCards.ParentChoosesVerb, new JsonObject { ["term"] = TermId, [BookingCards.OfferPupilInput] = Amelia });
        await BookAllAsync(bot);
        var invite = (await bot.Services.GetRequiredService<LocalOutbox>().ListAsync("hartley.home@example.com")).Single();
        return ParentPage.LinkFrom(invite.HtmlBody);
    }

    public static async Task<int> DispatchAsync(IServiceProvider services) =>
        await services.GetRequiredService<OutboxDispatcher>().DispatchOnceAsync(default);

    /// <summary>Every "text" in a card, at any depth.</summary>
    public static List<string> Texts(JsonNode? node) => node switch
    {
        JsonObject o => [.. o.SelectMany(p => p.Key is "text" or "title" && p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? [s] : Texts(p.Value))],
        JsonArray a => [.. a.SelectMany(Texts)],
        _ => [],
    };
}
