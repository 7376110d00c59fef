using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Terms;
using SendPlans.Tests.Support;
using static SendPlans.Tests.Booking.BookingSchool;

namespace SendPlans.Tests.Roster;

/// <summary>"office contact": anyone on the staff list sees it, only an admin changes it, through /api/messages on Azurite.</summary>
public sealed class OfficeContactTests : IAsyncLifetime
{
    private BotFactory _bot = null!;

    public async Task InitializeAsync()
    {
        _bot = await BotFactory.StartAsync();
        await SeedAsync(_bot.Services);
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private async Task<string> SayAsync(string userId, string text)
    {
        var activity = _bot.Activity(text: text);
        activity["from"] = new JsonObject { ["id"] = $"29:{userId}", ["aadObjectId"] = userId };
        var before = _bot.Connector.Requests.Count;
        (await _bot.PostActivityAsync(activity)).StatusCode.Should().Be(HttpStatusCode.OK);
        return (await _bot.Connector.WaitForAsync(before + 1)).Skip(before).Select(r => r.Body).OfType<JsonNode>()
            .Single(b => b["text"] is not null)["text"]!.GetValue<string>();
    }

    private async Task<string?> StoredAsync() => (await _bot.Services.GetRequiredService<SchoolCalendarStore>().GetSettingsAsync(School, default))!.Contact;

    [Fact]
    public async Task OfficeContact_Teacher_SeesItButCannotChangeIt()
    {
        (await SayAsync(TeacherId, "office contact")).Should().Contain("01632 960123, office@oakfield.example.org");

        (await SayAsync(TeacherId, "office contact 0800 000 000")).Should().Contain("Only your school's admin can change");

        (await StoredAsync()).Should().Be("01632 960123, office@oakfield.example.org");
    }

    [Fact]
    public async Task OfficeContact_AdminSetsNewNumber_StoredAndConfirmed()
    {
        var reply = await SayAsync(AdminId, "set office contact to 01632 960555, admin@oakfield.example.org");

        reply.Should().StartWith("Done.").And.Contain("01632 960555, admin@oakfield.example.org");
        (await StoredAsync()).Should().Be("01632 960555, admin@oakfield.example.org");
    }

    [Theory]
    [InlineData("office contact ring us", "phone number or an email address")]
    [InlineData("office contact <script>01632 960555</script>", "without < or >")]
    public async Task OfficeContact_AdminBadText_ClearSentenceAndNothingChanged(string text, string expected)
    {
        (await SayAsync(AdminId, text)).Should().Contain(expected).And.Contain("I have not changed it");

        (await StoredAsync()).Should().Be("01632 960123, office@oakfield.example.org");
    }

    [Fact]
    public void Problem_TooLong_SaysTheLimit() =>
        OfficeContact.Problem("01632 960555 " + new string('x', 200)).Should().Contain("keep it to 200");
}
