using NodaTime;
using SendPlans.Bot.Scheduling;
using static SendPlans.Tests.Scheduling.School;

namespace SendPlans.Tests.Scheduling;

public sealed class SlotFinderTests
{
    private static SlotAssignment FindChecked(SlotRequest request)
    {
        var assignment = SlotFinder.Find(request);
        SlotChecks.All(request, assignment).Should().BeEmpty();
        return assignment;
    }

    [Fact]
    public void Find_TeacherBusyAllWindow_SaysNoFreeTimeForTheTeacher()
    {
        var request = Request("2026-11-02", "2026-11-06", Pupil("U1", "T1", "P1")) with
        {
            Staff = [Staff("T1", BusyExcept("2026-11-02", "2026-11-06"))],
        };

        var assignment = FindChecked(request);

        assignment.Meetings.Should().BeEmpty();
        assignment.Unplaced.Should().ContainSingle().Which.Should().Be(
            new Unplaced("U1", UnplacedReason.StaffBusy, "No free time in the window for Ms T1."));
    }

    [Fact]
    public void Find_FullCalendarWithOneGap_PlacesOnePupilAndSaysTheOtherIsFullyBooked()
    {
        var request = Request("2026-11-02", "2026-11-06", Pupil("U1", "T1", "P1"), Pupil("U2", "T1", "P2")) with
        {
            Staff = [Staff("T1", BusyExcept("2026-11-02", "2026-11-06", ("15:30", "15:50")))],
            Parents = [WorkingParent("P1"), WorkingParent("P2")],
            WindowEnd = Date("2026-11-02"),
        };

        var assignment = FindChecked(request);

        assignment.Meetings.Should().ContainSingle().Which.Slot.LocalStart.TimeOfDay.Should().Be(Time("15:30"));
        assignment.Unplaced.Should().ContainSingle().Which.Reason.Should().Be(UnplacedReason.FullyBooked);
        assignment.Unplaced[0].Message.Should().Contain("Ms T1").And.Contain("6 meetings a day");
    }

    [Fact]
    public void Find_EveryDayAClosure_SaysTheWindowIsEmpty()
    {
        var request = Request("2026-10-26", "2026-10-30", Pupil("U1", "T1", "P1")) with
        {
            ClosureDates = [.. Enumerable.Range(0, 5).Select(i => Date("2026-10-26").PlusDays(i))],
        };

        var assignment = FindChecked(request);

        assignment.Unplaced.Should().ContainSingle().Which.Reason.Should().Be(UnplacedReason.WindowEmpty);
        assignment.Unplaced[0].Message.Should().Contain("every day in it is a weekend or a closure day");
    }

    [Fact]
    public void Find_OneDayWindow_PlacesUpToTheDailyLimitThatDayAndExplainsTheRest()
    {
        var pupils = Enumerable.Range(1, 5).Select(i => Pupil($"U{i}", "T1", $"P{i}")).ToArray();
        var request = Request("2026-11-04", "2026-11-04", pupils) with
        {
            Staff = [Staff("T1", BusyExcept("2026-11-04", "2026-11-04", ("12:00", "13:00")))],
            MaxMeetingsPerStaffPerDay = 2,
        };

        var assignment = FindChecked(request);

        assignment.Meetings.Select(m => Local(m.Slot)).Should().Equal("2026-11-04 12:00", "2026-11-04 12:25");
        assignment.Unplaced.Should().HaveCount(3).And.OnlyContain(u => u.Reason == UnplacedReason.FullyBooked);
    }

    [Fact]
    public void Find_AutumnClockChangeWeek_BooksTheSameLocalTimeAtInstantsAnHourApart()
    {
        var request = Request("2026-10-23", "2026-10-26", Pupil("U1", "T1", "P1"), Pupil("U2", "T1", "P2")) with
        {
            Staff = [Staff("T1", BusyExcept("2026-10-23", "2026-10-26", ("15:15", "15:30")))],
            Parents = [WorkingParent("P1"), WorkingParent("P2")],
            MaxMeetingsPerStaffPerDay = 1,
        };

        var assignment = FindChecked(request);

        assignment.Meetings.Select(m => (Local(m.Slot), m.Slot.Start)).Should().Equal(
            ("2026-10-23 15:15", Utc("2026-10-23T14:15:00Z")),
            ("2026-10-26 15:15", Utc("2026-10-26T15:15:00Z")));
    }

