using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Hosting;

/// <summary>
/// A generated corpus of mutated activities, each sent with a valid token: whatever the body,
/// the answer is a 2xx or a 4xx, never a 500.
/// </summary>
public sealed class MalformedBodyTests : IAsyncLifetime
{
    private const int CorpusSize = 600;
    private BotFactory _bot = null!;

    public async Task InitializeAsync() => _bot = await BotFactory.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task PostActivity_MutatedCorpus_NeverReturns5xx()
    {
        var token = _bot.Identity.CreateToken(BotFactory.AppId, _bot.Connector.ServiceUrl);
        var client = _bot.CreateClient();
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();

        foreach (var (kind, body) in ActivityMutator.Corpus(_bot.Activity(), _bot.Activity("invoke", null), seed: 20261125).Take(CorpusSize))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status >= 500)
            {
                failures.Add($"{kind}: {status} for {Encoding.UTF8.GetString(body)[..Math.Min(300, body.Length)]}");
            }
        }

        statuses.Values.Sum().Should().Be(CorpusSize);
        failures.Should().BeEmpty();
        statuses.Keys.Should().Contain(400, "the corpus must reach the parser's rejections")
            .And.Contain(200, "and also activities that parse and get handled");
    }
}

/// <summary>Deterministic mutations of valid activities: structural, type, value and byte-level.</summary>
public static class ActivityMutator
{
    private static readonly string[] Fields =
        ["type", "id", "timestamp", "serviceUrl", "channelId", "from", "recipient", "conversation", "text", "attachments", "value", "name", "replyToId", "entities", "membersAdded", "channelData", "action", "localTimestamp"];

    private static readonly Func<Random, JsonNode?>[] Values =
    [
        _ => null,
        _ => JsonValue.Create(0),
        _ => JsonValue.Create(-1.5e308),
        _ => JsonValue.Create(true),
        _ => JsonValue.Create(""),
        r => JsonValue.Create(new string('\u202e', r.Next(1, 50))),
        _ => JsonValue.Create("\u0000\u0001\ud800"),
        _ => JsonValue.Create("not a date"),
        _ => JsonValue.Create("javascript:alert(1)"),
        _ => JsonValue.Create("http://[::1"),
        _ => JsonValue.Create("ftp://example.test/"),
        _ => JsonValue.Create("<at>x</at><at>"),
        _ => new JsonArray(),
        _ => new JsonArray(1, "two", null),
        _ => new JsonObject(),
        _ => new JsonObject { ["id"] = new JsonArray() },
        _ => new JsonObject { ["action"] = new JsonObject { ["verb"] = 7 } },
        _ => new JsonObject { ["action"] = new JsonObject { ["verb"] = "x", ["data"] = "not an object" } },
        r => JsonValue.Create(new string('a', r.Next(1000, 60_000))),
        _ => Deep(40),
    ];

    public static IEnumerable<(string Kind, byte[] Body)> Corpus(JsonObject message, JsonObject invoke, int seed)
    {
        var random = new Random(seed);
        invoke["name"] = "adaptiveCard/action";
        invoke["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = "anything", ["data"] = new JsonObject() } };
        JsonObject[] seeds = [message, invoke];
        for (var i = 0; ; i++)
        {
            var original = seeds[i % 2];
            var activity = original.DeepClone().AsObject();
            activity["id"] = $"fuzz-{i}";
            switch (random.Next(8))
            {
                case 0:
                    var removed = Fields[random.Next(Fields.Length)];
                    activity.Remove(removed);
                    yield return ($"remove {removed}", Bytes(activity));
                    break;
                case 1:
                case 2:
                    var field = Fields[random.Next(Fields.Length)];
                    activity[field] = Values[random.Next(Values.Length)](random);
                    yield return ($"replace {field}", Bytes(activity));
                    break;
                case 3:
                    var parent = new[] { "from", "recipient", "conversation", "channelData" }[random.Next(4)];
                    if (activity[parent] is JsonObject inner)
                    {
                        inner[new[] { "id", "tenantId", "isGroup", "tenant", "team", "aadObjectId" }[random.Next(6)]] = Values[random.Next(Values.Length)](random);
                    }
                    yield return ($"nested {parent}", Bytes(activity));
                    break;
                case 4:
                    var bytes = Bytes(activity);
                    yield return ("truncate", bytes[..random.Next(bytes.Length)]);
                    break;
                case 5:
                    var flipped = Bytes(activity);
                    for (var k = 0; k < 1 + random.Next(5); k++)
                    {
                        flipped[random.Next(flipped.Length)] = (byte)random.Next(256);
                    }
                    yield return ("flip bytes", flipped);
                    break;
                case 6:
                    var text = activity.ToJsonString();
                    yield return ("duplicate key", Encoding.UTF8.GetBytes(text.Insert(1, "\"type\":[],")));
                    break;
                default:
                    yield return ("deep nesting", Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)));
                    break;
            }
        }
    }

    private static byte[] Bytes(JsonObject activity) => Encoding.UTF8.GetBytes(activity.ToJsonString());

    private static JsonNode Deep(int depth)
    {
        JsonNode node = new JsonObject();
        for (var i = 0; i < depth; i++)
        {
            node = new JsonObject { ["a"] = node };
        }
        return node;
    }
}
