using System.Globalization;
using Azure.Data.Tables;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Bot.Terms;

/// <summary>
/// School settings (table "Schools", RK "settings") and terms (table "Terms", RK = term id),
/// both partitioned by school id. Settings hold no personal data, so reads need no access check.
/// </summary>
public sealed class SchoolCalendarStore(TableStorage storage, TimeProvider time)
{
    public const string SchoolsTable = "Schools";
    public const string TermsTable = "Terms";
    private const string SettingsRow = "settings";

    public async Task<SchoolSettings?> GetSettingsAsync(string schoolId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(SchoolsTable, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(schoolId, SettingsRow, cancellationToken: cancellationToken);
        return row.HasValue ? ToSettings(row.Value!) : null;
    }

    /// <summary>Every school that has settings, with them: for the timed jobs that visit each school.</summary>
    public async Task<IReadOnlyList<SchoolSettings>> AllSettingsAsync(CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(SchoolsTable, cancellationToken);
        return [.. (await table.QueryAllAsync(TableClient.CreateQueryFilter($"RowKey eq {SettingsRow}"), null, cancellationToken)).Select(ToSettings)];
    }

    /// <summary>Creates the settings; false when the school already has some (nothing is overwritten).</summary>
    public async Task<bool> CreateSettingsAsync(SchoolSettings settings, CancellationToken cancellationToken)
    {
        Check(settings.Problems());
        var table = await storage.GetTableAsync(SchoolsTable, cancellationToken);
        return await table.AddIfAbsentAsync(ToEntity(settings), cancellationToken);
    }

    /// <summary>Applies a change with optimistic concurrency; null when the school has no settings.</summary>
    public async Task<SchoolSettings?> UpdateSettingsAsync(string schoolId, Func<SchoolSettings, SchoolSettings> change, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(SchoolsTable, cancellationToken);
        var row = await table.UpdateOptimisticAsync(schoolId, SettingsRow, e =>
        {
            var changed = change(ToSettings(e)) with { SchoolId = schoolId };
            Check(changed.Problems());
            return ToEntity(changed);
        }, null, cancellationToken);
        return row is null ? null : ToSettings(row);
    }

    public async Task<IReadOnlyList<Term>> GetTermsAsync(string schoolId, string academicYear, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(TermsTable, cancellationToken);
        var rows = await table.QueryAllAsync(
            TableKeys.StartsWith(schoolId, academicYear + "-"),
            null, cancellationToken);
        return [.. rows.Select(ToTerm).OrderBy(t => t.Start)];
    }

    /// <summary>Every term the school has set up, oldest first.</summary>
    public async Task<IReadOnlyList<Term>> AllTermsAsync(string schoolId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(TermsTable, cancellationToken);
        var rows = await table.QueryAllAsync(TableClient.CreateQueryFilter($"PartitionKey eq {schoolId}"), null, cancellationToken);
        return [.. rows.Select(ToTerm).OrderBy(t => t.Start)];
    }

    /// <summary>The term today falls in, or the next one to start; null when none is set up.</summary>
    public async Task<Term?> CurrentOrNextTermAsync(string schoolId, CancellationToken cancellationToken)
    {
        var settings = await GetSettingsAsync(schoolId, cancellationToken);
        var today = SchoolClock.Today(time, settings?.TimeZone);
        var terms = await GetTermsAsync(schoolId, AcademicYears.For(today), cancellationToken);
        return terms.FirstOrDefault(t => t.End >= today);
    }

    /// <summary>
    /// Creates the terms that are not there yet, in one transaction per school; returns how many
    /// were new. A term that exists is left as it is, so running this twice changes nothing.
    /// </summary>
    public async Task<int> CreateTermsAsync(IReadOnlyList<Term> terms, CancellationToken cancellationToken)
    {
        foreach (var term in terms)
        {
            Check(term.Problems());
        }
        var table = await storage.GetTableAsync(TermsTable, cancellationToken);
        var created = 0;
        foreach (var school in terms.GroupBy(t => t.SchoolId))
        {
            var existing = (await table.QueryAllAsync(TableClient.CreateQueryFilter($"PartitionKey eq {school.Key}"), ["RowKey"], cancellationToken))
                .Select(e => e.RowKey).ToHashSet(StringComparer.Ordinal);
            var actions = school.Where(t => !existing.Contains(t.Id))
                .Select(t => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(t)))
                .ToList();
            // A 409 here means a concurrent create got there first; the caller may simply run again.
            await table.SubmitInBatchesAsync(actions, 1, cancellationToken);
            created += actions.Count;
        }
        return created;
    }

