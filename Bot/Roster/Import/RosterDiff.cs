using Azure;
using Azure.Data.Tables;
using static SendPlans.Bot.Roster.RosterEntities;

namespace SendPlans.Bot.Roster.Import;

/// <summary>A staff row as stored: the record, whether they left, and the row's ETag.</summary>
public sealed record StoredStaff(StaffRecord Record, DateTimeOffset? ArchivedAt, ETag ETag);

/// <summary>Everything an import compares against: the school's rows, archived ones included.</summary>
public sealed record StoredRoster(
    IReadOnlyList<PupilWithContacts> Pupils,
    IReadOnlyList<YearGroupInfo> YearGroups,
    IReadOnlyList<StoredStaff> Staff,
    IReadOnlyDictionary<string, string> StaffIndex);

/// <summary>The writes an import needs, by table, and what they mean to the admin.</summary>
public sealed record RosterChangeSet(
    IReadOnlyList<TableTransactionAction> Pupils,
    IReadOnlyList<TableTransactionAction> YearGroups,
    IReadOnlyList<TableTransactionAction> Staff,
    IReadOnlyList<string> IndexAdds,
    IReadOnlyList<string> IndexDeletes,
    IReadOnlyList<ImportChange> Changes,
    IReadOnlyList<ImportCounts> Counts,
    IReadOnlyList<ImportProblem> Problems)
{
    public int WriteCount => Pupils.Count + YearGroups.Count + Staff.Count + IndexAdds.Count + IndexDeletes.Count;
}

/// <summary>
/// Compares what the files say with what is stored and works out the fewest writes: rows that
/// match are not touched (so a re-import writes nothing), leavers are archived, returners are
/// restored. Every update carries the ETag that was read, so nothing written in between is lost.
/// Pure: the caller loads and writes.
/// </summary>
public static class RosterDiff
{
    public static RosterChangeSet Compute(RosterSnapshot snapshot, StoredRoster stored, DateTimeOffset now, string staffFileName = "staff.csv")
    {
        var changes = new List<ImportChange>();
        var counts = new List<ImportCounts>();
        var problems = new List<ImportProblem>();

        var pupilWrites = new List<TableTransactionAction>();
        var activePupils = snapshot.Pupils ?? [.. stored.Pupils.Where(p => !p.Pupil.IsArchived).Select(p => p.Pupil)];
        var (pupilCounts, contactCounts) = DiffPupilRows(snapshot, stored, activePupils, now, pupilWrites, changes);
        if (snapshot.Pupils is not null)
        {
            counts.Add(pupilCounts);
        }
        if (snapshot.Contacts is not null || contactCounts.Added + contactCounts.Changed + contactCounts.Archived > 0)
        {
            counts.Add(contactCounts);
        }

        var staffWrites = new List<TableTransactionAction>();
        var indexAdds = new List<string>();
        var indexDeletes = new List<string>();
        if (snapshot.Staff is not null)
        {
            foreach (var s in snapshot.Staff)
            {
                if (stored.StaffIndex.TryGetValue(s.Member.EntraObjectId, out var school) && school != snapshot.SchoolId)
                {
                    problems.Add(new ImportProblem(staffFileName, 0, $"{s.Member.Email} (Entra object ID {s.Member.EntraObjectId}) is already on the staff list of school '{school}'; a member of staff belongs to one school"));
                }
            }
            counts.Add(DiffStaff(snapshot.SchoolId, snapshot.Staff, stored, now, staffWrites, indexAdds, indexDeletes, changes));
        }
        var activeStaff = snapshot.Staff ?? [.. stored.Staff.Where(s => s.ArchivedAt is null).Select(s => s.Record)];

        var yearWrites = DiffYearGroups(snapshot.SchoolId, activePupils, activeStaff, stored.YearGroups);

        return new RosterChangeSet(pupilWrites, yearWrites, staffWrites, indexAdds, indexDeletes, changes, counts, problems);
    }

