using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SendPlans.Bot.Attendance;
using SendPlans.Infrastructure.Calendars;
using SendPlans.Infrastructure.Calendars.Graph;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Attendance;

/// <summary>The attendance report through the real Graph SDK and HTTP stack, against the fake Graph server.</summary>
public sealed class GraphAttendanceTests : IAsyncLifetime
{
    private const string Token = "test-token";
    private const string Organizer = "teacher@oakfield.example.org";
    private const string JoinUrl = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%22Tid%22%3a%22t%22%7d";
    private FakeGraph _graph = null!;
    private ServiceProvider _services = null!;

    private IMeetingAttendance Attendance => _services.GetRequiredService<IMeetingAttendance>();

    public async Task InitializeAsync()
    {
        _graph = await FakeGraph.StartAsync();
        _graph.ExpectedToken = Token;
        _services = Services(_graph.BaseUrl);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _graph.DisposeAsync();
    }

    [Fact]
    public async Task GetAttendance_ParentInReport_FoundAndRulesSayAttended()
    {
        _graph.AddOnlineMeeting(Organizer, JoinUrl, [(Organizer, "teacher-id", 900), ("Hartley.Home@Example.com", null, 840)]);

        var report = await Attendance.GetAttendanceAsync(Organizer, JoinUrl, default);

        report.Status.Should().Be(AttendanceReportStatus.Found);
        report.Attendees.Should().HaveCount(2);
        report.Attendees[1].TimeInMeeting.Should().Be(TimeSpan.FromSeconds(840));
        AttendanceRules.FromReport(report, ["hartley.home@example.com"]).Should().Be(AttendanceOutcome.Attended, "emails match without regard to case");
    }

    [Fact]
    public async Task GetAttendance_ReportWithoutParent_RulesSayDidNotAttend()
    {
        _graph.AddOnlineMeeting(Organizer, JoinUrl, [(Organizer, "teacher-id", 900)]);

        var report = await Attendance.GetAttendanceAsync(Organizer, JoinUrl, default);

        AttendanceRules.FromReport(report, ["hartley.home@example.com"]).Should().Be(AttendanceOutcome.DidNotAttend);
    }

    [Fact]
    public async Task GetAttendance_MeetingWithoutReport_NoReportAndNoOutcome()
    {
        _graph.AddOnlineMeeting(Organizer, JoinUrl);

        var report = await Attendance.GetAttendanceAsync(Organizer, JoinUrl, default);

        report.Status.Should().Be(AttendanceReportStatus.NoReport);
        AttendanceRules.FromReport(report, ["hartley.home@example.com"]).Should().BeNull("the teacher is asked instead");
    }

    [Fact]
    public async Task GetAttendance_NoAccessPolicy403_Forbidden()
    {
        _graph.AddOnlineMeeting(Organizer, JoinUrl, [("hartley.home@example.com", null, 600)]);
        _graph.Deny(Organizer, 403);

        var report = await Attendance.GetAttendanceAsync(Organizer, JoinUrl, default);

        report.Status.Should().Be(AttendanceReportStatus.Forbidden);
    }

    [Fact]
    public async Task GetAttendance_UnknownJoinUrl_NotFound()
    {
        var report = await Attendance.GetAttendanceAsync(Organizer, "https://teams.microsoft.com/l/meetup-join/other", default);

        report.Status.Should().Be(AttendanceReportStatus.NotFound);
    }

    [Fact]
    public async Task GetAttendance_TwoReports_RecordsOfBothRead()
    {
        _graph.AddOnlineMeeting(Organizer, JoinUrl, [(Organizer, "teacher-id", 300)], [(Organizer, "teacher-id", 600), (null, "hartley.home@example.com", 500)]);

        var report = await Attendance.GetAttendanceAsync(Organizer, JoinUrl, default);

        report.Attendees.Should().HaveCount(3);
        AttendanceRules.FromReport(report, ["hartley.home@example.com"]).Should().Be(AttendanceOutcome.Attended, "an invited identity can match too");
    }

    [Fact]
    public void AddCalendars_LocalProvider_NoReportsSoTheTeacherIsAsked()
    {
        using var local = Services(_graph.BaseUrl, provider: "Local");

        local.GetRequiredService<IMeetingAttendance>().Should().BeOfType<NoMeetingAttendance>();
    }

    private static ServiceProvider Services(string baseUrl, string provider = "Graph") =>
        FakeGraph.CalendarServices(baseUrl, Token, provider).BuildServiceProvider();
}
