namespace SendPlans.Bot.Views;

/// <summary>Settings of the parent web form.</summary>
public sealed class ViewsOptions
{
    public const string Section = "Views";

    /// <summary>Shown on the page for a link that does not work, where the pupil's school is not known.</summary>
    public string OfficeContact { get; set; } = "Please phone or email your child's school. The number is on the school's website.";

    /// <summary>Requests one address may make to /views a minute.</summary>
    public int PermitsPerMinute { get; set; } = 60;
}
