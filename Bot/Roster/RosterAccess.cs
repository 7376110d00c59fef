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

/// <summary>What kind of record a read returns: the roster (pupils, contacts, year groups) or plans.</summary>
public enum RosterData { Roster, Plan }

public sealed class RosterAccessDeniedException(string message) : Exception(message);

/// <summary>
/// The one check in front of every roster read: the store calls it before it touches a table,
/// and it throws <see cref="RosterAccessDeniedException"/> to refuse.
/// </summary>
public interface IRosterAccess
{
    ValueTask EnsureCanReadAsync(RosterReader reader, RosterScope scope, RosterData data, CancellationToken cancellationToken);
}

public static class RosterAccessExtensions
{
    /// <summary>Whether the rule would let <paramref name="reader"/> read this, asked up front so a page can leave out what the reader may not see instead of failing.</summary>
    public static async Task<bool> MayReadAsync(this IRosterAccess access, RosterReader reader, RosterScope scope, RosterData data, CancellationToken cancellationToken)
    {
        try
        {
            await access.EnsureCanReadAsync(reader, scope, data, cancellationToken);
            return true;
        }
        catch (RosterAccessDeniedException)
        {
            return false;
        }
    }
}
