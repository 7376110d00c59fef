using NodaTime;

namespace SendPlans.Bot.Scheduling;

/// <summary>A meeting time: the instants to book, and the local wall-clock times to show.</summary>
public sealed record Slot(Instant Start, Instant End, LocalDateTime LocalStart, LocalDateTime LocalEnd)
{
    public LocalDate Date => LocalStart.Date;

    public override string ToString() => $"{LocalStart:yyyy-MM-dd HH:mm}–{LocalEnd:HH:mm} ({Start:uuuu-MM-ddTHH:mm}Z)";
}

/// <summary>A placed meeting. <see cref="StaffIds"/> starts with the teacher, then the other staff in id order.</summary>
public sealed record Meeting(string PupilId, string ParentId, IReadOnlyList<string> StaffIds, Slot Slot)
{
    public string TeacherId => StaffIds[0];
}

public enum UnplacedReason
{
    /// <summary>Every day of the window is a weekend or a closure day.</summary>
    WindowEmpty,

    /// <summary>The slot is longer than any allowed stretch of the day.</summary>
    NoSlotFitsHours,

    /// <summary>One required member of staff is busy at every allowed time.</summary>
    StaffBusy,

    /// <summary>The staff are free only before or after school, and the parent is not a working parent.</summary>
    StaffFreeOnlyInExtendedHours,

    /// <summary>Each required member of staff has free time, but never at the same time as the others.</summary>
    NoCommonStaffTime,

    /// <summary>The staff are free, but only at the parent's hard-to-attend times.</summary>
    ParentHardToAttend,

    /// <summary>Suitable times existed, but other meetings or the daily limit took them.</summary>
    FullyBooked,
}

/// <summary>A pupil the finder could not place, with the reason as a code and as a sentence for the teacher.</summary>
public sealed record Unplaced(string PupilId, UnplacedReason Reason, string Message);

/// <summary>The finder's answer: each pupil of the request appears exactly once, in one list or the other.</summary>
public sealed record SlotAssignment(IReadOnlyList<Meeting> Meetings, IReadOnlyList<Unplaced> Unplaced)
{
    public Meeting? MeetingFor(string pupilId) => Meetings.FirstOrDefault(m => m.PupilId == pupilId);
}

/// <summary>
/// Slots offered to a parent to choose from. <see cref="Note"/> says why there are fewer than asked
/// or none outside core hours; it is null when the offer is as asked.
/// </summary>
public sealed record SlotOffer(string PupilId, IReadOnlyList<Slot> Slots, bool IncludesSlotOutsideCoreHours, string? Note);
