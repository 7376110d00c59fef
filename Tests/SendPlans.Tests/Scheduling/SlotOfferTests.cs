using FsCheck.Xunit;
using SendPlans.Bot.Scheduling;
using static SendPlans.Tests.Scheduling.School;

namespace SendPlans.Tests.Scheduling;

public sealed class SlotOfferTests
{
    private static SlotRequest LunchAndAfterSchool(params PupilMeetingRequest[] pupils) =>
        Request("2026-11-02", "2026-11-06", pupils) with
        {
            Staff = [Staff("T1", BusyExcept("2026-11-02", "2026-11-06", ("12:00", "13:00"), ("15:15", "16:00")))],
        };

    [Fact]
    public void Alternatives_PlacedPupil_OffersFreeSlotsOnDifferentDaysButNotTheCurrentOne()
    {
        var request = LunchAndAfterSchool(Pupil("U1", "T1", "P1"), Pupil("U2", "T1", "P2"));
        var finder = new SlotFinder(request);
        var assignment = finder.Find();

        var alternatives = finder.Alternatives(assignment, "U1", 3);

        assignment.Meetings.Select(m => (m.PupilId, Local(m.Slot))).Should().Equal(("U1", "2026-11-02 12:00"), ("U2", "2026-11-03 12:00"));
        alternatives.Select(Local).Should().Equal("2026-11-02 12:05", "2026-11-04 12:00", "2026-11-05 12:00");
    }

    [Fact]
    public void Alternatives_TeacherFreeOnlyAtOtherPupilsTime_OffersNothing()
    {
        var request = Request("2026-11-02", "2026-11-02", Pupil("U1", "T1", "P1"), Pupil("U2", "T1", "P2")) with
        {
            Staff = [Staff("T1", BusyExcept("2026-11-02", "2026-11-02", ("12:00", "12:15"), ("12:30", "12:45")))],
        };
        var finder = new SlotFinder(request);
        var assignment = finder.Find();

        finder.Alternatives(assignment, "U1", 3).Should().BeEmpty();
    }

    [Fact]
    public void Alternatives_UnknownPupil_Throws()
    {
        var finder = new SlotFinder(LunchAndAfterSchool(Pupil("U1", "T1", "P1")));

        var act = () => finder.Alternatives(finder.Find(), "U9", 3);

        act.Should().Throw<ArgumentException>().WithMessage("*U9*");
    }

    [Fact]
    public void OfferThree_TeacherFreeAtLunchAndAfterSchool_OffersCurrentSlotAndOneAfterSchool()
    {
        var finder = new SlotFinder(LunchAndAfterSchool(Pupil("U1", "T1", "P1")));
        var assignment = finder.Find();

        var offer = finder.OfferThree(assignment, "U1");

        offer.Slots.Select(Local).Should().Equal("2026-11-02 12:00", "2026-11-02 15:15", "2026-11-03 12:00");
        offer.IncludesSlotOutsideCoreHours.Should().BeTrue();
        offer.Note.Should().BeNull();
    }

    [Fact]
    public void OfferThree_WorkingParent_OffersOnlyTimesOutsideTheirWorkingHours()
    {
        var request = LunchAndAfterSchool(Pupil("U1", "T1", "P1")) with { Parents = [WorkingParent("P1")] };
        var finder = new SlotFinder(request);

        var offer = finder.OfferThree(finder.Find(), "U1");

        offer.Slots.Select(Local).Should().Equal("2026-11-02 15:15", "2026-11-03 15:15", "2026-11-04 15:15");
    }

    [Fact]
    public void OfferThree_NothingFreeOutsideCoreHours_SaysEveryOfferIsInThoseHours()
    {
        var request = Request("2026-11-02", "2026-11-06", Pupil("U1", "T1", "P1")) with
        {
            Staff = [Staff("T1", BusyExcept("2026-11-02", "2026-11-06", ("12:00", "13:00")))],
        };
        var finder = new SlotFinder(request);

        var offer = finder.OfferThree(finder.Find(), "U1");

        offer.Slots.Should().HaveCount(3);
        offer.IncludesSlotOutsideCoreHours.Should().BeFalse();
        offer.Note.Should().Be("Nothing outside 09:00–15:00 is free for Ms T1 and the parent in the window, so every offered slot is within those hours.");
    }

    [Fact]
    public void OfferThree_OnlyTwoSlotsFree_OffersTwoAndSaysSo()
    {
        var request = Request("2026-11-02", "2026-11-02", Pupil("U1", "T1", "P1")) with
        {
            Staff = [Staff("T1", BusyExcept("2026-11-02", "2026-11-02", ("12:00", "12:15"), ("15:30", "15:45")))],
        };
        var finder = new SlotFinder(request);

        var offer = finder.OfferThree(finder.Find(), "U1");

        offer.Slots.Select(Local).Should().Equal("2026-11-02 12:00", "2026-11-02 15:30");
        offer.Note.Should().Be("Only 2 slots are free for Ms T1 and the parent in the window.");
    }

    [Fact]
    public void OfferThree_NothingFree_GivesTheReason()
    {
        var request = Request("2026-11-02", "2026-11-06", Pupil("U1", "T1", "P1")) with
        {
            Staff = [Staff("T1", BusyExcept("2026-11-02", "2026-11-06"))],
        };
        var finder = new SlotFinder(request);

        var offer = finder.OfferThree(finder.Find(), "U1");

        offer.Slots.Should().BeEmpty();
        offer.Note.Should().Be("No free time in the window for Ms T1.");
    }

    [Property(Arbitrary = [typeof(SlotGenerators)])]
    public void OfferThree_AnyPupil_OffersFreeSlotsAndOneOutsideCoreHoursWhenAnyIsFree(SlotRequest request)
    {
        var finder = new SlotFinder(request);
        var assignment = finder.Find();
        var core = request.CoreHours;

        foreach (var pupil in request.Pupils.Take(3))
        {
            var offer = finder.OfferThree(assignment, pupil.PupilId);
            var free = SlotChecks.FreeSlots(request, assignment, pupil, extended: true);
            var outside = free.Where(s => !core.Overlaps(s.LocalStart.TimeOfDay, s.LocalEnd.TimeOfDay)).ToList();

            offer.Slots.Should().OnlyHaveUniqueItems().And.HaveCount(Math.Min(3, free.Count)).And.BeSubsetOf(free);
            offer.IncludesSlotOutsideCoreHours.Should().Be(outside.Count > 0);
            offer.Slots.Any(outside.Contains).Should().Be(outside.Count > 0);
            (offer.Note is null).Should().Be(offer.Slots.Count == 3 && outside.Count > 0);
        }
    }
}
