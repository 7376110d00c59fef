using Azure;
using Azure.Data.Tables;

namespace SendPlans.Infrastructure.Storage;

/// <summary>
/// Thrown when an optimistic update kept losing to other writers and gave up. The caller
/// surfaces it ("someone else changed this, try again"); the write is never forced.
/// </summary>
public sealed class ConcurrencyConflictException(string table, int attempts)
    : Exception($"The row in table '{table}' kept changing under {attempts} attempts to update it.")
{
    public string Table { get; } = table;

    public int Attempts { get; } = attempts;
}

/// <summary>How hard an optimistic update tries before it surfaces the conflict.</summary>
public sealed record ConcurrencyRetry(int MaxAttempts, TimeSpan MaxDelay)
{
    /// <summary>Enough for dozens of writers on one row: each round one of them wins.</summary>
    public static ConcurrencyRetry Default { get; } = new(100, TimeSpan.FromMilliseconds(100));
}

/// <summary>The table patterns every store here follows: ETag updates, idempotent creates, partition batches.</summary>
public static class TableOperations
{
    /// <summary>The most actions one entity group transaction may hold.</summary>
    public const int MaxBatchSize = 100;

    /// <summary>Creates the entity; false when it already exists (409), which a retried create expects.</summary>
    public static async Task<bool> AddIfAbsentAsync(this TableClient table, ITableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConflict())
        {
            return false;
        }
    }

    /// <summary>
    /// Read, change, write with the ETag read; on 412 read again and re-apply the change.
    /// <paramref name="change"/> gets the current row and returns its replacement, or null when
    /// nothing needs writing. Returns the row as stored, or null when the row does not exist.
    /// </summary>
    public static async Task<TableEntity?> UpdateOptimisticAsync(
        this TableClient table,
        string partitionKey,
        string rowKey,
        Func<TableEntity, TableEntity?> change,
        ConcurrencyRetry? retry,
        CancellationToken cancellationToken)
    {
        retry ??= ConcurrencyRetry.Default;
        for (var attempt = 1; attempt <= retry.MaxAttempts; attempt++)
        {
            var current = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
            if (!current.HasValue)
            {
                return null;
            }
            var replacement = change(current.Value!);
            if (replacement is null)
            {
                return current.Value;
            }
            replacement.PartitionKey = partitionKey;
            replacement.RowKey = rowKey;
            try
            {
                var response = await table.UpdateEntityAsync(replacement, current.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                replacement.ETag = response.Headers.ETag ?? default;
                return replacement;
            }
            catch (RequestFailedException e) when (e.IsPreconditionFailed() && attempt < retry.MaxAttempts)
            {
                // Another writer got in between: back off a random moment so the losers do not collide again.
                var ceiling = Math.Min(retry.MaxDelay.TotalMilliseconds, 2 * attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling), cancellationToken);
            }
            catch (RequestFailedException e) when (e.IsPreconditionFailed())
            {
                break;
            }
        }
        throw new ConcurrencyConflictException(table.Name, retry.MaxAttempts);
    }

    /// <summary>
    /// Submits the actions as entity group transactions: grouped by partition, at most 100 a
    /// transaction, a few transactions at a time. Each transaction is all-or-nothing; a failed
    /// one throws <see cref="TableTransactionFailedException"/> after the others in flight end.
    /// </summary>
    public static async Task<int> SubmitInBatchesAsync(
        this TableClient table,
        IEnumerable<TableTransactionAction> actions,
        int parallelism,
        CancellationToken cancellationToken)
    {
        var batches = actions
            .GroupBy(a => a.Entity.PartitionKey, StringComparer.Ordinal)
            .SelectMany(g => g.Chunk(MaxBatchSize))
            .ToList();
        await Parallel.ForEachAsync(
            batches,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken },
            async (batch, ct) => await table.SubmitTransactionAsync(batch, ct));
        return batches.Count;
    }

    /// <summary>Every row that matches, following continuation tokens.</summary>
    public static async Task<List<TableEntity>> QueryAllAsync(
        this TableClient table,
        string filter,
        IEnumerable<string>? select,
        CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: select, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }
        return rows;
    }
}