    [Fact]
    public void Find_SpringClockChangeWeek_BooksTheSameLocalTimeAtInstantsAnHourApart()
    {
        var request = Request("2027-03-26", "2027-03-29", Pupil("U1", "T1", "P1"), Pupil("U2", "T1", "P2")) with
        {
            Staff = [Staff("T1", BusyExcept("2027-03-26", "2027-03-29", ("15:15", "15:30")))],
            Parents = [WorkingParent("P1"), WorkingParent("P2")],
            MaxMeetingsPerStaffPerDay = 1,
        };

        var assignment = FindChecked(request);

        assignment.Meetings.Select(m => (Local(m.Slot), m.Slot.Start)).Should().Equal(
            ("2027-03-26 15:15", Utc("2027-03-26T15:15:00Z")),
            ("2027-03-29 15:15", Utc("2027-03-29T14:15:00Z")));
    }

    [Fact]
    public void Find_BusyGivenInUtcOnClockChangeWeek_BlocksTheMatchingLocalTimeOnly()
    {
        // 15:15Z is 16:15 in summer time on Friday and 15:15 in winter time on Monday.
        var busy = new[] { new Interval(Utc("2026-10-23T15:15:00Z"), Utc("2026-10-23T15:30:00Z")), new Interval(Utc("2026-10-26T15:15:00Z"), Utc("2026-10-26T15:30:00Z")) };
        var request = Request("2026-10-23", "2026-10-26", Pupil("U1", "T1", "P1"), Pupil("U2", "T1", "P2")) with
        {
            Staff = [Staff("T1", [.. BusyExcept("2026-10-23", "2026-10-26", ("15:15", "15:30"), ("16:15", "16:30")), .. busy])],
            Parents = [WorkingParent("P1"), WorkingParent("P2")],
            MaxMeetingsPerStaffPerDay = 1,
        };

        var assignment = FindChecked(request);

        assignment.Meetings.Select(m => Local(m.Slot)).Should().Equal("2026-10-23 15:15", "2026-10-26 16:15");
    }

    [Theory]
    [InlineData("2027-03-28")]
    [InlineData("2026-10-25")]
    public void Find_ClockChangeNight_NeverBooksASkippedOrRepeatedLocalTime(string changeDay)
    {
        var pupils = Enumerable.Range(1, 20).Select(i => Pupil($"U{i:00}", "T1", $"P{i:00}")).ToArray();
        var request = Request(changeDay, changeDay, pupils) with
        {
            SchoolDays = new HashSet<IsoDayOfWeek> { IsoDayOfWeek.Sunday },
            SchoolDay = new LocalTimeRange(Time("00:00"), Time("04:00")),
            ExtendedHours = [],
            SlotStep = Duration.FromMinutes(15),
            Buffer = Duration.Zero,
            MaxMeetingsPerStaffPerDay = 20,
        };

        var assignment = FindChecked(request);

        // 01:00–02:00 local is skipped in spring and repeated in autumn; a slot ending at 01:00 touches it too.
        assignment.Meetings.Select(m => m.Slot.LocalStart.TimeOfDay.ToString("HH:mm", null)).Order().Should().Equal(
            "00:00", "00:15", "00:30", "02:00", "02:15", "02:30", "02:45", "03:00", "03:15", "03:30", "03:45");
        assignment.Meetings.Should().OnlyContain(m => m.Slot.LocalStart.InZoneStrictly(London).ToInstant() == m.Slot.Start);
        assignment.Unplaced.Should().HaveCount(9).And.OnlyContain(u => u.Reason == UnplacedReason.FullyBooked);
    }

    [Fact]
    public void Find_SiblingsWithTheSameTeacher_BooksThemBackToBackWithoutABufferBetween()
    {
        var request = Request("2026-11-02", "2026-11-06", Pupil("U1", "T1", "P1"), Pupil("U2", "T1", "P9"), Pupil("U3", "T1", "P1")) with
        {
            Staff = [Staff("T1", BusyExcept("2026-11-02", "2026-11-06", ("12:15", "13:00")))],
        };

        var assignment = FindChecked(request);

        var siblings = assignment.Meetings.Where(m => m.ParentId == "P1").OrderBy(m => m.Slot.Start).ToList();
        siblings.Should().HaveCount(2);
        siblings[1].Slot.Start.Should().Be(siblings[0].Slot.End);
    }

    [Fact]
    public void Find_SiblingsWithDifferentTeachers_BooksConsecutiveSlotsEachWithItsOwnTeacher()
    {
        var request = Request("2026-11-02", "2026-11-02", Pupil("U1", "T1", "P1"), Pupil("U2", "T2", "P1")) with
        {
            Staff =
            [
                Staff("T1", BusyExcept("2026-11-02", "2026-11-02", ("15:15", "16:00"))),
                Staff("T2", BusyExcept("2026-11-02", "2026-11-02", ("15:45", "16:30"))),
            ],
            Parents = [WorkingParent("P1")],
        };

        var assignment = FindChecked(request);

        assignment.Meetings.Select(m => (m.PupilId, m.TeacherId, Local(m.Slot))).Should().Equal(
            ("U1", "T1", "2026-11-02 15:30"),
            ("U2", "T2", "2026-11-02 15:45"));
    }

