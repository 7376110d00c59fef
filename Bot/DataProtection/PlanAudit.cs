using Azure.Data.Tables;
using SendPlans.Bot.Roster;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Bot.DataProtection;

public enum PlanAuditAction { Read, Create, Change, Erase }

/// <summary>One line of the audit: who, when, what they did to which plans. Never the plan's content.</summary>
public sealed record PlanAuditEntry(DateTimeOffset At, string Actor, PlanAuditAction Action, string TermId, string PupilRef);

/// <summary>
/// Who read or changed a plan, and when. Pupils are named by a pseudonymous reference (a
/// hash of school and UPN), so the audit outlives an erasure without keeping the pupil.
/// </summary>
public sealed class PlanAudit(TableStorage storage, TimeProvider time)
{
    public const string Table = "Audit";

    public static string PupilRef(string schoolId, string upn) => TableKeys.Hash($"{schoolId}|{upn}");

    public async Task RecordAsync(RosterReader actor, PlanAuditAction action, string schoolId, string termId, IReadOnlyCollection<string> upns, CancellationToken cancellationToken)
    {
        if (upns.Count == 0)
        {
            return;
        }
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var now = time.GetUtcNow();
        var who = actor.Staff is { } staff ? $"staff:{staff.EntraObjectId}" : $"system:{actor.Purpose}";
        // Newest first within the school: row keys count down.
        var stamp = (DateTimeOffset.MaxValue.UtcTicks - now.UtcTicks).ToString("D19");
        var rows = upns.Distinct().Select(upn => new TableEntity(schoolId, $"{stamp}-{Guid.NewGuid():N}")
        {
            ["At"] = now,
            ["Actor"] = who,
            ["Purpose"] = actor.Purpose,
            ["Action"] = action.ToString(),
            ["TermId"] = termId,
            ["PupilRef"] = PupilRef(schoolId, upn),
        });
        if (upns.Count == 1)
        {
            // One pupil (a plan card, a parent's page): a plain insert costs the table less than a one-row transaction.
            await table.AddEntityAsync(rows.Single(), cancellationToken);
            return;
        }
        await table.SubmitInBatchesAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)), parallelism: 1, cancellationToken);
    }

    public async Task<IReadOnlyList<PlanAuditEntry>> ForPupilAsync(string schoolId, string upn, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var reference = PupilRef(schoolId, upn);
        var result = new List<PlanAuditEntry>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {schoolId} and PupilRef eq {reference}"), cancellationToken: cancellationToken))
        {
            result.Add(new PlanAuditEntry(e.GetDateTimeOffset("At")!.Value, e.GetString("Actor")!, Enum.Parse<PlanAuditAction>(e.GetString("Action")!), e.GetString("TermId")!, reference));
        }
        return result;
    }
}
