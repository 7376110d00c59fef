using System.Text;

namespace SendPlans.Bot.Reports;

/// <summary>GET /dashboard/{schoolId} (the page) and GET /dashboard/{schoolId}.csv (the same figures).</summary>
public static class ReportsEndpoints
{
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dashboard/{schoolId}.csv", (string schoolId, HttpContext http, DashboardAccess access, TermDashboard dashboard, ILogger<TermDashboard> logger, CancellationToken cancellationToken) =>
            ShowAsync(schoolId, "csv", http, access, dashboard, logger, cancellationToken));
        app.MapGet("/dashboard/{schoolId}", (string schoolId, HttpContext http, DashboardAccess access, TermDashboard dashboard, ILogger<TermDashboard> logger, CancellationToken cancellationToken) =>
            ShowAsync(schoolId, "html", http, access, dashboard, logger, cancellationToken));
        return app;
    }

    private static async Task<IResult> ShowAsync(string schoolId, string format, HttpContext http, DashboardAccess access, TermDashboard dashboard, ILogger logger, CancellationToken cancellationToken)
    {
        var (reader, status, reason) = await access.CheckAsync(http, schoolId, cancellationToken);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        if (reader is null)
        {
            Log.DashboardRefused(logger, schoolId, reason);
            if (status == StatusCodes.Status401Unauthorized)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
            }
            return Results.StatusCode(status);
        }
        var term = http.Request.Query["term"].ToString();
        var figures = await dashboard.ForSchoolAsync(reader, schoolId, term.Length == 0 ? null : term, cancellationToken);
        if (figures is null)
        {
            Log.DashboardRefused(logger, schoolId, term.Length == 0 ? "no term set up" : "no such term");
            return Results.NotFound();
        }
        Log.DashboardShown(logger, schoolId, format, reason);
        if (format == "csv")
        {
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"dashboard-{figures.TermId}.csv\"";
            return Results.Text(DashboardCsv.Write(figures), "text/csv; charset=utf-8", Encoding.UTF8);
        }
        http.Response.Headers.ContentSecurityPolicy = DashboardPage.ContentSecurityPolicy;
        return Results.Content(DashboardPage.Render(figures), "text/html; charset=utf-8");
    }
}
