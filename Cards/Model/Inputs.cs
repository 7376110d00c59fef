using System.Text.Json.Serialization;

namespace SendPlans.Cards.Model;

/// <summary>An input: every one has an id, and a label so screen readers can name it.</summary>
public abstract record CardInput : CardElement
{
    [JsonPropertyName("label")] public string? Label { get; init; }
    [JsonPropertyName("isRequired")] public bool? IsRequired { get; init; }
    [JsonPropertyName("errorMessage")] public string? ErrorMessage { get; init; }
}

public sealed record TextInput : CardInput
{
    [JsonPropertyName("placeholder")] public string? Placeholder { get; init; }
    [JsonPropertyName("value")] public string? Value { get; init; }
    [JsonPropertyName("isMultiline")] public bool? IsMultiline { get; init; }
    [JsonPropertyName("maxLength")] public int? MaxLength { get; init; }
    [JsonPropertyName("style")] public string? Style { get; init; }
}

public sealed record Choice(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("value")] string Value);

public sealed record ChoiceSetInput(
    [property: JsonPropertyName("choices")] IReadOnlyList<Choice> Choices) : CardInput
{
    [JsonPropertyName("value")] public string? Value { get; init; }
    [JsonPropertyName("style")] public string? Style { get; init; }
    [JsonPropertyName("isMultiSelect")] public bool? IsMultiSelect { get; init; }
    [JsonPropertyName("placeholder")] public string? Placeholder { get; init; }
}

public sealed record ToggleInput(
    [property: JsonPropertyName("title")] string Title) : CardInput
{
    [JsonPropertyName("value")] public string? Value { get; init; }
    [JsonPropertyName("valueOn")] public string? ValueOn { get; init; }
    [JsonPropertyName("valueOff")] public string? ValueOff { get; init; }
    [JsonPropertyName("wrap")] public bool? Wrap { get; init; }
}

public sealed record DateInput : CardInput
{
    [JsonPropertyName("value")] public string? Value { get; init; }
    [JsonPropertyName("min")] public string? Min { get; init; }
    [JsonPropertyName("max")] public string? Max { get; init; }
}

public sealed record TimeInput : CardInput
{
    [JsonPropertyName("value")] public string? Value { get; init; }
    [JsonPropertyName("min")] public string? Min { get; init; }
    [JsonPropertyName("max")] public string? Max { get; init; }
}
