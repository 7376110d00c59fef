using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using SendPlans.Bot.Scheduling;
using Interval = NodaTime.Interval;

namespace SendPlans.Tests.Scheduling;

/// <summary>A request and a seed to shuffle its lists with.</summary>
public sealed record ShuffledRequest(SlotRequest Request, int Seed);

/// <summary>
/// Realistic, small requests: a window of one day to three weeks (sometimes across a clock
/// change, sometimes with weekend days and night hours so the skipped and repeated hours are in
/// play), a few teachers with a SENCo and a TA, lessons and odd busy times, working parents and
/// siblings.
/// </summary>
public static class SlotGenerators
{
    private static readonly LocalDate[] Anchors =
    [
        new(2026, 9, 7), new(2026, 10, 19), new(2026, 10, 23), new(2026, 11, 2), new(2027, 1, 11),
        new(2027, 3, 22), new(2027, 3, 26), new(2027, 6, 7),
    ];

    private static readonly string[] OtherStaff = ["SENCO", "TA1"];

    private static readonly HashSet<IsoDayOfWeek> Weekdays =
        [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday];

    public static Arbitrary<SlotRequest> Requests() => Arb.From(RequestGen);

    public static Arbitrary<ShuffledRequest> Shuffled() =>
        Arb.From(from r in RequestGen from seed in Gen.Choose(0, int.MaxValue - 1) select new ShuffledRequest(r, seed));

