using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using SendPlans.Bot.Conversation;
using SendPlans.Bot.Hosting;
using SendPlans.Bot.Roster;

namespace SendPlans.Bot.Reports;

public static partial class ReportsExtensions
{
    /// <summary>The term dashboard: its figures, the staff page and CSV, Entra ID sign-in for them, and the "dashboard" card.</summary>
    public static WebApplicationBuilder AddReports(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ReportsOptions>().BindConfiguration(ReportsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReportsOptions>, ReportsOptionsValidator>();
        var reports = builder.Configuration.GetSection(ReportsOptions.Section).Get<ReportsOptions>() ?? new ReportsOptions();
        services.AddDashboardSignIn(reports);
        services.AddSingleton<TermDashboard>();
        services.AddSingleton<DashboardAccess>();
        services.AddSingleton<ReportsHandlers>();
        services.AddSingleton(new BotCommand("dashboard", "See this term's figures for the school: meetings, attendance, views and pupil voice.", DashboardAccess.Roles));
        services.AddBotRoutes(router => router
            .OnMessage(DashboardPattern(), (context, ct) => context.Services.GetRequiredService<ReportsHandlers>().DashboardAsync(context, ct)));
        return builder;
    }

    public static WebApplication MapReports(this WebApplication app)
    {
        // Finishes a browser sign-in at /dashboard/signin-oidc; nothing else in the host uses these schemes.
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/dashboard"), dashboard => dashboard.UseAuthentication());
        app.MapDashboard();
        return app;
    }

    [GeneratedRegex(@"^(show\s+)?(me\s+)?(the\s+)?(term\s+)?dashboard[.!?]?$", RegexOptions.IgnoreCase)]
    internal static partial Regex DashboardPattern();
}
