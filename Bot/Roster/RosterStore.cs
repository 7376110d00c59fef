using Azure.Data.Tables;
using SendPlans.Infrastructure.Storage;
using static SendPlans.Bot.Roster.RosterEntities;

namespace SendPlans.Bot.Roster;

/// <summary>
/// Pupils, contacts, year groups and plans of every school, each table partitioned by school
/// id. Every read names its reader and scope and passes <see cref="IRosterAccess"/> first.
/// Updates are read-change-write with the row's ETag, retried on conflict and never forced;
/// creates are idempotent.
/// </summary>
public sealed class RosterStore(TableStorage storage, IRosterAccess access, TimeProvider time)
{
    public TimeProvider Time { get; } = time;

    public async Task<Pupil?> GetPupilAsync(RosterReader reader, string schoolId, string upn, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(reader, new RosterScope.OnePupil(schoolId, upn), cancellationToken);
        var table = await storage.GetTableAsync(PupilsTable, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(schoolId, upn, cancellationToken: cancellationToken);
        return row.HasValue ? ToPupil(row.Value!) : null;
    }

    /// <summary>A pupil's current contacts, in priority order.</summary>
    public async Task<IReadOnlyList<Contact>> GetContactsAsync(RosterReader reader, string schoolId, string upn, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(reader, new RosterScope.OnePupil(schoolId, upn), cancellationToken);
        var table = await storage.GetTableAsync(ContactsTable, cancellationToken);
        var rows = await table.QueryAllAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {schoolId} and RowKey ge {upn + "-"} and RowKey lt {upn + "."} and Archived eq false"),
            null, cancellationToken);
        return [.. rows.Select(ToContact).OrderBy(c => c.Priority)];
    }

