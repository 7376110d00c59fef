namespace SendPlans.Bot.Scheduling;

/// <summary>One bit per minute of the window: a staff calendar test is a few word masks, not a search.</summary>
internal static class Bits
{
    public static void SetRange(ulong[] bits, int from, int to)
    {
        for (var word = from >> 6; word <= (to - 1) >> 6; word++)
        {
            bits[word] |= Mask(word, from, to);
        }
    }

    public static bool AnyInRange(ulong[] bits, int from, int to)
    {
        for (var word = from >> 6; word <= (to - 1) >> 6; word++)
        {
            if ((bits[word] & Mask(word, from, to)) != 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The bits of [from, to) that fall in one word.</summary>
    private static ulong Mask(int word, int from, int to)
    {
        var lo = Math.Max(from - (word << 6), 0);
        var hi = Math.Min(to - (word << 6), 64);
        var upper = hi == 64 ? ulong.MaxValue : (1UL << hi) - 1;
        return upper & ~((1UL << lo) - 1);
    }
}
