using System.Text.RegularExpressions;

namespace SendPlans.Tests.Views;

/// <summary>
/// Flesch reading ease, written here because no readability package restores in this build
/// environment. Syllables are counted by vowel groups with the usual English corrections
/// (silent final e, -le, -ed): a few words a syllable out, which the averages absorb.
/// </summary>
public static partial class Readability
{
    public static double FleschReadingEase(string text)
    {
        var words = WordPattern().Matches(text).Select(m => m.Value).ToList();
        if (words.Count == 0)
        {
            return 100;
        }
        var sentences = Math.Max(1, SentenceEnd().Matches(text.Trim() + ".").Count);
        var syllables = words.Sum(Syllables);
        return 206.835 - 1.015 * ((double)words.Count / sentences) - 84.6 * ((double)syllables / words.Count);
    }

    public static int Syllables(string word)
    {
        var w = word.ToLowerInvariant().Trim('\'');
        if (w.Length <= 3)
        {
            return 1;
        }
        if (w.EndsWith("'s", StringComparison.Ordinal))
        {
            w = w[..^2];
        }
        var count = VowelGroup().Matches(w).Count;
        if (w.EndsWith('e') && !w.EndsWith("le", StringComparison.Ordinal) && !w.EndsWith("ee", StringComparison.Ordinal) && count > 1)
        {
            count--;
        }
        if (w.EndsWith("ed", StringComparison.Ordinal) && !w.EndsWith("ted", StringComparison.Ordinal) && !w.EndsWith("ded", StringComparison.Ordinal) && count > 1)
        {
            count--;
        }
        return Math.Max(1, count);
    }

    [GeneratedRegex(@"[A-Za-z][A-Za-z']*")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"[.!?]+(\s|$)")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex("[aeiouy]+")]
    private static partial Regex VowelGroup();
}
