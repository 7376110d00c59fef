using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SendPlans.Infrastructure.Calendars;
using SendPlans.Infrastructure.Calendars.Local;

namespace SendPlans.Infrastructure.Mail;

/// <summary>A plain email to someone outside the school (a parent): reminders and notes.</summary>
/// <param name="MessageId">Chosen by the caller and the same on a retry, so a retried send is stored or sent once.</param>
public sealed record MailMessage(string To, string ToName, string Subject, string HtmlBody, string MessageId);

/// <summary>Sends mail to people outside the school. Locally it lands in the development outbox.</summary>
public interface IParentMailer
{
    Task SendAsync(MailMessage message, CancellationToken cancellationToken);
}

/// <summary>The development mailer: messages go to <see cref="LocalOutbox"/>, keyed by their id.</summary>
public sealed class LocalOutboxMailer(LocalOutbox outbox) : IParentMailer
{
    public Task SendAsync(MailMessage message, CancellationToken cancellationToken) =>
        outbox.AddAsync(message.To, message.ToName, message.Subject, message.HtmlBody, message.MessageId, null, cancellationToken);
}

public static class MailServiceCollectionExtensions
{
    /// <summary>
    /// The parent mailer: Graph sendMail from Mail:GraphSender when the calendar provider is Graph
    /// and a sender is set, otherwise the local outbox. Needs <c>AddCalendars()</c>.
    /// </summary>
    public static IServiceCollection AddParentMail(this IServiceCollection services)
    {
        services.AddOptions<MailOptions>().BindConfiguration(MailOptions.Section);
        services.TryAddSingleton<LocalOutbox>();
        services.TryAddSingleton<LocalOutboxMailer>();
        services.TryAddSingleton<GraphParentMailer>();
        services.TryAddSingleton<IParentMailer>(sp =>
            sp.GetRequiredService<IOptions<CalendarOptions>>().Value.Provider == CalendarProviderKind.Graph
            && !string.IsNullOrWhiteSpace(sp.GetRequiredService<IOptions<MailOptions>>().Value.GraphSender)
                ? sp.GetRequiredService<GraphParentMailer>()
                : sp.GetRequiredService<LocalOutboxMailer>());
        return services;
    }
}
