using Microsoft.Extensions.Options;

namespace SendPlans.Infrastructure.Calendars;

public enum CalendarProviderKind { Local, Graph }

public sealed class CalendarOptions
{
    public const string Section = "Calendar";

    public CalendarProviderKind Provider { get; set; } = CalendarProviderKind.Local;

    /// <summary>The Local provider's join links are {PublicBaseUrl}/meet/{eventId}, a page the bot serves.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:3978";
}

public sealed class GraphOptions
{
    public const string Section = "Graph";

    public string? TenantId { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>Graph's base URL, ending in the version; tests point it at a local fake Graph server.</summary>
    public string BaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";

    /// <summary>Where the client secret is exchanged for a token; Entra ID's public cloud by default.</summary>
    public string AuthorityHost { get; set; } = "https://login.microsoftonline.com";

    /// <summary>Sub-requests per $batch; Graph allows 20.</summary>
    public int MaxBatchSize { get; set; } = 20;

    /// <summary>Requests in flight per mailbox; Exchange allows 4 per app and answers 429 MailboxConcurrency beyond.</summary>
    public int MaxConcurrentRequestsPerMailbox { get; set; } = 4;

    /// <summary>Mailboxes per getSchedule call; Graph documents 20.</summary>
    public int SchedulesPerCall { get; set; } = 20;

    /// <summary>How many times one request is sent before its failure is reported.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>How long one HTTP request may take before it is abandoned and resent.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Checks the calendar settings at start, naming the key to fix.</summary>
public sealed class CalendarOptionsValidator(IOptions<GraphOptions> graph) : IValidateOptions<CalendarOptions>
{
    public ValidateOptionsResult Validate(string? name, CalendarOptions options)
    {
        var failures = new List<string>();
        if (options.Provider == CalendarProviderKind.Local)
        {
            if (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out _))
            {
                failures.Add("Calendar:PublicBaseUrl must be an absolute URL (the Local provider's join links start with it).");
            }
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
        var g = graph.Value;
        if (string.IsNullOrWhiteSpace(g.TenantId)) failures.Add("Graph:TenantId is required when Calendar:Provider is Graph.");
        if (string.IsNullOrWhiteSpace(g.ClientId)) failures.Add("Graph:ClientId is required when Calendar:Provider is Graph.");
        if (string.IsNullOrWhiteSpace(g.ClientSecret)) failures.Add("Graph:ClientSecret is required when Calendar:Provider is Graph.");
        if (!Uri.TryCreate(g.BaseUrl, UriKind.Absolute, out var baseUrl))
        {
            failures.Add("Graph:BaseUrl must be an absolute URL.");
        }
        else if (baseUrl.AbsolutePath.TrimEnd('/') is not ("/v1.0" or "/beta"))
        {
            // The SDK writes $batch sub-request URLs relative to the version segment, so it must be the whole path.
            failures.Add("Graph:BaseUrl must end in /v1.0 (or /beta) with nothing after the host but the version.");
        }
        if (!Uri.TryCreate(g.AuthorityHost, UriKind.Absolute, out _)) failures.Add("Graph:AuthorityHost must be an absolute URL.");
        if (g.MaxBatchSize is < 1 or > 20) failures.Add("Graph:MaxBatchSize must be 1 to 20: Graph refuses larger batches.");
        if (g.MaxConcurrentRequestsPerMailbox is < 1 or > 4) failures.Add("Graph:MaxConcurrentRequestsPerMailbox must be 1 to 4: Exchange throttles beyond 4.");
        if (g.SchedulesPerCall is < 1 or > 20) failures.Add("Graph:SchedulesPerCall must be 1 to 20.");
        if (g.MaxAttempts < 1) failures.Add("Graph:MaxAttempts must be at least 1.");
        if (g.AttemptTimeout <= TimeSpan.Zero) failures.Add("Graph:AttemptTimeout must be more than 0.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