    public async Task<Term?> UpdateTermAsync(string schoolId, string termId, Func<Term, Term> change, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(TermsTable, cancellationToken);
        var row = await table.UpdateOptimisticAsync(schoolId, termId, e =>
        {
            var changed = change(ToTerm(e));
            if (changed.SchoolId != schoolId || changed.Id != termId)
            {
                throw new ArgumentException("A term's school, year and name cannot change.");
            }
            Check(changed.Problems());
            return ToEntity(changed);
        }, null, cancellationToken);
        return row is null ? null : ToTerm(row);
    }

    private static void Check(IReadOnlyList<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems));
        }
    }

    private static TableEntity ToEntity(SchoolSettings s) => new(s.SchoolId, SettingsRow)
    {
        ["Name"] = s.Name,
        ["TimeZone"] = s.TimeZone,
        ["SlotMinutes"] = (int)s.SlotLength.TotalMinutes,
        ["BufferMinutes"] = (int)s.Buffer.TotalMinutes,
        ["SchoolDayStart"] = Time(s.SchoolDayStart),
        ["SchoolDayEnd"] = Time(s.SchoolDayEnd),
        ["ExtendedDayStart"] = Time(s.ExtendedDayStart),
        ["ExtendedDayEnd"] = Time(s.ExtendedDayEnd),
        ["Contact"] = s.Contact,
    };

    private static SchoolSettings ToSettings(TableEntity e) => new(e.PartitionKey, e.GetString("Name") ?? "")
    {
        TimeZone = e.GetString("TimeZone") ?? "Europe/London",
        SlotLength = TimeSpan.FromMinutes(e.GetInt32("SlotMinutes") ?? 15),
        Buffer = TimeSpan.FromMinutes(e.GetInt32("BufferMinutes") ?? 10),
        SchoolDayStart = ParseTime(e.GetString("SchoolDayStart"), new(8, 45)),
        SchoolDayEnd = ParseTime(e.GetString("SchoolDayEnd"), new(15, 15)),
        ExtendedDayStart = ParseTime(e.GetString("ExtendedDayStart"), new(7, 45)),
        ExtendedDayEnd = ParseTime(e.GetString("ExtendedDayEnd"), new(18, 0)),
        Contact = e.GetString("Contact"),
        ETag = e.ETag.ToString(),
    };

    private static TableEntity ToEntity(Term t) => new(t.SchoolId, t.Id)
    {
        ["AcademicYear"] = t.AcademicYear,
        ["Name"] = t.Name.ToString(),
        ["Start"] = Date(t.Start),
        ["End"] = Date(t.End),
        ["HalfTermStart"] = Date(t.HalfTermStart),
        ["HalfTermEnd"] = Date(t.HalfTermEnd),
        ["Closures"] = string.Join(';', t.Closures.OrderBy(c => c.Date).Select(c => $"{Date(c.Date)} {c.Kind}")),
        ["MeetingWindowStart"] = Date(t.MeetingWindowStart),
        ["MeetingWindowEnd"] = Date(t.MeetingWindowEnd),
        ["Deadline"] = Date(t.Deadline),
    };

    private static Term ToTerm(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("AcademicYear") ?? "",
        Enum.Parse<TermName>(e.GetString("Name") ?? "Autumn"),
        ParseDate(e.GetString("Start")),
        ParseDate(e.GetString("End")),
        ParseDate(e.GetString("HalfTermStart")),
        ParseDate(e.GetString("HalfTermEnd")),
        [.. (e.GetString("Closures") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(c => c.Split(' ', 2))
            .Select(p => new Closure(ParseDate(p[0]), Enum.Parse<ClosureKind>(p[1])))],
        ParseDate(e.GetString("MeetingWindowStart")),
        ParseDate(e.GetString("MeetingWindowEnd")),
        ParseDate(e.GetString("Deadline")))
    {
        ETag = e.ETag.ToString(),
    };

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly ParseDate(string? s) => DateOnly.ParseExact(s ?? "", "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Time(TimeOnly t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static TimeOnly ParseTime(string? s, TimeOnly fallback) =>
        TimeOnly.TryParseExact(s, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : fallback;
}
