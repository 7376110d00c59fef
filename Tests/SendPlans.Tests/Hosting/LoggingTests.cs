using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Hosting;

public sealed class LoggingTests
{
    [Fact]
    public async Task RequestPath_MessageWithPersonalData_LogsNoneOfIt()
    {
        var capture = new CapturingLoggerProvider();
        await using var bot = await BotFactory.StartAsync(services => services.AddSingleton<ILoggerProvider>(capture));
        var activity = bot.Activity(text: "Please book Amelia Okonkwo's meeting, her mum is amelia.mum@example.org");
        activity["from"]!["name"] = "Priya Ramanathan";
        activity["from"]!["email"] = "p.ramanathan@school.example";

        await bot.PostActivityAsync(activity);
        await bot.PostActivityAsync(activity); // a duplicate delivery logs too
        var welcome = bot.Activity("conversationUpdate", text: null);
        welcome["membersAdded"] = new JsonArray(new JsonObject { ["id"] = "28:" + BotFactory.AppId, ["name"] = "Priya Ramanathan" });
        await bot.PostActivityAsync(welcome);
        await bot.PostActivityAsync(bot.Activity(text: "help"), "Bearer not-a-token");
        await bot.Connector.WaitForAsync(3);

        capture.Lines.Should().NotBeEmpty();
        // The host logs its content root; a checkout whose path holds a secret word ("wt-booking") is not a leak.
        var all = string.Join("\n", capture.Lines).Replace(Paths.RepoRoot, "<repo>", StringComparison.Ordinal);
        foreach (var secret in new[] { "Amelia", "Okonkwo", "amelia.mum@example.org", "Priya", "Ramanathan", "p.ramanathan", "book", "not-a-token" })
        {
            all.Should().NotContain(secret);
        }
    }

    [Fact]
    public async Task ImportThenRequests_SampleRoster_LogsNoNamesEmailsUpnsOrNeeds()
    {
        var capture = new CapturingLoggerProvider();
        await using var bot = await BotFactory.StartAsync(services => services.AddSingleton<ILoggerProvider>(capture));
        var importer = bot.Services.GetRequiredService<SendPlans.Bot.Roster.Import.RosterImporter>();
        var files = new[] { "pupils.csv", "contacts.csv", "staff.csv" }.Select(RosterFiles.Sample).ToList();

        (await importer.ImportAsync("oak", files, dryRun: false, default)).Problems.Should().BeEmpty();
        (await importer.ImportAsync("oak", files, dryRun: true, default)).Problems.Should().BeEmpty();
        var asTom = bot.Activity(text: "help");
        asTom["from"]!["aadObjectId"] = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a03";
        asTom["from"]!["name"] = "Tom Ellis";
        await bot.PostActivityAsync(asTom);
        await bot.PostActivityAsync(bot.Activity(text: "import roster"));
        await bot.Connector.WaitForAsync(2);

        capture.Lines.Should().NotBeEmpty();
        var all = string.Join("\n", capture.Lines);
        var personal = files
            .SelectMany(f => System.Text.Encoding.UTF8.GetString(f.Content).Split('\n').Skip(1))
            .SelectMany(line => line.Split(','))
            .Select(v => v.Trim())
            .Where(v => v.Length >= 4 && !new[] { "Mother", "Father", "English", "Teacher", "SENCo", "Admin", "YearLead" }.Contains(v))
            .Concat(["SLCN", "SEMH", "SPLD", "Tom Ellis", "Ellis"])
            .Distinct()
            .ToList();
        personal.Should().Contain("P823204124001").And.Contain("hartley.home@example.com").And.Contain("Hartley");
        foreach (var value in personal)
        {
            all.Should().NotContain(value);
        }
    }
}
