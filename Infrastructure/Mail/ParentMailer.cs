using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
    /// <summary>The parent mailer; the local outbox unless something else was registered first.</summary>
    public static IServiceCollection AddParentMail(this IServiceCollection services)
    {
        services.TryAddSingleton<LocalOutbox>();
        services.TryAddSingleton<IParentMailer, LocalOutboxMailer>();
        return services;
    }
}
