using NodaTime;
using SendPlans.Bot.Scheduling;

namespace SendPlans.Tests.Scheduling;

/// <summary>
/// The finder's rules restated from the request alone, without the finder's code, so a property
/// test checks the rule and not the implementation against itself. Each returns the violations.
/// </summary>
internal static class SlotChecks
{
    public static DateTimeZone Zone(SlotRequest r) => DateTimeZoneProviders.Tzdb[r.TimeZoneId];

    public static ParentAvailability ParentOf(SlotRequest r, string parentId) =>
        r.Parents.FirstOrDefault(p => p.ParentId == parentId) ?? new ParentAvailability(parentId);

    public static IEnumerable<string> StaffOf(PupilMeetingRequest p) => p.OtherStaffIds.Prepend(p.TeacherId).Distinct();

    public static IEnumerable<Interval> BusyOf(SlotRequest r, string staffId) =>
        r.Staff.Where(s => s.StaffId == staffId).SelectMany(s => s.Busy);

    public static IEnumerable<string> EveryPupilExactlyOnce(SlotRequest r, SlotAssignment a)
    {
        var seen = a.Meetings.Select(m => m.PupilId).Concat(a.Unplaced.Select(u => u.PupilId)).ToList();
        foreach (var dup in seen.GroupBy(id => id).Where(g => g.Count() > 1))
        {
            yield return $"{dup.Key} appears {dup.Count()} times";
        }
        foreach (var missing in r.Pupils.Select(p => p.PupilId).Except(seen))
        {
            yield return $"{missing} is neither placed nor given a reason";
        }
        foreach (var extra in seen.Except(r.Pupils.Select(p => p.PupilId)))
        {
            yield return $"{extra} is not in the request";
        }
        foreach (var u in a.Unplaced.Where(u => string.IsNullOrWhiteSpace(u.Message)))
        {
            yield return $"{u.PupilId} has no reason";
        }
    }

    public static IEnumerable<string> SlotsWellFormed(SlotRequest r, SlotAssignment a)
    {
        var zone = Zone(r);
        foreach (var m in a.Meetings)
        {
            var pupil = r.Pupils.Single(p => p.PupilId == m.PupilId);
            var length = pupil.InterpreterNeeded ? r.InterpreterSlotLength : r.SlotLength;
            var s = m.Slot;
            if (m.ParentId != pupil.ParentId || m.TeacherId != pupil.TeacherId || !m.StaffIds.ToHashSet().SetEquals(StaffOf(pupil)))
            {
                yield return $"{m.PupilId}: wrong people {string.Join(",", m.StaffIds)}";
            }
            if (s.End - s.Start != length)
            {
                yield return $"{m.PupilId}: lasts {s.End - s.Start}, not {length}";
            }
            if (s.Start.InZone(zone).LocalDateTime != s.LocalStart || s.End.InZone(zone).LocalDateTime != s.LocalEnd)
            {
                yield return $"{m.PupilId}: local times {s.LocalStart}–{s.LocalEnd} do not match the instants {s.Start}–{s.End}";
            }
            if (zone.MapLocal(s.LocalStart).Count != 1 || zone.MapLocal(s.LocalEnd).Count != 1)
            {
                yield return $"{m.PupilId}: {s.LocalStart}–{s.LocalEnd} is in a skipped or repeated hour";
            }
        }
    }

    public static IEnumerable<string> InsideAllowedDaysAndHours(SlotRequest r, SlotAssignment a)
    {
        foreach (var m in a.Meetings)
        {
            var s = m.Slot;
            var date = s.LocalStart.Date;
            if (date < r.WindowStart || date > r.WindowEnd)
            {
                yield return $"{m.PupilId}: {date} is outside the window";
            }
            if (!r.SchoolDays.Contains(date.DayOfWeek) || r.ClosureDates.Contains(date))
            {
                yield return $"{m.PupilId}: {date} is not a school day";
            }
            if (s.LocalEnd.Date != date)
            {
                yield return $"{m.PupilId}: runs past midnight";
            }
            var ranges = ParentOf(r, m.ParentId).MayUseExtendedHours ? [r.SchoolDay, .. r.ExtendedHours] : new[] { r.SchoolDay };
            for (var t = s.LocalStart.TimeOfDay; t < s.LocalEnd.TimeOfDay; t = t.PlusMinutes(1))
            {
                if (!ranges.Any(h => h.Start <= t && t < h.End))
                {
                    yield return $"{m.PupilId}: {t} is outside the allowed hours";
                    break;
                }
            }
        }
    }

    public static IEnumerable<string> NoStaffBusyOverlap(SlotRequest r, SlotAssignment a) =>
        from m in a.Meetings
        from staff in m.StaffIds
        from busy in BusyOf(r, staff)
        where busy.Start < m.Slot.End && m.Slot.Start < busy.End
        select $"{m.PupilId}: {m.Slot} overlaps {staff}'s busy {busy}";

    /// <summary>Two meetings of one member of staff are a buffer apart, or back-to-back when the parent is the same; a parent is never in two at once.</summary>
    public static IEnumerable<string> NoDoubleBooking(SlotRequest r, SlotAssignment a)
    {
        foreach (var x in a.Meetings)
        {
            foreach (var y in a.Meetings.Where(y => string.CompareOrdinal(x.PupilId, y.PupilId) < 0))
            {
                var sameParent = x.ParentId == y.ParentId;
                var shared = x.StaffIds.Intersect(y.StaffIds).Any();
                var gap = shared && !sameParent ? r.Buffer : Duration.Zero;
                if ((shared || sameParent) && x.Slot.Start < y.Slot.End + gap && y.Slot.Start < x.Slot.End + gap)
                {
                    yield return $"{x.PupilId} {x.Slot} and {y.PupilId} {y.Slot} are too close";
                }
            }
        }
    }

