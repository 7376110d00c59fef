namespace SendPlans.Bot.Roster;

/// <summary>
/// The DfE unique pupil number: a check letter, then 12 characters (LA number, establishment
/// number, year of allocation, serial). Characters 2-12 are digits; character 13 is a digit,
/// or a letter in a temporary UPN.
/// </summary>
public static class Upn
{
    public const int Length = 13;

    /// <summary>The 23 letters DfE uses, I, O and S left out; a letter's index is its value.</summary>
    private const string CheckLetters = "ABCDEFGHJKLMNPQRTUVWXYZ";

    /// <summary>
    /// Sum of each character's value times its weight, positions 2 to 13 with weights 2 to 13;
    /// the remainder mod 23 picks the letter. A letter in position 13 counts as its index in the
    /// check-letter table (A=0 ... Z=22). Null when the 12 characters are not a UPN's shape.
    /// </summary>
    public static char? CheckLetterFor(ReadOnlySpan<char> body)
    {
        if (body.Length != Length - 1)
        {
            return null;
        }
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            int value;
            if (char.IsAsciiDigit(c))
            {
                value = c - '0';
            }
            else if (i == body.Length - 1 && CheckLetters.IndexOf(c) is var index and >= 0)
            {
                value = index;
            }
            else
            {
                return null;
            }
            sum += value * (i + 2);
        }
        return CheckLetters[sum % 23];
    }

    /// <summary>Null when valid, otherwise why not, in words an admin can act on.</summary>
    public static string? Problem(string? text)
    {
        var upn = Normalise(text);
        if (upn.Length == 0)
        {
            return "the UPN is missing";
        }
        if (upn.Length != Length)
        {
            return $"a UPN has {Length} characters; this one has {upn.Length}";
        }
        var expected = CheckLetterFor(upn.AsSpan(1));
        if (expected is null)
        {
            return "characters 2 to 12 of a UPN must be digits, and character 13 a digit or a letter other than I, O or S";
        }
        return upn[0] == expected ? null : $"the UPN's check letter is wrong (it should be {expected})";
    }

    public static bool IsValid(string? text) => Problem(text) is null;

    /// <summary>Upper case, no spaces: MIS exports sometimes pad or lower-case the UPN.</summary>
    public static string Normalise(string? text) => (text ?? "").Trim().Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>A valid UPN from its 12-character body; for the demo school and tests.</summary>
    public static string Create(string body) =>
        CheckLetterFor(body) is { } letter ? letter + body : throw new FormatException("A UPN body is 11 digits and a digit or letter.");
}
