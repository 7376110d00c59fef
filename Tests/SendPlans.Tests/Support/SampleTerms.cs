using SendPlans.Bot.Terms;

namespace SendPlans.Tests.Support;

/// <summary>Two terms for a sample school: this autumn (deadline 11 December 2026) and last summer (closed).</summary>
public static class SampleTerms
{
    public static Term Open(string school) => new(school, "2026-27", TermName.Autumn, new(2026, 9, 3), new(2026, 12, 18), new(2026, 10, 26), new(2026, 10, 30), [],
        new(2026, 11, 2), new(2026, 12, 4), new(2026, 12, 11));

    public static Term Past(string school) => new(school, "2025-26", TermName.Summer, new(2026, 4, 20), new(2026, 7, 22), new(2026, 5, 25), new(2026, 5, 29), [],
        new(2026, 6, 1), new(2026, 7, 3), new(2026, 7, 10));
}
