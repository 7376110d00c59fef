using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using SendPlans.Infrastructure.BotFramework;

namespace SendPlans.Bot.Roster;

/// <summary>
/// How roster records map to table rows. Every table's partition key is the school id; the
/// row keys are the record's natural key, so a re-import finds the same row again.
/// </summary>
internal static class RosterEntities
{
    public const string PupilsTable = "Pupils";
    public const string ContactsTable = "Contacts";
    public const string YearGroupsTable = "YearGroups";
    public const string PlansTable = "Plans";

    public static string ContactKey(string upn, int priority) => $"{upn}-{priority:00}";

    public static string PlanKey(string termId, string upn) => $"{termId}|{upn}";

    public static TableEntity ToEntity(Pupil p) => new(p.SchoolId, p.Upn)
    {
        ["LegalForename"] = p.LegalForename,
        ["LegalSurname"] = p.LegalSurname,
        ["YearGroup"] = p.YearGroup.Code,
        ["Class"] = p.ClassName,
        ["SenStatus"] = p.SenStatus.ToString(),
        ["PrimaryNeed"] = p.PrimaryNeed.ToString(),
        ["Archived"] = p.IsArchived,
        ["ArchivedAt"] = p.ArchivedAt,
        ["Revision"] = p.Revision,
    };

    public static Pupil ToPupil(TableEntity e) => new(
        e.PartitionKey,
        e.RowKey,
        e.GetString("LegalForename") ?? "",
        e.GetString("LegalSurname") ?? "",
        YearGroup.Parse(e.GetString("YearGroup") ?? ""),
        e.GetString("Class") ?? "",
        Enum.Parse<SenStatus>(e.GetString("SenStatus") ?? "K"),
        Enum.Parse<NeedCode>(e.GetString("PrimaryNeed") ?? "OTH"))
    {
        ArchivedAt = e.GetDateTimeOffset("ArchivedAt"),
        Revision = e.GetInt32("Revision") ?? 0,
        ETag = e.ETag.ToString(),
    };

    public static TableEntity ToEntity(Contact c) => new(c.SchoolId, ContactKey(c.Upn, c.Priority))
    {
        ["Upn"] = c.Upn,
        ["Priority"] = c.Priority,
        ["Relationship"] = c.Relationship,
        ["ParentalResponsibility"] = c.ParentalResponsibility,
        ["Email"] = c.Email,
        ["Mobile"] = c.Mobile,
        ["Language"] = c.PreferredLanguage,
        ["InterpreterNeeded"] = c.InterpreterNeeded,
        ["Class"] = c.ClassName,
        ["AccessibilityNeeds"] = c.AccessibilityNeeds,
        ["HardToAttend"] = c.HardToAttend.Count == 0 ? null : string.Join(';', c.HardToAttend),
        ["PreferredChannel"] = c.PreferredChannel?.ToString(),
        ["Archived"] = c.IsArchived,
        ["ArchivedAt"] = c.ArchivedAt,
        ["Revision"] = c.Revision,
    };

    public static Contact ToContact(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("Upn") ?? "",
        e.GetInt32("Priority") ?? 1,
        e.GetString("Relationship") ?? "",
        e.GetBoolean("ParentalResponsibility") ?? false,
        e.GetString("Email"),
        e.GetString("Mobile"),
        e.GetString("Language") ?? "English",
        e.GetBoolean("InterpreterNeeded") ?? false)
    {
        ClassName = e.GetString("Class") ?? "",
        AccessibilityNeeds = e.GetString("AccessibilityNeeds"),
        HardToAttend = [.. (e.GetString("HardToAttend") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => WeeklyTime.TryParse(t, out var w) ? w : null).OfType<WeeklyTime>()],
        PreferredChannel = Enum.TryParse<PreferredChannel>(e.GetString("PreferredChannel"), out var channel) ? channel : null,
        ArchivedAt = e.GetDateTimeOffset("ArchivedAt"),
        Revision = e.GetInt32("Revision") ?? 0,
        ETag = e.ETag.ToString(),
    };

    public static TableEntity ToEntity(YearGroupInfo y) => new(y.SchoolId, y.YearGroup.Code)
    {
        ["Classes"] = string.Join(';', y.Classes),
        ["YearLeads"] = string.Join(';', y.YearLeadEntraIds),
        ["AlertChannel"] = y.AlertChannel is null ? null : JsonSerializer.Serialize(y.AlertChannel, BotJsonContext.Default.ConversationReference),
        ["AlertChannelIsPlaceholder"] = y.AlertChannelIsPlaceholder,
        ["Revision"] = y.Revision,
    };

    public static YearGroupInfo ToYearGroup(TableEntity e) => new(
        e.PartitionKey,
        YearGroup.Parse(e.RowKey),
        [.. StaffDirectory.SplitList(e.GetString("Classes"))],
        [.. StaffDirectory.SplitList(e.GetString("YearLeads"))])
    {
        AlertChannel = e.GetString("AlertChannel") is { Length: > 0 } json
            ? JsonSerializer.Deserialize(json, BotJsonContext.Default.ConversationReference)
            : null,
        AlertChannelIsPlaceholder = e.GetBoolean("AlertChannelIsPlaceholder") ?? false,
        Revision = e.GetInt32("Revision") ?? 0,
        ETag = e.ETag.ToString(),
    };

    public static TableEntity ToEntity(Plan p) => new(p.SchoolId, PlanKey(p.TermId, p.Upn))
    {
        ["Upn"] = p.Upn,
        ["TermId"] = p.TermId,
        ["Status"] = p.Status.ToString(),
        ["Targets"] = JsonSerializer.Serialize(p.Targets.Select(t => new StoredTarget(t.Text, t.Outcome)).ToList(), RosterJsonContext.Default.ListStoredTarget),
        ["Revision"] = p.Revision,
    };

    public static Plan ToPlan(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("Upn") ?? "",
        e.GetString("TermId") ?? "",
        Enum.Parse<PlanStatus>(e.GetString("Status") ?? "Draft"),
        [.. (JsonSerializer.Deserialize(e.GetString("Targets") ?? "[]", RosterJsonContext.Default.ListStoredTarget) ?? [])
            .Select(t => new PlanTarget(t.Text) { Outcome = t.Outcome })])
    {
        Revision = e.GetInt32("Revision") ?? 0,
        ETag = e.ETag.ToString(),
    };

    public static TableEntity ToEntity(StaffMember s, bool archived, DateTimeOffset? archivedAt, IReadOnlyList<YearGroup> yearGroupsLed) =>
        new(s.SchoolId, s.EntraObjectId)
        {
            ["Email"] = s.Email,
            ["DisplayName"] = s.DisplayName,
            ["Roles"] = string.Join(',', s.Roles.Order()),
            ["Classes"] = string.Join(',', s.Classes),
            ["YearGroupsLed"] = string.Join(',', yearGroupsLed.Select(y => y.Code)),
            ["Archived"] = archived,
            ["ArchivedAt"] = archivedAt,
        };

    public static TableEntity IndexEntity(string entraObjectId, string schoolId) =>
        new(entraObjectId, "school") { ["SchoolId"] = schoolId };

    public static IReadOnlyList<YearGroup> YearGroupsLed(TableEntity staff) =>
        [.. StaffDirectory.SplitList(staff.GetString("YearGroupsLed")).Select(YearGroup.Parse)];

    public static string Describe(DateTimeOffset at) => at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

internal sealed record StoredTarget(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("outcome")] string? Outcome);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<StoredTarget>))]
internal sealed partial class RosterJsonContext : JsonSerializerContext;
