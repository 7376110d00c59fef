using System.Globalization;
using SendPlans.Infrastructure.BotFramework;

namespace SendPlans.Bot.Roster;

/// <summary>K = SEN support, E = education, health and care plan.</summary>
public enum SenStatus { K, E }

/// <summary>The DfE primary need codes.</summary>
public enum NeedCode { SPLD, MLD, SLD, PMLD, SEMH, SLCN, HI, VI, MSI, PD, ASD, OTH, NSA }

public enum PreferredChannel { Email, Sms, Phone, Letter }

/// <summary>
/// A pupil on the SEN roster. The key stage follows from the year group. A pupil who left is
/// archived (kept, flagged, dated), never deleted by an import.
/// </summary>
public sealed record Pupil(
    string SchoolId,
    string Upn,
    string LegalForename,
    string LegalSurname,
    YearGroup YearGroup,
    string ClassName,
    SenStatus SenStatus,
    NeedCode PrimaryNeed)
{
    public KeyStage KeyStage => YearGroup.KeyStage;

    public DateTimeOffset? ArchivedAt { get; init; }

    public bool IsArchived => ArchivedAt is not null;

    /// <summary>How many times the stored row has been changed; 1 after create.</summary>
    public int Revision { get; init; }

    public string? ETag { get; init; }
}

/// <summary>A time in the week a parent finds hard to attend: "Mon 08:30-09:30", or "Any 15:00-16:00" for every weekday.</summary>
public sealed record WeeklyTime(DayOfWeek? Day, TimeOnly From, TimeOnly To)
{
    public override string ToString() =>
        $"{(Day is { } d ? CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedDayName(d) : "Any")} {From:HH\\:mm}-{To:HH\\:mm}";

    public static bool TryParse(string? text, out WeeklyTime? time)
    {
        time = null;
        var parts = (text ?? "").Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            return false;
        }
        DayOfWeek? day = null;
        if (!parts[0].Equals("Any", StringComparison.OrdinalIgnoreCase))
        {
            var names = CultureInfo.InvariantCulture.DateTimeFormat.AbbreviatedDayNames;
            var index = Array.FindIndex(names, n => n.Equals(parts[0], StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                return false;
            }
            day = (DayOfWeek)index;
        }
        var range = parts[1].Split('-', 2);
        if (range.Length != 2
            || !TimeOnly.TryParseExact(range[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            || !TimeOnly.TryParseExact(range[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to)
            || to <= from)
        {
            return false;
        }
        time = new WeeklyTime(day, from, to);
        return true;
    }
}

/// <summary>
/// Someone the school contacts about a pupil. Only a contact with parental responsibility may
/// see the plan. The import owns the MIS fields; the access needs, hard-to-attend times and
/// preferred channel come from the parent later and survive a re-import. Contacts are stored
/// in their pupil's row: a pupil and their contacts change together, in one write.
/// </summary>
public sealed record Contact(
    string SchoolId,
    string Upn,
    int Priority,
    string Relationship,
    bool ParentalResponsibility,
    string? Email,
    string? Mobile,
    string PreferredLanguage,
    bool InterpreterNeeded)
{
    public string? AccessibilityNeeds { get; init; }

    public IReadOnlyList<WeeklyTime> HardToAttend { get; init; } = [];

    /// <summary>Null means "not said": email when there is an address, otherwise a text message.</summary>
    public PreferredChannel? PreferredChannel { get; init; }

    public PreferredChannel EffectiveChannel => PreferredChannel ?? (Email is not null ? Roster.PreferredChannel.Email : Roster.PreferredChannel.Sms);

    public DateTimeOffset? ArchivedAt { get; init; }

    public bool IsArchived => ArchivedAt is not null;

    /// <summary>The ETag of the pupil row the contact is stored in.</summary>
    public string? ETag { get; init; }
}

/// <summary>A year group in one school: its classes, who leads it, and the channel for its alerts.</summary>
public sealed record YearGroupInfo(
    string SchoolId,
    YearGroup YearGroup,
    IReadOnlyList<string> Classes,
    IReadOnlyList<string> YearLeadEntraIds)
{
    /// <summary>Where the year team's alerts go; set when the bot is added to the channel.</summary>
    public ConversationReference? AlertChannel { get; init; }

    /// <summary>True for the demo school's stand-in reference, which points at the local Playground.</summary>
    public bool AlertChannelIsPlaceholder { get; init; }

    public int Revision { get; init; }

    public string? ETag { get; init; }
}

/// <summary>A class's SEN pupils, each with their current contacts in priority order.</summary>
public sealed record ClassRoster(string SchoolId, string ClassName, IReadOnlyList<PupilWithContacts> Pupils);

public sealed record PupilWithContacts(Pupil Pupil, IReadOnlyList<Contact> Contacts);

public enum PlanStatus { Draft, MeetingBooked, Agreed, Reviewed }

/// <summary>
/// One small step target: the area of need, the target in plain words, how school will help
/// and how we will know it is achieved.
/// </summary>
public sealed record PlanTarget(string Text)
{
    public string? AreaOfNeed { get; init; }

    public string? HowSchoolHelps { get; init; }

    public string? HowWeKnow { get; init; }

    /// <summary>How the target went, written at the review.</summary>
    public string? Outcome { get; init; }
}

/// <summary>
/// The targets and short notes agreed at the plan meeting, as the parents are told them.
/// <paramref name="Revision"/> counts changes of the content only, so each version is mailed once.
/// </summary>
public sealed record AgreedNotes(IReadOnlyList<string> Targets, string Notes, int Revision, DateTimeOffset RecordedAt)
{
    public const int MaxTargetLength = 500;
    public const int MaxNotesLength = 1000;

    public bool SameContent(IReadOnlyList<string> targets, string notes) =>
        Targets.SequenceEqual(targets, StringComparer.Ordinal) && string.Equals(Notes, notes, StringComparison.Ordinal);
}

/// <summary>A pupil's plan for one term: 2 to 4 targets once agreed.</summary>
public sealed record Plan(string SchoolId, string Upn, string TermId, PlanStatus Status, IReadOnlyList<PlanTarget> Targets)
{
    public const int MinTargets = 2;
    public const int MaxTargets = 4;

    public int Revision { get; init; }

    public string? ETag { get; init; }

    /// <summary>The pupil's own views, by question id, captured before the meeting; null until then.</summary>
    public IReadOnlyDictionary<string, string>? PupilVoice { get; init; }

    /// <summary>What was agreed with the parents at the meeting; null until the teacher records it.</summary>
    public AgreedNotes? Agreed { get; init; }

    /// <summary>Null when the plan is consistent; a draft may have fewer targets while it is written.</summary>
    public string? Problem() =>
        Targets.Count > MaxTargets ? $"a plan has at most {MaxTargets} targets"
        : Status != PlanStatus.Draft && Targets.Count < MinTargets ? $"an agreed plan has at least {MinTargets} targets"
        : Targets.Any(t => string.IsNullOrWhiteSpace(t.Text)) ? "a target must have some text"
        : null;
}
