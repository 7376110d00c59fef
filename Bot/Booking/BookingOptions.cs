using Microsoft.Extensions.Options;

namespace SendPlans.Bot.Booking;

public sealed class BookingOptions
{
    public const string Section = "Booking";

    /// <summary>Where parents reach the bot's pages: links in invitations are {PublicBaseUrl}/booking/{token}.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:3978";

    /// <summary>
    /// Who a parent should contact when their link cannot be read at all (so the school is not
    /// known): a single school's office, or the trust's. Empty says "your child's school".
    /// </summary>
    public string? FallbackContact { get; set; }

    /// <summary>How long Book all waits before answering the click with a progress card (under the invoke budget).</summary>
    public TimeSpan InvokeWait { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The deadline watch tells teachers and the SENCo about unbooked pupils this many days before the term's deadline.</summary>
    public int DeadlineWarningDays { get; set; } = 5;

    /// <summary>Parents are reminded this long before their meeting, once for each.</summary>
    public List<TimeSpan> ReminderLeadTimes { get; set; } = [];

    /// <summary>The local time of day from which the morning list is sent.</summary>
    public TimeSpan MorningListAt { get; set; } = new(7, 30, 0);

    /// <summary>How often the booking jobs (deadline watch, morning list, reminders) look for work.</summary>
    public TimeSpan JobInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether this instance runs the booking jobs in the background (tests drive passes themselves).</summary>
    public bool RunJobs { get; set; } = true;

    /// <summary>The lead times, with the defaults (2 days, 2 hours) when none are configured.</summary>
    public IReadOnlyList<TimeSpan> EffectiveReminderLeadTimes =>
        ReminderLeadTimes.Count > 0 ? ReminderLeadTimes : [TimeSpan.FromDays(2), TimeSpan.FromHours(2)];
}

public sealed class BookingOptionsValidator : IValidateOptions<BookingOptions>
{
    public ValidateOptionsResult Validate(string? name, BookingOptions o)
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add("Booking:PublicBaseUrl must be an absolute http(s) URL.");
        }
        if (o.InvokeWait <= TimeSpan.Zero || o.InvokeWait > TimeSpan.FromSeconds(4))
        {
            problems.Add("Booking:InvokeWait must be more than zero and at most 00:00:04 (Teams gives up on a click after about 5 seconds).");
        }
        if (o.DeadlineWarningDays is < 1 or > 60)
        {
            problems.Add("Booking:DeadlineWarningDays must be 1 to 60.");
        }
        if (o.ReminderLeadTimes.Any(t => t <= TimeSpan.Zero || t > TimeSpan.FromDays(14)))
        {
            problems.Add("Booking:ReminderLeadTimes must each be more than zero and at most 14 days.");
        }
        if (o.MorningListAt < TimeSpan.Zero || o.MorningListAt >= TimeSpan.FromHours(12))
        {
            problems.Add("Booking:MorningListAt must be a morning time of day, 00:00 to 11:59.");
        }
        if (o.JobInterval < TimeSpan.FromSeconds(10))
        {
            problems.Add("Booking:JobInterval must be at least 00:00:10.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
