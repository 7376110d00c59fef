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
