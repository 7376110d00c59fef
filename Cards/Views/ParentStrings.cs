using System.Globalization;
using System.Net;
using System.Reflection;
using System.Resources;

namespace SendPlans.Cards.Views;

/// <summary>
/// One resource file of parent-facing strings (a Parent*Text.resx). A school adds a language
/// with a Parent*Text.{culture}.resx beside it; a string missing there falls back to English.
/// </summary>
public sealed class ParentStrings(string baseName, Assembly assembly)
{
    private readonly ResourceManager _resources = new(baseName, assembly);

    /// <summary>The language parents get when the school has no strings in theirs.</summary>
    public static CultureInfo English { get; } = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>The resource file's name, as the assembly holds it ("SendPlans.Cards.Views.ParentViewsText").</summary>
    public string Name => baseName;

    public string Get(string key, CultureInfo? culture = null) =>
        _resources.GetString(key, culture ?? CultureInfo.CurrentUICulture)
        ?? throw new InvalidOperationException($"No parent-facing string '{key}' in {baseName}.");

    public string Format(string key, CultureInfo? culture, params object[] args) =>
        string.Format(culture ?? CultureInfo.CurrentUICulture, Get(key, culture), args);

    /// <summary>The string HTML-encoded, with <paramref name="html"/> (already HTML: a link, a bold time) put in as they are.</summary>
    public string Html(string key, CultureInfo? culture, params object[] html) =>
        string.Format(culture ?? CultureInfo.CurrentUICulture, WebUtility.HtmlEncode(Get(key, culture)), html);

    /// <summary>
    /// The culture for a parent whose roster language is <paramref name="language"/> ("Polish",
    /// "polski", "pl"): that language when the school has added this file's strings in it,
    /// otherwise English.
    /// </summary>
    public CultureInfo CultureFor(string? language) =>
        Language(language) is { } culture && culture.TwoLetterISOLanguageName != English.TwoLetterISOLanguageName
            && _resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false) is not null
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

    /// <summary>Every English string of the file with its key: what the plain-language tests read.</summary>
    public IEnumerable<(string Key, string Text)> All()
    {
        var set = _resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: true)
            ?? throw new InvalidOperationException($"The parent-facing strings of {baseName} are missing.");
        foreach (System.Collections.DictionaryEntry entry in set)
        {
            yield return ((string)entry.Key, (string)entry.Value!);
        }
    }
}
