using Azure.Data.Tables;
using SendPlans.Bot.DataProtection;
using SendPlans.Infrastructure.Storage;
using static SendPlans.Bot.Roster.RosterEntities;

namespace SendPlans.Bot.Roster;

/// <summary>
/// Pupils, contacts, year groups and plans of every school, each table partitioned by school
/// id. Every read, and every plan write, names its reader and scope and passes <see cref="IRosterAccess"/>
/// first: whoever may not read a plan may not write it either.
/// Updates are read-change-write with the row's ETag, retried on conflict and never forced;
/// creates are idempotent.
/// </summary>
public sealed class RosterStore(TableStorage storage, IRosterAccess access, PlanAudit audit)
{
    public async Task<Pupil?> GetPupilAsync(RosterReader reader, string schoolId, string upn, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(reader, new RosterScope.OnePupil(schoolId, upn), RosterData.Roster, cancellationToken);
        var table = await storage.GetTableAsync(PupilsTable, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(schoolId, upn, cancellationToken: cancellationToken);
        return row.HasValue ? ToPupil(row.Value!) : null;
    }

    /// <summary>A pupil's current contacts, in priority order.</summary>
    public async Task<IReadOnlyList<Contact>> GetContactsAsync(RosterReader reader, string schoolId, string upn, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(reader, new RosterScope.OnePupil(schoolId, upn), RosterData.Roster, cancellationToken);
        var table = await storage.GetTableAsync(PupilsTable, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(schoolId, upn, cancellationToken: cancellationToken);
        return row.HasValue ? [.. ToContacts(row.Value!).Where(c => !c.IsArchived)] : [];
    }

    /// <summary>A pupil with their current contacts, from the one row that holds both; null when there is no such pupil.</summary>
    public async Task<PupilWithContacts?> GetPupilWithContactsAsync(RosterReader reader, string schoolId, string upn, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(reader, new RosterScope.OnePupil(schoolId, upn), RosterData.Roster, cancellationToken);
        var table = await storage.GetTableAsync(PupilsTable, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(schoolId, upn, cancellationToken: cancellationToken);
        return row.HasValue ? new PupilWithContacts(ToPupil(row.Value!), [.. ToContacts(row.Value!).Where(c => !c.IsArchived)]) : null;
    }

    /// <summary>
    /// A class's current pupils with their current contacts: one query, since contacts live in
    /// their pupil's row. The class is the first test in the filter: most rows fail it at once.
    /// </summary>
    public async Task<ClassRoster> GetClassAsync(RosterReader reader, string schoolId, string className, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(reader, new RosterScope.Class(schoolId, className), RosterData.Roster, cancellationToken);
        var table = await storage.GetTableAsync(PupilsTable, cancellationToken);
        var rows = await table.QueryAllAsync(
            TableClient.CreateQueryFilter($"Class eq {className} and PartitionKey eq {schoolId} and Archived eq false"), null, cancellationToken);
        return new ClassRoster(schoolId, className, [.. rows
            .Select(e => new PupilWithContacts(ToPupil(e), [.. ToContacts(e).Where(c => !c.IsArchived)]))
            .OrderBy(p => p.Pupil.LegalSurname, StringComparer.OrdinalIgnoreCase)
            .ThenBy(p => p.Pupil.LegalForename, StringComparer.OrdinalIgnoreCase)]);
    }

    public async Task<IReadOnlyList<Pupil>> GetPupilsAsync(RosterReader reader, string schoolId, bool includeArchived, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(reader, new RosterScope.School(schoolId), RosterData.Roster, cancellationToken);
        var table = await storage.GetTableAsync(PupilsTable, cancellationToken);
        var rows = await table.QueryAllAsync(SchoolFilter(schoolId, includeArchived), null, cancellationToken);
        return [.. rows.Select(ToPupil)];
    }

    public async Task<IReadOnlyList<Pupil>> GetYearGroupPupilsAsync(RosterReader reader, string schoolId, YearGroup yearGroup, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(reader, new RosterScope.Year(schoolId, yearGroup), RosterData.Roster, cancellationToken);
        var table = await storage.GetTableAsync(PupilsTable, cancellationToken);
        var rows = await table.QueryAllAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {schoolId} and YearGroup eq {yearGroup.Code} and Archived eq false"), null, cancellationToken);
        return [.. rows.Select(ToPupil)];
    }

    /// <summary>
    /// Every pupil with their contacts. With <paramref name="includeArchived"/>, leavers and
    /// archived contacts too (the import compares against those); without, current ones only.
    /// </summary>
    public async Task<IReadOnlyList<PupilWithContacts>> GetPupilsWithContactsAsync(RosterReader reader, string schoolId, bool includeArchived, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(reader, new RosterScope.School(schoolId), RosterData.Roster, cancellationToken);
        var table = await storage.GetTableAsync(PupilsTable, cancellationToken);
        var rows = await table.QueryAllAsync(SchoolFilter(schoolId, includeArchived), null, cancellationToken);
        return [.. rows.Select(e => new PupilWithContacts(ToPupil(e), [.. ToContacts(e).Where(c => includeArchived || !c.IsArchived)]))];
    }

    public async Task<IReadOnlyList<YearGroupInfo>> GetYearGroupsAsync(RosterReader reader, string schoolId, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(reader, new RosterScope.School(schoolId), RosterData.Roster, cancellationToken);
        var table = await storage.GetTableAsync(YearGroupsTable, cancellationToken);
        var rows = await table.QueryAllAsync(TableClient.CreateQueryFilter($"PartitionKey eq {schoolId}"), null, cancellationToken);
        return [.. rows.Select(ToYearGroup).OrderBy(y => y.YearGroup.Order)];
    }

    public async Task<Plan?> GetPlanAsync(RosterReader reader, string schoolId, string termId, string upn, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(reader, new RosterScope.OnePupil(schoolId, upn), RosterData.Plan, cancellationToken);
        var table = await storage.GetTableAsync(PlansTable, cancellationToken);
        // The read is audited as it is made, not after it: the reader waits for one storage round
        // trip instead of two (a parent's page, the teacher's plan card). So the audit holds every
        // attempt, including one that found no plan; if the audit cannot be written, nothing is returned.
        var read = table.GetEntityIfExistsAsync<TableEntity>(schoolId, PlanKey(termId, upn), cancellationToken: cancellationToken);
        var audited = audit.RecordAsync(reader, PlanAuditAction.Read, schoolId, termId, [upn], cancellationToken);
        await Task.WhenAll(read, audited);
        var row = await read;
        return row.HasValue ? ToPlan(row.Value!) : null;
    }

    public async Task<IReadOnlyList<Plan>> GetPlansAsync(RosterReader reader, string schoolId, string termId, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(reader, new RosterScope.School(schoolId), RosterData.Plan, cancellationToken);
        var table = await storage.GetTableAsync(PlansTable, cancellationToken);
        var rows = await table.QueryAllAsync(
            TableKeys.StartsWith(schoolId, termId + "|"), null, cancellationToken);
        var plans = rows.Select(ToPlan).ToList();
        await audit.RecordAsync(reader, PlanAuditAction.Read, schoolId, termId, [.. plans.Select(p => p.Upn)], cancellationToken);
        return plans;
    }

    /// <summary>
    /// The pupils whose plan for the term has at least <paramref name="minimum"/> targets. Only
    /// the plan rows' UPN and target count are read, none of a plan's content, so the read is
    /// checked against the reader's access but not written to the plan audit.
    /// </summary>
    public async Task<IReadOnlySet<string>> GetPupilsWithTargetsAsync(RosterReader reader, string schoolId, string termId, int minimum, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(reader, new RosterScope.School(schoolId), RosterData.Plan, cancellationToken);
        var table = await storage.GetTableAsync(PlansTable, cancellationToken);
        var rows = await table.QueryAllAsync(
            TableKeys.StartsWith(schoolId, termId + "|") + " and " + TableClient.CreateQueryFilter($"TargetCount ge {minimum}"),
            ["Upn"], cancellationToken);
        return rows.Select(r => r.GetString("Upn")).OfType<string>().ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Each plan's status for the term, by UPN: the status column only, none of a plan's content,
    /// so the read is checked against the reader's access but not written to the plan audit.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, PlanStatus>> GetPlanStatusesAsync(RosterReader reader, string schoolId, string termId, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(reader, new RosterScope.School(schoolId), RosterData.Plan, cancellationToken);
        var table = await storage.GetTableAsync(PlansTable, cancellationToken);
        var rows = await table.QueryAllAsync(
            TableKeys.StartsWith(schoolId, termId + "|"), ["Upn", "Status"], cancellationToken);
        return rows.Where(r => r.GetString("Upn") is not null)
            .ToDictionary(r => r.GetString("Upn")!, r => Enum.TryParse<PlanStatus>(r.GetString("Status"), out var status) ? status : PlanStatus.Draft, StringComparer.Ordinal);
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

    /// <summary>Changes a pupil; the school and UPN stay, and so do the contacts. Null when there is no such pupil.</summary>
    public async Task<Pupil?> UpdatePupilAsync(string schoolId, string upn, Func<Pupil, Pupil> change, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(PupilsTable, cancellationToken);
        var row = await table.UpdateOptimisticAsync(schoolId, upn, e =>
        {
            var contacts = ToContacts(e);
            return Revised(ToPupil(e), change(ToPupil(e)) with { SchoolId = schoolId, Upn = upn }, p => ToEntity(p, contacts), p => p.Revision, (p, r) => p with { Revision = r });
        }, null, cancellationToken);
        return row is null ? null : ToPupil(row);
    }

    /// <summary>Changes one contact, in its pupil's row. Null when there is no such pupil or contact.</summary>
    public async Task<Contact?> UpdateContactAsync(string schoolId, string upn, int priority, Func<Contact, Contact> change, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(PupilsTable, cancellationToken);
        var found = false;
        var row = await table.UpdateOptimisticAsync(schoolId, upn, e =>
        {
            var contacts = ToContacts(e);
            var index = contacts.FindIndex(c => c.Priority == priority);
            found = index >= 0;
            if (!found)
            {
                return null;
            }
            var changed = contacts.ToList();
            changed[index] = change(contacts[index]) with { SchoolId = schoolId, Upn = upn, Priority = priority };
            var pupil = ToPupil(e);
            var after = ToEntity(pupil, changed);
            return SameColumns(ToEntity(pupil, contacts), after) ? null : ToEntity(pupil with { Revision = pupil.Revision + 1 }, changed);
        }, null, cancellationToken);
        return row is null || !found ? null : ToContacts(row).Single(c => c.Priority == priority);
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
    public async Task<Plan> CreatePlanAsync(RosterReader by, Plan plan, CancellationToken cancellationToken)
    {
        if (await AddPlanAsync(by, plan, cancellationToken) is { } created)
        {
            return created;
        }
        var table = await storage.GetTableAsync(PlansTable, cancellationToken);
        var existing = await table.GetEntityAsync<TableEntity>(plan.SchoolId, PlanKey(plan.TermId, plan.Upn), cancellationToken: cancellationToken);
        return ToPlan(existing.Value);
    }

    /// <summary>Creates the plan; null when there is one already, which is left as it is.</summary>
    public async Task<Plan?> AddPlanAsync(RosterReader by, Plan plan, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(by, new RosterScope.OnePupil(plan.SchoolId, plan.Upn), RosterData.Plan, cancellationToken);
        if (plan.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(plan));
        }
        var table = await storage.GetTableAsync(PlansTable, cancellationToken);
        var entity = ToEntity(plan with { Revision = 1 });
        if (!await table.AddIfAbsentAsync(entity, cancellationToken))
        {
            return null;
        }
        await audit.RecordAsync(by, PlanAuditAction.Create, plan.SchoolId, plan.TermId, [plan.Upn], cancellationToken);
        return ToPlan(entity) with { ETag = null };
    }

    public async Task<Plan?> UpdatePlanAsync(RosterReader by, string schoolId, string termId, string upn, Func<Plan, Plan> change, CancellationToken cancellationToken)
    {
        await access.EnsureCanReadAsync(by, new RosterScope.OnePupil(schoolId, upn), RosterData.Plan, cancellationToken);
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
        if (row is not null)
        {
            await audit.RecordAsync(by, PlanAuditAction.Change, schoolId, termId, [upn], cancellationToken);
        }
        return row is null ? null : ToPlan(row);
    }

    /// <summary>The row to write for a change, with the revision counted; null when no column would change.</summary>
    private static TableEntity? Revised<T>(T before, T after, Func<T, TableEntity> toEntity, Func<T, int> revision, Func<T, int, T> withRevision) =>
        SameColumns(toEntity(withRevision(before, 0)), toEntity(withRevision(after, 0))) ? null : toEntity(withRevision(after, revision(before) + 1));

    internal static bool SameColumns(TableEntity a, TableEntity b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && Equals(kv.Value, v));

    private static string SchoolFilter(string schoolId, bool includeArchived) => includeArchived
        ? TableClient.CreateQueryFilter($"PartitionKey eq {schoolId}")
        : TableClient.CreateQueryFilter($"PartitionKey eq {schoolId} and Archived eq false");
}