    /// <summary>
    /// One row per pupil, holding their contacts: the pupil's change and their contacts'
    /// changes become one write, so a leaver and their contacts are archived together.
    /// </summary>
    private static (ImportCounts Pupils, ImportCounts Contacts) DiffPupilRows(
        RosterSnapshot snapshot, StoredRoster stored, IReadOnlyList<Pupil> activePupils, DateTimeOffset now,
        List<TableTransactionAction> writes, List<ImportChange> changes)
    {
        var storedByUpn = stored.Pupils.ToDictionary(p => p.Pupil.Upn, StringComparer.Ordinal);
        var desiredByUpn = activePupils.ToDictionary(p => p.Upn, StringComparer.Ordinal);
        var desiredContacts = snapshot.Contacts?.ToLookup(c => c.Upn, StringComparer.Ordinal);
        var pupils = new Tally();
        var contacts = new Tally();
        var upns = activePupils.Select(p => p.Upn).Concat(stored.Pupils.Select(p => p.Pupil.Upn)).Distinct(StringComparer.Ordinal);
        foreach (var upn in upns)
        {
            storedByUpn.TryGetValue(upn, out var before);
            desiredByUpn.TryGetValue(upn, out var desired);
            Pupil next;
            if (desired is null)
            {
                next = before!.Pupil.IsArchived ? before.Pupil : before.Pupil with { ArchivedAt = now };
                if (!before.Pupil.IsArchived)
                {
                    changes.Add(new(RosterFileKind.Pupils, ChangeKind.Archived, upn));
                    pupils.Archived++;
                }
            }
            else if (before is null)
            {
                next = desired;
                changes.Add(new(RosterFileKind.Pupils, ChangeKind.Added, upn, $"year {desired.YearGroup}, class {desired.ClassName}"));
                pupils.Added++;
            }
            else
            {
                next = desired with { Revision = before.Pupil.Revision };
                if (before.Pupil.IsArchived)
                {
                    changes.Add(new(RosterFileKind.Pupils, ChangeKind.Returned, upn, $"year {desired.YearGroup}, class {desired.ClassName}"));
                    pupils.Added++;
                }
                else if (PupilDifference(before.Pupil, desired) is { } difference)
                {
                    changes.Add(new(RosterFileKind.Pupils, ChangeKind.Changed, upn, difference));
                    pupils.Changed++;
                }
                else
                {
                    pupils.Unchanged++;
                }
            }

            IReadOnlyList<Contact> previous = before?.Contacts ?? [];
            IEnumerable<Contact> wanted = next.IsArchived ? []
                : desiredContacts is null ? previous.Where(c => !c.IsArchived)
                : desiredContacts[upn];
            var after = MergeContacts(previous, wanted, now, reportEdits: desiredContacts is not null, changes, contacts);

            if (before is null)
            {
                writes.Add(new(TableTransactionActionType.Add, ToEntity(next with { Revision = 1 }, after)));
            }
            else if (!RosterStore.SameColumns(ToEntity(before.Pupil, previous), ToEntity(next with { Revision = before.Pupil.Revision }, after)))
            {
                writes.Add(Update(ToEntity(next with { Revision = before.Pupil.Revision + 1 }, after), before.Pupil.ETag));
            }
        }
        return (pupils.For(RosterFileKind.Pupils), contacts.For(RosterFileKind.Contacts));
    }

