using SendPlans.Bot.Roster;
using SendPlans.Bot.Roster.Demo;
using SendPlans.Infrastructure.Calendars;
using SendPlans.Infrastructure.Calendars.Local;

namespace SendPlans.Bot.Booking;

/// <summary>
/// Realistic, deterministic busy times for the demo school's staff in the Local calendar, over
/// each term's meeting window: teaching (09:00–10:30, 10:45–12:00, 13:00–15:15), one PPA
/// afternoon a week out of class (13:00–14:30, a different weekday per teacher), and the
/// Wednesday staff meeting (15:30–16:30). What is left is what a real teacher has: the start of
/// the day, lunch, the end of the PPA afternoon and after school.
/// </summary>
public sealed class DemoBusyTimes(ICalendarProvider calendar)
{
    private static readonly (TimeOnly From, TimeOnly To)[] Teaching =
        [(new(9, 0), new(10, 30)), (new(10, 45), new(12, 0)), (new(13, 0), new(15, 15))];

    /// <summary>Seeds the Local calendar (seeding again keeps one copy); returns how many blocks, 0 for other providers.</summary>
    public async Task<int> SeedAsync(CancellationToken cancellationToken)
    {
        if (calendar is not LocalCalendarProvider local)
        {
            return 0;
        }
        var demo = DemoSchool.Generate();
        var zone = BookingText.Zone(demo.Settings.TimeZone);
        var blocks = 0;
        var staff = demo.Roster.Staff!.Select(s => s.Member).OrderBy(m => m.Email, StringComparer.Ordinal).ToList();
        for (var i = 0; i < staff.Count; i++)
        {
            var member = staff[i];
            var teaches = member.Is(StaffRole.Teacher) && member.Classes.Count > 0;
            var ppaDay = (DayOfWeek)(1 + (i % 5));
            var busy = new List<BusyInterval>();
            foreach (var term in demo.Terms)
            {
                foreach (var day in term.SchoolDays(term.MeetingWindowStart, term.MeetingWindowEnd))
                {
                    if (teaches)
                    {
                        foreach (var (from, to) in Teaching)
                        {
                            var start = day.DayOfWeek == ppaDay && from.Hour == 13 ? new TimeOnly(14, 30) : from;
                            busy.Add(Block(day, start, to, zone));
                        }
                    }
                    if (day.DayOfWeek == DayOfWeek.Wednesday)
                    {
                        busy.Add(Block(day, new(15, 30), new(16, 30), zone));
                    }
                }
            }
            await local.SeedBusyAsync(member.Email, busy, cancellationToken);
            blocks += busy.Count;
        }
        return blocks;
    }

    private static BusyInterval Block(DateOnly day, TimeOnly from, TimeOnly to, TimeZoneInfo zone)
    {
        var start = day.ToDateTime(from);
        var end = day.ToDateTime(to);
        return new BusyInterval(new DateTimeOffset(start, zone.GetUtcOffset(start)).ToUniversalTime(), new DateTimeOffset(end, zone.GetUtcOffset(end)).ToUniversalTime());
    }
}