    /// <summary>A class's current pupils with their contacts: two queries, run side by side.</summary>
    public async Task<ClassRoster> GetClassAsync(RosterReader reader, string schoolId, string className, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(reader, new RosterScope.Class(schoolId, className), cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {schoolId} and Class eq {className} and Archived eq false");
        var pupilsTable = await storage.GetTableAsync(PupilsTable, cancellationToken);
        var contactsTable = await storage.GetTableAsync(ContactsTable, cancellationToken);
        var pupils = pupilsTable.QueryAllAsync(filter, null, cancellationToken);
        var contacts = contactsTable.QueryAllAsync(filter, null, cancellationToken);
        await Task.WhenAll(pupils, contacts);
        var byPupil = (await contacts).Select(ToContact).ToLookup(c => c.Upn, StringComparer.Ordinal);
        return new ClassRoster(schoolId, className, [.. (await pupils).Select(ToPupil)
            .OrderBy(p => p.LegalSurname, StringComparer.OrdinalIgnoreCase)
            .ThenBy(p => p.LegalForename, StringComparer.OrdinalIgnoreCase)
            .Select(p => new PupilWithContacts(p, [.. byPupil[p.Upn].OrderBy(c => c.Priority)]))]);
    }

    public async Task<IReadOnlyList<Pupil>> GetPupilsAsync(RosterReader reader, string schoolId, bool includeArchived, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(reader, new RosterScope.School(schoolId), cancellationToken);
        var table = await storage.GetTableAsync(PupilsTable, cancellationToken);
        var rows = await table.QueryAllAsync(SchoolFilter(schoolId, includeArchived), null, cancellationToken);
        return [.. rows.Select(ToPupil)];
    }

    public async Task<IReadOnlyList<Pupil>> GetYearGroupPupilsAsync(RosterReader reader, string schoolId, YearGroup yearGroup, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(reader, new RosterScope.Year(schoolId, yearGroup), cancellationToken);
        var table = await storage.GetTableAsync(PupilsTable, cancellationToken);
        var rows = await table.QueryAllAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {schoolId} and YearGroup eq {yearGroup.Code} and Archived eq false"), null, cancellationToken);
        return [.. rows.Select(ToPupil)];
    }

    public async Task<IReadOnlyList<Contact>> GetAllContactsAsync(RosterReader reader, string schoolId, bool includeArchived, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(reader, new RosterScope.School(schoolId), cancellationToken);
        var table = await storage.GetTableAsync(ContactsTable, cancellationToken);
        var rows = await table.QueryAllAsync(SchoolFilter(schoolId, includeArchived), null, cancellationToken);
        return [.. rows.Select(ToContact)];
    }

    public async Task<IReadOnlyList<YearGroupInfo>> GetYearGroupsAsync(RosterReader reader, string schoolId, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(reader, new RosterScope.School(schoolId), cancellationToken);
        var table = await storage.GetTableAsync(YearGroupsTable, cancellationToken);
        var rows = await table.QueryAllAsync(TableClient.CreateQueryFilter($"PartitionKey eq {schoolId}"), null, cancellationToken);
        return [.. rows.Select(ToYearGroup).OrderBy(y => y.YearGroup.Order)];
    }

    public async Task<Plan?> GetPlanAsync(RosterReader reader, string schoolId, string termId, string upn, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(reader, new RosterScope.OnePupil(schoolId, upn), cancellationToken);
        var table = await storage.GetTableAsync(PlansTable, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(schoolId, PlanKey(termId, upn), cancellationToken: cancellationToken);
        return row.HasValue ? ToPlan(row.Value!) : null;
    }

    public async Task<IReadOnlyList<Plan>> GetPlansAsync(RosterReader reader, string schoolId, string termId, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(reader, new RosterScope.School(schoolId), cancellationToken);
        var table = await storage.GetTableAsync(PlansTable, cancellationToken);
        var rows = await table.QueryAllAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {schoolId} and RowKey ge {termId + "|"} and RowKey lt {termId + "}"}"), null, cancellationToken);
        return [.. rows.Select(ToPlan)];
    }

    /// <summary>True when the school has any pupil row, current or archived.</summary>
    public async Task<bool> HasPupilsAsync(string schoolId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(PupilsTable, cancellationToken);
        await foreach (var _ in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {schoolId}"), maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            return true;
        }
        return false;
    }

    /// <summary>Changes a pupil; the school and UPN stay. Null when there is no such pupil.</summary>
    public async Task<Pupil?> UpdatePupilAsync(string schoolId, string upn, Func<Pupil, Pupil> change, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(PupilsTable, cancellationToken);
        var row = await table.UpdateOptimisticAsync(schoolId, upn,
            e => Revised(ToPupil(e), change(ToPupil(e)) with { SchoolId = schoolId, Upn = upn }, ToEntity, p => p.Revision, (p, r) => p with { Revision = r }),
            null, cancellationToken);
        return row is null ? null : ToPupil(row);
    }

    public async Task<Contact?> UpdateContactAsync(string schoolId, string upn, int priority, Func<Contact, Contact> change, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(ContactsTable, cancellationToken);
        var row = await table.UpdateOptimisticAsync(schoolId, ContactKey(upn, priority),
            e => Revised(ToContact(e), change(ToContact(e)) with { SchoolId = schoolId, Upn = upn, Priority = priority }, ToEntity, c => c.Revision, (c, r) => c with { Revision = r }),
            null, cancellationToken);
        return row is null ? null : ToContact(row);
    }

    public async Task<YearGroupInfo?> UpdateYearGroupAsync(string schoolId, YearGroup yearGroup, Func<YearGroupInfo, YearGroupInfo> change, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(YearGroupsTable, cancellationToken);
        var row = await table.UpdateOptimisticAsync(schoolId, yearGroup.Code,
            e => Revised(ToYearGroup(e), change(ToYearGroup(e)) with { SchoolId = schoolId, YearGroup = yearGroup }, ToEntity, y => y.Revision, (y, r) => y with { Revision = r }),
            null, cancellationToken);
        return row is null ? null : ToYearGroup(row);
    }

    /// <summary>Creates the plan, or returns the one already there: a retried create is harmless.</summary>
    public async Task<Plan> CreatePlanAsync(Plan plan, CancellationToken cancellationToken)
    {
        if (plan.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(plan));
        }
        var table = await storage.GetTableAsync(PlansTable, cancellationToken);
        var entity = ToEntity(plan with { Revision = 1 });
        if (await table.AddIfAbsentAsync(entity, cancellationToken))
        {
            return ToPlan(entity) with { ETag = null };
        }
        var existing = await table.GetEntityAsync<TableEntity>(plan.SchoolId, PlanKey(plan.TermId, plan.Upn), cancellationToken: cancellationToken);
        return ToPlan(existing.Value);
    }

    public async Task<Plan?> UpdatePlanAsync(string schoolId, string termId, string upn, Func<Plan, Plan> change, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(PlansTable, cancellationToken);
        var row = await table.UpdateOptimisticAsync(schoolId, PlanKey(termId, upn), e =>
        {
            var changed = change(ToPlan(e)) with { SchoolId = schoolId, TermId = termId, Upn = upn };
            if (changed.Problem() is { } problem)
            {
                throw new ArgumentException(problem, nameof(change));
            }
            return Revised(ToPlan(e), changed, ToEntity, p => p.Revision, (p, r) => p with { Revision = r });
        }, null, cancellationToken);
        return row is null ? null : ToPlan(row);
    }

    /// <summary>The row to write for a change, with the revision counted; null when no column would change.</summary>
    private static TableEntity? Revised<T>(T before, T after, Func<T, TableEntity> toEntity, Func<T, int> revision, Func<T, int, T> withRevision)
    {
        var old = toEntity(withRevision(before, 0));
        var changed = toEntity(withRevision(after, 0));
        var same = old.Count == changed.Count && old.All(kv => changed.TryGetValue(kv.Key, out var v) && Equals(kv.Value, v));
        return same ? null : toEntity(withRevision(after, revision(before) + 1));
    }

    private static string SchoolFilter(string schoolId, bool includeArchived) => includeArchived
        ? TableClient.CreateQueryFilter($"PartitionKey eq {schoolId}")
        : TableClient.CreateQueryFilter($"PartitionKey eq {schoolId} and Archived eq false");
}
