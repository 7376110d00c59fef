using SendPlans.Bot.Attendance;
using SendPlans.Infrastructure.Calendars;

namespace SendPlans.Tests.Attendance;

/// <summary>The follow-up's moves and the attendance rules: plain rules, no I/O.</summary>
public sealed class FollowUpRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 12, 16, 0, 0, TimeSpan.Zero);

    private static FollowUpItem Open() => new("oak", "t|P1|0|202601121530", FollowUpReason.Missed, "P1", "R", "RA", "teacher", T0);

    [Fact]
    public void Apply_ClaimRebookAttend_EveryStepHasTimeAndPerson()
    {
        var item = Open();
        item = FollowUpRules.Apply(item, FollowUpAction.Claim, "lead", "Lee Lead", T0.AddMinutes(5), null).Item!;
        item = FollowUpRules.Apply(item, FollowUpAction.Rebook, "lead", "Lee Lead", T0.AddHours(2), null).Item!;
        item = FollowUpRules.Apply(item, FollowUpAction.Attend, "system", "Teams attendance report", T0.AddDays(7), null).Item!;

        item.State.Should().Be(FollowUpState.Attended);
        item.IsFinal.Should().BeTrue();
        item.ClaimedByName.Should().Be("Lee Lead");
        item.History.Select(h => (h.State, h.By)).Should().Equal(
            (FollowUpState.Claimed, "Lee Lead"), (FollowUpState.Rebooked, "Lee Lead"), (FollowUpState.Attended, "Teams attendance report"));
        item.History.Select(h => h.At).Should().BeInAscendingOrder();
    }

    [Fact]
    public void Apply_ClaimedBySomeoneElse_RefusedWithTheirName()
    {
        var item = FollowUpRules.Apply(Open(), FollowUpAction.Claim, "lead", "Lee Lead", T0, null).Item!;

        var (again, refusal) = FollowUpRules.Apply(item, FollowUpAction.Claim, "other", "Oz Other", T0, null);
        var (rebook, refusal2) = FollowUpRules.Apply(item, FollowUpAction.Rebook, "other", "Oz Other", T0, null);

        again.Should().BeNull();
        refusal.Should().Contain("Lee Lead");
        rebook.Should().BeNull();
        refusal2.Should().Contain("Lee Lead");
    }

    [Fact]
    public void Apply_ClaimTwiceBySamePerson_NoNewStep()
    {
        var item = FollowUpRules.Apply(Open(), FollowUpAction.Claim, "lead", "Lee Lead", T0, null).Item!;

        var (same, refusal) = FollowUpRules.Apply(item, FollowUpAction.Claim, "lead", "Lee Lead", T0.AddMinutes(1), null);

        refusal.Should().BeNull();
        same.Should().BeSameAs(item);
    }

    [Fact]
    public void Apply_DeclineWithoutReason_AsksForTheReason()
    {
        var (item, refusal) = FollowUpRules.Apply(Open(), FollowUpAction.Decline, "lead", "Lee Lead", T0, "  ");

        item.Should().BeNull();
        refusal.Should().Contain("why");
    }

    [Fact]
    public void Apply_DeclineWithReason_FinalWithTheReasonKept()
    {
        var (item, _) = FollowUpRules.Apply(Open(), FollowUpAction.Decline, "lead", "Lee Lead", T0, "Works nights; will read the plan at home");

        item!.State.Should().Be(FollowUpState.Declined);
        item.History[^1].Note.Should().Be("Works nights; will read the plan at home");
        FollowUpRules.Apply(item, FollowUpAction.Claim, "x", "X", T0, null).Refusal.Should().Contain("already");
    }

    [Fact]
    public void IsDueForEscalation_CouldNotReachForNDays_DueOnlyAfterN()
    {
        var item = FollowUpRules.Apply(Open(), FollowUpAction.CouldNotReach, "lead", "Lee Lead", T0, null).Item!;

        item.State.Should().Be(FollowUpState.Claimed, "trying to reach the parent claims the item");
        FollowUpRules.IsDueForEscalation(item, T0.AddDays(4.9), TimeSpan.FromDays(5)).Should().BeFalse();
        FollowUpRules.IsDueForEscalation(item, T0.AddDays(5), TimeSpan.FromDays(5)).Should().BeTrue();
        var rebooked = FollowUpRules.Apply(item, FollowUpAction.Rebook, "lead", "Lee Lead", T0.AddDays(1), null).Item!;
        FollowUpRules.IsDueForEscalation(rebooked, T0.AddDays(9), TimeSpan.FromDays(5)).Should().BeFalse("reaching the parent later stops the clock");
    }

    [Fact]
    public void MayReplace_TeacherAnswerAfterReport_TeacherWinsAndReportNeverOverrides()
    {
        var report = new AttendanceRecord("oak", "m", "P1", AttendanceOutcome.DidNotAttend, AttendanceSource.Report, T0, "report");
        var teacher = report with { Outcome = AttendanceOutcome.Attended, Source = AttendanceSource.Teacher };

        AttendanceRules.MayReplace(report, AttendanceSource.Teacher).Should().BeTrue();
        AttendanceRules.MayReplace(teacher, AttendanceSource.Report).Should().BeFalse();
        AttendanceRules.MayReplace(null, AttendanceSource.Report).Should().BeTrue();
    }

    [Fact]
    public void FromReport_Unsupported_NoOutcome()
    {
        AttendanceRules.FromReport(MeetingAttendanceReport.Of(AttendanceReportStatus.Unsupported), ["a@b.c"]).Should().BeNull();
        AttendanceRules.FromReport(MeetingAttendanceReport.Of(AttendanceReportStatus.Forbidden), ["a@b.c"]).Should().BeNull();
    }

    [Theory]
    [InlineData("Attendance:SweepInterval", "00:00:01")]
    [InlineData("Attendance:EscalateAfterDays", "0")]
    [InlineData("Attendance:ReportDelay", "00:45:00")]
    [InlineData("Attendance:Lookback", "00:30:00")]
    public void Validate_BadValue_MessageNamesTheKey(string key, string value)
    {
        var options = new AttendanceOptions();
        var name = key.Split(':')[1];
        var property = typeof(AttendanceOptions).GetProperty(name)!;
        property.SetValue(options, property.PropertyType == typeof(int) ? int.Parse(value) : TimeSpan.Parse(value));

        var result = new AttendanceOptionsValidator().Validate(null, options);

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain(key);
    }

    [Theory]
    [InlineData("2026-01-15", "15:30", "Thursday 15 January 2026 at 15:30")]
    [InlineData("2026-01-12", "16:30", "Monday 12 January 2026 at 16:30")]
    [InlineData(" 2026-01-12 ", "", "Monday 12 January 2026")]
    [InlineData(null, null, null)]
    public void AgreedTime_DayAndTimeStillToCome_ReadAsTheTeacherReadsIt(string? day, string? time, string? expected)
    {
        var (agreed, refusal) = FollowUpRules.AgreedTime(day, time, new DateTime(2026, 1, 12, 16, 0, 0));

        refusal.Should().BeNull();
        agreed.Should().Be(expected);
    }

    [Theory]
    [InlineData("2026-01-11", null, "has passed")]
    [InlineData("2026-01-12", "15:59", "has passed")]
    [InlineData("2027-01-13", null, "more than a year away")]
    [InlineData("12/01/2026", null, "could not read that day")]
    [InlineData("2026-02-30", null, "could not read that day")]
    [InlineData("2026-01-15", "25:00", "could not read that time")]
    [InlineData("2026-01-15", "half three", "could not read that time")]
    [InlineData("", "15:30", "day as well as the time")]
    public void AgreedTime_BadOrPastDayOrTime_RefusedWithTheReason(string? day, string? time, string reason)
    {
        var (agreed, refusal) = FollowUpRules.AgreedTime(day, time, new DateTime(2026, 1, 12, 16, 0, 0));

        agreed.Should().BeNull();
        refusal.Should().Contain(reason);
    }
}
