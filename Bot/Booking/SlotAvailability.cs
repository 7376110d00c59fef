using SendPlans.Infrastructure.Calendars;

namespace SendPlans.Bot.Booking;

/// <summary>
/// Times offered earlier (alternatives, a parent's three) can be filled in the teacher's
/// calendar since. Before a meeting moves to one, its calendar is asked again.
/// </summary>
public static class SlotAvailability
{
    /// <summary>
    /// True when something other than the meeting itself now overlaps <paramref name="chosen"/>.
    /// A calendar that cannot be reached counts as free: the move itself then reports it.
    /// </summary>
    public static async Task<bool> TakenAsync(ICalendarProvider calendar, MeetingRecord meeting, SlotTimes chosen, CancellationToken cancellationToken)
    {
        var busy = (await calendar.GetBusyAsync([meeting.TeacherEmail], chosen.Start, chosen.End, cancellationToken)).Single();
        if (!busy.Succeeded)
        {
            return false;
        }
        return busy.Busy.Any(b =>
        {
            var from = b.Start > chosen.Start ? b.Start : chosen.Start;
            var to = b.End < chosen.End ? b.End : chosen.End;
            return from < to && !(meeting.Slot is { } own && own.Start <= from && to <= own.End);
        });
    }
}
