using NodaTime;
using SendPlans.Bot.Scheduling;

namespace SendPlans.Bench.Scheduling;

/// <summary>
/// A large primary's plan round: 20 class teachers who teach all day with one PPA session a
/// week, staff meetings and clubs after school, a SENCo at every EHC plan meeting, TAs at some,
/// 260 pupils (some siblings, some needing an interpreter), two parents in five at work all day.
/// Built from a fixed seed so every run times the same input.
/// </summary>
internal static class RealisticSchool
{
    public const int Teachers = 20;
    public const int Pupils = 260;

    public static SlotRequest Build(int seed = 2026)
    {
        var random = new Random(seed);
        var zone = DateTimeZoneProviders.Tzdb["Europe/London"];
        var start = new LocalDate(2026, 10, 12);
        var end = start.PlusDays(18);
        var inset = new LocalDate(2026, 10, 23);

        Interval Local(LocalDate date, int h1, int m1, int h2, int m2) =>
            new(date.At(new LocalTime(h1, m1)).InZoneLeniently(zone).ToInstant(), date.At(new LocalTime(h2, m2)).InZoneLeniently(zone).ToInstant());

        var schoolDates = Enumerable.Range(0, 19).Select(start.PlusDays)
            .Where(d => d.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday)).ToList();

        var staff = new List<StaffCalendar>();
        for (var t = 1; t <= Teachers; t++)
        {
            var ppaDay = (IsoDayOfWeek)(1 + t % 5);
            var ppaMorning = t % 2 == 0;
            var busy = new List<Interval>();
            foreach (var date in schoolDates)
            {
                busy.Add(Local(date, 8, 40, 9, 0));
                var ppa = date.DayOfWeek == ppaDay;
                if (!(ppa && ppaMorning))
                {
                    busy.Add(Local(date, 9, 0, 10, 30));
                    busy.Add(Local(date, 10, 45, 12, 0));
                }
                busy.Add(Local(date, 12, 0, 12, 20));
                if (!(ppa && !ppaMorning))
                {
                    busy.Add(Local(date, 13, 0, 15, 15));
                }
                if (date.DayOfWeek == IsoDayOfWeek.Wednesday)
                {
                    busy.Add(Local(date, 15, 30, 16, 45));
                }
                if (random.Next(4) == 0)
                {
                    var h = 15 + random.Next(2);
                    busy.Add(Local(date, h, 20, h + 1, 10));
                }
                if (random.Next(10) == 0)
                {
                    busy.Add(Local(date, 7, 30, 8, 30));
                }
            }
            staff.Add(new StaffCalendar($"T{t:00}", $"Teacher {t:00}", busy));
        }
        staff.Add(new StaffCalendar("SENCO", "The SENCo",
            [.. schoolDates.SelectMany(d => new[] { Local(d, 9, 0, 11, 0), Local(d, 13, 30, 14, 30) })]));
        for (var ta = 1; ta <= 4; ta++)
        {
            staff.Add(new StaffCalendar($"TA{ta}", $"TA {ta}", [.. schoolDates.Select(d => Local(d, 8, 45, 15, 0))]));
        }

        var pupils = new List<PupilMeetingRequest>();
        var parents = new List<ParentAvailability>();
        for (var i = 1; i <= Pupils; i++)
        {
            var teacher = $"T{1 + (i - 1) % Teachers:00}";
            var sibling = i > 20 && random.Next(12) == 0;
            var parentId = sibling ? pupils[random.Next(pupils.Count)].ParentId : $"P{i:000}";
            var others = new List<string>();
            if (random.Next(7) == 0)
            {
                others.Add("SENCO");
            }
            if (random.Next(12) == 0)
            {
                others.Add($"TA{1 + random.Next(4)}");
            }
            pupils.Add(new PupilMeetingRequest($"U{i:000}", teacher, parentId)
            {
                OtherStaffIds = others,
                InterpreterNeeded = random.Next(20) == 0,
            });
            if (!sibling)
            {
                var kind = random.Next(10);
                parents.Add(new ParentAvailability(parentId)
                {
                    HardToAttend = kind < 4
                        ? WeeklyTimeRange.Weekdays(new LocalTime(8, 30), new LocalTime(15, 30 + random.Next(3) * 10))
                        : kind == 4 ? [new WeeklyTimeRange((IsoDayOfWeek)(1 + random.Next(5)), new LocalTime(8, 0), new LocalTime(17, 30))] : [],
                    Preference = kind < 4 && random.Next(2) == 0 ? ParentPreference.ExtendedHours : ParentPreference.None,
                    GoodTimes = kind == 5 ? [new WeeklyTimeRange((IsoDayOfWeek)(1 + random.Next(5)), new LocalTime(12, 0), new LocalTime(15, 15))] : [],
                });
            }
        }

        return new SlotRequest
        {
            WindowStart = start,
            WindowEnd = end,
            ClosureDates = [inset],
            MaxMeetingsPerStaffPerDay = 4,
            Staff = staff,
            Parents = parents,
            Pupils = pupils,
        };
    }
}
