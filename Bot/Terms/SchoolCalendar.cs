using System.Globalization;

namespace SendPlans.Bot.Terms;

public enum TermName { Autumn, Spring, Summer }

/// <summary>INSET: a staff training day. Closure: any other day the school is shut (bank holiday, polling day).</summary>
public enum ClosureKind { Inset, Closure }

public sealed record Closure(DateOnly Date, ClosureKind Kind);

/// <summary>
/// How a school runs its meetings: its time zone, slot length and buffer, the school day, and
/// the wider hours that may be offered to parents who work.
/// </summary>
public sealed record SchoolSettings(string SchoolId, string Name)
{
    public string TimeZone { get; init; } = "Europe/London";
    public TimeSpan SlotLength { get; init; } = TimeSpan.FromMinutes(15);
    public TimeSpan Buffer { get; init; } = TimeSpan.FromMinutes(10);
    public TimeOnly SchoolDayStart { get; init; } = new(8, 45);
    public TimeOnly SchoolDayEnd { get; init; } = new(15, 15);
    public TimeOnly ExtendedDayStart { get; init; } = new(7, 45);
    public TimeOnly ExtendedDayEnd { get; init; } = new(18, 0);

    /// <summary>How parents reach the school office ("01632 960123, office@school.example"); shown to parents whose link does not work.</summary>
    public string? Contact { get; init; }

    public string? ETag { get; init; }

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name)) problems.Add("the school needs a name");
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _)) problems.Add($"'{TimeZone}' is not a time zone");
        if (SlotLength < TimeSpan.FromMinutes(5) || SlotLength > TimeSpan.FromMinutes(120)) problems.Add("a slot lasts 5 to 120 minutes");
        if (Buffer < TimeSpan.Zero || Buffer > TimeSpan.FromMinutes(60)) problems.Add("the buffer is 0 to 60 minutes");
        if (SchoolDayEnd <= SchoolDayStart) problems.Add("the school day must end after it starts");
        if (ExtendedDayStart > SchoolDayStart || ExtendedDayEnd < SchoolDayEnd) problems.Add("the extended hours must include the school day");
        return problems;
    }
}

/// <summary>
/// One term of one academic year: its dates, half-term, INSET and closure days, and the
/// window in which plan meetings are booked with the hard deadline for them.
/// </summary>
public sealed record Term(
    string SchoolId,
    string AcademicYear,
    TermName Name,
    DateOnly Start,
    DateOnly End,
    DateOnly HalfTermStart,
    DateOnly HalfTermEnd,
    IReadOnlyList<Closure> Closures,
    DateOnly MeetingWindowStart,
    DateOnly MeetingWindowEnd,
    DateOnly Deadline)
{
    public string Id => IdFor(AcademicYear, Name);

    public string? ETag { get; init; }

    public static string IdFor(string academicYear, TermName name) => $"{academicYear}-{name.ToString().ToLowerInvariant()}";

    /// <summary>A weekday inside the term that is not half-term, INSET or a closure.</summary>
    public bool IsSchoolDay(DateOnly date) =>
        date >= Start && date <= End
        && date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)
        && (date < HalfTermStart || date > HalfTermEnd)
        && !Closures.Any(c => c.Date == date);

    public IEnumerable<DateOnly> SchoolDays(DateOnly from, DateOnly to)
    {
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            if (IsSchoolDay(d))
            {
                yield return d;
            }
        }
    }

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (AcademicYears.Parse(AcademicYear) is null) problems.Add($"'{AcademicYear}' is not an academic year like 2026-27");
        if (End <= Start) problems.Add("the term must end after it starts");
        if (HalfTermStart < Start || HalfTermEnd > End || HalfTermEnd < HalfTermStart) problems.Add("half-term must fall inside the term");
        if (Closures.Any(c => c.Date < Start || c.Date > End)) problems.Add("INSET and closure days must fall inside the term");
        if (MeetingWindowStart < Start || MeetingWindowEnd > End || MeetingWindowEnd < MeetingWindowStart) problems.Add("the meeting window must fall inside the term");
        if (Deadline < MeetingWindowEnd || Deadline > End) problems.Add("the deadline must be on or after the meeting window closes and before the term ends");
        if (!SchoolDays(MeetingWindowStart, MeetingWindowEnd).Any()) problems.Add("the meeting window has no school days");
        return problems;
    }
}

public static class AcademicYears
{
    /// <summary>"2026-27" for any date from 1 September 2026 to 31 August 2027.</summary>
    public static string For(DateOnly date)
    {
        var first = date.Month >= 9 ? date.Year : date.Year - 1;
        return $"{first}-{(first + 1) % 100:00}";
    }

    /// <summary>The first calendar year of "2026-27", or null when the text is not one.</summary>
    public static int? Parse(string? text)
    {
        if (text is not { Length: 7 } || text[4] != '-'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var second)
            || (first + 1) % 100 != second)
        {
            return null;
        }
        return first;
    }
}
