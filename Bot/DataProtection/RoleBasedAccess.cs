using Azure.Data.Tables;
using SendPlans.Bot.Roster;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Bot.DataProtection;

/// <summary>
/// The one access rule for pupil data (special category data under UK GDPR art. 9):
/// a teacher or teaching assistant reads their own classes, a year lead their year, the SENCo
/// and SLT the whole school, an admin the roster but not plans. Nobody reads another school.
/// The bot's own work (import, jobs) reads as the system, for a named purpose.
/// </summary>
public sealed class RoleBasedAccess(TableStorage storage) : IRosterAccess
{
    public async ValueTask EnsureCanReadAsync(RosterReader reader, RosterScope scope, RosterData data, CancellationToken cancellationToken)
    {
        if (reader.Staff is not { } staff)
        {
            return;
        }
        if (!await CanReadAsync(staff, scope, data, cancellationToken))
        {
            throw new RosterAccessDeniedException(Explain(staff, scope, data));
        }
    }

    public async Task<bool> CanReadAsync(StaffMember staff, RosterScope scope, RosterData data, CancellationToken cancellationToken)
    {
        if (!string.Equals(staff.SchoolId, scope.SchoolId, StringComparison.Ordinal))
        {
            return false;
        }
        if (staff.Is(StaffRole.SENCo) || staff.Is(StaffRole.SLT))
        {
            return true;
        }
        if (staff.Is(StaffRole.Admin) && data == RosterData.Roster)
        {
            return true;
        }
        var inClasses = staff.Is(StaffRole.Teacher) || staff.Is(StaffRole.TeachingAssistant);
        if (!inClasses && !staff.Is(StaffRole.YearLead))
        {
            return false;
        }
        var (pupilYear, pupilClass) = scope switch
        {
            RosterScope.OnePupil one => await PupilPlaceAsync(one, cancellationToken),
            RosterScope.Class c => (null, c.ClassName),
            RosterScope.Year y => (y.YearGroup.Code, null),
            _ => ((string?)null, (string?)null),
        };
        if (scope is RosterScope.School || (pupilYear is null && pupilClass is null))
        {
            return false;
        }
        if (inClasses && pupilClass is not null
            && staff.Classes.Contains(pupilClass, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }
        if (staff.Is(StaffRole.YearLead))
        {
            var led = await YearsLedAsync(staff, cancellationToken);
            if (pupilYear is not null && led.Years.Contains(pupilYear))
            {
                return true;
            }
            if (pupilClass is not null && led.Classes.Contains(pupilClass))
            {
                return true;
            }
        }
        return false;
    }

    private async Task<(string? Year, string? Class)> PupilPlaceAsync(RosterScope.OnePupil pupil, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(RosterEntities.PupilsTable, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(pupil.SchoolId, pupil.Upn, ["YearGroup", "Class"], cancellationToken);
        return row.HasValue ? (row.Value!.GetString("YearGroup"), row.Value.GetString("Class")) : (null, null);
    }

    private async Task<(HashSet<string> Years, HashSet<string> Classes)> YearsLedAsync(StaffMember staff, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(RosterEntities.YearGroupsTable, cancellationToken);
        var years = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var classes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {staff.SchoolId}"), cancellationToken: cancellationToken))
        {
            var year = RosterEntities.ToYearGroup(row);
            if (year.YearLeadEntraIds.Contains(staff.EntraObjectId, StringComparer.OrdinalIgnoreCase))
            {
                years.Add(year.YearGroup.Code);
                classes.UnionWith(year.Classes);
            }
        }
        return (years, classes);
    }

    private static string Explain(StaffMember staff, RosterScope scope, RosterData data) =>
        staff.SchoolId != scope.SchoolId ? "Staff may read only their own school's records."
        : data == RosterData.Plan && staff.Is(StaffRole.Admin) && staff.Roles.Count == 1 ? "An admin may read the roster but not plans."
        : "This record is outside your classes and year groups.";
}
