using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SendPlans.Cards.Model;

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ExecuteAction), "Action.Execute")]
[JsonDerivedType(typeof(SubmitAction), "Action.Submit")]
[JsonDerivedType(typeof(OpenUrlAction), "Action.OpenUrl")]
[JsonDerivedType(typeof(ShowCardAction), "Action.ShowCard")]
public abstract record CardAction
{
    [JsonPropertyName("title")] public string? Title { get; init; }
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("style")] public string? Style { get; init; }
}

/// <summary>A Universal Action: Teams sends it to the bot as an adaptiveCard/action invoke.</summary>
public sealed record ExecuteAction(
    [property: JsonPropertyName("verb")] string Verb) : CardAction
{
    [JsonPropertyName("data")] public JsonObject? Data { get; init; }
    [JsonPropertyName("associatedInputs")] public string? AssociatedInputs { get; init; }
}

public sealed record SubmitAction : CardAction
{
    [JsonPropertyName("data")] public JsonObject? Data { get; init; }
    [JsonPropertyName("associatedInputs")] public string? AssociatedInputs { get; init; }
}

public sealed record OpenUrlAction(
    [property: JsonPropertyName("url")] string Url) : CardAction;

public sealed record ShowCardAction(
    [property: JsonPropertyName("card")] AdaptiveCard Card) : CardAction;
