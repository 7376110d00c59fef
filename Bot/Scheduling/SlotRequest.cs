using NodaTime;

namespace SendPlans.Bot.Scheduling;

/// <summary>
/// Everything the slot finder needs to book one round of plan meetings. Dates and times of day
/// are local to <see cref="TimeZoneId"/>; busy intervals are instants.
/// </summary>
public sealed record SlotRequest
{
    public required LocalDate WindowStart { get; init; }

    /// <summary>The last day of the window, inclusive.</summary>
    public required LocalDate WindowEnd { get; init; }

    public required IReadOnlyList<PupilMeetingRequest> Pupils { get; init; }

    public IReadOnlyList<StaffCalendar> Staff { get; init; } = [];

    /// <summary>Parents without an entry here have no hard-to-attend times and no preference.</summary>
    public IReadOnlyList<ParentAvailability> Parents { get; init; } = [];

    public LocalTimeRange SchoolDay { get; init; } = new(new LocalTime(8, 45), new LocalTime(15, 15));

    /// <summary>Before and after school: offered only to parents who need them (<see cref="ParentAvailability.MayUseExtendedHours"/>).</summary>
    public IReadOnlyList<LocalTimeRange> ExtendedHours { get; init; } =
        [new(new LocalTime(8, 0), new LocalTime(8, 45)), new(new LocalTime(15, 15), new LocalTime(17, 30))];

    /// <summary>The hours a working parent usually cannot leave work; an offer of three includes one slot outside them.</summary>
    public LocalTimeRange CoreHours { get; init; } = new(new LocalTime(9, 0), new LocalTime(15, 0));

    public IReadOnlySet<IsoDayOfWeek> SchoolDays { get; init; } = new HashSet<IsoDayOfWeek>
    {
        IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday,
    };

    /// <summary>Half-term, INSET and bank holidays inside the window.</summary>
    public IReadOnlyCollection<LocalDate> ClosureDates { get; init; } = [];

    public Duration SlotLength { get; init; } = Duration.FromMinutes(15);

    public Duration InterpreterSlotLength { get; init; } = Duration.FromMinutes(30);

    /// <summary>The least gap between two meetings of one member of staff, except between siblings' meetings.</summary>
    public Duration Buffer { get; init; } = Duration.FromMinutes(10);

    /// <summary>Slots start on multiples of this from midnight, so times read well (15:15, 15:40).</summary>
    public Duration SlotStep { get; init; } = Duration.FromMinutes(5);

    /// <summary>Counts every meeting a member of staff attends, as teacher, SENCo or TA.</summary>
    public int MaxMeetingsPerStaffPerDay { get; init; } = 6;

    public string TimeZoneId { get; init; } = "Europe/London";
}

/// <summary>One pupil's plan meeting to book. Siblings share <see cref="ParentId"/>.</summary>
public sealed record PupilMeetingRequest(string PupilId, string TeacherId, string ParentId)
{
    /// <summary>SENCo, TA or anyone else who must attend besides the teacher.</summary>
    public IReadOnlyList<string> OtherStaffIds { get; init; } = [];

    /// <summary>Books <see cref="SlotRequest.InterpreterSlotLength"/> instead of the usual slot length.</summary>
    public bool InterpreterNeeded { get; init; }
}

/// <summary>A member of staff's calendar: the instants they are already busy.</summary>
public sealed record StaffCalendar(string StaffId, string DisplayName, IReadOnlyList<Interval> Busy);

public enum ParentPreference { None, SchoolHours, ExtendedHours }

public sealed record ParentAvailability(string ParentId)
{
    /// <summary>Never booked; e.g. Monday to Friday 09:00–15:00 for a parent at work.</summary>
    public IReadOnlyList<WeeklyTimeRange> HardToAttend { get; init; } = [];

    /// <summary>Preferred when free; empty means any time suits.</summary>
    public IReadOnlyList<WeeklyTimeRange> GoodTimes { get; init; } = [];

    public ParentPreference Preference { get; init; }

    /// <summary>A parent with hard-to-attend times or who asks for them is a working parent: extended hours are open to them.</summary>
    public bool MayUseExtendedHours => Preference == ParentPreference.ExtendedHours || HardToAttend.Count > 0;
}

/// <summary>A half-open range of local time within one day.</summary>
public sealed record LocalTimeRange
{
    public LocalTimeRange(LocalTime start, LocalTime end)
    {
        if (end <= start)
        {
            throw new ArgumentException($"The range {start:HH:mm}–{end:HH:mm} ends before it starts.", nameof(end));
        }
        Start = start;
        End = end;
    }

    public LocalTime Start { get; }

    public LocalTime End { get; }

    public bool Contains(LocalTime start, LocalTime end) => Start <= start && end <= End;

    public bool Overlaps(LocalTime start, LocalTime end) => start < End && Start < end;

    public override string ToString() => $"{Start:HH:mm}–{End:HH:mm}";
}

/// <summary>A time range that recurs on one day of every week.</summary>
public sealed record WeeklyTimeRange(IsoDayOfWeek Day, LocalTimeRange Hours)
{
    public WeeklyTimeRange(IsoDayOfWeek day, LocalTime start, LocalTime end) : this(day, new LocalTimeRange(start, end))
    {
    }

    public static IReadOnlyList<WeeklyTimeRange> Weekdays(LocalTime start, LocalTime end) =>
        [.. new[] { IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday }
            .Select(d => new WeeklyTimeRange(d, start, end))];
}
