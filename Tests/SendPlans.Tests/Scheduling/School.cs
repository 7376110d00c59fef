using NodaTime;
using NodaTime.Text;
using SendPlans.Bot.Scheduling;

namespace SendPlans.Tests.Scheduling;

/// <summary>Short ways to write the example tests' calendars in local time, as a teacher would say them.</summary>
internal static class School
{
    public static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];

    public static LocalDate Date(string iso) => LocalDatePattern.Iso.Parse(iso).GetValueOrThrow();

    public static LocalTime Time(string hhmm) => LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(hhmm).GetValueOrThrow();

    public static Instant Utc(string iso) => InstantPattern.General.Parse(iso).GetValueOrThrow();

    public static Interval Busy(string date, string from, string to) =>
        new(Date(date).At(Time(from)).InZoneStrictly(London).ToInstant(), Date(date).At(Time(to)).InZoneStrictly(London).ToInstant());

    /// <summary>Busy all day, every day of the range, except the given local gaps on every day.</summary>
    public static IReadOnlyList<Interval> BusyExcept(string firstDate, string lastDate, params (string From, string To)[] gaps)
    {
        var busy = new List<Interval>();
        for (var d = Date(firstDate); d <= Date(lastDate); d = d.PlusDays(1))
        {
            var from = d.AtStartOfDayInZone(London).ToInstant();
            foreach (var (gapFrom, gapTo) in gaps)
            {
                var gapStart = d.At(Time(gapFrom)).InZoneStrictly(London).ToInstant();
                busy.Add(new Interval(from, gapStart));
                from = d.At(Time(gapTo)).InZoneStrictly(London).ToInstant();
            }
            busy.Add(new Interval(from, d.PlusDays(1).AtStartOfDayInZone(London).ToInstant()));
        }
        return busy;
    }

    public static StaffCalendar Staff(string id, params Interval[] busy) => new(id, $"Ms {id}", busy);

    public static StaffCalendar Staff(string id, IReadOnlyList<Interval> busy) => new(id, $"Ms {id}", busy);

    public static PupilMeetingRequest Pupil(string id, string teacher, string parent, params string[] otherStaff) =>
        new(id, teacher, parent) { OtherStaffIds = otherStaff };

    public static ParentAvailability WorkingParent(string id) =>
        new(id) { HardToAttend = WeeklyTimeRange.Weekdays(Time("09:00"), Time("15:00")) };

    public static SlotRequest Request(string start, string end, params PupilMeetingRequest[] pupils) =>
        new() { WindowStart = Date(start), WindowEnd = Date(end), Pupils = pupils };

    public static string Local(Slot slot) => $"{slot.LocalStart:yyyy-MM-dd HH:mm}";
}