    public static IEnumerable<string> WithinDailyLimit(SlotRequest r, SlotAssignment a) =>
        from m in a.Meetings
        from staff in m.StaffIds
        group m by (staff, m.Slot.Date) into day
        where day.Count() > r.MaxMeetingsPerStaffPerDay
        select $"{day.Key.staff} has {day.Count()} meetings on {day.Key.Date}";

    public static IEnumerable<string> ParentHardToAttendRespected(SlotRequest r, SlotAssignment a) =>
        from m in a.Meetings
        from hard in ParentOf(r, m.ParentId).HardToAttend
        where hard.Day == m.Slot.Date.DayOfWeek && hard.Hours.Overlaps(m.Slot.LocalStart.TimeOfDay, m.Slot.LocalEnd.TimeOfDay)
        select $"{m.PupilId}: {m.Slot} is in the parent's hard-to-attend {hard}";

    public static IEnumerable<string> All(SlotRequest r, SlotAssignment a) =>
        EveryPupilExactlyOnce(r, a).Concat(SlotsWellFormed(r, a)).Concat(InsideAllowedDaysAndHours(r, a))
            .Concat(NoStaffBusyOverlap(r, a)).Concat(NoDoubleBooking(r, a)).Concat(WithinDailyLimit(r, a))
            .Concat(ParentHardToAttendRespected(r, a));

    /// <summary>Every slot start a person would try: each step from midnight, each school day, in the allowed hours.</summary>
    public static IEnumerable<Slot> PossibleSlots(SlotRequest r, PupilMeetingRequest pupil, bool extended)
    {
        var zone = Zone(r);
        var length = pupil.InterpreterNeeded ? r.InterpreterSlotLength : r.SlotLength;
        var ranges = extended ? [r.SchoolDay, .. r.ExtendedHours] : new[] { r.SchoolDay };
        var allowed = Enumerable.Range(0, 24 * 60).Select(m => ranges.Any(h => h.Start <= LocalTime.FromMinutesSinceMidnight(m) && LocalTime.FromMinutesSinceMidnight(m) < h.End)).ToArray();
        for (var date = r.WindowStart; date <= r.WindowEnd; date = date.PlusDays(1))
        {
            if (!r.SchoolDays.Contains(date.DayOfWeek) || r.ClosureDates.Contains(date))
            {
                continue;
            }
            for (var minute = 0L; minute < 24 * 60; minute += (long)r.SlotStep.TotalMinutes)
            {
                if (!allowed[minute])
                {
                    continue;
                }
                var localStart = date.At(LocalTime.Midnight).PlusMinutes(minute);
                var localEnd = localStart.Plus(Period.FromMinutes((long)length.TotalMinutes));
                if (localEnd.Date != date && localEnd.TimeOfDay != LocalTime.Midnight)
                {
                    continue;
                }
                var inHours = true;
                for (var t = localStart; t < localEnd; t = t.PlusMinutes(1))
                {
                    inHours &= t.Date == date && allowed[t.Hour * 60 + t.Minute];
                }
                var start = zone.MapLocal(localStart);
                var end = zone.MapLocal(localEnd);
                if (inHours && start.Count == 1 && end.Count == 1 && end.Single().ToInstant() - start.Single().ToInstant() == length)
                {
                    yield return new Slot(start.Single().ToInstant(), end.Single().ToInstant(), localStart, localEnd);
                }
            }
        }
    }

    /// <summary>Every possible slot the pupil's meeting could take, with every meeting of the assignment but the pupil's own kept.</summary>
    public static List<Slot> FreeSlots(SlotRequest r, SlotAssignment a, PupilMeetingRequest pupil, bool extended)
    {
        var staff = StaffOf(pupil).ToList();
        var busy = staff.SelectMany(s => BusyOf(r, s)).ToList();
        var hard = ParentOf(r, pupil.ParentId).HardToAttend;
        var others = a.Meetings.Where(m => m.PupilId != pupil.PupilId && (m.ParentId == pupil.ParentId || m.StaffIds.Intersect(staff).Any())).ToList();
        return [.. PossibleSlots(r, pupil, extended).Where(slot =>
            !busy.Any(b => b.Start < slot.End && slot.Start < b.End)
            && !hard.Any(h => h.Day == slot.Date.DayOfWeek && h.Hours.Overlaps(slot.LocalStart.TimeOfDay, slot.LocalEnd.TimeOfDay))
            && staff.All(s => others.Count(m => m.StaffIds.Contains(s) && m.Slot.Date == slot.Date) < r.MaxMeetingsPerStaffPerDay)
            && !others.Any(m =>
            {
                var gap = m.ParentId == pupil.ParentId ? Duration.Zero : r.Buffer;
                var shares = m.StaffIds.Intersect(staff).Any();
                return (shares && m.Slot.Start < slot.End + gap && slot.Start < m.Slot.End + gap)
                    || (m.ParentId == pupil.ParentId && m.Slot.Start < slot.End && slot.Start < m.Slot.End);
            }))];
    }
}