    public static Gen<SlotRequest> RequestGen =>
        from start in Gen.Elements(Anchors)
        from offset in Gen.Choose(0, 6)
        from days in Gen.Frequency((2, Gen.Constant(0)), (8, Gen.Choose(1, 20)))
        let windowStart = start.PlusDays(offset)
        let windowEnd = windowStart.PlusDays(days)
        from closures in Gen.SubListOf(Enumerable.Range(0, days + 1).Select(windowStart.PlusDays)).Select(c => c.Where((_, i) => i % 3 == 0).ToList())
        from night in Gen.Frequency((8, Gen.Constant(false)), (2, Gen.Constant(true)))
        from slot in Gen.Elements(10, 15, 15, 20, 30)
        from interpreter in Gen.Elements(20, 30, 45)
        from buffer in Gen.Elements(0, 5, 10, 10, 15)
        from step in Gen.Elements(5, 5, 10, 15)
        from max in Gen.Choose(1, 6)
        from teacherCount in Gen.Choose(1, 4)
        let staffIds = Enumerable.Range(1, teacherCount).Select(i => $"T{i}").Concat(OtherStaff).ToArray()
        from calendars in Gen.CollectToList(staffIds, id => Calendar(id, windowStart, days))
        from parentCount in Gen.Choose(1, 12)
        from parents in Gen.CollectToList(Enumerable.Range(1, parentCount), i => Parent($"P{i:00}"))
        from pupilCount in Gen.Choose(0, 24)
        from pupils in Gen.ListOf(Pupil(teacherCount, parentCount), pupilCount)
        select new SlotRequest
        {
            WindowStart = windowStart,
            WindowEnd = windowEnd,
            ClosureDates = closures,
            SchoolDays = night ? Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None).ToHashSet() : Weekdays,
            SchoolDay = night ? new LocalTimeRange(new LocalTime(0, 30), new LocalTime(3, 0)) : new LocalTimeRange(new LocalTime(8, 45), new LocalTime(15, 15)),
            ExtendedHours = night ? [new(new LocalTime(0, 0), new LocalTime(0, 30)), new(new LocalTime(3, 0), new LocalTime(4, 0))] : [new(new LocalTime(8, 0), new LocalTime(8, 45)), new(new LocalTime(15, 15), new LocalTime(17, 30))],
            SlotLength = Duration.FromMinutes(slot),
            InterpreterSlotLength = Duration.FromMinutes(interpreter),
            Buffer = Duration.FromMinutes(buffer),
            SlotStep = Duration.FromMinutes(step),
            MaxMeetingsPerStaffPerDay = max,
            Staff = calendars,
            Parents = parents.Where(p => p is not null).Select(p => p!).ToList(),
            Pupils = pupils.Select((p, i) => p with { PupilId = $"U{i:000}" }).ToList(),
        };

    /// <summary>Lessons in blocks most days, plus odd meetings at any minute, sometimes a whole window of leave.</summary>
    private static Gen<StaffCalendar> Calendar(string id, LocalDate windowStart, int days)
    {
        var zone = DateTimeZoneProviders.Tzdb["Europe/London"];
        var origin = zone.AtStartOfDay(windowStart.PlusDays(-1)).ToInstant();
        var busy = from day in Gen.Choose(0, days + 2)
                   from startMinute in Gen.Choose(0, 24 * 60 - 1)
                   from length in Gen.Frequency((6, Gen.Choose(5, 90)), (2, Gen.Choose(90, 400)), (1, Gen.Choose(1, 4)))
                   from seconds in Gen.Frequency((9, Gen.Constant(0)), (1, Gen.Choose(1, 59)))
                   let start = origin + Duration.FromDays(day) + Duration.FromMinutes(startMinute) + Duration.FromSeconds(seconds)
                   select new Interval(start, start + Duration.FromMinutes(length));
        var allWindow = new Interval(origin, origin + Duration.FromDays(days + 3));
        return from count in Gen.Choose(0, days * 4 + 6)
               from intervals in Gen.ListOf(busy, count)
               from onLeave in Gen.Frequency((15, Gen.Constant(false)), (1, Gen.Constant(true)))
               select new StaffCalendar(id, $"Ms {id}", onLeave ? [.. intervals, allWindow] : intervals);
    }

    private static Gen<ParentAvailability?> Parent(string id)
    {
        var range = from day in Gen.Choose(1, 7)
                    from start in Gen.Choose(0, 23 * 4)
                    from quarters in Gen.Choose(1, 16)
                    let end = Math.Min((start + quarters) * 15, 24 * 60 - 1)
                    select new WeeklyTimeRange((IsoDayOfWeek)day, new LocalTime(start / 4, start % 4 * 15), new LocalTime(end / 60, end % 60));
        var hard = Gen.Frequency(
            (4, Gen.Constant<IReadOnlyList<WeeklyTimeRange>>([])),
            (3, Gen.Constant(WeeklyTimeRange.Weekdays(new LocalTime(9, 0), new LocalTime(15, 0)))),
            (3, Gen.Choose(1, 3).SelectMany(n => Gen.ListOf(range, n)).Select(l => (IReadOnlyList<WeeklyTimeRange>)[.. l])));
        var good = Gen.Frequency(
            (6, Gen.Constant<IReadOnlyList<WeeklyTimeRange>>([])),
            (2, Gen.Choose(1, 4).SelectMany(n => Gen.ListOf(range, n)).Select(l => (IReadOnlyList<WeeklyTimeRange>)[.. l])));
        return Gen.Frequency(
            (1, Gen.Constant<ParentAvailability?>(null)),
            (5, from h in hard
                from g in good
                from pref in Gen.Elements(ParentPreference.None, ParentPreference.None, ParentPreference.SchoolHours, ParentPreference.ExtendedHours)
                select (ParentAvailability?)new ParentAvailability(id) { HardToAttend = h, GoodTimes = g, Preference = pref }));
    }

    private static Gen<PupilMeetingRequest> Pupil(int teacherCount, int parentCount) =>
        from teacher in Gen.Choose(1, teacherCount)
        from parent in Gen.Choose(1, parentCount)
        from others in Gen.Frequency((6, Gen.Constant<List<string>>([])), (2, Gen.SubListOf(OtherStaff).Select(l => l.ToList())), (1, Gen.Constant(new List<string> { $"T{teacher}" })))
        from interpreter in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new PupilMeetingRequest("", $"T{teacher}", $"P{parent:00}") { OtherStaffIds = others, InterpreterNeeded = interpreter };

    /// <summary>The same request with every list in another order.</summary>
    public static SlotRequest Shuffle(SlotRequest r, int seed)
    {
        var random = new Random(seed);
        List<T> Mix<T>(IEnumerable<T> items) => [.. items.OrderBy(_ => random.Next())];
        return r with
        {
            Pupils = Mix(r.Pupils.Select(p => p with { OtherStaffIds = Mix(p.OtherStaffIds) })),
            Staff = Mix(r.Staff.Select(s => s with { Busy = Mix(s.Busy) })),
            Parents = Mix(r.Parents.Select(p => p with { HardToAttend = Mix(p.HardToAttend), GoodTimes = Mix(p.GoodTimes) })),
            ClosureDates = Mix(r.ClosureDates),
            ExtendedHours = Mix(r.ExtendedHours),
        };
    }
}
