using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using SendPlans.Infrastructure.Calendars.Graph;
using SendPlans.Infrastructure.Calendars.Local;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Infrastructure.Calendars;

public static class CalendarServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="ICalendarProvider"/> as configured: Calendar:Provider = Local (tables, the default)
    /// or Graph (Graph:* settings, validated at start). Needs IConfiguration and, for Local, TableStorage.
    /// </summary>
    public static IServiceCollection AddCalendars(this IServiceCollection services)
    {
        services.AddOptions<GraphOptions>().BindConfiguration(GraphOptions.Section);
        services.AddOptions<CalendarOptions>().BindConfiguration(CalendarOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CalendarOptions>, CalendarOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TableStorage>();

        // The SDK's handlers (redirects, compression, telemetry, ...) but not its RetryHandler: the
        // provider resends throttled sub-requests itself, and a second retry layer would multiply requests.
        services.AddHttpClient(GraphClients.HttpClientName)
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan) // GraphOptions.AttemptTimeout governs
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) =>
            {
                foreach (var handler in GraphClientFactory.CreateDefaultHandlers().Where(h => h is not RetryHandler))
                {
                    handlers.Add(handler);
                }
            });
        services.TryAddKeyedSingleton<TokenCredential>(GraphClients.CredentialKey, (sp, _) =>
        {
            var graph = sp.GetRequiredService<IOptions<GraphOptions>>().Value;
            return new ClientSecretCredential(graph.TenantId, graph.ClientId, graph.ClientSecret,
                new ClientSecretCredentialOptions { AuthorityHost = new Uri(graph.AuthorityHost) });
        });
        services.TryAddSingleton<GraphClients>();
        services.TryAddSingleton<GraphCalendarProvider>();
        services.TryAddSingleton<LocalOutbox>();
        services.TryAddSingleton<LocalCalendarProvider>();
        services.TryAddSingleton<ICalendarProvider>(sp =>
            sp.GetRequiredService<IOptions<CalendarOptions>>().Value.Provider == CalendarProviderKind.Graph
                ? sp.GetRequiredService<GraphCalendarProvider>()
                : sp.GetRequiredService<LocalCalendarProvider>());
        services.TryAddSingleton<GraphMeetingAttendance>();
        services.TryAddSingleton<IMeetingAttendance>(sp =>
            sp.GetRequiredService<IOptions<CalendarOptions>>().Value.Provider == CalendarProviderKind.Graph
                ? sp.GetRequiredService<GraphMeetingAttendance>()
                : new NoMeetingAttendance());
        return services;
    }
}
