using System.Globalization;
using System.Text.RegularExpressions;

namespace SendPlans.Cards.Views;

/// <summary>
/// The parent's views pages, cards and mails, from ParentViewsText.resx (see <see cref="ParentStrings"/>
/// for how a school adds a language).
/// </summary>
public static partial class ParentViewsText
{
    public static ParentStrings Strings { get; } = new("SendPlans.Cards.Views.ParentViewsText", typeof(ParentViewsText).Assembly);

    /// <summary>The acronyms the glossary explains, in the order the card lists them.</summary>
    public static IReadOnlyList<string> GlossaryTerms { get; } = ["SEN", "SEND", "SENCo", "SSP", "EHCP", "EYFS", "KS1", "KS2"];

    public static string Get(string key, CultureInfo? culture = null) => Strings.Get(key, culture);

    public static string Format(string key, CultureInfo? culture, params object[] args) => Strings.Format(key, culture, args);

    public static string Glossary(string term, CultureInfo? culture = null) => Get("Glossary_" + term, culture);

    /// <summary>
    /// The glossary terms the texts use, once each, in glossary order: whole words, case-sensitive
    /// (SEN is not found in SEND or SENCo, nor SEND in "Send"), or in capitals (SENCO).
    /// </summary>
    public static IReadOnlyList<string> GlossaryTermsIn(params IEnumerable<string> texts)
    {
        var words = texts.SelectMany(t => Word().Matches(t)).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        return [.. GlossaryTerms.Where(t => words.Contains(t) || words.Contains(t.ToUpperInvariant()))];
    }

    /// <summary>The language parents get when the school has no strings in theirs.</summary>
    public static CultureInfo English => ParentStrings.English;

    /// <inheritdoc cref="ParentStrings.CultureFor"/>
    public static CultureInfo CultureFor(string? language) => Strings.CultureFor(language);

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();
}
