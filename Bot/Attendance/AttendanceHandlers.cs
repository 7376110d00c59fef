using System.Text.Json.Nodes;
using SendPlans.Bot.Booking;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Terms;
using SendPlans.Cards.Attendance;
using SendPlans.Infrastructure.BotFramework;
using SendPlans.Infrastructure.BotFramework.Proactive;

namespace SendPlans.Bot.Attendance;

/// <summary>The buttons on the year lead's alert and on the teacher's attendance question.</summary>
public sealed class AttendanceHandlers(
    StaffDirectory staff,
    FollowUpAlerts alerts,
    FollowUpStore items,
    AttendanceService attendance,
    IEndedMeetings meetings,
    BookingService booking,
    StaffChats chats,
    ProactiveOutbox outbox,
    RosterStore roster,
    ModerationService moderation,
    SchoolCalendarStore calendars,
    TimeProvider time,
    ILogger<AttendanceHandlers> logger)
{
    public async Task<InvokeResponse> ModerateAsync(TurnContext context, AdaptiveCardAction action, ModerationOutcome outcome, CancellationToken cancellationToken)
    {
        var member = await staff.FindByEntraIdAsync(context.Activity.From?.AadObjectId, cancellationToken);
        var (termId, upn) = (action.GetString("term"), action.GetString("pupil"));
        if (member is null || action.GetString("school") != member.SchoolId || termId is null || upn is null)
        {
            return InvokeResponse.Error(403, "NotAllowed", "Only SLT of the pupil's school moderate plans.");
        }
        var (item, refusal, notice) = await moderation.DecideAsync(member, termId, upn, outcome, action.GetString("comment"), cancellationToken);
        if (item is null)
        {
            return InvokeResponse.Message(refusal ?? "Nothing changed.");
        }
        if (notice is not null)
        {
            await context.SendActivityAsync(notice, cancellationToken);
        }
        var reader = RosterReader.For(member, "moderation");
        var pupil = await roster.GetPupilAsync(reader, member.SchoolId, upn, cancellationToken);
        var plan = await roster.GetPlanAsync(reader, member.SchoolId, termId, upn, cancellationToken);
        return pupil is null || plan is null
            ? InvokeResponse.Message($"Recorded: {ModerationService.Describe(outcome)}.")
            : InvokeResponse.Card(ModerationService.Card(pupil, termId, plan, outcome).ToJsonNode());
    }

    public async Task<InvokeResponse> FollowUpAsync(TurnContext context, AdaptiveCardAction action, FollowUpAction kind, CancellationToken cancellationToken)
    {
        var member = await staff.FindByEntraIdAsync(context.Activity.From?.AadObjectId, cancellationToken);
        var schoolId = action.GetString("school");
        var id = action.GetString("item");
        if (member is null || schoolId != member.SchoolId || id is null)
        {
            return InvokeResponse.Error(403, "NotAllowed", "Only staff of the pupil's school can act on this alert.");
        }
        var item = await items.GetAsync(schoolId, id, cancellationToken);
        if (item is null || !await alerts.MaySeeAsync(member, item, cancellationToken))
        {
            return InvokeResponse.Error(403, "NotAllowed", "This alert is for the pupil's class teacher and year team, the SENCo, SLT and the school's admins.");
        }
        var note = action.GetString("reason");
        if (kind == FollowUpAction.Rebook)
        {
            // Checked before anything is written: a bad day or time changes nothing.
            var zone = (await calendars.GetSettingsAsync(schoolId, cancellationToken))?.TimeZone;
            (note, var badTime) = FollowUpRules.AgreedTime(action.GetString(AttendanceCards.RebookDayInput), action.GetString(AttendanceCards.RebookTimeInput), SchoolClock.Local(time.GetUtcNow(), zone));
            if (badTime is not null)
            {
                return InvokeResponse.Message(badTime);
            }
        }
        var (stored, refusal) = await alerts.ApplyAsync(schoolId, id, kind, member.EntraObjectId, member.DisplayName, note, cancellationToken);
        if (stored is null)
        {
            return InvokeResponse.Message(refusal ?? "Nothing changed.");
        }
        if (kind == FollowUpAction.Rebook && await AskTeacherToRebookAsync(stored, member, cancellationToken) is { } teacherName)
        {
            // Said where the year lead pressed, so the meeting is not left waiting on a message nobody got.
            await context.SendActivityAsync($"I could not reach {teacherName} in Teams (they have no chat with the bot yet). Please ask them to move the plan meeting.", cancellationToken);
        }
        var card = (await alerts.CardAsync(stored, cancellationToken)).ToJsonNode();
        await UpdateForEveryoneAsync(context, stored, card, cancellationToken);
        return InvokeResponse.Card(card);
    }

    public async Task<InvokeResponse> AttendanceAnswerAsync(TurnContext context, AdaptiveCardAction action, CancellationToken cancellationToken)
    {
        var member = await staff.FindByEntraIdAsync(context.Activity.From?.AadObjectId, cancellationToken);
        var schoolId = action.GetString("school");
        var meetingId = action.GetString("meeting");
        if (member is null || schoolId != member.SchoolId || meetingId is null
            || !Enum.TryParse<AttendanceOutcome>(action.GetString("answer"), out var outcome))
        {
            return InvokeResponse.Error(400, "BadAnswer", "That answer could not be read. Please try again.");
        }
        var meeting = await meetings.FindAsync(schoolId, meetingId, cancellationToken);
        if (meeting is null)
        {
            return InvokeResponse.Message("That meeting has moved or was cancelled since I asked, so there is nothing to record.");
        }
        if (meeting.TeacherEntraId != member.EntraObjectId && !member.Is(StaffRole.SENCo))
        {
            return InvokeResponse.Error(403, "NotAllowed", "Only the pupil's teacher or the SENCo can record this meeting's attendance.");
        }
        await attendance.RecordAsync(meeting, outcome, AttendanceSource.Teacher, member.DisplayName, cancellationToken);
        var pupil = await roster.GetPupilAsync(RosterReader.For(member, "attendance answer"), schoolId, meeting.Upn, cancellationToken);
        var answer = AttendanceCards.AttendanceAnswers.First(a => a.Value == outcome.ToString()).Title;
        return InvokeResponse.Card(AttendanceCards.AttendanceQuestion(new AttendanceQuestionInput(
            schoolId, meetingId, pupil is null ? "your pupil" : $"{pupil.LegalForename} {pupil.LegalSurname}", "Plan meeting", "Thank you for telling me.", answer)).ToJsonNode());
    }

    /// <summary>
    /// The teacher owns the booking: they get their meetings card to move the meeting, with the
    /// parent's preferences. Returns the teacher's name when they cannot be reached in Teams.
    /// </summary>
    private async Task<string?> AskTeacherToRebookAsync(FollowUpItem item, StaffMember yearLead, CancellationToken cancellationToken)
    {
        var teacher = await staff.FindByEntraIdAsync(item.TeacherEntraId, cancellationToken);
        if (teacher is null)
        {
            return null;
        }
        var pupil = await roster.GetPupilAsync(RosterReader.For(teacher, "rebook"), item.SchoolId, item.Upn, cancellationToken);
        var contact = (await roster.GetContactsAsync(RosterReader.For(teacher, "rebook"), item.SchoolId, item.Upn, cancellationToken))
            .Where(c => c.ParentalResponsibility).OrderBy(c => c.Priority).FirstOrDefault();
        var hard = contact is { HardToAttend.Count: > 0 } ? $" They find {string.Join(", ", contact.HardToAttend)} hard." : "";
        var agreed = item.History[^1] is { Action: FollowUpAction.Rebook, Note: { } when } ? $" They can come on {when}." : "";
        var notice = $"{yearLead.DisplayName} reached the parent of {pupil?.LegalForename ?? "your pupil"}: please move the plan meeting.{agreed}{hard}";
        var reply = await booking.MyMeetingsAsync(teacher, notice, cancellationToken);
        if (await chats.DeliverAsync(item.SchoolId, teacher.EntraObjectId, $"followup-rebook|{item.SchoolId}|{item.Id}|{item.History.Count}", reply.Card, reply.Card is null ? reply.Text ?? notice : null, cancellationToken) != StaffReach.NoChat)
        {
            return null;
        }
        Log.NobodyReached(logger, "Rebook request", item.SchoolId, 1);
        return teacher.DisplayName;
    }

    /// <summary>Everyone in the channel sees the new card: the posted activity is replaced through the outbox, paced like any send.</summary>
    private async Task UpdateForEveryoneAsync(TurnContext context, FollowUpItem item, JsonNode card, CancellationToken cancellationToken)
    {
        if (context.Activity.ReplyToId is not { } posted || context.Activity.ServiceUrl is not { } serviceUrl || context.Activity.Conversation?.Id is not { } conversationId)
        {
            await alerts.UpdatePostedCardAsync(item, card, cancellationToken);
            return;
        }
        await outbox.EnqueueAsync(OutboxMessage.CardUpdate($"followup-update|{item.SchoolId}|{item.Id}|{posted}|{item.History.Count}", serviceUrl, conversationId, posted, card), cancellationToken);
    }
}
