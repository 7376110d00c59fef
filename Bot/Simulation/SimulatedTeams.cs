using System.Collections.Concurrent;
using SendPlans.Infrastructure.Calendars;

namespace SendPlans.Bot.Simulation;

/// <summary>
/// Stands in for Teams' attendance reports in a simulation: a report for every simulated Teams
/// meeting, with the teacher and, when the parent came, the parent's email. The sweep reads it
/// through the same seam (<see cref="IMeetingAttendance"/>) as it reads Graph.
/// </summary>
public sealed class SimulatedTeams : IMeetingAttendance
{
    private readonly ConcurrentDictionary<string, MeetingAttendanceReport> _reports = new(StringComparer.Ordinal);

    public void Held(string joinUrl, string teacherEmail, string? parentEmail) =>
        _reports[joinUrl] = new MeetingAttendanceReport(AttendanceReportStatus.Found,
        [
            new AttendeeRecord(teacherEmail, null, TimeSpan.FromMinutes(15)),
            .. parentEmail is null ? Array.Empty<AttendeeRecord>() : [new AttendeeRecord(parentEmail, null, TimeSpan.FromMinutes(14))],
        ]);

    public Task<MeetingAttendanceReport> GetAttendanceAsync(string organizer, string joinUrl, CancellationToken cancellationToken) =>
        Task.FromResult(_reports.TryGetValue(joinUrl, out var report) ? report : MeetingAttendanceReport.Of(AttendanceReportStatus.NoReport));
}
