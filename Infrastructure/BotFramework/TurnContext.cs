using System.Text.Json;
using System.Text.Json.Nodes;

namespace SendPlans.Infrastructure.BotFramework;

/// <summary>One inbound activity and the means to answer it, like the official SDK's ITurnContext.</summary>
public sealed class TurnContext(Activity activity, IConnectorClient connector, IServiceProvider services)
{
    public Activity Activity { get; } = activity;

    public IServiceProvider Services { get; } = services;

    public IConnectorClient Connector { get; } = connector;

    /// <summary>The text of a message with any @mention of the bot removed, trimmed.</summary>
    public string Text => TextOf(Activity);

    public Task<ResourceResponse> SendActivityAsync(string text, CancellationToken cancellationToken) =>
        SendActivityAsync(Activity.CreateMessage(text), cancellationToken);

    public Task<ResourceResponse> SendCardAsync(JsonNode card, CancellationToken cancellationToken)
    {
        var message = Activity.CreateMessage();
        message.Attachments = [Attachment.AdaptiveCard(card)];
        return SendActivityAsync(message, cancellationToken);
    }

    public Task<ResourceResponse> SendActivityAsync(Activity reply, CancellationToken cancellationToken)
    {
        var (serviceUrl, conversationId) = Address();
        reply.Type ??= ActivityTypes.Message;
        reply.ChannelId ??= Activity.ChannelId;
        reply.Conversation ??= Activity.Conversation;
        reply.From ??= Activity.Recipient;
        reply.Recipient ??= Activity.From;
        reply.ReplyToId ??= Activity.Id;
        return Connector.SendToConversationAsync(serviceUrl, conversationId, reply, cancellationToken);
    }

    public Task<ResourceResponse> UpdateActivityAsync(string activityId, Activity replacement, CancellationToken cancellationToken)
    {
        var (serviceUrl, conversationId) = Address();
        replacement.Type ??= ActivityTypes.Message;
        replacement.Id = activityId;
        replacement.Conversation ??= Activity.Conversation;
        return Connector.UpdateActivityAsync(serviceUrl, conversationId, activityId, replacement, cancellationToken);
    }

    private (string ServiceUrl, string ConversationId) Address() =>
        (Activity.ServiceUrl ?? throw new InvalidOperationException("The activity has no serviceUrl."),
         Activity.Conversation?.Id ?? throw new InvalidOperationException("The activity has no conversation id."));

    internal static string TextOf(Activity activity)
    {
        var text = activity.Text ?? "";
        // Teams puts "<at>Bot name</at>" in the text when the bot is mentioned in a channel.
        while (text.IndexOf("<at>", StringComparison.OrdinalIgnoreCase) is var start and >= 0
               && text.IndexOf("</at>", start, StringComparison.OrdinalIgnoreCase) is var end and >= 0)
        {
            text = text.Remove(start, end + 5 - start);
        }
        return text.Trim();
    }
}

/// <summary>The value of an adaptiveCard/action invoke: the Action.Execute that was pressed.</summary>
public sealed record AdaptiveCardAction(string Verb, JsonObject Data, string? Trigger)
{
    public static AdaptiveCardAction? From(Activity activity)
    {
        if (activity.Value is not JsonObject value || value["action"] is not JsonObject action)
        {
            return null;
        }
        if (action["verb"] is not JsonValue verbValue || !verbValue.TryGetValue<string>(out var verb))
        {
            return null;
        }
        var data = action["data"] as JsonObject ?? [];
        var trigger = value["trigger"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null;
        return new AdaptiveCardAction(verb, data, trigger);
    }

    public string? GetString(string name) =>
        Data[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
