using System.Text.Json;
using System.Text.Json.Nodes;
using SendPlans.Infrastructure.BotFramework;

namespace SendPlans.Tests.BotFramework;

public sealed class ActivityModelTests
{
    private const string TeamsChannelMessage = """
        {
          "type": "message",
          "id": "1732520000000",
          "timestamp": "2026-11-25T09:00:00.123Z",
          "localTimestamp": "2026-11-25T09:00:00.123+00:00",
          "serviceUrl": "https://smba.trafficmanager.net/uk/",
          "channelId": "msteams",
          "from": { "id": "29:abc", "name": "A Teacher", "aadObjectId": "6b1c", "userRole": "user" },
          "recipient": { "id": "28:bot", "name": "SendPlans" },
          "conversation": { "id": "19:x@thread.tacv2;messageid=1", "conversationType": "channel", "tenantId": "t-1", "isGroup": true, "futureField": 1 },
          "text": "<at>SendPlans</at> help",
          "textFormat": "plain",
          "locale": "en-GB",
          "attachments": [ { "contentType": "text/html", "content": "<div>help</div>" } ],
          "entities": [ { "type": "mention", "text": "<at>SendPlans</at>", "mentioned": { "id": "28:bot" } } ],
          "channelData": {
            "tenant": { "id": "t-1" },
            "team": { "id": "19:team@thread.tacv2", "name": "Year 3", "aadGroupId": "g-1" },
            "channel": { "id": "19:x@thread.tacv2", "name": "General" },
            "eventType": "teamMemberAdded",
            "settings": { "selectedChannel": { "id": "19:x@thread.tacv2" } }
          },
          "replyToId": "1732519999999",
          "value": { "anything": [1, 2, 3] },
          "someNewTopLevelField": { "nested": true }
        }
        """;

    [Fact]
    public void Deserialize_TeamsChannelMessage_ReadsEveryFieldWeUse()
    {
        var activity = JsonSerializer.Deserialize(TeamsChannelMessage, BotJsonContext.Default.Activity)!;

        activity.Type.Should().Be("message");
        activity.Id.Should().Be("1732520000000");
        activity.Timestamp.Should().Be(new DateTimeOffset(2026, 11, 25, 9, 0, 0, 123, TimeSpan.Zero));
        activity.ServiceUrl.Should().Be("https://smba.trafficmanager.net/uk/");
        activity.ChannelId.Should().Be("msteams");
        activity.From!.AadObjectId.Should().Be("6b1c");
        activity.Recipient!.Id.Should().Be("28:bot");
        activity.Conversation!.ConversationType.Should().Be("channel");
        activity.Conversation.TenantId.Should().Be("t-1");
        activity.Conversation.IsGroup.Should().BeTrue();
        activity.Attachments.Should().ContainSingle();
        activity.Entities![0].Type.Should().Be("mention");
        activity.ReplyToId.Should().Be("1732519999999");
        activity.Value!["anything"]!.AsArray().Should().HaveCount(3);
        activity.ChannelData!.Tenant!.Id.Should().Be("t-1");
        activity.ChannelData.Team!.Name.Should().Be("Year 3");
        activity.ChannelData.Channel!.Id.Should().Be("19:x@thread.tacv2");
        activity.ChannelData.EventType.Should().Be("teamMemberAdded");
    }

    [Fact]
    public void RoundTrip_UnknownFields_Survive()
    {
        var activity = JsonSerializer.Deserialize(TeamsChannelMessage, BotJsonContext.Default.Activity)!;

        var written = JsonNode.Parse(JsonSerializer.Serialize(activity, BotJsonContext.Default.Activity))!.AsObject();
        var original = JsonNode.Parse(TeamsChannelMessage)!.AsObject();

        // A timestamp may come back as +00:00 rather than Z: the same instant, written differently.
        foreach (var field in new[] { "timestamp", "localTimestamp" })
        {
            DateTimeOffset.Parse(written[field]!.GetValue<string>()).Should().Be(DateTimeOffset.Parse(original[field]!.GetValue<string>()));
            written.Remove(field);
            original.Remove(field);
        }
        JsonNode.DeepEquals(written, original).Should().BeTrue(
            "every field, known or not, comes back as it went in:\n" + written.ToJsonString());
    }

    [Fact]
    public void TextOf_MentionInChannel_RemovesTheMention()
    {
        var activity = JsonSerializer.Deserialize(TeamsChannelMessage, BotJsonContext.Default.Activity)!;

        TurnContext.TextOf(activity).Should().Be("help");
    }

    [Fact]
    public void GetConversationReference_ChannelMessage_KeepsWhatProactiveSendsNeed()
    {
        var activity = JsonSerializer.Deserialize(TeamsChannelMessage, BotJsonContext.Default.Activity)!;

        var reference = activity.GetConversationReference();

        reference.ServiceUrl.Should().Be("https://smba.trafficmanager.net/uk/");
        reference.Conversation.Id.Should().Be("19:x@thread.tacv2;messageid=1");
        reference.TenantId.Should().Be("t-1");
        reference.Bot!.Id.Should().Be("28:bot");
    }

    [Fact]
    public void AdaptiveCardAction_FromInvokeValue_ReadsVerbAndData()
    {
        var activity = new Activity
        {
            Type = "invoke",
            Name = "adaptiveCard/action",
            Value = JsonNode.Parse("""{"action":{"type":"Action.Execute","verb":"book-all","data":{"plan":"p1"}},"trigger":"manual"}"""),
        };

        var action = AdaptiveCardAction.From(activity)!;

        action.Verb.Should().Be("book-all");
        action.GetString("plan").Should().Be("p1");
        action.Trigger.Should().Be("manual");
    }
}
