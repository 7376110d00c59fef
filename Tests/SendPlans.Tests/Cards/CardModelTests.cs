using System.Text.Json.Nodes;
using SendPlans.Cards.Model;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Cards;

/// <summary>
/// Each model type in a card of its own, every property set: the official adaptivecards library
/// must parse it without an event and read back everything we wrote, so a misspelt property or
/// a wrong value fails here, not silently in Teams. The card samples cover the cards we send.
/// </summary>
public sealed class CardModelTests
{
    private static readonly Dictionary<string, AdaptiveCard> Samples = new()
    {
        ["RichTextBlock"] = Holding(new RichTextBlock(
        [
            new TextRun("Overdue") { Weight = TextWeight.Bolder, Color = TextColor.Attention, Italic = true, Size = TextSize.Small },
            new TextRun(" · Freya O'Connor (3A): open"),
        ]) { Id = "line", Spacing = Spacing.Small, Separator = true }),
        ["Image"] = Holding(new Image("https://sendplans.example.org/oakfield.png", "Oakfield Primary") { Size = ImageSize.Small, HorizontalAlignment = HorizontalAlignment.Center, IsVisible = false }),
        ["Input.Date"] = Holding(new DateInput { Id = "day", Label = "Day", Value = "2026-12-03", Min = "2026-11-02", Max = "2027-07-22", IsRequired = true, ErrorMessage = "Choose a day." }),
        ["Input.Time"] = Holding(new TimeInput { Id = "time", Label = "Time", Value = "15:30", Min = "07:30", Max = "18:30", IsRequired = true, ErrorMessage = "Choose a time." }),
        ["refresh"] = new AdaptiveCard
        {
            Body = [new TextBlock("Plan for Sam Carter")],
            Refresh = new CardRefresh
            {
                Action = new ExecuteAction("plan/refresh") { Title = "Refresh", Data = new JsonObject { ["upn"] = "A123", ["term"] = "2026-27-autumn" } },
                UserIds = ["29:1a2b3c"],
            },
        },
    };

    public static TheoryData<string> ModelTypes => [.. Samples.Keys];

    [Theory]
    [MemberData(nameof(ModelTypes))]
    public async Task Parse_CardHoldingModelType_NoEventsAndEveryPropertyReadBack(string type)
    {
        var card = Samples[type].ToJsonNode();
        var batch = new JsonArray(new JsonObject { ["name"] = type, ["card"] = card.DeepClone() }).ToJsonString();

        var result = JsonNode.Parse(await NodeTool.RunAsync("tools/cards/validate.js", batch, TimeSpan.FromSeconds(60)))![0]!;

        result["events"]!.AsArray().Should().BeEmpty();
        var part = type == "refresh" ? "refresh" : "body";
        var ours = card[part]!;
        var read = result["parsed"]![part];
        JsonNode.DeepEquals(ours, read).Should().BeTrue($"the library should read back all of {ours.ToJsonString()}, but read {read?.ToJsonString()}");
    }

    [Fact]
    public async Task Parse_PropertyTheLibraryDoesNotKnow_MissingFromWhatItReadBack()
    {
        // The read-back check itself must be able to fail.
        var batch = """[{"name":"typo","card":{"type":"AdaptiveCard","version":"1.5","body":[{"type":"Input.Date","id":"day","label":"Day","minimum":"2026-11-02"}]}}]""";

        var result = JsonNode.Parse(await NodeTool.RunAsync("tools/cards/validate.js", batch, TimeSpan.FromSeconds(60)))![0]!;

        result["parsed"]!["body"]![0]!.AsObject().Should().NotContainKey("minimum").And.ContainKey("label");
    }

    private static AdaptiveCard Holding(CardElement element) => new() { Body = [element] };
}
