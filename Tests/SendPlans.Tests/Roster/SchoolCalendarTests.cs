using SendPlans.Bot.Roster.Demo;
using SendPlans.Bot.Terms;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Roster;

public sealed class SchoolCalendarTests
{
    private static Term Autumn => DemoSchool.Terms2026To27("demo")[0];

    [Theory]
    [InlineData("2026-11-25", true)]   // a Wednesday in term
    [InlineData("2026-11-28", false)]  // Saturday
    [InlineData("2026-10-28", false)]  // half-term
    [InlineData("2026-11-27", false)]  // INSET
    [InlineData("2026-09-02", false)]  // before term
    [InlineData("2026-12-18", true)]   // the last day
    public void IsSchoolDay_Date_FollowsTheCalendar(string date, bool expected) =>
        Autumn.IsSchoolDay(DateOnly.Parse(date)).Should().Be(expected);

    [Fact]
    public void Problems_DemoTerms_None() =>
        DemoSchool.Terms2026To27("demo").SelectMany(t => t.Problems()).Should().BeEmpty();

    [Fact]
    public void Problems_DeadlineBeforeWindowCloses_Reported() =>
        (Autumn with { Deadline = new DateOnly(2026, 11, 20) }).Problems().Should().ContainSingle(p => p.Contains("deadline"));

    [Fact]
    public void Problems_WindowOutsideTerm_Reported() =>
        (Autumn with { MeetingWindowEnd = new DateOnly(2027, 1, 10) }).Problems().Should().Contain(p => p.Contains("meeting window"));

    [Theory]
    [InlineData("2026-11-25", "2026-27")]
    [InlineData("2027-08-31", "2026-27")]
    [InlineData("2027-09-01", "2027-28")]
    public void AcademicYearsFor_Date_GivesSchoolYear(string date, string year) =>
        AcademicYears.For(DateOnly.Parse(date)).Should().Be(year);

    [Fact]
    public void SchoolSettings_Defaults_AreValid()
    {
        var settings = new SchoolSettings("demo", "Oakfield");

        settings.Problems().Should().BeEmpty();
        settings.TimeZone.Should().Be("Europe/London");
        settings.SlotLength.Should().Be(TimeSpan.FromMinutes(15));
    }

    [Fact]
    public async Task CreateTermsAsync_Twice_SecondCreatesNothing()
    {
        await using var roster = await RosterServices.StartAsync();
        var terms = DemoSchool.Terms2026To27("s1");

        (await roster.Calendar.CreateTermsAsync(terms, default)).Should().Be(3);
        (await roster.Calendar.CreateTermsAsync(terms, default)).Should().Be(0);

        (await roster.Calendar.GetTermsAsync("s1", "2026-27", default)).Select(t => t.Name)
            .Should().Equal(TermName.Autumn, TermName.Spring, TermName.Summer);
    }

    [Fact]
    public async Task CurrentOrNextTermAsync_LateNovember2026_IsAutumn()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        await using var roster = await RosterServices.StartAsync(time);
        await roster.Calendar.CreateTermsAsync(DemoSchool.Terms2026To27("s2"), default);

        var term = await roster.Calendar.CurrentOrNextTermAsync("s2", default);

        term!.Id.Should().Be("2026-27-autumn");
        term.Deadline.Should().Be(new DateOnly(2026, 12, 11));
    }

    [Fact]
    public async Task UpdateSettingsAsync_Change_KeepsOtherFields()
    {
        await using var roster = await RosterServices.StartAsync();
        await roster.Calendar.CreateSettingsAsync(new SchoolSettings("s3", "Oakfield"), default);
        (await roster.Calendar.CreateSettingsAsync(new SchoolSettings("s3", "Other name"), default)).Should().BeFalse("a create never overwrites");

        var updated = await roster.Calendar.UpdateSettingsAsync("s3", s => s with { SlotLength = TimeSpan.FromMinutes(20) }, default);

        updated!.Name.Should().Be("Oakfield");
        updated.SlotLength.Should().Be(TimeSpan.FromMinutes(20));
        (await roster.Calendar.GetSettingsAsync("s3", default))!.SlotLength.Should().Be(TimeSpan.FromMinutes(20));
    }
}
