using System.Text.Json.Serialization;

namespace SendPlans.Cards.Model;

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TextBlock), "TextBlock")]
[JsonDerivedType(typeof(RichTextBlock), "RichTextBlock")]
[JsonDerivedType(typeof(Image), "Image")]
[JsonDerivedType(typeof(Container), "Container")]
[JsonDerivedType(typeof(ColumnSet), "ColumnSet")]
[JsonDerivedType(typeof(FactSet), "FactSet")]
[JsonDerivedType(typeof(Table), "Table")]
[JsonDerivedType(typeof(ActionSet), "ActionSet")]
[JsonDerivedType(typeof(TextInput), "Input.Text")]
[JsonDerivedType(typeof(ChoiceSetInput), "Input.ChoiceSet")]
[JsonDerivedType(typeof(ToggleInput), "Input.Toggle")]
[JsonDerivedType(typeof(DateInput), "Input.Date")]
[JsonDerivedType(typeof(TimeInput), "Input.Time")]
public abstract record CardElement
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("spacing")] public Spacing? Spacing { get; init; }
    [JsonPropertyName("separator")] public bool? Separator { get; init; }
    [JsonPropertyName("isVisible")] public bool? IsVisible { get; init; }
}

public enum Spacing { None, Small, Default, Medium, Large, ExtraLarge, Padding }
public enum TextSize { Small, Default, Medium, Large, ExtraLarge }
public enum TextWeight { Lighter, Default, Bolder }
public enum TextColor { Default, Dark, Light, Accent, Good, Warning, Attention }
public enum ContainerStyle { Default, Emphasis, Good, Attention, Warning, Accent }
public enum ImageSize { Auto, Stretch, Small, Medium, Large }
public enum HorizontalAlignment { Left, Center, Right }

public sealed record TextBlock(
    [property: JsonPropertyName("text")] string Text) : CardElement
{
    [JsonPropertyName("wrap")] public bool Wrap { get; init; } = true;
    [JsonPropertyName("size")] public TextSize? Size { get; init; }
    [JsonPropertyName("weight")] public TextWeight? Weight { get; init; }
    [JsonPropertyName("color")] public TextColor? Color { get; init; }
    [JsonPropertyName("isSubtle")] public bool? IsSubtle { get; init; }
    [JsonPropertyName("style")] public string? Style { get; init; }
    [JsonPropertyName("horizontalAlignment")] public HorizontalAlignment? HorizontalAlignment { get; init; }

    public static TextBlock Heading(string text) => new(text) { Size = TextSize.Large, Weight = TextWeight.Bolder, Style = "heading" };

    public static TextBlock Subtle(string text) => new(text) { IsSubtle = true, Size = TextSize.Small };
}

public sealed record TextRun(
    [property: JsonPropertyName("text")] string Text)
{
    [JsonPropertyName("type")] public string Type => "TextRun";
    [JsonPropertyName("size")] public TextSize? Size { get; init; }
    [JsonPropertyName("weight")] public TextWeight? Weight { get; init; }
    [JsonPropertyName("italic")] public bool? Italic { get; init; }
    [JsonPropertyName("color")] public TextColor? Color { get; init; }
}

public sealed record RichTextBlock(
    [property: JsonPropertyName("inlines")] IReadOnlyList<TextRun> Inlines) : CardElement;

public sealed record Image(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("altText")] string AltText) : CardElement
{
    [JsonPropertyName("size")] public ImageSize? Size { get; init; }
    [JsonPropertyName("horizontalAlignment")] public HorizontalAlignment? HorizontalAlignment { get; init; }
}

public sealed record Container(
    [property: JsonPropertyName("items")] IReadOnlyList<CardElement> Items) : CardElement
{
    [JsonPropertyName("style")] public ContainerStyle? Style { get; init; }
    [JsonPropertyName("bleed")] public bool? Bleed { get; init; }
    [JsonPropertyName("minHeight")] public string? MinHeight { get; init; }
    [JsonPropertyName("selectAction")] public CardAction? SelectAction { get; init; }
}

public sealed record Column(
    [property: JsonPropertyName("items")] IReadOnlyList<CardElement> Items)
{
    [JsonPropertyName("type")] public string Type => "Column";
    [JsonPropertyName("width")] public string? Width { get; init; }
    [JsonPropertyName("verticalContentAlignment")] public string? VerticalContentAlignment { get; init; }
    [JsonPropertyName("selectAction")] public CardAction? SelectAction { get; init; }
}

public sealed record ColumnSet(
    [property: JsonPropertyName("columns")] IReadOnlyList<Column> Columns) : CardElement;

public sealed record Fact(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("value")] string Value);

public sealed record FactSet(
    [property: JsonPropertyName("facts")] IReadOnlyList<Fact> Facts) : CardElement;

public sealed record TableColumn(
    [property: JsonPropertyName("width")] int Width);

public sealed record TableCell(
    [property: JsonPropertyName("items")] IReadOnlyList<CardElement> Items)
{
    [JsonPropertyName("type")] public string Type => "TableCell";
}

public sealed record TableRow(
    [property: JsonPropertyName("cells")] IReadOnlyList<TableCell> Cells)
{
    [JsonPropertyName("type")] public string Type => "TableRow";
}

public sealed record Table(
    [property: JsonPropertyName("columns")] IReadOnlyList<TableColumn> Columns,
    [property: JsonPropertyName("rows")] IReadOnlyList<TableRow> Rows) : CardElement
{
    [JsonPropertyName("firstRowAsHeader")] public bool FirstRowAsHeader { get; init; } = true;
    [JsonPropertyName("showGridLines")] public bool? ShowGridLines { get; init; }
}

public sealed record ActionSet(
    [property: JsonPropertyName("actions")] IReadOnlyList<CardAction> Actions) : CardElement;