    [Fact]
    public void Find_HalfTermInTheMiddle_BooksNothingInHalfTermAndSpreadsOverTheOtherDays()
    {
        var halfTerm = Enumerable.Range(0, 5).Select(i => Date("2026-10-26").PlusDays(i)).ToList();
        var pupils = Enumerable.Range(1, 10).Select(i => Pupil($"U{i:00}", "T1", $"P{i:00}")).ToArray();
        var request = Request("2026-10-19", "2026-11-06", pupils) with
        {
            ClosureDates = halfTerm,
            Staff = [Staff("T1", BusyExcept("2026-10-19", "2026-11-06", ("12:00", "13:00")))],
        };

        var assignment = FindChecked(request);

        assignment.Meetings.Should().HaveCount(10);
        assignment.Meetings.Should().NotContain(m => halfTerm.Contains(m.Slot.Date));
        assignment.Meetings.GroupBy(m => m.Slot.Date).Should().HaveCount(10, "one meeting a day spreads the load best");
    }

    [Fact]
    public void Find_WorkingParent_BooksOutsideTheirWorkingHoursInTheSchoolDayFirst()
    {
        var request = Request("2026-11-02", "2026-11-02", Pupil("U1", "T1", "P1")) with
        {
            Staff = [Staff("T1")],
            Parents = [WorkingParent("P1")],
        };

        var meeting = FindChecked(request).Meetings.Should().ContainSingle().Subject;

        Local(meeting.Slot).Should().Be("2026-11-02 08:45");
    }

    [Fact]
    public void Find_TeacherFreeOnlyAfterSchoolAndParentNotWorking_SaysExtendedHoursAreForWorkingParents()
    {
        var request = Request("2026-11-02", "2026-11-06", Pupil("U1", "T1", "P1")) with
        {
            Staff = [Staff("T1", BusyExcept("2026-11-02", "2026-11-06", ("15:30", "16:30")))],
        };

        var assignment = FindChecked(request);

        assignment.Unplaced.Should().ContainSingle().Which.Reason.Should().Be(UnplacedReason.StaffFreeOnlyInExtendedHours);
    }

    [Fact]
    public void Find_TeacherFreeOnlyWhenParentCannotCome_SaysEveryFreeSlotIsHardToAttend()
    {
        var request = Request("2026-11-02", "2026-11-06", Pupil("U1", "T1", "P1")) with
        {
            Staff = [Staff("T1", BusyExcept("2026-11-02", "2026-11-06", ("10:00", "11:00")))],
            Parents = [WorkingParent("P1")],
        };

        var assignment = FindChecked(request);

        assignment.Unplaced.Should().ContainSingle().Which.Should().Be(new Unplaced(
            "U1", UnplacedReason.ParentHardToAttend, "Every free slot falls in the parent's hard-to-attend times."));
    }

    [Fact]
    public void Find_TeacherAndSencoNeverFreeTogether_SaysSo()
    {
        var request = Request("2026-11-02", "2026-11-06", Pupil("U1", "T1", "P1", "SENCO")) with
        {
            Staff =
            [
                Staff("T1", BusyExcept("2026-11-02", "2026-11-06", ("10:00", "11:00"))),
                Staff("SENCO", BusyExcept("2026-11-02", "2026-11-06", ("11:00", "12:00"))),
            ],
        };

        var assignment = FindChecked(request);

        assignment.Unplaced.Should().ContainSingle().Which.Should().Be(new Unplaced(
            "U1", UnplacedReason.NoCommonStaffTime, "Ms T1 and Ms SENCO are never free at the same time in the window."));
    }

    [Fact]
    public void Find_TeacherAndSencoFreeTogether_BooksBothIntoOneMeeting()
    {
        var request = Request("2026-11-02", "2026-11-06", Pupil("U1", "T1", "P1", "SENCO", "T1")) with
        {
            Staff =
            [
                Staff("T1", BusyExcept("2026-11-02", "2026-11-06", ("10:00", "11:00"))),
                Staff("SENCO", BusyExcept("2026-11-02", "2026-11-06", ("10:30", "12:00"))),
            ],
        };

        var meeting = FindChecked(request).Meetings.Should().ContainSingle().Subject;

        meeting.StaffIds.Should().Equal("T1", "SENCO");
        Local(meeting.Slot).Should().Be("2026-11-02 10:30");
    }