    /// <summary>
    /// A pupil's contacts after the import, matched by priority. The same person (same
    /// relationship) keeps what the parent told us since; a different person starts afresh.
    /// Contacts no longer listed are archived, not dropped.
    /// </summary>
    private static List<Contact> MergeContacts(
        IReadOnlyList<Contact> previous, IEnumerable<Contact> wanted, DateTimeOffset now, bool reportEdits, List<ImportChange> changes, Tally tally)
    {
        var byPriority = previous.ToDictionary(c => c.Priority);
        var result = new List<Contact>();
        foreach (var c in wanted)
        {
            if (!byPriority.TryGetValue(c.Priority, out var e))
            {
                result.Add(c);
                changes.Add(new(RosterFileKind.Contacts, ChangeKind.Added, Describe(c), c.Relationship));
                tally.Added++;
                continue;
            }
            var next = e.Relationship.Equals(c.Relationship, StringComparison.OrdinalIgnoreCase)
                ? e with
                {
                    Relationship = c.Relationship,
                    ParentalResponsibility = c.ParentalResponsibility,
                    Email = c.Email,
                    Mobile = c.Mobile,
                    PreferredLanguage = c.PreferredLanguage,
                    InterpreterNeeded = c.InterpreterNeeded,
                    ArchivedAt = null,
                }
                : c;
            result.Add(next);
            if (e.IsArchived)
            {
                changes.Add(new(RosterFileKind.Contacts, ChangeKind.Returned, Describe(c), c.Relationship));
                tally.Added++;
            }
            else if (reportEdits && ContactDifference(e, next) is { } difference)
            {
                changes.Add(new(RosterFileKind.Contacts, ChangeKind.Changed, Describe(c), difference));
                tally.Changed++;
            }
            else
            {
                tally.Unchanged++;
            }
        }
        var kept = result.Select(c => c.Priority).ToHashSet();
        foreach (var e in previous.Where(e => !kept.Contains(e.Priority)))
        {
            if (!e.IsArchived)
            {
                changes.Add(new(RosterFileKind.Contacts, ChangeKind.Archived, Describe(e)));
                tally.Archived++;
            }
            result.Add(e.IsArchived ? e : e with { ArchivedAt = now });
        }
        return [.. result.OrderBy(c => c.Priority)];
    }

    private sealed class Tally
    {
        public int Added { get; set; }
        public int Changed { get; set; }
        public int Archived { get; set; }
        public int Unchanged { get; set; }

        public ImportCounts For(RosterFileKind kind) => new(kind, Added, Changed, Archived, Unchanged);
    }

