using SendPlans.Bot.Booking;
using SendPlans.Bot.Terms;

namespace SendPlans.Bot.Attendance;

/// <summary>
/// The seam for "no response": the pupils of a term whose parent gave no views and did not
/// answer the invitation. The views store (issue 6) is not merged yet, so the one
/// implementation here judges by the invitation alone; point it at the views when they land.
/// </summary>
public interface IParentResponses
{
    Task<IReadOnlyList<string>> NotRespondedAsync(string schoolId, Term term, CancellationToken cancellationToken);
}

/// <summary>A parent asked to choose a time who never chose one (the meeting is still waiting on them).</summary>
public sealed class InvitationParentResponses(MeetingStore meetings) : IParentResponses
{
    public async Task<IReadOnlyList<string>> NotRespondedAsync(string schoolId, Term term, CancellationToken cancellationToken) =>
        [.. (await meetings.ForTermAsync(schoolId, term.Id, cancellationToken))
            .Where(m => m.Status == MeetingStatus.ParentChoosing && !m.ParentCannotCome && m.ParentNote is null)
            .Select(m => m.Upn)];
}

/// <summary>After a term's deadline, each parent who did not respond raises one follow-up.</summary>
public sealed class NoResponseCheck(IParentResponses responses, SchoolCalendarStore calendars, MeetingStore meetings, FollowUpAlerts alerts, TimeProvider time)
{
    public async Task<int> RaiseAsync(CancellationToken cancellationToken)
    {
        var raised = 0;
        foreach (var school in await calendars.AllSettingsAsync(cancellationToken))
        {
            if (await calendars.CurrentOrNextTermAsync(school.SchoolId, cancellationToken) is not { } term
                || DateOnly.FromDateTime(BookingText.Local(time.GetUtcNow(), school.TimeZone)) <= term.Deadline)
            {
                continue;
            }
            foreach (var upn in await responses.NotRespondedAsync(school.SchoolId, term, cancellationToken))
            {
                var meeting = await meetings.GetAsync(school.SchoolId, term.Id, upn, cancellationToken);
                if (await alerts.RaiseAsync(new FollowUpRequest(school.SchoolId, $"{term.Id}|{upn}|no-response", term.Id, upn, meeting?.TeacherId ?? "", FollowUpReason.NoResponse, null), cancellationToken) is not null)
                {
                    raised++;
                }
            }
        }
        return raised;
    }
}