    [Fact]
    public void Find_ParentWithGoodTimes_PrefersThemOverEarlierFreeSlots()
    {
        var request = Request("2026-11-02", "2026-11-06", Pupil("U1", "T1", "P1")) with
        {
            Staff = [Staff("T1")],
            Parents = [new ParentAvailability("P1") { GoodTimes = [new WeeklyTimeRange(IsoDayOfWeek.Thursday, Time("13:00"), Time("14:00"))] }],
        };

        var meeting = FindChecked(request).Meetings.Should().ContainSingle().Subject;

        Local(meeting.Slot).Should().Be("2026-11-05 13:00");
    }

    [Fact]
    public void Find_ParentPrefersExtendedHours_BooksAfterSchoolEvenWhenFreeInTheDay()
    {
        var request = Request("2026-11-02", "2026-11-02", Pupil("U1", "T1", "P1")) with
        {
            Staff = [Staff("T1", Busy("2026-11-02", "08:00", "08:45"))],
            Parents = [new ParentAvailability("P1") { Preference = ParentPreference.ExtendedHours }],
        };

        var meeting = FindChecked(request).Meetings.Should().ContainSingle().Subject;

        Local(meeting.Slot).Should().Be("2026-11-02 15:15");
    }

    [Fact]
    public void Find_InterpreterNeeded_BooksTheLongerSlot()
    {
        var request = Request("2026-11-02", "2026-11-02", new PupilMeetingRequest("U1", "T1", "P1") { InterpreterNeeded = true });

        var meeting = FindChecked(request).Meetings.Should().ContainSingle().Subject;

        (meeting.Slot.End - meeting.Slot.Start).Should().Be(Duration.FromMinutes(30));
    }

    [Fact]
    public void Find_OneSlotSuitsTwoParentsButOnlyOneHasNoOther_GivesItToTheMoreConstrainedParent()
    {
        var request = Request("2026-11-02", "2026-11-02", Pupil("U1", "T1", "P1"), Pupil("U2", "T1", "P2")) with
        {
            Staff = [Staff("T1", BusyExcept("2026-11-02", "2026-11-02", ("12:00", "12:15"), ("15:30", "15:45")))],
            // P1 works on Tuesday mornings, so after school is open to them; P2 can come only in the school day.
            Parents = [new ParentAvailability("P1") { HardToAttend = [new WeeklyTimeRange(IsoDayOfWeek.Tuesday, Time("09:00"), Time("10:00"))] }],
        };

        var assignment = FindChecked(request);

        assignment.Meetings.Select(m => (m.PupilId, Local(m.Slot))).Should().Equal(
            ("U2", "2026-11-02 12:00"), ("U1", "2026-11-02 15:30"));
    }

    [Fact]
    public void Find_SamePupilTwice_Throws()
    {
        var request = Request("2026-11-02", "2026-11-02", Pupil("U1", "T1", "P1"), Pupil("U1", "T2", "P2"));

        var act = () => SlotFinder.Find(request);

        act.Should().Throw<ArgumentException>().WithMessage("*U1*more than once*");
    }

    [Fact]
    public void Find_UnknownTimeZone_Throws()
    {
        var request = Request("2026-11-02", "2026-11-02", Pupil("U1", "T1", "P1")) with { TimeZoneId = "Europe/Atlantis" };

        var act = () => SlotFinder.Find(request);

        act.Should().Throw<ArgumentException>().WithMessage("*Europe/Atlantis*");
    }

    [Fact]
    public void Find_BenchmarkSchool_KeepsEveryRuleAndLeavesNoFreeSlotUnused()
    {
        var request = SendPlans.Bench.Scheduling.RealisticSchool.Build();

        var assignment = FindChecked(request);

        assignment.Meetings.Should().HaveCountGreaterThan(240);
        assignment.Unplaced.SelectMany(u => SlotChecks.FreeSlots(request, assignment, request.Pupils.Single(p => p.PupilId == u.PupilId),
            SlotChecks.ParentOf(request, request.Pupils.Single(p => p.PupilId == u.PupilId).ParentId).MayUseExtendedHours)).Should().BeEmpty();
        var apart = assignment.Meetings.GroupBy(m => m.ParentId).Where(g => g.Count() > 1)
            .Where(g => g.OrderBy(m => m.Slot.Start).Zip(g.OrderBy(m => m.Slot.Start).Skip(1)).Any(p => p.First.Slot.End != p.Second.Slot.Start))
            .Select(g => g.Key);
        // P003's U003 needs TA1, free only 15:00–15:15 in the school day, when U236's teacher still teaches; P003 is not a working parent.
        apart.Should().Equal("P003");
    }
}
