using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Infrastructure.Mail;

/// <summary>What <see cref="MailClaims.ClaimAsync"/> found.</summary>
public enum MailClaimOutcome
{
    /// <summary>This caller holds the claim and must send, then mark it sent or release it.</summary>
    Won,

    /// <summary>Another caller holds a fresh claim: it sends, or gives the claim back if it cannot.</summary>
    HeldElsewhere,

    /// <summary>The mail went; it is never sent again.</summary>
    AlreadySent,
}

/// <summary>A claim row as this caller saw it; <see cref="ETag"/> makes the caller's next write conditional.</summary>
/// <param name="MessageId">The id to send with: the row's own when a claim was taken over, so a resend can be recognised.</param>
/// <param name="TookOver">True when a stale claim (a sender that died) was taken over.</param>
public sealed record MailClaim(
    MailClaimOutcome Outcome, string PartitionKey, string RowKey, string MessageId, ETag ETag, bool TookOver,
    IReadOnlyDictionary<string, object> Columns)
{
    public bool Won => Outcome == MailClaimOutcome.Won;
}

/// <summary>
/// Mail that must go once per recipient, however many passes, saves or instances try: Graph
/// sendMail has no idempotency key, so each send is claimed first with a row in a table.
/// <list type="bullet">
/// <item>Claim: add the row if absent ("sending", the claim time, the message id); a second claimer gets <see cref="MailClaimOutcome.HeldElsewhere"/>.</item>
/// <item>After the send: mark it "sent" with the claim's ETag; a sent row is never sent again.</item>
/// <item>A send that throws gives the claim back (deletes the row, if still ours), so the next try sends it.</item>
/// <item>A claim still "sending" after <see cref="StaleAfter"/> is from a process that died between claim and send:
/// one claimer takes it over with the row's ETag (the others get 412 and back off), keeping its message id.</item>
/// </list>
/// The price of the last rule: a process that died after sending but before marking sent gives a
/// second copy; the message id lets the local outbox store it once.
/// </summary>
public sealed class MailClaims(TableClient table, TimeProvider time, ILogger logger)
{
    /// <summary>How long a claim may stay "sending" before another claimer takes it over: far longer than one send, retries included.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);

    public const string StateColumn = "State";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string ClaimedAtColumn = "ClaimedAt";
    public const string SentAtColumn = "SentAt";
    public const string MessageIdColumn = "MessageId";

    private const int MaxAttempts = 3;

    /// <summary>True when the row says the mail went.</summary>
    public static bool IsSent([NotNullWhen(true)] TableEntity? row) => row?.GetString(StateColumn) == Sent;

    /// <summary>
    /// Claims the row; <paramref name="columns"/> (such as the pupil's UPN, for erasure) are stored with it.
    /// Rows written before these rules are read the same way: "sending" was a claim in flight, and
    /// "claimed" (or no state) was a send that failed and waits for the next try, so it is free to take.
    /// </summary>
    public async Task<MailClaim> ClaimAsync(
        string partitionKey, string rowKey, string messageId, IReadOnlyDictionary<string, object>? columns, CancellationToken cancellationToken)
    {
        columns ??= new Dictionary<string, object>();
        for (var attempt = 1; ; attempt++)
        {
            var now = time.GetUtcNow();
            try
            {
                var added = await table.AddEntityAsync(Row(partitionKey, rowKey, messageId, columns, now), cancellationToken);
                return new(MailClaimOutcome.Won, partitionKey, rowKey, messageId, added.Headers.ETag ?? default, false, columns);
            }
            catch (RequestFailedException e) when (e.IsConflict())
            {
                // Already there: sent, held, or stale; the row says which.
            }
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
            if (!existing.HasValue)
            {
                if (attempt < MaxAttempts)
                {
                    continue; // given back between our add and our read: claim it afresh
                }
                return new(MailClaimOutcome.HeldElsewhere, partitionKey, rowKey, messageId, default, false, columns);
            }
            var row = existing.Value!;
            var id = row.GetString(MessageIdColumn) ?? messageId;
            if (IsSent(row))
            {
                return new(MailClaimOutcome.AlreadySent, partitionKey, rowKey, id, row.ETag, false, columns);
            }
            if (row.GetString(StateColumn) == Sending && row.GetDateTimeOffset(ClaimedAtColumn) is { } claimedAt && claimedAt > now - StaleAfter)
            {
                return new(MailClaimOutcome.HeldElsewhere, partitionKey, rowKey, id, row.ETag, false, columns);
            }
            try
            {
                var response = await table.UpdateEntityAsync(Row(partitionKey, rowKey, id, columns, now), row.ETag, TableUpdateMode.Replace, cancellationToken);
                Log.StaleClaimTakenOver(logger, table.Name);
                return new(MailClaimOutcome.Won, partitionKey, rowKey, id, response.Headers.ETag ?? default, true, columns);
            }
            catch (RequestFailedException e) when (e.IsPreconditionFailed() || e.IsNotFound())
            {
                return new(MailClaimOutcome.HeldElsewhere, partitionKey, rowKey, id, row.ETag, false, columns);
            }
        }
    }

