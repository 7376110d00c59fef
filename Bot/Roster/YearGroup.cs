using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace SendPlans.Bot.Roster;

public enum KeyStage { EYFS, KS1, KS2, KS3, KS4, KS5 }

/// <summary>
/// A year group as English schools number them: N1, N2, R, then 1 to 13. Stored and shown as
/// that code; <see cref="Order"/> sorts them (N1 = -2, N2 = -1, R = 0, 1..13).
/// </summary>
public readonly partial record struct YearGroup
{
    private YearGroup(int order) => Order = order;

    public int Order { get; }

    public static YearGroup N1 { get; } = new(-2);
    public static YearGroup N2 { get; } = new(-1);
    public static YearGroup Reception { get; } = new(0);

    public static IReadOnlyList<YearGroup> All { get; } = [.. Enumerable.Range(-2, 16).Select(o => new YearGroup(o))];

    public static YearGroup Year(int year) =>
        year is >= 1 and <= 13 ? new YearGroup(year) : throw new ArgumentOutOfRangeException(nameof(year), year, "Years run from 1 to 13.");

    public string Code => Order switch
    {
        -2 => "N1",
        -1 => "N2",
        0 => "R",
        _ => Order.ToString(),
    };

    public string DisplayName => Order switch
    {
        -2 => "Nursery 1",
        -1 => "Nursery 2",
        0 => "Reception",
        _ => $"Year {Order}",
    };

    public KeyStage KeyStage => Order switch
    {
        <= 0 => KeyStage.EYFS,
        <= 2 => KeyStage.KS1,
        <= 6 => KeyStage.KS2,
        <= 9 => KeyStage.KS3,
        <= 11 => KeyStage.KS4,
        _ => KeyStage.KS5,
    };

    public override string ToString() => Code;

    /// <summary>
    /// Accepts the codes (N1, N2, R, 1-13) and the spellings MIS exports use: "Y3", "Year 3",
    /// "Reception", "Nursery 1". Case and spaces do not matter.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out YearGroup year)
    {
        year = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var t = Spaces().Replace(text.Trim().ToUpperInvariant(), "");
        switch (t)
        {
            case "N1" or "NURSERY1":
                year = N1;
                return true;
            case "N2" or "NURSERY2":
                year = N2;
                return true;
            case "R" or "REC" or "RECEPTION" or "YR":
                year = Reception;
                return true;
        }
        if (t.StartsWith("YEAR", StringComparison.Ordinal))
        {
            t = t[4..];
        }
        else if (t.StartsWith('Y'))
        {
            t = t[1..];
        }
        if (t.Length is 1 or 2 && t.All(char.IsAsciiDigit) && t[0] != '0' && int.Parse(t) is var n and >= 1 and <= 13)
        {
            year = new YearGroup(n);
            return true;
        }
        return false;
    }

    public static YearGroup Parse(string text) =>
        TryParse(text, out var year) ? year : throw new FormatException($"'{text}' is not a year group.");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
