using Microsoft.AspNetCore.RateLimiting;
using SendPlans.Bot.DataProtection;
using SendPlans.Bot.Hosting;
using SendPlans.Cards.Views;

namespace SendPlans.Bot.Views;

public static class ViewsExtensions
{
    /// <summary>Parents' views: the store, the rules, the Teams card actions and the web form's limits.</summary>
    public static WebApplicationBuilder AddViews(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ViewsOptions>().BindConfiguration(ViewsOptions.Section)
            .Validate(o => o.PermitsPerMinute > 0, "Views:PermitsPerMinute must be more than zero.")
            .Validate(o => o.LinkReminderDaysBeforeDeadline is >= 0 and <= 14, "Views:LinkReminderDaysBeforeDeadline must be 0 (no reminder) to 14.")
            .Validate(o => o.LinkMailInterval >= TimeSpan.FromSeconds(10) && o.LinkMailInterval <= TimeSpan.FromDays(1), "Views:LinkMailInterval must be between 00:00:10 and 1.00:00:00.")
            .ValidateOnStart();
        services.AddSingleton<ParentViewsStore>();
        services.AddSingleton<ParentViewsService>();
        services.AddSingleton<IPupilDataEraser, ParentViewsEraser>();
        services.AddSingleton<IPupilDataEraser, ViewsLinkMailEraser>();
        services.AddSingleton<ViewsLinkMailJob>();
        services.AddSingleton<ViewsLinkMailRecords>();
        services.AddHostedService(sp => sp.GetRequiredService<ViewsLinkMailJob>());
        services.AddScoped<ViewsHandlers>();
        services.AddAntiforgery();
        services.Configure<RateLimiterOptions>(o =>
        {
            // The other limited parent pages (booking, the local meeting page) answer with the same page as /views.
            o.OnRejected = ViewsRateLimit.WaitPageAsync;
            o.AddPolicy<string, ViewsRateLimit>(ViewsEndpoints.RateLimitPolicy);
        });
        services.AddBotRoutes(router => router
            .OnAdaptiveCardAction(ParentViewsFields.SubmitVerb, (context, action, ct) => Handlers(context).SubmitAsync(context, action, ct))
            .OnAdaptiveCardAction(ParentViewsFields.EditVerb, (context, action, ct) => Handlers(context).EditAsync(context, action, ct)));
        return builder;
    }

    public static WebApplication MapViews(this WebApplication app)
    {
        app.MapViewsForm();
        return app;
    }

    private static ViewsHandlers Handlers(Infrastructure.BotFramework.TurnContext context) => context.Services.GetRequiredService<ViewsHandlers>();
}
