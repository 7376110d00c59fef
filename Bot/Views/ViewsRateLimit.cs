using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using SendPlans.Cards.Views;

namespace SendPlans.Bot.Views;

/// <summary>
/// The limit on /views: <see cref="ViewsOptions.PermitsPerMinute"/> requests a minute from one
/// address. Beyond it the parent gets a short page asking them to wait a minute, not a bare 429;
/// the booking pages' limit answers with the same page.
/// </summary>
internal sealed class ViewsRateLimit(IOptions<ViewsOptions> options) : IRateLimiterPolicy<string>
{
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = WaitPageAsync;

    /// <summary>429 with Retry-After and a plain page: wait a minute, nothing sent before is lost.</summary>
    public static async ValueTask WaitPageAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var http = rejected.HttpContext;
        if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait))
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        ViewsEndpoints.Secure(http);
        var english = ParentViewsText.English;
        await Results.Content(ViewsPage.Problem(ParentViewsText.Get("TooManyTitle", english), ParentViewsText.Get("TooMany", english)),
            "text/html; charset=utf-8", statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(http);
    }

    public RateLimitPartition<string> GetPartition(HttpContext http) =>
        RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = options.Value.PermitsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}
