namespace SendPlans.Bot.Roster;

/// <summary>
/// Who is reading roster data, and why. Staff reads carry the member; the bot's own work
/// (import, jobs) names its purpose instead.
/// </summary>
public sealed record RosterReader(string Purpose, StaffMember? Staff)
{
    public static RosterReader System(string purpose) => new(purpose, null);

    public static RosterReader For(StaffMember staff, string purpose) => new(purpose, staff);
}

/// <summary>What a read touches: the narrowest of school, year group, class or one pupil.</summary>
public abstract record RosterScope(string SchoolId)
{
    public sealed record School(string Id) : RosterScope(Id);

    public sealed record Year(string Id, YearGroup YearGroup) : RosterScope(Id);

    public sealed record Class(string Id, string ClassName) : RosterScope(Id);

    public sealed record OnePupil(string Id, string Upn) : RosterScope(Id);
}

public sealed class RosterAccessDeniedException(string message) : Exception(message);

/// <summary>
/// The one check in front of every roster read: the store calls it before it touches a table,
/// and it throws <see cref="RosterAccessDeniedException"/> to refuse.
/// </summary>
public interface IRosterAccess
{
    ValueTask EnsureCanReadAsync(RosterReader reader, RosterScope scope, CancellationToken cancellationToken);
}

/// <summary>
/// The baseline: staff read only their own school. Per-role rules (teacher: own class; year
/// lead: own year; SENCo/SLT: school) replace this registration.
/// </summary>
public sealed class SchoolBoundaryAccess : IRosterAccess
{
    public ValueTask EnsureCanReadAsync(RosterReader reader, RosterScope scope, CancellationToken cancellationToken)
    {
        if (reader.Staff is { } staff && !string.Equals(staff.SchoolId, scope.SchoolId, StringComparison.Ordinal))
        {
            throw new RosterAccessDeniedException("Staff may read only their own school's roster.");
        }
        return ValueTask.CompletedTask;
    }
}
