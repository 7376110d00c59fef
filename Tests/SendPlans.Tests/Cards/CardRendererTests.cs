using System.Text.Json;
using System.Text.Json.Nodes;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Cards;

/// <summary>Every card, checked by the official adaptivecards JS library and drawn in Chromium.</summary>
public sealed class CardRendererTests
{
    private static string Batch() => new JsonArray([.. CardSamples.All.Select(s => (JsonNode)new JsonObject
    {
        ["name"] = s.Name,
        ["card"] = s.Card.ToJsonNode(),
    })]).ToJsonString();

    [Fact]
    public async Task Parse_EveryCard_NoErrorsOrWarnings()
    {
        var output = await NodeTool.RunAsync("tools/cards/validate.js", Batch(), TimeSpan.FromSeconds(60));

        var results = JsonNode.Parse(output)!.AsArray();
        results.Should().HaveCount(CardSamples.All.Count);
        var problems = results
            .SelectMany(r => r!["events"]!.AsArray().Select(e => $"{r["name"]}: {e}"))
            .ToList();
        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task Parse_CardWithUnknownTypeAndDuplicateIds_Reported()
    {
        // The checker itself must be able to fail.
        var bad = """[{"name":"bad","card":{"type":"AdaptiveCard","version":"1.5","body":[{"type":"Bogus"},{"type":"Input.Text","id":"a"},{"type":"Input.Text","id":"a"},{"type":"Input.Toggle","title":"x"}]}}]""";

        var output = await NodeTool.RunAsync("tools/cards/validate.js", bad, TimeSpan.FromSeconds(60));

        var events = JsonNode.Parse(output)![0]!["events"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        events.Should().Contain(e => e.Contains("UnknownElementType"))
            .And.Contain(e => e.Contains("DuplicateId"))
            .And.Contain(e => e.Contains("PropertyCantBeNull"));
    }

    [Fact]
    public async Task Render_EveryCard_DrawnInChromiumToPng()
    {
        // CI writes to artifacts/; scripts/render-images.sh points this at docs/images/cards.
        var outDir = Environment.GetEnvironmentVariable("SENDPLANS_CARD_IMAGES")
            ?? Path.Combine(Paths.RepoRoot, "artifacts", "cards");

        var output = await NodeTool.RunAsync("tools/cards/render.js", Batch(), TimeSpan.FromSeconds(120), outDir);

        var rendered = JsonNode.Parse(output)!;
        rendered["emojiInColour"]!.GetValue<bool>().Should().BeTrue("the pupil voice pictures are emoji: without fonts-noto-color-emoji they are drawn as empty boxes");
        var cards = rendered["cards"]!.AsArray();
        cards.Should().HaveCount(CardSamples.All.Count);
        foreach (var (result, sample) in cards.Zip(CardSamples.All))
        {
            var name = result!["name"]!.GetValue<string>();
            result["error"].Should().BeNull(because: name);
            result["renderedInputs"]!.GetValue<int>().Should().Be(InputCount(JsonNode.Parse(sample.Card.ToJson())), $"every input on the face of {name} is drawn in the page");
            new FileInfo(result["file"]!.GetValue<string>()).Length.Should().BeGreaterThan(1000, "a drawn card is more than an empty image");
        }
    }

    /// <summary>The inputs on the card's face: not those in an Action.ShowCard's card, which the renderer draws only when it is opened.</summary>
    private static int InputCount(JsonNode? node) => node switch
    {
        JsonObject o when o["type"]?.GetValue<string>() == "Action.ShowCard" => 0,
        JsonObject o => (o["type"]?.GetValue<string>() is { } type && type.StartsWith("Input.", StringComparison.Ordinal) ? 1 : 0) + o.Sum(p => InputCount(p.Value)),
        JsonArray a => a.Sum(InputCount),
        _ => 0,
    };

    [Fact]
    public void Serialize_Card_UsesAdaptiveCardTypeNamesAndSkipsNulls()
    {
        var json = JsonNode.Parse(CardSamples.All[0].Card.ToJson())!;

        json["type"]!.GetValue<string>().Should().Be("AdaptiveCard");
        json["version"]!.GetValue<string>().Should().Be("1.5");
        json["body"]![0]!["type"]!.GetValue<string>().Should().Be("TextBlock");
        json["body"]![0]!.AsObject().Should().NotContainKey("color");
        json["actions"]![0]!["type"]!.GetValue<string>().Should().Be("Action.Submit");
        json.ToJsonString().Should().NotContain("null");
    }
}
