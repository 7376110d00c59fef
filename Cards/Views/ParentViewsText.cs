using System.Globalization;
using System.Resources;

namespace SendPlans.Cards.Views;

/// <summary>
/// Every parent-facing string, from ParentViewsText.resx. A school adds a language with a
/// ParentViewsText.{culture}.resx beside it; missing strings fall back to English.
/// </summary>
public static class ParentViewsText
{
    private static readonly ResourceManager Resources = new("SendPlans.Cards.Views.ParentViewsText", typeof(ParentViewsText).Assembly);

    /// <summary>The acronyms the glossary explains, in the order the card lists them.</summary>
    public static IReadOnlyList<string> GlossaryTerms { get; } = ["SEN", "SEND", "SENCo", "SSP", "EHCP", "EYFS", "KS1", "KS2"];

    public static string Get(string key, CultureInfo? culture = null) =>
        Resources.GetString(key, culture ?? CultureInfo.CurrentUICulture)
        ?? throw new InvalidOperationException($"No parent-facing string '{key}'.");

    public static string Format(string key, CultureInfo? culture, params object[] args) =>
        string.Format(culture ?? CultureInfo.CurrentUICulture, Get(key, culture), args);

    public static string Glossary(string term, CultureInfo? culture = null) => Get("Glossary_" + term, culture);

    /// <summary>The language parents get when the school has no strings in theirs.</summary>
    public static CultureInfo English { get; } = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>
    /// The culture for a parent whose roster language is <paramref name="language"/> ("Polish",
    /// "polski", "pl"): that language when the school has added its strings (a
    /// ParentViewsText.{culture}.resx), otherwise English.
    /// </summary>
    public static CultureInfo CultureFor(string? language) =>
        Language(language) is { } culture && culture.TwoLetterISOLanguageName != English.TwoLetterISOLanguageName
            && Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false) is not null
            ? culture
            : English;

    /// <summary>A language as the roster writes it (a culture name, or its English or own name), or null when it is not one.</summary>
    public static CultureInfo? Language(string? language)
    {
        var name = language?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }
        var neutral = CultureInfo.GetCultures(CultureTypes.NeutralCultures).Where(c => c.Name.Length > 0);
        return neutral.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? neutral.FirstOrDefault(c => string.Equals(c.EnglishName, name, StringComparison.OrdinalIgnoreCase))
            ?? neutral.FirstOrDefault(c => string.Equals(c.NativeName, name, StringComparison.OrdinalIgnoreCase))
            ?? (CultureInfo.GetCultures(CultureTypes.SpecificCultures).FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)) is { } specific
                ? specific.Parent
                : null);
    }

    /// <summary>Every English parent-facing string with its key: what the readability test reads.</summary>
    public static IEnumerable<(string Key, string Text)> All()
    {
        var set = Resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: true)
            ?? throw new InvalidOperationException("The parent-facing strings are missing.");
        foreach (System.Collections.DictionaryEntry entry in set)
        {
            yield return ((string)entry.Key, (string)entry.Value!);
        }
    }
}
