using Microsoft.Extensions.Options;

namespace SendPlans.Bot.Reports;

/// <summary>
/// The term dashboard's settings (section "Reports"). Outside dev mode the page needs a
/// signed-in member of staff from <see cref="Authority"/>: in a browser, Entra ID sign-in
/// (OpenID Connect, authorization code with PKCE, then a cookie) when <see cref="ClientId"/> is
/// set; from a script, an access token (JWT bearer) for <see cref="Audience"/>. With no authority
/// set, the page answers 401 outside dev mode.
/// </summary>
public sealed class ReportsOptions
{
    public const string Section = "Reports";

    /// <summary>The attendance goal drawn on the chart, in percent (seed 002: 99% in the summer term).</summary>
    public double AttendanceGoalPercent { get; set; } = 99;

    /// <summary>The Entra ID authority, e.g. https://login.microsoftonline.com/{tenant}/v2.0. Empty: no sign-in (dev mode only).</summary>
    public string? Authority { get; set; }

    /// <summary>The application ID URI or client id bearer tokens are issued for; defaults to <see cref="ClientId"/>.</summary>
    public string? Audience { get; set; }

    /// <summary>The app registration staff sign in to in a browser. Empty: bearer tokens only.</summary>
    public string? ClientId { get; set; }

    /// <summary>That app registration's client secret (from the environment or a key vault, never from the repository).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>How long a browser sign-in lasts before Entra ID is asked again.</summary>
    public TimeSpan SignInLifetime { get; set; } = TimeSpan.FromHours(8);

    public bool SignInConfigured => !string.IsNullOrWhiteSpace(Authority);

    public bool BrowserSignInConfigured => SignInConfigured && !string.IsNullOrWhiteSpace(ClientId);

    public string? BearerAudience => string.IsNullOrWhiteSpace(Audience) ? ClientId : Audience;

    /// <summary>An http:// authority on this machine, allowed so tests can run their own identity provider.</summary>
    public bool AuthorityIsLoopbackHttp =>
        Uri.TryCreate(Authority, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback;
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
            if (!(Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) && authority.Scheme == Uri.UriSchemeHttps) && !options.AuthorityIsLoopbackHttp)
            {
                problems.Add("Reports:Authority must be an absolute https URL (the Entra ID authority).");
            }
            if (string.IsNullOrWhiteSpace(options.BearerAudience))
            {
                problems.Add("Reports:Audience (or Reports:ClientId) is required when Reports:Authority is set.");
            }
            if (!string.IsNullOrWhiteSpace(options.ClientId) && string.IsNullOrWhiteSpace(options.ClientSecret))
            {
                problems.Add("Reports:ClientSecret is required when Reports:ClientId is set (set it in the environment as Reports__ClientSecret, not in a file).");
            }
            if (options.SignInLifetime < TimeSpan.FromMinutes(5) || options.SignInLifetime > TimeSpan.FromDays(1))
            {
                problems.Add("Reports:SignInLifetime must be between 00:05:00 and 1.00:00:00.");
            }
        }
        else if (!string.IsNullOrWhiteSpace(options.Audience) || !string.IsNullOrWhiteSpace(options.ClientId))
        {
            problems.Add("Reports:Authority is required when Reports:Audience or Reports:ClientId is set.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
