using Azure;
using Azure.Data.Tables;
using SendPlans.Infrastructure.Storage;
using static SendPlans.Bot.Roster.RosterEntities;

namespace SendPlans.Bot.Roster.Import;

/// <summary>
/// Imports a school's roster files: read, validate (all or nothing), compare with the store,
/// then write only the differences in partition transactions of up to 100 rows. When another
/// writer changes a row in between, the comparison is made again; it is never overwritten.
/// </summary>
public sealed class RosterImporter(TableStorage storage, RosterStore store, TimeProvider time, ILogger<RosterImporter> logger)
{
    /// <summary>Transactions in flight at once: Azure Tables and Azurite both take a handful well.</summary>
    public const int WriteParallelism = 8;
    private const int MaxAttempts = 3;
    private static readonly RosterReader Reader = RosterReader.System("roster import");

    public async Task<ImportReport> ImportAsync(string schoolId, IReadOnlyList<RosterFileInput> files, bool dryRun, CancellationToken cancellationToken)
    {
        var names = files.Select(f => f.Name).ToList();
        var (parsed, readProblems) = RosterCsv.Read(files);
        if (readProblems.Count > 0)
        {
            Log.ImportRefused(logger, schoolId, readProblems.Count);
            return ImportReport.Refused(schoolId, dryRun, names, readProblems);
        }
        var described = parsed.Select(f => $"{f.Name} ({RosterCsv.Describe(f.Kind)}, {f.Rows.Count} rows)").ToList();
        IReadOnlyList<Pupil> storedPupils = parsed.Any(f => f.Kind == RosterFileKind.Pupils)
            ? []
            : await store.GetPupilsAsync(Reader, schoolId, includeArchived: false, cancellationToken);
        var (snapshot, problems) = RosterValidator.Validate(schoolId, parsed, storedPupils);
        if (snapshot is null)
        {
            Log.ImportRefused(logger, schoolId, problems.Count);
            return ImportReport.Refused(schoolId, dryRun, described, problems);
        }
        var staffFile = parsed.FirstOrDefault(f => f.Kind == RosterFileKind.Staff)?.Name ?? "staff.csv";
        return await ApplyAsync(snapshot, dryRun, cancellationToken, staffFile) with { Files = described };
    }

    /// <summary>Makes the store match a validated snapshot (the import and the demo school both end here).</summary>
    public async Task<ImportReport> ApplyAsync(RosterSnapshot snapshot, bool dryRun, CancellationToken cancellationToken, string staffFileName = "staff.csv")
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await LoadAsync(snapshot, cancellationToken);
            var changes = RosterDiff.Compute(snapshot, stored, time.GetUtcNow(), staffFileName);
            var report = new ImportReport(snapshot.SchoolId, dryRun, [], changes.Problems, changes.Changes, changes.Counts);
            if (changes.Problems.Count > 0)
            {
                Log.ImportRefused(logger, snapshot.SchoolId, changes.Problems.Count);
                return report with { Changes = [], Counts = [] };
            }
            if (dryRun || changes.WriteCount == 0)
            {
                return report;
            }
            try
            {
                await WriteAsync(snapshot.SchoolId, changes, cancellationToken);
                Log.ImportApplied(logger, snapshot.SchoolId, changes.Changes.Count, changes.WriteCount);
                return report;
            }
            catch (Exception e) when (IsRace(e) && attempt < MaxAttempts)
            {
                Log.ImportRaced(logger, snapshot.SchoolId, attempt);
            }
            catch (Exception e) when (IsRace(e))
            {
                Log.ImportRaced(logger, snapshot.SchoolId, attempt);
                return ImportReport.Refused(snapshot.SchoolId, dryRun, [], [new ImportProblem("(store)", 0,
                    "the roster kept changing while it was being imported; some changes may be in, none were overwritten: run the import again")]);
            }
        }
    }

    private static bool IsRace(Exception e) =>
        e is TableTransactionFailedException { Status: 409 or 412 } or RequestFailedException { Status: 409 or 412 };

    private async Task<StoredRoster> LoadAsync(RosterSnapshot snapshot, CancellationToken cancellationToken)
    {
        var schoolId = snapshot.SchoolId;
        var pupils = store.GetPupilsWithContactsAsync(Reader, schoolId, includeArchived: true, cancellationToken);
        var years = store.GetYearGroupsAsync(Reader, schoolId, cancellationToken);
        var staff = LoadStaffAsync(schoolId, cancellationToken);
        await Task.WhenAll(pupils, years, staff);
        var ids = (snapshot.Staff ?? []).Select(s => s.Member.EntraObjectId)
            .Concat((await staff).Select(s => s.Record.Member.EntraObjectId))
            .Distinct(StringComparer.Ordinal);
        var index = await LoadIndexAsync(ids, cancellationToken);
        return new StoredRoster(await pupils, await years, await staff, index);
    }

    private async Task<List<StoredStaff>> LoadStaffAsync(string schoolId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(StaffDirectory.StaffTable, cancellationToken);
        var rows = await table.QueryAllAsync(TableClient.CreateQueryFilter($"PartitionKey eq {schoolId}"), null, cancellationToken);
        return [.. rows.Select(e => new StoredStaff(
            new StaffRecord(StaffDirectory.FromEntity(e), YearGroupsLed(e)),
            e.GetBoolean("Archived") == true ? e.GetDateTimeOffset("ArchivedAt") ?? DateTimeOffset.MinValue : null,
            e.ETag))];
    }

    private async Task<Dictionary<string, string>> LoadIndexAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(StaffDirectory.IndexTable, cancellationToken);
        var index = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = WriteParallelism, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(id, "school", cancellationToken: ct);
            if (row.HasValue && row.Value!.GetString("SchoolId") is { } school)
            {
                index[id] = school;
            }
        });
        return new Dictionary<string, string>(index, StringComparer.Ordinal);
    }

    private async Task WriteAsync(string schoolId, RosterChangeSet changes, CancellationToken cancellationToken)
    {
        var pupils = await storage.GetTableAsync(PupilsTable, cancellationToken);
        var years = await storage.GetTableAsync(YearGroupsTable, cancellationToken);
        var staff = await storage.GetTableAsync(StaffDirectory.StaffTable, cancellationToken);
        var index = await storage.GetTableAsync(StaffDirectory.IndexTable, cancellationToken);
        await pupils.SubmitInBatchesAsync(changes.Pupils, WriteParallelism, cancellationToken);
        await Task.WhenAll(
            years.SubmitInBatchesAsync(changes.YearGroups, 1, cancellationToken),
            staff.SubmitInBatchesAsync(changes.Staff, 1, cancellationToken));
        // Index rows are one partition each (the Entra id), so they go one by one; an add that
        // finds the row there already is what a retried import expects.
        foreach (var id in changes.IndexAdds)
        {
            await index.AddIfAbsentAsync(IndexEntity(id, schoolId), cancellationToken);
        }
        foreach (var id in changes.IndexDeletes)
        {
            await index.DeleteEntityAsync(id, "school", ETag.All, cancellationToken);
        }
    }
}
