namespace SendPlans.Bot.Views;

/// <summary>Settings of the parent web form.</summary>
public sealed class ViewsOptions
{
    public const string Section = "Views";

    /// <summary>
    /// Shown on the page for a link that does not work when its school is not known (the link was
    /// tampered with or cut short), e.g. a trust's office number. Unset: a plain sentence telling
    /// the parent to phone or email their child's school office.
    /// </summary>
    public string? OfficeContact { get; set; }

    /// <summary>Requests one address may make to /views a minute.</summary>
    public int PermitsPerMinute { get; set; } = 60;

    /// <summary>Whether this instance runs the job that mails parents their views link.</summary>
    public bool RunJobs { get; set; } = true;

    /// <summary>How often the job looks for plans whose parents have not been sent their link yet.</summary>
    public TimeSpan LinkMailInterval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Days before the deadline when parents who have not answered get one reminder of their link; 0 sends none.</summary>
    public int LinkReminderDaysBeforeDeadline { get; set; } = 3;
}
