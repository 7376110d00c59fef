using Microsoft.Extensions.Options;

namespace SendPlans.Bot.Attendance;

public sealed class AttendanceOptions
{
    public const string Section = "Attendance";

    /// <summary>How often the attendance sweep looks for meetings that ended.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long after a Teams meeting ends before its attendance report is read (Teams writes it a few minutes late).</summary>
    public TimeSpan ReportDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How far back the sweep looks for ended meetings it has not settled.</summary>
    public TimeSpan Lookback { get; set; } = TimeSpan.FromDays(3);

    /// <summary>"Could not reach" escalates to the SENCo and SLT after this many days without contact.</summary>
    public int EscalateAfterDays { get; set; } = 5;

    /// <summary>The weekly digest goes on this day, from <see cref="DigestAt"/> school time.</summary>
    public DayOfWeek DigestDay { get; set; } = DayOfWeek.Friday;

    public TimeSpan DigestAt { get; set; } = new(15, 30, 0);

    /// <summary>A follow-up not final after this many days shows as overdue in the digest.</summary>
    public int OverdueAfterDays { get; set; } = 5;

    /// <summary>The share of agreed plans SLT moderate after the deadline (at least one per class).</summary>
    public int ModerationPercent { get; set; } = 10;

    /// <summary>Whether this instance runs the sweep in the background (tests drive passes themselves).</summary>
    public bool RunJobs { get; set; } = true;

    public TimeSpan EscalateAfter => TimeSpan.FromDays(EscalateAfterDays);
}

/// <summary>Checked at start: a bad value stops the host with a message naming the key.</summary>
public sealed class AttendanceOptionsValidator : IValidateOptions<AttendanceOptions>
{
    /// <summary>The promise to year leads: an alert within the hour of a missed meeting.</summary>
    public static readonly TimeSpan AlertPromise = TimeSpan.FromMinutes(60);

    public ValidateOptionsResult Validate(string? name, AttendanceOptions o)
    {
        var problems = new List<string>();
        if (o.SweepInterval < TimeSpan.FromSeconds(10) || o.SweepInterval > TimeSpan.FromMinutes(30))
        {
            problems.Add("Attendance:SweepInterval must be 00:00:10 to 00:30:00.");
        }
        if (o.ReportDelay < TimeSpan.Zero || o.ReportDelay > TimeSpan.FromMinutes(30))
        {
            problems.Add("Attendance:ReportDelay must be 00:00:00 to 00:30:00.");
        }
        if (o.SweepInterval + o.ReportDelay > AlertPromise - TimeSpan.FromMinutes(5))
        {
            problems.Add("Attendance:SweepInterval plus Attendance:ReportDelay must leave 5 minutes of the hour for delivery (at most 00:55:00 together).");
        }
        if (o.Lookback < TimeSpan.FromHours(2) || o.Lookback > TimeSpan.FromDays(31))
        {
            problems.Add("Attendance:Lookback must be 02:00:00 to 31 days.");
        }
        if (o.EscalateAfterDays is < 1 or > 30)
        {
            problems.Add("Attendance:EscalateAfterDays must be 1 to 30.");
        }
        if (o.DigestAt < TimeSpan.Zero || o.DigestAt >= TimeSpan.FromDays(1))
        {
            problems.Add("Attendance:DigestAt must be a time of day, 00:00 to 23:59.");
        }
        if (o.ModerationPercent is < 1 or > 100)
        {
            problems.Add("Attendance:ModerationPercent must be 1 to 100.");
        }
        if (o.OverdueAfterDays is < 1 or > 60)
        {
            problems.Add("Attendance:OverdueAfterDays must be 1 to 60.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
