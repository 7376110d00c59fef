using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Bot.Roster;

/// <summary>A teaching assistant reads the plans of their classes and captures the pupil's voice; the other roles are as their names say.</summary>
public enum StaffRole { Teacher, YearLead, SENCo, SLT, Admin, TeachingAssistant }

/// <summary>A member of staff as the bot knows them: enough to decide what they may do and see.</summary>
public sealed record StaffMember(
    string SchoolId,
    string EntraObjectId,
    string Email,
    string DisplayName,
    IReadOnlySet<StaffRole> Roles,
    IReadOnlyList<string> Classes)
{
    public string FirstName => DisplayName.Split(' ', 2)[0];

    public bool Is(StaffRole role) => Roles.Contains(role);

    /// <summary>
    /// The same member without the teaching assistant role: what they may do beyond reading and
    /// capturing the voice (change targets, follow up with parents) is what this member may read.
    /// </summary>
    public StaffMember BeyondTeachingAssistant() => this with { Roles = Roles.Where(r => r != StaffRole.TeachingAssistant).ToHashSet() };
}

/// <summary>
/// Finds staff by their Entra object id, the id Teams puts on every activity. The "StaffIndex"
/// table maps that id to the school; the staff record itself lives in the school's partition.
/// </summary>
public sealed class StaffDirectory(TableStorage storage, IMemoryCache cache)
{
    public const string StaffTable = "Staff";
    public const string IndexTable = "StaffIndex";
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    public async Task<StaffMember?> FindByEntraIdAsync(string? entraObjectId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(entraObjectId))
        {
            return null;
        }
        var id = entraObjectId.Trim().ToLowerInvariant();
        if (cache.TryGetValue(("staff", id), out StaffMember? cached))
        {
            return cached;
        }
        var index = await storage.GetTableAsync(IndexTable, cancellationToken);
        var entry = await index.GetEntityIfExistsAsync<TableEntity>(id, "school", cancellationToken: cancellationToken);
        StaffMember? member = null;
        if (entry.HasValue)
        {
            var schoolId = entry.Value!.GetString("SchoolId");
            var staff = await storage.GetTableAsync(StaffTable, cancellationToken);
            var row = await staff.GetEntityIfExistsAsync<TableEntity>(schoolId, id, cancellationToken: cancellationToken);
            member = row.HasValue ? FromEntity(row.Value!) : null;
        }
        cache.Set(("staff", id), member, CacheFor);
        return member;
    }

    /// <summary>Every member of staff of a school (a few dozen): for jobs that pick people by role.</summary>
    public Task<IReadOnlyList<StaffMember>> ForSchoolAsync(string schoolId, CancellationToken cancellationToken) =>
        ForSchoolAsync(storage, schoolId, cancellationToken);

    internal static async Task<IReadOnlyList<StaffMember>> ForSchoolAsync(TableStorage storage, string schoolId, CancellationToken cancellationToken)
    {
        var staff = await storage.GetTableAsync(StaffTable, cancellationToken);
        return [.. (await staff.QueryAllAsync(TableClient.CreateQueryFilter($"PartitionKey eq {schoolId}"), null, cancellationToken)).Select(FromEntity)];
    }

    internal static StaffMember FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.RowKey,
        e.GetString("Email") ?? "",
        e.GetString("DisplayName") ?? "",
        SplitList(e.GetString("Roles")).Select(r => Enum.Parse<StaffRole>(r, ignoreCase: true)).ToHashSet(),
        SplitList(e.GetString("Classes")).ToList());

    internal static IEnumerable<string> SplitList(string? value) =>
        (value ?? "").Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
