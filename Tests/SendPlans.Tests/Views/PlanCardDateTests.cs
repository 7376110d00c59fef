using System.Globalization;
using SendPlans.Bot.Plans;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Terms;

namespace SendPlans.Tests.Views;

/// <summary>Dates on the plan card are the school's, not UTC's: from midnight to 1am in British Summer Time the UTC date is still yesterday.</summary>
public sealed class PlanCardDateTests
{
    [Theory]
    [InlineData("2026-06-30T22:30:00Z", "30 June 2026")] // 23:30 at school: the same day in UTC
    [InlineData("2026-06-30T23:30:00Z", "1 July 2026")] // 00:30 at school on 1 July: still 30 June in UTC
    [InlineData("2026-12-31T23:30:00Z", "31 December 2026")] // winter: school time is UTC
    public void Summary_AgreedAroundMidnightInBritishSummerTime_RecordedOnTheSchoolsDay(string recordedAt, string expected)
    {
        var agreed = new AgreedNotes(["Amelia will point to her help card."], "Notes.", 2, DateTimeOffset.Parse(recordedAt, CultureInfo.InvariantCulture));

        var summary = PlansHandlers.Summary(agreed, "Europe/London");

        summary.RecordedOn.Should().Be(expected);
        summary.Revision.Should().Be(2);
        summary.Targets.Should().Equal(agreed.Targets);
    }

    [Fact]
    public void Summary_NoTimeZoneSet_SchoolDefaultLondon() =>
        PlansHandlers.Summary(new AgreedNotes([], "", 1, new DateTimeOffset(2026, 4, 1, 23, 10, 0, TimeSpan.Zero)), null).RecordedOn.Should().Be("2 April 2026");

    [Theory]
    [InlineData(false, "1 July")]
    [InlineData(true, "1 July 2026")]
    public void Day_JustAfterMidnightInBritishSummerTime_TheSchoolsDateWithOrWithoutYear(bool withYear, string expected) =>
        SchoolClock.Day(new DateTimeOffset(2026, 6, 30, 23, 5, 0, TimeSpan.Zero), "Europe/London", withYear).Should().Be(expected);
}
