using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SendPlans.Infrastructure.BotFramework;

/// <summary>The HTTP status and body the bot answers an invoke activity with.</summary>
public sealed record InvokeResponse(int Status, InvokeResponseBody? Body)
{
    public const string CardType = "application/vnd.microsoft.card.adaptive";
    public const string MessageType = "application/vnd.microsoft.activity.message";
    public const string ErrorType = "application/vnd.microsoft.error";

    /// <summary>Replace the card the user acted on.</summary>
    public static InvokeResponse Card(JsonNode card) => new(200, new InvokeResponseBody(200, CardType, card));

    /// <summary>Show a short message in place of a card update.</summary>
    public static InvokeResponse Message(string text) => new(200, new InvokeResponseBody(200, MessageType, JsonValue.Create(text)));

    /// <summary>An error the Teams client shows to the user.</summary>
    public static InvokeResponse Error(int statusCode, string code, string message) =>
        new(200, new InvokeResponseBody(statusCode, ErrorType, new JsonObject { ["code"] = code, ["message"] = message }));

    /// <summary>An acknowledgement with no body, for invokes that expect none.</summary>
    public static InvokeResponse Ok() => new(200, null);
}

public sealed record InvokeResponseBody(
    [property: JsonPropertyName("statusCode")] int StatusCode,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("value")] JsonNode? Value);