    private static string? PupilDifference(Pupil before, Pupil after)
    {
        var parts = new List<string>();
        if (before.LegalForename != after.LegalForename || before.LegalSurname != after.LegalSurname) parts.Add("legal name");
        if (before.YearGroup != after.YearGroup) parts.Add($"year {before.YearGroup} to {after.YearGroup}");
        if (before.ClassName != after.ClassName) parts.Add($"class {before.ClassName} to {after.ClassName}");
        if (before.SenStatus != after.SenStatus) parts.Add($"SEN status {before.SenStatus} to {after.SenStatus}");
        if (before.PrimaryNeed != after.PrimaryNeed) parts.Add($"primary need {before.PrimaryNeed} to {after.PrimaryNeed}");
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    private static string Describe(Contact c) => $"{c.Upn} #{c.Priority}";

    private static string? ContactDifference(Contact before, Contact after)
    {
        var parts = new List<string>();
        if (!before.Relationship.Equals(after.Relationship, StringComparison.Ordinal)) parts.Add("relationship");
        if (before.ParentalResponsibility != after.ParentalResponsibility) parts.Add("parental responsibility");
        if (before.Email != after.Email) parts.Add("email");
        if (before.Mobile != after.Mobile) parts.Add("mobile");
        if (before.PreferredLanguage != after.PreferredLanguage) parts.Add("language");
        if (before.InterpreterNeeded != after.InterpreterNeeded) parts.Add("interpreter needed");
        return parts.Count == 0 ? null : string.Join(", ", parts) + " changed";
    }

    private static ImportCounts DiffStaff(
        string schoolId,
        IReadOnlyList<StaffRecord> desired,
        StoredRoster stored,
        DateTimeOffset now,
        List<TableTransactionAction> writes,
        List<string> indexAdds,
        List<string> indexDeletes,
        List<ImportChange> changes)
    {
        var byId = stored.Staff.ToDictionary(s => s.Record.Member.EntraObjectId, StringComparer.Ordinal);
        int added = 0, changed = 0, archived = 0, unchanged = 0;
        foreach (var s in desired)
        {
            var id = s.Member.EntraObjectId;
            if (!stored.StaffIndex.ContainsKey(id))
            {
                indexAdds.Add(id);
            }
            if (!byId.TryGetValue(id, out var e))
            {
                writes.Add(new(TableTransactionActionType.Add, ToEntity(s.Member, false, null, s.YearGroupsLed)));
                changes.Add(new(RosterFileKind.Staff, ChangeKind.Added, s.Member.Email, string.Join(", ", s.Member.Roles.Order())));
                added++;
                continue;
            }
            var difference = StaffDifference(e.Record, s);
            if (e.ArchivedAt is null && difference is null)
            {
                unchanged++;
                continue;
            }
            writes.Add(Update(ToEntity(s.Member, false, null, s.YearGroupsLed), e.ETag));
            changes.Add(e.ArchivedAt is not null
                ? new(RosterFileKind.Staff, ChangeKind.Returned, s.Member.Email, string.Join(", ", s.Member.Roles.Order()))
                : new(RosterFileKind.Staff, ChangeKind.Changed, s.Member.Email, difference));
            if (e.ArchivedAt is not null) added++; else changed++;
        }
        var present = desired.Select(s => s.Member.EntraObjectId).ToHashSet(StringComparer.Ordinal);
        foreach (var e in stored.Staff.Where(e => e.ArchivedAt is null && !present.Contains(e.Record.Member.EntraObjectId)))
        {
            var member = e.Record.Member;
            writes.Add(Update(ToEntity(member, true, now, e.Record.YearGroupsLed), e.ETag));
            // Leavers lose access at once: the directory finds staff through the index.
            if (stored.StaffIndex.TryGetValue(member.EntraObjectId, out var school) && school == schoolId)
            {
                indexDeletes.Add(member.EntraObjectId);
            }
            changes.Add(new(RosterFileKind.Staff, ChangeKind.Archived, member.Email));
            archived++;
        }
        return new ImportCounts(RosterFileKind.Staff, added, changed, archived, unchanged);
    }

    private static string? StaffDifference(StaffRecord before, StaffRecord after)
    {
        var (b, a) = (before.Member, after.Member);
        var parts = new List<string>();
        if (!b.Email.Equals(a.Email, StringComparison.Ordinal)) parts.Add("email");
        if (b.DisplayName != a.DisplayName) parts.Add("name");
        if (!b.Roles.SetEquals(a.Roles)) parts.Add($"roles {string.Join("+", b.Roles.Order())} to {string.Join("+", a.Roles.Order())}");
        if (!b.Classes.SequenceEqual(a.Classes)) parts.Add($"classes {Or(string.Join("+", b.Classes))} to {Or(string.Join("+", a.Classes))}");
        if (!before.YearGroupsLed.SequenceEqual(after.YearGroupsLed)) parts.Add("year groups led");
        return parts.Count == 0 ? null : string.Join(", ", parts);

        static string Or(string s) => s.Length == 0 ? "none" : s;
    }

    private static List<TableTransactionAction> DiffYearGroups(
        string schoolId, IReadOnlyList<Pupil> pupils, IReadOnlyList<StaffRecord> staff, IReadOnlyList<YearGroupInfo> stored)
    {
        var writes = new List<TableTransactionAction>();
        var byYear = stored.ToDictionary(y => y.YearGroup);
        foreach (var year in YearGroup.All)
        {
            IReadOnlyList<string> classes = [.. pupils.Where(p => p.YearGroup == year).Select(p => p.ClassName)
                .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)];
            IReadOnlyList<string> leads = [.. staff.Where(s => s.Member.Is(StaffRole.YearLead) && s.YearGroupsLed.Contains(year))
                .Select(s => s.Member.EntraObjectId).Order(StringComparer.Ordinal)];
            if (!byYear.TryGetValue(year, out var e))
            {
                if (classes.Count > 0 || leads.Count > 0)
                {
                    writes.Add(new(TableTransactionActionType.Add, ToEntity(new YearGroupInfo(schoolId, year, classes, leads) { Revision = 1 })));
                }
                continue;
            }
            if (!e.Classes.SequenceEqual(classes) || !e.YearLeadEntraIds.SequenceEqual(leads))
            {
                // The alert channel is the admin's, not the MIS's: it stays.
                writes.Add(Update(ToEntity(e with { Classes = classes, YearLeadEntraIds = leads, Revision = e.Revision + 1 }), e.ETag));
            }
        }
        return writes;
    }

    private static TableTransactionAction Update(TableEntity entity, string? etag) =>
        new(TableTransactionActionType.UpdateReplace, entity, new ETag(etag ?? throw new InvalidOperationException("A stored row came without an ETag, so it cannot be updated safely.")));

    private static TableTransactionAction Update(TableEntity entity, ETag etag) =>
        new(TableTransactionActionType.UpdateReplace, entity, etag);
}
