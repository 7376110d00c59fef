using Azure;
using Azure.Data.Tables;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Infrastructure.Calendars.Local;

/// <summary>A message that would have been emailed, kept for staff to read in development.</summary>
public sealed record OutboxMessage(string Recipient, string RecipientName, string Subject, string HtmlBody, DateTimeOffset CreatedAt, string? EventId);

/// <summary>
/// Mail that the Local provider "sends": invitations, updates and cancellations land in the
/// Outbox table instead of Exchange. Each message has a caller-chosen id, so a retried send
/// stores it once. Nothing here is logged: the rows hold parents' addresses.
/// </summary>
public sealed class LocalOutbox(TableStorage storage, TimeProvider time)
{
    public const string Table = "Outbox";

    /// <summary>Stores the message unless one with this id for this recipient is there already.</summary>
    public async Task AddAsync(string recipient, string recipientName, string subject, string htmlBody, string messageId, string? eventId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        try
        {
            await table.AddEntityAsync(new TableEntity(RecipientKey(recipient), messageId)
            {
                ["Recipient"] = recipient.Trim(),
                ["RecipientName"] = recipientName,
                ["Subject"] = subject,
                ["HtmlBody"] = htmlBody,
                ["CreatedAt"] = time.GetUtcNow(),
                ["EventId"] = eventId,
            }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.IsConflict())
        {
        }
    }

    /// <summary>Messages to one recipient, oldest first.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> ListAsync(string recipient, CancellationToken cancellationToken = default)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var key = RecipientKey(recipient);
        return await ReadAsync(table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {key}"), cancellationToken: cancellationToken));
    }

    /// <summary>Every message, oldest first (a development outbox is small).</summary>
    public async Task<IReadOnlyList<OutboxMessage>> ListAllAsync(CancellationToken cancellationToken = default)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        return await ReadAsync(table.QueryAsync<TableEntity>(cancellationToken: cancellationToken));
    }

    private static async Task<IReadOnlyList<OutboxMessage>> ReadAsync(AsyncPageable<TableEntity> rows)
    {
        var messages = new List<OutboxMessage>();
        await foreach (var row in rows)
        {
            messages.Add(new OutboxMessage(
                row.GetString("Recipient"), row.GetString("RecipientName") ?? "", row.GetString("Subject") ?? "",
                row.GetString("HtmlBody") ?? "", row.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue, row.GetString("EventId")));
        }
        return [.. messages.OrderBy(m => m.CreatedAt)];
    }

    private static string RecipientKey(string recipient) => TableKeys.Hash(recipient.Trim().ToLowerInvariant());
}
