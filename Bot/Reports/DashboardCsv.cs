using System.Globalization;
using CsvHelper;

namespace SendPlans.Bot.Reports;

/// <summary>
/// The dashboard's figures as CSV: a row per year group, then the whole school. Percentages are empty when there is nothing to divide by;
/// voice_captured and voice_percent are both empty for a reader who may not read plans (an admin).
/// </summary>
public static class DashboardCsv
{
    public static readonly string[] Header =
    [
        "year_group", "pupils", "booked", "held", "missed", "followed_up",
        "followups_open", "followups_claimed", "followups_rebooked", "followups_attended", "followups_declined", "followups_escalated",
        "attendance_percent", "views_returned", "views_percent", "voice_captured", "voice_percent",
        "moderation_sampled", "moderation_approved", "moderation_needs_changes", "moderation_awaiting",
    ];

    public static string Write(TermDashboardFigures figures)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions { Separator = ',', NewLine = "\n" }, leaveOpen: true))
        {
            csv.WriteRecord(Header);
            foreach (var y in figures.Years.Append(figures.Total))
            {
                var (u, m) = (y.FollowUps, y.Moderation);
                csv.WriteRecord(new[]
                {
                    y.Code, Count(y.Pupils), Count(y.Booked), Count(y.Held), Count(y.Missed), Count(u.Total),
                    Count(u.Open), Count(u.Claimed), Count(u.Rebooked), Count(u.Attended), Count(u.Declined), Count(u.Escalated),
                    Percent(y.AttendancePercent), Count(y.ViewsReturned), Percent(y.ViewsPercent), y.VoiceCaptured is { } voice ? Count(voice) : "", Percent(y.VoicePercent),
                    Count(m.Sampled), Count(m.Approved), Count(m.NeedsChanges), Count(m.Awaiting),
                });
            }
        }
        return text.ToString();
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Percent(double? p) => p is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "";
}
