using NodaTime;

namespace SendPlans.Bot.Scheduling;

/// <summary>
/// A possible slot. Times are whole minutes from the timeline's origin (the window's first
/// midnight as an instant), so overlap checks never see wall-clock times and DST cannot fool them.
/// </summary>
internal readonly record struct Candidate(int Day, int Start, int End, int MinuteOfDay, bool InSchoolDay, bool OverlapsSchoolDay, bool OutsideCoreHours);

/// <summary>The candidates of one slot length, with or without extended hours, in day-then-time order.</summary>
internal sealed class CandidateSet(int length, bool extended, Candidate[] items)
{
    public int Length { get; } = length;

    public bool Extended { get; } = extended;

    public Candidate[] Items { get; } = items;
}

/// <summary>The school days of the window and every slot that could be booked on them.</summary>
internal sealed class Timeline
{
    private readonly Dictionary<(int Length, bool Extended), CandidateSet> sets = [];

    public Timeline(SlotRequest request, IEnumerable<int> lengths)
    {
        Zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(request.TimeZoneId)
            ?? throw new ArgumentException($"Unknown time zone '{request.TimeZoneId}'.", nameof(request));
        Step = WholeMinutes(request.SlotStep, nameof(request.SlotStep));
        Origin = Zone.AtStartOfDay(request.WindowStart).ToInstant();
        var end = request.WindowEnd < request.WindowStart
            ? Origin
            : Zone.AtStartOfDay(request.WindowEnd.PlusDays(1)).ToInstant();
        TotalMinutes = (int)(end - Origin).TotalMinutes;

        var closures = request.ClosureDates.ToHashSet();
        var days = new List<LocalDate>();
        for (var d = request.WindowStart; d <= request.WindowEnd; d = d.PlusDays(1))
        {
            if (request.SchoolDays.Contains(d.DayOfWeek) && !closures.Contains(d))
            {
                days.Add(d);
            }
        }
        Days = [.. days];
        DayIndex = Days.Select((d, i) => (d, i)).ToDictionary(x => x.d, x => x.i);

        SchoolDay = (Minute(request.SchoolDay.Start), Minute(request.SchoolDay.End));
        CoreHours = (Minute(request.CoreHours.Start), Minute(request.CoreHours.End));
        AllowedWithExtended = Merge([request.SchoolDay, .. request.ExtendedHours]);
        AllowedSchoolOnly = [SchoolDay];

        foreach (var length in lengths.Distinct().Order())
        {
            sets[(length, false)] = Build(length, extended: false);
            sets[(length, true)] = Build(length, extended: true);
        }
    }

    public DateTimeZone Zone { get; }

    public Instant Origin { get; }

    public int TotalMinutes { get; }

    public int Step { get; }

    public LocalDate[] Days { get; }

    public IReadOnlyDictionary<LocalDate, int> DayIndex { get; }

    public (int Start, int End) SchoolDay { get; }

    public (int Start, int End) CoreHours { get; }

    private (int Start, int End)[] AllowedWithExtended { get; }

    private (int Start, int End)[] AllowedSchoolOnly { get; }

    public CandidateSet Candidates(int length, bool extended) => sets[(length, extended)];

    public Instant ToInstant(int minute) => Origin.Plus(Duration.FromMinutes(minute));

    /// <summary>Minutes from the origin, rounded down; instants before the origin give negative values.</summary>
    public long MinuteFloor(Instant instant) => (long)Math.Floor((instant - Origin).TotalMinutes);

    public long MinuteCeiling(Instant instant) => (long)Math.Ceiling((instant - Origin).TotalMinutes);

    public Slot ToSlot(Candidate c)
    {
        var localStart = Days[c.Day].At(LocalTime.Midnight).PlusMinutes(c.MinuteOfDay);
        return new Slot(ToInstant(c.Start), ToInstant(c.End), localStart, localStart.PlusMinutes(c.End - c.Start));
    }

    public static int Minute(LocalTime time) => time.Hour * 60 + time.Minute;

    public static int WholeMinutes(Duration duration, string name)
    {
        if (duration <= Duration.Zero || duration.BclCompatibleTicks % TimeSpan.TicksPerMinute != 0)
        {
            throw new ArgumentException($"{name} must be a positive whole number of minutes.", name);
        }
        return (int)duration.TotalMinutes;
    }

    private CandidateSet Build(int length, bool extended)
    {
        var items = new List<Candidate>();
        var ranges = extended ? AllowedWithExtended : AllowedSchoolOnly;
        for (var day = 0; day < Days.Length; day++)
        {
            var midnight = Zone.AtStartOfDay(Days[day]);
            var zoneInterval = Zone.GetZoneInterval(midnight.ToInstant());
            var sameOffsetAllDay = midnight.TimeOfDay == LocalTime.Midnight
                && (!zoneInterval.HasEnd || zoneInterval.End >= Zone.AtStartOfDay(Days[day].PlusDays(1)).ToInstant());
            var midnightMinute = (int)(midnight.ToInstant() - Origin).TotalMinutes;
            foreach (var (rangeStart, rangeEnd) in ranges)
            {
                var first = (rangeStart + Step - 1) / Step * Step;
                for (var minute = first; minute + length <= rangeEnd; minute += Step)
                {
                    // Most days have no clock change, so local minutes map to instants by addition.
                    if ((sameOffsetAllDay ? midnightMinute + minute : TryMap(Days[day], minute, length)) is { } start)
                    {
                        var end = minute + length;
                        items.Add(new Candidate(
                            day,
                            start,
                            start + length,
                            minute,
                            InSchoolDay: SchoolDay.Start <= minute && end <= SchoolDay.End,
                            OverlapsSchoolDay: minute < SchoolDay.End && SchoolDay.Start < end,
                            OutsideCoreHours: !(minute < CoreHours.End && CoreHours.Start < end)));
                    }
                }
            }
        }
        return new CandidateSet(length, extended, [.. items]);
    }

    /// <summary>
    /// The slot's start in minutes from the origin, or null when its start or end falls in a
    /// skipped or repeated local hour, or a clock change falls inside it: such a time cannot be
    /// read unambiguously on an invitation.
    /// </summary>
    private int? TryMap(LocalDate date, int minuteOfDay, int length)
    {
        var localStart = date.At(LocalTime.Midnight).PlusMinutes(minuteOfDay);
        var startMapping = Zone.MapLocal(localStart);
        var endMapping = Zone.MapLocal(localStart.PlusMinutes(length));
        if (startMapping.Count != 1 || endMapping.Count != 1)
        {
            return null;
        }
        var start = startMapping.Single().ToInstant();
        if (endMapping.Single().ToInstant() - start != Duration.FromMinutes(length))
        {
            return null;
        }
        var fromOrigin = start - Origin;
        if (fromOrigin.BclCompatibleTicks % TimeSpan.TicksPerMinute != 0)
        {
            return null;
        }
        return (int)fromOrigin.TotalMinutes;
    }

    private static (int Start, int End)[] Merge(IEnumerable<LocalTimeRange> ranges)
    {
        var merged = new List<(int Start, int End)>();
        foreach (var (start, end) in ranges.Select(r => (Minute(r.Start), Minute(r.End))).Order())
        {
            if (merged.Count > 0 && start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, end));
            }
            else
            {
                merged.Add((start, end));
            }
        }
        return [.. merged];
    }
}