    /// <summary>
    /// Records that the mail went. Written with the claim's ETag; if the row changed meanwhile (this
    /// send outlived <see cref="StaleAfter"/> and was taken over) it is marked sent all the same,
    /// because it did go.
    /// </summary>
    public async Task MarkSentAsync(MailClaim claim, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var sent = new TableEntity(claim.PartitionKey, claim.RowKey) { [StateColumn] = Sent, [SentAtColumn] = now };
        try
        {
            await table.UpdateEntityAsync(sent, claim.ETag, TableUpdateMode.Merge, cancellationToken);
            return;
        }
        catch (RequestFailedException e) when (e.IsPreconditionFailed() || e.IsNotFound())
        {
        }
        var stored = await table.UpdateOptimisticAsync(claim.PartitionKey, claim.RowKey, row =>
        {
            if (IsSent(row))
            {
                return null;
            }
            row[StateColumn] = Sent;
            row[SentAtColumn] = now;
            return row;
        }, null, cancellationToken);
        if (stored is null)
        {
            var row = Row(claim.PartitionKey, claim.RowKey, claim.MessageId, claim.Columns, now);
            row[StateColumn] = Sent;
            row[SentAtColumn] = now;
            await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
        }
    }

    /// <summary>Gives the claim back after a failed send, unless another claimer has taken it over since.</summary>
    public async Task ReleaseAsync(MailClaim claim, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(claim.PartitionKey, claim.RowKey, claim.ETag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.IsPreconditionFailed() || e.IsNotFound())
        {
        }
    }

    /// <summary>
    /// Claim, send, mark sent: <paramref name="send"/> runs only when this caller won the claim and
    /// gets the message id to send with. A send that throws releases the claim and the exception
    /// goes on to the caller; a cancelled one leaves the claim to be taken over once stale, as the
    /// mail may have gone. Returns what the claim found; <see cref="MailClaimOutcome.Won"/> means this call sent it.
    /// </summary>
    public async Task<MailClaimOutcome> SendOnceAsync(
        string partitionKey, string rowKey, string messageId, IReadOnlyDictionary<string, object>? columns,
        Func<string, CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        var claim = await ClaimAsync(partitionKey, rowKey, messageId, columns, cancellationToken);
        if (!claim.Won)
        {
            return claim.Outcome;
        }
        try
        {
            await send(claim.MessageId, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            await ReleaseAsync(claim, CancellationToken.None);
            throw;
        }
        // The mail went: record it even if the caller is stopping now.
        await MarkSentAsync(claim, CancellationToken.None);
        return MailClaimOutcome.Won;
    }

    private static TableEntity Row(string partitionKey, string rowKey, string messageId, IReadOnlyDictionary<string, object> columns, DateTimeOffset now)
    {
        var row = new TableEntity(partitionKey, rowKey);
        foreach (var (name, value) in columns)
        {
            row[name] = value;
        }
        row[StateColumn] = Sending;
        row[ClaimedAtColumn] = now;
        row[MessageIdColumn] = messageId;
        return row;
    }
}
