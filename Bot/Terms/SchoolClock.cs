using System.Globalization;

namespace SendPlans.Bot.Terms;

/// <summary>A school's wall clock: instants in its time zone, and which school day it is now.</summary>
public static class SchoolClock
{
    public const string DefaultTimeZone = "Europe/London";

    /// <summary>The school's zone; UTC for a name this machine does not know (settings refuse such a name on save).</summary>
    public static TimeZoneInfo Zone(string? timeZone) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(timeZone ?? DefaultTimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    public static DateTime Local(DateTimeOffset instant, string? timeZone) => TimeZoneInfo.ConvertTime(instant, Zone(timeZone)).DateTime;

    /// <summary>
    /// The school's date of an instant, for people to read: "4 December", or "4 December 2026" with
    /// <paramref name="withYear"/>. Never the UTC date: from midnight to 1am in summer that is still yesterday.
    /// </summary>
    public static string Day(DateTimeOffset instant, string? timeZone, bool withYear = false) =>
        Local(instant, timeZone).ToString(withYear ? "d MMMM yyyy" : "d MMMM", CultureInfo.GetCultureInfo("en-GB"));

    /// <summary>Today's date at the school.</summary>
    public static DateOnly Today(TimeProvider time, string? timeZone) => DateOnly.FromDateTime(Local(time.GetUtcNow(), timeZone));
}
