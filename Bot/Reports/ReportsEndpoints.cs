using System.Text;
using Microsoft.AspNetCore.Authentication;

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
        DashboardPage.KeepPrivate(http.Response);
        if (reader is null)
        {
            Log.DashboardRefused(logger, schoolId, reason);
            if (status == StatusCodes.Status401Unauthorized && access.ShouldSendToSignIn(http))
            {
                // Back to the same page (a local path, never one from the query) once Entra ID has signed them in.
                return Results.Challenge(new AuthenticationProperties { RedirectUri = $"{http.Request.PathBase}{http.Request.Path}{http.Request.QueryString}" }, [DashboardAccess.SignInScheme]);
            }
            if (status == StatusCodes.Status401Unauthorized)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return Results.StatusCode(status);
            }
            if (!DashboardAccess.UsesBearer(http))
            {
                // A member of staff in a browser, signed in but not allowed: a sentence, not a bare 403.
                await DashboardPage.WriteNoticeAsync(http, status, "Not for this account",
                    "You are signed in, but the term dashboard is for the SENCo, senior leaders and admin staff of this school. If you should see it, ask your school's admin to check your role.");
                return Results.Empty;
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
