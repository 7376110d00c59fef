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
    public const string YearGroupsTable = "YearGroups";
    public const string PlansTable = "Plans";

    public static string PlanKey(string termId, string upn) => $"{termId}|{upn}";

    /// <summary>A pupil's row: the pupil's columns and, in "Contacts", every contact (archived ones too).</summary>
    public static TableEntity ToEntity(Pupil p, IEnumerable<Contact> contacts) => new(p.SchoolId, p.Upn)
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
        ["Contacts"] = JsonSerializer.Serialize(contacts.OrderBy(c => c.Priority).Select(ToStored).ToList(), RosterJsonContext.Default.ListStoredContact),
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

    /// <summary>Every contact in a pupil's row, archived ones included, in priority order.</summary>
    public static List<Contact> ToContacts(TableEntity e) =>
        [.. (JsonSerializer.Deserialize(e.GetString("Contacts") ?? "[]", RosterJsonContext.Default.ListStoredContact) ?? [])
            .Select(c => new Contact(e.PartitionKey, e.RowKey, c.Priority, c.Relationship, c.ParentalResponsibility, c.Email, c.Mobile, c.Language, c.InterpreterNeeded)
            {
                AccessibilityNeeds = c.AccessibilityNeeds,
                HardToAttend = [.. (c.HardToAttend ?? []).Select(t => WeeklyTime.TryParse(t, out var w) ? w : null).OfType<WeeklyTime>()],
                PreferredChannel = Enum.TryParse<PreferredChannel>(c.PreferredChannel, out var channel) ? channel : null,
                ArchivedAt = c.ArchivedAt,
                ETag = e.ETag.ToString(),
            })
            .OrderBy(c => c.Priority)];

    private static StoredContact ToStored(Contact c) => new(
        c.Priority, c.Relationship, c.ParentalResponsibility, c.Email, c.Mobile, c.PreferredLanguage, c.InterpreterNeeded,
        c.AccessibilityNeeds, c.HardToAttend.Count == 0 ? null : [.. c.HardToAttend.Select(t => t.ToString())], c.PreferredChannel?.ToString(), c.ArchivedAt);

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

    public static TableEntity ToEntity(Plan p)
    {
        var entity = PlanColumns(p);
        if (p.PupilVoice is { Count: > 0 } voice)
        {
            entity["PupilVoice"] = JsonSerializer.Serialize(new SortedDictionary<string, string>(voice.ToDictionary(), StringComparer.Ordinal), RosterJsonContext.Default.SortedDictionaryStringString);
        }
        if (p.Agreed is { } agreed)
        {
            entity["Agreed"] = JsonSerializer.Serialize(new StoredAgreed([.. agreed.Targets], agreed.Notes, agreed.Revision, agreed.RecordedAt), RosterJsonContext.Default.StoredAgreed);
        }
        return entity;
    }

    private static TableEntity PlanColumns(Plan p) => new(p.SchoolId, PlanKey(p.TermId, p.Upn))
    {
        ["Upn"] = p.Upn,
        ["TermId"] = p.TermId,
        ["Status"] = p.Status.ToString(),
        ["Targets"] = JsonSerializer.Serialize(p.Targets.Select(t => new StoredTarget(t.Text, t.Outcome) { Area = t.AreaOfNeed, Help = t.HowSchoolHelps, Know = t.HowWeKnow }).ToList(), RosterJsonContext.Default.ListStoredTarget),
        ["Revision"] = p.Revision,
        // A count beside the targets, so a job can find the plans ready for parents without reading (and auditing) any plan.
        ["TargetCount"] = p.Targets.Count,
    };

    public static Plan ToPlan(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("Upn") ?? "",
        e.GetString("TermId") ?? "",
        Enum.Parse<PlanStatus>(e.GetString("Status") ?? "Draft"),
        [.. (JsonSerializer.Deserialize(e.GetString("Targets") ?? "[]", RosterJsonContext.Default.ListStoredTarget) ?? [])
            .Select(t => new PlanTarget(t.Text) { Outcome = t.Outcome, AreaOfNeed = t.Area, HowSchoolHelps = t.Help, HowWeKnow = t.Know })])
    {
        Revision = e.GetInt32("Revision") ?? 0,
        ETag = e.ETag.ToString(),
        PupilVoice = e.GetString("PupilVoice") is { } voice ? JsonSerializer.Deserialize(voice, RosterJsonContext.Default.SortedDictionaryStringString) : null,
        Agreed = e.GetString("Agreed") is { } json && JsonSerializer.Deserialize(json, RosterJsonContext.Default.StoredAgreed) is { } a
            ? new AgreedNotes(a.Targets, a.Notes, a.Revision, a.At)
            : null,
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
}

internal sealed record StoredContact(
    [property: JsonPropertyName("priority")] int Priority,
    [property: JsonPropertyName("relationship")] string Relationship,
    [property: JsonPropertyName("pr")] bool ParentalResponsibility,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("mobile")] string? Mobile,
    [property: JsonPropertyName("language")] string Language,
    [property: JsonPropertyName("interpreter")] bool InterpreterNeeded,
    [property: JsonPropertyName("access")] string? AccessibilityNeeds,
    [property: JsonPropertyName("hardToAttend")] List<string>? HardToAttend,
    [property: JsonPropertyName("channel")] string? PreferredChannel,
    [property: JsonPropertyName("archivedAt")] DateTimeOffset? ArchivedAt);

internal sealed record StoredTarget(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("outcome")] string? Outcome)
{
    [JsonPropertyName("area")] public string? Area { get; init; }
    [JsonPropertyName("help")] public string? Help { get; init; }
    [JsonPropertyName("know")] public string? Know { get; init; }
}

internal sealed record StoredAgreed(
    [property: JsonPropertyName("targets")] List<string> Targets,
    [property: JsonPropertyName("notes")] string Notes,
    [property: JsonPropertyName("revision")] int Revision,
    [property: JsonPropertyName("at")] DateTimeOffset At);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<StoredTarget>))]
[JsonSerializable(typeof(SortedDictionary<string, string>))]
[JsonSerializable(typeof(List<StoredContact>))]
[JsonSerializable(typeof(StoredAgreed))]
internal sealed partial class RosterJsonContext : JsonSerializerContext;
