using SendPlans.Bot.Booking;
using SendPlans.Bot.Terms;
using SendPlans.Bot.Views;

namespace SendPlans.Bot.Attendance;

/// <summary>
/// The seam for "no response": the pupils of a term whose parent gave no views and did not
/// answer the invitation.
/// </summary>
public interface IParentResponses
{
    Task<IReadOnlyList<string>> NotRespondedAsync(string schoolId, Term term, CancellationToken cancellationToken);
}

/// <summary>
/// A parent asked to choose a time who never chose one, asked for nothing and said nothing on
/// the booking page, and sent no views on the plan (web form or Teams) either. A booked
/// meeting is not a silence: whether the parent came is the attendance sweep's to find out.
/// </summary>
public sealed class ViewsAndInvitationResponses(MeetingStore meetings, ParentViewsStore views) : IParentResponses
{
    public async Task<IReadOnlyList<string>> NotRespondedAsync(string schoolId, Term term, CancellationToken cancellationToken)
    {
        var silent = new List<string>();
        foreach (var m in await meetings.ForTermAsync(schoolId, term.Id, cancellationToken))
        {
            if (m.Status == MeetingStatus.ParentChoosing && !m.ParentCannotCome && m.ParentNote is null && !m.InterpreterRequested
                && (await views.GetForPupilAsync(schoolId, term.Id, m.Upn, cancellationToken)).Count == 0)
            {
                silent.Add(m.Upn);
            }
        }
        return silent;
    }
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
                || SchoolClock.Today(time, school.TimeZone) <= term.Deadline)
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
