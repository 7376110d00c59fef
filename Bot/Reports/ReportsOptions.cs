using Microsoft.Extensions.Options;

namespace SendPlans.Bot.Reports;

/// <summary>
/// The term dashboard's settings (section "Reports"). Outside dev mode the page needs a
/// signed-in member of staff: an Entra ID access token (JWT bearer) for <see cref="Audience"/>
/// from <see cref="Authority"/>. With no authority set, the page answers 401 outside dev mode.
/// </summary>
public sealed class ReportsOptions
{
    public const string Section = "Reports";

    /// <summary>The attendance goal drawn on the chart, in percent (seed 002: 99% in the summer term).</summary>
    public double AttendanceGoalPercent { get; set; } = 99;

    /// <summary>The Entra ID authority, e.g. https://login.microsoftonline.com/{tenant}/v2.0. Empty: no sign-in (dev mode only).</summary>
    public string? Authority { get; set; }

    /// <summary>The application ID URI or client id the tokens are issued for.</summary>
    public string? Audience { get; set; }

    public bool SignInConfigured => !string.IsNullOrWhiteSpace(Authority);
}

public sealed class ReportsOptionsValidator : IValidateOptions<ReportsOptions>
{
    public ValidateOptionsResult Validate(string? name, ReportsOptions options)
    {
        var problems = new List<string>();
        if (options.AttendanceGoalPercent is <= 0 or > 100 || double.IsNaN(options.AttendanceGoalPercent))
        {
            problems.Add("Reports:AttendanceGoalPercent must be more than 0 and at most 100.");
        }
        if (options.SignInConfigured)
        {
            if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) || authority.Scheme != Uri.UriSchemeHttps)
            {
                problems.Add("Reports:Authority must be an absolute https URL (the Entra ID authority).");
            }
            if (string.IsNullOrWhiteSpace(options.Audience))
            {
                problems.Add("Reports:Audience is required when Reports:Authority is set.");
            }
        }
        else if (!string.IsNullOrWhiteSpace(options.Audience))
        {
            problems.Add("Reports:Authority is required when Reports:Audience is set.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
