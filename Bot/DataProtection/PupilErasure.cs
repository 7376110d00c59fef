using Azure.Data.Tables;
using SendPlans.Bot.Roster;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Bot.DataProtection;

/// <summary>
/// A feature that keeps records about a pupil outside the roster (meetings, views, alerts)
/// registers one of these, so that erasure reaches every table.
/// </summary>
public interface IPupilDataEraser
{
    /// <summary>Deletes every record of the pupil this feature holds; returns how many rows went.</summary>
    Task<int> EraseAsync(string schoolId, string upn, CancellationToken cancellationToken);
}

/// <summary>
/// The eraser of features whose rows sit in the school's partition with the pupil's UPN in a
/// <c>Upn</c> column: every such row of each of its tables goes.
/// </summary>
public abstract class UpnColumnEraser(TableStorage storage, params string[] tables) : IPupilDataEraser
{
    public async Task<int> EraseAsync(string schoolId, string upn, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var name in tables)
        {
            var table = await storage.GetTableAsync(name, cancellationToken);
            var rows = await table.QueryAllAsync(TableClient.CreateQueryFilter($"PartitionKey eq {schoolId} and Upn eq {upn}"), ["PartitionKey", "RowKey"], cancellationToken);
            foreach (var row in rows)
            {
                await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken);
                deleted++;
            }
        }
        return deleted;
    }
}

/// <summary>The roster's own records of a pupil: the pupil row (with its contacts) and every plan.</summary>
public sealed class RosterPupilEraser(TableStorage storage) : IPupilDataEraser
{
    public async Task<int> EraseAsync(string schoolId, string upn, CancellationToken cancellationToken)
    {
        var deleted = 0;
        var pupils = await storage.GetTableAsync(RosterEntities.PupilsTable, cancellationToken);
        if ((await pupils.DeleteEntityAsync(schoolId, upn, cancellationToken: cancellationToken)).Status != 404)
        {
            deleted++;
        }
        var plans = await storage.GetTableAsync(RosterEntities.PlansTable, cancellationToken);
        var rows = await plans.QueryAllAsync(TableClient.CreateQueryFilter($"PartitionKey eq {schoolId}"), ["PartitionKey", "RowKey"], cancellationToken);
        foreach (var row in rows.Where(r => r.RowKey.EndsWith("|" + upn, StringComparison.Ordinal)))
        {
            await plans.DeleteEntityAsync(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken);
            deleted++;
        }
        return deleted;
    }
}

/// <summary>Removes every record of one pupil, on request or when the retention period ends.</summary>
public sealed class PupilErasure(IEnumerable<IPupilDataEraser> erasers, PlanAudit audit, ILogger<PupilErasure> logger)
{
    public async Task<int> EraseAsync(RosterReader by, string schoolId, string upn, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var eraser in erasers)
        {
            deleted += await eraser.EraseAsync(schoolId, upn, cancellationToken);
        }
        await audit.RecordAsync(by, PlanAuditAction.Erase, schoolId, "-", [upn], cancellationToken);
        Log.PupilErased(logger, deleted, by.Purpose);
        return deleted;
    }
}
