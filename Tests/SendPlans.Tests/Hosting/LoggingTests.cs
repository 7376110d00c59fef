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
        var all = string.Join("\n", capture.Lines);
        foreach (var secret in new[] { "Amelia", "Okonkwo", "amelia.mum@example.org", "Priya", "Ramanathan", "p.ramanathan", "book", "not-a-token" })
        {
            all.Should().NotContain(secret);
        }
    }
}
