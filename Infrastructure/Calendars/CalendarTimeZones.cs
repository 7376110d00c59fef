using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SendPlans.Infrastructure.Calendars;

/// <summary>Time zone names as Graph wants them: Windows ids ("GMT Standard Time"), from IANA or Windows input.</summary>
public static class CalendarTimeZones
{
    private const string LocalFormat = "yyyy-MM-dd'T'HH:mm:ss";

    public static bool TryResolve(string? name, [NotNullWhen(true)] out TimeZoneInfo? zone, [NotNullWhen(true)] out string? windowsId)
    {
        zone = null;
        windowsId = null;
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }
        if (name.Equals("UTC", StringComparison.OrdinalIgnoreCase) || name.Equals("Etc/UTC", StringComparison.OrdinalIgnoreCase))
        {
            zone = TimeZoneInfo.Utc;
            windowsId = "UTC";
            return true;
        }
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
        windowsId = TimeZoneInfo.TryConvertIanaIdToWindowsId(name, out var converted) ? converted : name;
        return true;
    }

    /// <summary>The wall-clock time in the zone, as Graph's dateTimeTimeZone.dateTime.</summary>
    public static string ToLocalText(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString(LocalFormat, CultureInfo.InvariantCulture);

    /// <summary>Reads a dateTimeTimeZone pair (UTC when the zone is missing or unknown).</summary>
    public static DateTimeOffset ToUtc(string? dateTime, string? timeZone)
    {
        var local = DateTime.Parse(dateTime ?? throw new FormatException("dateTime is missing."), CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.RoundtripKind);
        if (local.Kind != DateTimeKind.Unspecified)
        {
            return new DateTimeOffset(local.ToUniversalTime(), TimeSpan.Zero);
        }
        var zone = TryResolve(timeZone, out var found, out _) ? found : TimeZoneInfo.Utc;
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }
}
