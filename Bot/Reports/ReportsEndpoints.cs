using System.Text;
using Microsoft.AspNetCore.Authentication;
using SendPlans.Bot.AfterMeeting;

namespace SendPlans.Bot.Reports;

/// <summary>
/// GET /dashboard/{schoolId} (the page) and GET /dashboard/{schoolId}.csv (the same figures);
/// GET /dashboard/{schoolId}/you-said-we-did and its .csv, for the SENCo and SLT only, as in Teams.
/// </summary>
public static class ReportsEndpoints
{
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dashboard/{schoolId}.csv", (string schoolId, HttpContext http, DashboardAccess access, TermDashboard dashboard, ILogger<TermDashboard> logger, CancellationToken cancellationToken) =>
            ShowAsync(schoolId, "csv", http, access, dashboard, logger, cancellationToken));
        app.MapGet("/dashboard/{schoolId}", (string schoolId, HttpContext http, DashboardAccess access, TermDashboard dashboard, ILogger<TermDashboard> logger, CancellationToken cancellationToken) =>
            ShowAsync(schoolId, "html", http, access, dashboard, logger, cancellationToken));
        app.MapGet($"/dashboard/{{schoolId}}/{YouSaidWeDidPage.Path}.csv", (string schoolId, HttpContext http, DashboardAccess access, YouSaidWeDidReport report, ILogger<TermDashboard> logger, CancellationToken cancellationToken) =>
            ShowYouSaidWeDidAsync(schoolId, "csv", http, access, report, logger, cancellationToken));
        app.MapGet($"/dashboard/{{schoolId}}/{YouSaidWeDidPage.Path}", (string schoolId, HttpContext http, DashboardAccess access, YouSaidWeDidReport report, ILogger<TermDashboard> logger, CancellationToken cancellationToken) =>
            ShowYouSaidWeDidAsync(schoolId, "html", http, access, report, logger, cancellationToken));
        return app;
    }

    private static async Task<IResult> ShowAsync(string schoolId, string format, HttpContext http, DashboardAccess access, TermDashboard dashboard, ILogger logger, CancellationToken cancellationToken)
    {
        var (reader, status, reason) = await access.CheckAsync(http, schoolId, cancellationToken);
        DashboardPage.KeepPrivate(http.Response);
        if (reader is null)
        {
            Log.DashboardRefused(logger, schoolId, reason);
            return await RefuseAsync(http, access, status,
                "You are signed in, but the term dashboard is for the SENCo, senior leaders and admin staff of this school. If you should see it, ask your school's admin to check your role.");
        }
        var term = Term(http);
        var figures = await dashboard.ForSchoolAsync(reader, schoolId, term, cancellationToken);
        if (figures is null)
        {
            Log.DashboardRefused(logger, schoolId, term is null ? "no term set up" : "no such term");
            return Results.NotFound();
        }
        Log.DashboardShown(logger, schoolId, format, reason);
        if (format == "csv")
        {
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"dashboard-{figures.TermId}.csv\"";
            return Results.Text(DashboardCsv.Write(figures), "text/csv; charset=utf-8", Encoding.UTF8);
        }
        http.Response.Headers.ContentSecurityPolicy = DashboardPage.ContentSecurityPolicy;
        return Results.Content(DashboardPage.Render(figures, DashboardAccess.MaySee(reader, YouSaidWeDidReport.Roles)), "text/html; charset=utf-8");
    }

    private static async Task<IResult> ShowYouSaidWeDidAsync(string schoolId, string format, HttpContext http, DashboardAccess access, YouSaidWeDidReport report, ILogger logger, CancellationToken cancellationToken)
    {
        // The same rule as the Teams command: SENCo and SLT only (an admin sees the dashboard, not parents' words).
        var (reader, status, reason) = await access.CheckAsync(http, schoolId, YouSaidWeDidReport.Roles, "you said, we did", cancellationToken);
        DashboardPage.KeepPrivate(http.Response);
        if (reader is null)
        {
            Log.YouSaidWeDidRefused(logger, schoolId, reason);
            return await RefuseAsync(http, access, status,
                "You are signed in, but \"you said, we did\" is for the SENCo and senior leaders of this school. If you should see it, ask your school's admin to check your role.");
        }
        var term = Term(http);
        var found = await report.ForTermIdAsync(reader, schoolId, term, cancellationToken);
        if (found is not { } f)
        {
            Log.YouSaidWeDidRefused(logger, schoolId, term is null ? "no term set up" : "no such term");
            return Results.NotFound();
        }
        Log.YouSaidWeDidShown(logger, schoolId, format, reason);
        if (format == "csv")
        {
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{YouSaidWeDidPage.Path}-{f.Term.Id}.csv\"";
            return Results.Text(YouSaidWeDidCsv.Write(f.Summary), "text/csv; charset=utf-8", Encoding.UTF8);
        }
        http.Response.Headers.ContentSecurityPolicy = DashboardPage.ContentSecurityPolicy;
        var view = new YouSaidWeDidView(schoolId, f.Term.Id, [.. f.Terms.Select(t => new TermChoice(t.Id, TermDashboard.Title(t)))], f.Summary);
        return Results.Content(YouSaidWeDidPage.Render(view), "text/html; charset=utf-8");
    }

    private static string? Term(HttpContext http) => http.Request.Query["term"].ToString() is { Length: > 0 } term ? term : null;

    private static async Task<IResult> RefuseAsync(HttpContext http, DashboardAccess access, int status, string notAllowed)
    {
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
            await DashboardPage.WriteNoticeAsync(http, status, "Not for this account", notAllowed);
            return Results.Empty;
        }
        return Results.StatusCode(status);
    }
}
