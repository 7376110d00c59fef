namespace SendPlans.Bot.Terms;

/// <summary>A school's wall clock: instants in its time zone, and which school day it is now.</summary>
public static class SchoolClock
{
    public const string DefaultTimeZone = "Europe/London";

    /// <summary>The school's zone; UTC for a name this machine does not know (settings refuse such a name on save).</summary>
    public static TimeZoneInfo Zone(string? timeZone) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(timeZone ?? DefaultTimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    public static DateTime Local(DateTimeOffset instant, string? timeZone) => TimeZoneInfo.ConvertTime(instant, Zone(timeZone)).DateTime;

    /// <summary>Today's date at the school.</summary>
    public static DateOnly Today(TimeProvider time, string? timeZone) => DateOnly.FromDateTime(Local(time.GetUtcNow(), timeZone));
}
