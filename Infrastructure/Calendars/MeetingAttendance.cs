using Microsoft.Kiota.Abstractions;
using SendPlans.Infrastructure.Calendars.Graph;

namespace SendPlans.Infrastructure.Calendars;

/// <summary>What the calendar knows of who joined an online meeting.</summary>
public enum AttendanceReportStatus
{
    /// <summary>At least one report was found; its records are in the result.</summary>
    Found,

    /// <summary>The meeting exists but has no report yet (or never will: nobody joined, or reports are off).</summary>
    NoReport,

    /// <summary>The meeting was not found by its join URL.</summary>
    NotFound,

    /// <summary>401/403: the app lacks OnlineMeetingArtifact.Read.All or the tenant's access policy.</summary>
    Forbidden,

    /// <summary>This calendar has no attendance reports at all (the local calendar).</summary>
    Unsupported,
}

/// <summary>One participant in an attendance report: their email and identity id, when Teams knows them.</summary>
public sealed record AttendeeRecord(string? Email, string? IdentityId, TimeSpan TimeInMeeting);

public sealed record MeetingAttendanceReport(AttendanceReportStatus Status, IReadOnlyList<AttendeeRecord> Attendees)
{
    public static MeetingAttendanceReport Of(AttendanceReportStatus status) => new(status, []);
}

/// <summary>Reads the attendance of an online meeting, found by its organizer and join URL.</summary>
public interface IMeetingAttendance
{
    Task<MeetingAttendanceReport> GetAttendanceAsync(string organizer, string joinUrl, CancellationToken cancellationToken);
}

/// <summary>The local calendar has Teams links that lead to a local page: no reports, so the teacher is asked.</summary>
public sealed class NoMeetingAttendance : IMeetingAttendance
{
    public Task<MeetingAttendanceReport> GetAttendanceAsync(string organizer, string joinUrl, CancellationToken cancellationToken) =>
        Task.FromResult(MeetingAttendanceReport.Of(AttendanceReportStatus.Unsupported));
}

/// <summary>
/// Graph: GET /users/{organizer}/onlineMeetings?$filter=JoinWebUrl eq '{url}', then the
/// meeting's attendanceReports and each report's attendanceRecords. App-only access needs
/// OnlineMeetingArtifact.Read.All and an application access policy; without them Graph answers 403.
/// </summary>
public sealed class GraphMeetingAttendance(GraphClients clients) : IMeetingAttendance
{
    public const string Permission = "OnlineMeetingArtifact.Read.All";

    public async Task<MeetingAttendanceReport> GetAttendanceAsync(string organizer, string joinUrl, CancellationToken cancellationToken)
    {
        var graph = clients.Create();
        try
        {
            var user = graph.Users[organizer];
            var meetings = await user.OnlineMeetings.GetAsync(r => r.QueryParameters.Filter = $"JoinWebUrl eq '{joinUrl.Replace("'", "''", StringComparison.Ordinal)}'", cancellationToken);
            if (meetings?.Value is not [var meeting, ..] || meeting.Id is null)
            {
                return MeetingAttendanceReport.Of(AttendanceReportStatus.NotFound);
            }
            var reports = await user.OnlineMeetings[meeting.Id].AttendanceReports.GetAsync(cancellationToken: cancellationToken);
            if (reports?.Value is not { Count: > 0 } found)
            {
                return MeetingAttendanceReport.Of(AttendanceReportStatus.NoReport);
            }
            var attendees = new List<AttendeeRecord>();
            foreach (var report in found.Where(r => r.Id is not null))
            {
                var records = await user.OnlineMeetings[meeting.Id].AttendanceReports[report.Id].AttendanceRecords.GetAsync(cancellationToken: cancellationToken);
                attendees.AddRange((records?.Value ?? []).Select(r => new AttendeeRecord(
                    r.EmailAddress, r.Identity?.Id, TimeSpan.FromSeconds(r.TotalAttendanceInSeconds ?? 0))));
            }
            return new MeetingAttendanceReport(AttendanceReportStatus.Found, attendees);
        }
        catch (ApiException e) when (e.ResponseStatusCode is 401 or 403)
        {
            return MeetingAttendanceReport.Of(AttendanceReportStatus.Forbidden);
        }
        catch (ApiException e) when (e.ResponseStatusCode == 404)
        {
            return MeetingAttendanceReport.Of(AttendanceReportStatus.NotFound);
        }
    }
}
