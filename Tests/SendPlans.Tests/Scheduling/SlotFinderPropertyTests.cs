using FsCheck.Xunit;
using SendPlans.Bot.Scheduling;

namespace SendPlans.Tests.Scheduling;

public sealed class SlotFinderPropertyTests
{
    private static void ShouldHold(IEnumerable<string> violations) => violations.Take(5).Should().BeEmpty();

    [Property(Arbitrary = [typeof(SlotGenerators)])]
    public void Find_AnyRequest_NeverOverlapsRequiredStaffBusyTime(SlotRequest request) =>
        ShouldHold(SlotChecks.NoStaffBusyOverlap(request, SlotFinder.Find(request)));

    [Property(Arbitrary = [typeof(SlotGenerators)])]
    public void Find_AnyRequest_NeverDoubleBooksStaffOrParentInsideTheBuffer(SlotRequest request) =>
        ShouldHold(SlotChecks.NoDoubleBooking(request, SlotFinder.Find(request)));

    [Property(Arbitrary = [typeof(SlotGenerators)])]
    public void Find_AnyRequest_PlacesOnlyInWindowOnSchoolDaysInAllowedHours(SlotRequest request)
    {
        var assignment = SlotFinder.Find(request);
        ShouldHold(SlotChecks.InsideAllowedDaysAndHours(request, assignment).Concat(SlotChecks.SlotsWellFormed(request, assignment)));
    }

    [Property(Arbitrary = [typeof(SlotGenerators)])]
    public void Find_AnyRequest_RespectsMaxMeetingsPerStaffPerDay(SlotRequest request) =>
        ShouldHold(SlotChecks.WithinDailyLimit(request, SlotFinder.Find(request)));

    [Property(Arbitrary = [typeof(SlotGenerators)])]
    public void Find_AnyRequest_PlacesOrGivesAReasonForEveryPupilExactlyOnce(SlotRequest request) =>
        ShouldHold(SlotChecks.EveryPupilExactlyOnce(request, SlotFinder.Find(request)));

    [Property(Arbitrary = [typeof(SlotGenerators)])]
    public void Find_AnyRequest_RespectsParentsHardToAttendTimes(SlotRequest request) =>
        ShouldHold(SlotChecks.ParentHardToAttendRespected(request, SlotFinder.Find(request)));

    [Property(Arbitrary = [typeof(SlotGenerators)])]
    public void Find_UnplacedPupil_HasNoFreeSlotLeft(SlotRequest request)
    {
        var assignment = SlotFinder.Find(request);

        ShouldHold(
            from u in assignment.Unplaced
            let pupil = request.Pupils.Single(p => p.PupilId == u.PupilId)
            let extended = SlotChecks.ParentOf(request, pupil.ParentId).MayUseExtendedHours
            from slot in SlotChecks.FreeSlots(request, assignment, pupil, extended)
            select $"{u.PupilId} unplaced ({u.Reason}) but {slot} is free");
    }

    [Property(Arbitrary = [typeof(SlotGenerators)])]
    public void Find_SameRequestTwice_SameAssignment(SlotRequest request) =>
        Describe(SlotFinder.Find(request)).Should().Equal(Describe(SlotFinder.Find(request)));

    [Property(Arbitrary = [typeof(SlotGenerators)])]
    public void Find_ListsShuffled_SameAssignment(ShuffledRequest shuffled) =>
        Describe(SlotFinder.Find(SlotGenerators.Shuffle(shuffled.Request, shuffled.Seed)))
            .Should().Equal(Describe(SlotFinder.Find(shuffled.Request)));

    [Property(Arbitrary = [typeof(SlotGenerators)])]
    public void Alternatives_AnyPlacedPupil_OffersOnlyFreeSlotsOtherThanTheCurrentOne(SlotRequest request)
    {
        var finder = new SlotFinder(request);
        var assignment = finder.Find();

        ShouldHold(
            from m in assignment.Meetings.Take(3)
            let pupil = request.Pupils.Single(p => p.PupilId == m.PupilId)
            from slot in finder.Alternatives(assignment, m.PupilId, 4)
            let moved = assignment with { Meetings = [.. assignment.Meetings.Where(x => x != m), m with { Slot = slot }] }
            from violation in SlotChecks.All(request, moved).Concat(slot == m.Slot ? ["the current slot is offered"] : [])
            select $"{m.PupilId} → {slot}: {violation}");
    }

    internal static List<string> Describe(SlotAssignment a) =>
    [
        .. a.Meetings.Select(m => $"{m.PupilId} {m.ParentId} {string.Join("+", m.StaffIds)} {m.Slot}"),
        .. a.Unplaced.Select(u => $"{u.PupilId} {u.Reason} {u.Message}"),
    ];
}
