using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Identity.Client;
using Polly;
using SendPlans.Infrastructure.BotFramework.Proactive;
using SendPlans.Infrastructure.Jobs;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Infrastructure.BotFramework;

public static class BotFrameworkServiceCollectionExtensions
{
    /// <summary>The protocol layer: inbound authentication, the Connector client and the stores it needs.</summary>
    public static IServiceCollection AddBotFramework(this IServiceCollection services)
    {
        services.AddHttpClient(nameof(OpenIdKeyCache))
            .AddStandardResilienceHandler();
        services.AddHttpClient(MsalHttpClientFactory.ClientName);
        services.AddSingleton<IMsalHttpClientFactory, MsalHttpClientFactory>();
        services.AddSingleton<IBotTokenProvider, MsalBotTokenProvider>();
        services.AddSingleton<BotAuthenticator>();
        services.AddSingleton<TrustedServiceUrls>();
        services.AddSingleton<ActivityDeduplicator>();
        services.AddSingleton<ConversationReferenceStore>();
        services.AddSingleton<TableLeases>();
        services.AddSingleton<ProactiveOutbox>();
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section);
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        // Named clients built by hand rather than typed clients: a typed client's activator compiles an
        // expression tree, which loads System.Linq.Expressions and its JIT code into every instance
        // (docs/benchmarks.md, RSS).
        services.AddHttpClient(nameof(TeamsFileDownloader), client => client.Timeout = TimeSpan.FromSeconds(60))
            .AddStandardResilienceHandler();
        services.AddTransient(sp => new TeamsFileDownloader(sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(TeamsFileDownloader))));
        services.AddTransient<IConnectorClient>(sp => new ConnectorClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(ConnectorClient)),
            sp.GetRequiredService<IBotTokenProvider>(),
            sp.GetRequiredService<TrustedServiceUrls>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<ConnectorClient>>()));
        services.AddHttpClient(nameof(ConnectorClient))
            .AddStandardResilienceHandler(options =>
            {
                // Teams throttles with 429 and, for some conversation writes, 412; both carry Retry-After,
                // which the retry strategy honours before its own back-off.
                options.Retry.ShouldHandle = args => ValueTask.FromResult(
                    HttpClientResiliencePredicates.IsTransient(args.Outcome)
                    || args.Outcome.Result?.StatusCode == HttpStatusCode.PreconditionFailed);
                options.Retry.MaxRetryAttempts = 4;
                options.Retry.ShouldRetryAfterHeader = true;
            });
        return services;
    }

    public static IServiceCollection AddTableStorage(this IServiceCollection services)
    {
        services.AddSingleton<TableStorage>();
        return services;
    }
}
