using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SendPlans.Cards.Model;

/// <summary>An Adaptive Card, schema 1.5: the highest version Teams renders everywhere.</summary>
public sealed record AdaptiveCard
{
    [JsonPropertyName("type")] public string Type => "AdaptiveCard";
    [JsonPropertyName("$schema")] public string Schema => "http://adaptivecards.io/schemas/adaptive-card.json";
    [JsonPropertyName("version")] public string Version { get; init; } = "1.5";
    [JsonPropertyName("body")] public IReadOnlyList<CardElement> Body { get; init; } = [];
    [JsonPropertyName("actions")] public IReadOnlyList<CardAction>? Actions { get; init; }
    [JsonPropertyName("refresh")] public CardRefresh? Refresh { get; init; }
    [JsonPropertyName("msteams")] public TeamsCardProperties? MsTeams { get; init; } = new();
    [JsonPropertyName("fallbackText")] public string? FallbackText { get; init; }
    [JsonPropertyName("lang")] public string? Lang { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, CardJsonContext.Default.AdaptiveCard);

    public JsonNode ToJsonNode() => JsonSerializer.SerializeToNode(this, CardJsonContext.Default.AdaptiveCard)!;
}

public sealed record TeamsCardProperties
{
    [JsonPropertyName("width")] public string Width { get; init; } = "Full";
}

/// <summary>Asks Teams to fetch a fresh copy of the card through an Action.Execute when it is shown.</summary>
public sealed record CardRefresh
{
    /// <summary>An <see cref="ExecuteAction"/>: declared as the base type because only then does the serialiser write its "type".</summary>
    [JsonPropertyName("action")] public required CardAction Action { get; init; }
    [JsonPropertyName("userIds")] public IReadOnlyList<string>? UserIds { get; init; }
}

[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    WriteIndented = false)]
[JsonSerializable(typeof(AdaptiveCard))]
public sealed partial class CardJsonContext : JsonSerializerContext;
