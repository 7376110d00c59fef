using Azure;
using Azure.Data.Tables;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Infrastructure.Jobs;

/// <summary>
/// A named lease in Azure Tables, so that of several instances only one runs a timed job at
/// a time. Taking and renewing are ETag-conditional writes: two instances racing for the
/// same lease cannot both win.
/// </summary>
public sealed class TableLeases(TableStorage storage, TimeProvider time)
{
    private const string Table = "Leases";
    private const string Partition = "lease";

    /// <summary>Takes the lease for <paramref name="duration"/>, or renews it if <paramref name="owner"/> holds it.</summary>
    public async Task<bool> TryAcquireAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var now = time.GetUtcNow();
        var existing = await table.GetEntityIfExistsAsync<TableEntity>(Partition, name, cancellationToken: cancellationToken);
        var lease = new TableEntity(Partition, name) { ["Owner"] = owner, ["ExpiresAt"] = now + duration };
        try
        {
            if (!existing.HasValue)
            {
                await table.AddEntityAsync(lease, cancellationToken);
                return true;
            }
            var current = existing.Value!;
            var heldByOther = current.GetString("Owner") != owner && current.GetDateTimeOffset("ExpiresAt") > now;
            if (heldByOther)
            {
                return false;
            }
            await table.UpdateEntityAsync(lease, current.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConflict() || e.IsPreconditionFailed())
        {
            return false; // another instance took it between our read and our write
        }
    }

    /// <summary>Gives the lease up early, if <paramref name="owner"/> still holds it.</summary>
    public async Task ReleaseAsync(string name, string owner, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var existing = await table.GetEntityIfExistsAsync<TableEntity>(Partition, name, cancellationToken: cancellationToken);
        if (!existing.HasValue || existing.Value!.GetString("Owner") != owner)
        {
            return;
        }
        try
        {
            await table.DeleteEntityAsync(Partition, name, existing.Value.ETag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.IsPreconditionFailed() || e.IsNotFound())
        {
        }
    }
}
