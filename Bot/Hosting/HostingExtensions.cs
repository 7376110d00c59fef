using Microsoft.Extensions.Options;
using SendPlans.Infrastructure.BotFramework;
using SendPlans.Infrastructure.Calendars;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Bot.Hosting;

public static class HostingExtensions
{
    /// <summary>Options (validated at start), storage, the protocol layer and the turn pipeline.</summary>
    public static WebApplicationBuilder AddBotHosting(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingletonTimeProvider();
        services.AddOptions<BotOptions>().BindConfiguration(BotOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BotOptions>, BotOptionsValidator>();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();

        services.AddTableStorage();
        services.AddCalendars();
        services.AddBotFramework();
        services.AddSingleton(sp => sp.GetServices<Action<ActivityRouter>>()
            .Aggregate(new ActivityRouter(), (router, configure) => { configure(router); return router; }));
        services.AddSingleton<TurnProcessor>();
        services.AddSingleton<BotEndpoint>();
        services.AddHostedService<DevModeNotice>();
        // One rate limiter for the host; each feature adds its own policy to it (Configure<RateLimiterOptions>).
        services.AddRateLimiter(o => o.RejectionStatusCode = StatusCodes.Status429TooManyRequests);
        return builder;
    }

    /// <summary>Lets a feature add its routes to the one router.</summary>
    public static IServiceCollection AddBotRoutes(this IServiceCollection services, Action<ActivityRouter> configure) =>
        services.AddSingleton(configure);

    public static WebApplication MapBotEndpoints(this WebApplication app)
    {
        app.UseRateLimiter();
        app.MapPost("/api/messages", (HttpContext http, BotEndpoint endpoint) => endpoint.HandleAsync(http));
        app.MapMethods("/api/messages", ["HEAD"], () => Results.Ok());
        app.MapGet("/healthz", () => Results.Text("alive"));
        app.MapGet("/readyz", async (TableStorage storage, CancellationToken cancellationToken) =>
            await storage.PingAsync(cancellationToken)
                ? Results.Text("ready")
                : Results.Text("storage unreachable", statusCode: StatusCodes.Status503ServiceUnavailable));
        return app;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(s => s.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }

    private sealed class DevModeNotice(IOptions<BotOptions> options, ILogger<DevModeNotice> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (!options.Value.AuthenticationEnabled)
            {
                Log.DevMode(logger);
            }
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
