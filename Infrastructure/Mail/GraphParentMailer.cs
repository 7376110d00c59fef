using Microsoft.Extensions.Options;
using Microsoft.Graph.Models;
using Microsoft.Graph.Users.Item.SendMail;
using SendPlans.Infrastructure.Calendars.Graph;

namespace SendPlans.Infrastructure.Mail;

public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>The school mailbox parents' mail is sent from with Graph sendMail (application permission Mail.Send); empty keeps mail in the local outbox.</summary>
    public string? GraphSender { get; set; }
}

/// <summary>
/// Sends parents' mail from the school's mailbox through Graph's sendMail. Thin on purpose:
/// Graph has no idempotency key for mail, so the caller records what it sent before sending.
/// </summary>
public sealed class GraphParentMailer(GraphClients clients, IOptions<MailOptions> options) : IParentMailer
{
    public async Task SendAsync(MailMessage message, CancellationToken cancellationToken)
    {
        var sender = options.Value.GraphSender ?? throw new InvalidOperationException("Mail:GraphSender is not set.");
        await clients.Create().Users[sender].SendMail.PostAsync(new SendMailPostRequestBody
        {
            Message = new Message
            {
                Subject = message.Subject,
                Body = new ItemBody { ContentType = BodyType.Html, Content = message.HtmlBody },
                ToRecipients = [new Recipient { EmailAddress = new EmailAddress { Address = message.To, Name = message.ToName } }],
            },
            SaveToSentItems = true,
        }, cancellationToken: cancellationToken);
    }
}
