using System.Globalization;
using SendPlans.Bot.ParentLinks;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Terms;
using SendPlans.Infrastructure.Calendars;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Bot.Booking;

/// <summary>What a parent sees on the booking page: no more than the invitation told them.</summary>
public sealed record ParentBookingView(
    CultureInfo Language,
    string SchoolName,
    string PupilFirstName,
    string? Current,
    string? CurrentKey,
    IReadOnlyList<(string Key, string Text)> Offered,
    bool InterpreterRequested,
    bool CannotCome,
    bool Cancelled);

/// <summary>One answer from the page.</summary>
/// <param name="Choice">An offered slot's key, "another" or "cannot".</param>
public sealed record ParentAnswer(string? Choice, string? Note, bool Interpreter, string? Language);

public enum ParentAnswerOutcome { Saved, Moved, SlotGone, NoMeeting }

/// <summary>
/// The parent's side: read the meeting a booking link names, and apply their answer. The event
/// moves in the calendar (attendees are sent the update) and the teacher is told in Teams
/// through the proactive outbox.
/// </summary>
public sealed class ParentChoices(
    MeetingStore meetings,
    RosterStore roster,
    SchoolCalendarStore calendars,
    ICalendarProvider calendar,
    StaffChats chats,
    TimeProvider time,
    ILogger<ParentChoices> logger)
{
    private static readonly RosterReader Reader = RosterReader.System("parent booking page");

    public async Task<ParentBookingView?> ViewAsync(ParentLink link, CancellationToken cancellationToken)
    {
        var meeting = await meetings.GetAsync(link.SchoolId, link.TermId, link.PupilId, cancellationToken);
        var pupil = await roster.GetPupilWithContactsAsync(Reader, link.SchoolId, link.PupilId, cancellationToken);
        if (meeting is null || pupil is null)
        {
            return null;
        }
        var language = LanguageOf(pupil.Contacts, link);
        var school = await SchoolNameAsync(link.SchoolId, cancellationToken) ?? ParentBookingText.Strings.Get("YourChildsSchool", language);
        var now = time.GetUtcNow();
        var offered = meeting.Offered.Concat(meeting.Slot is null ? [] : [meeting.Slot])
            .Where(s => s.Start > now).DistinctBy(s => s.Key).OrderBy(s => s.Start)
            .Select(s => (s.Key, BookingText.Long(s, meeting.TimeZone, language))).ToList();
        return new ParentBookingView(language, school, pupil.Pupil.LegalForename,
            meeting.Slot is null || meeting.EventId is null ? null : BookingText.Long(meeting.Slot, meeting.TimeZone, language),
            meeting.EventId is null ? null : meeting.Slot?.Key,
            offered, meeting.InterpreterRequested, meeting.ParentCannotCome, meeting.Status == MeetingStatus.Cancelled);
    }

    /// <summary>The language of the contact the link names (English when the school has no booking strings in theirs).</summary>
    public async Task<CultureInfo> LanguageAsync(ParentLink link, CancellationToken cancellationToken) =>
        LanguageOf(await roster.GetContactsAsync(Reader, link.SchoolId, link.PupilId, cancellationToken), link);

    private static CultureInfo LanguageOf(IReadOnlyList<Contact> contacts, ParentLink link) =>
        ParentBookingText.Strings.CultureFor(contacts.FirstOrDefault(c => Views.ParentViewsService.ContactId(c) == link.ContactId)?.PreferredLanguage);

    /// <summary>The school's name, or null when it has no settings.</summary>
    public async Task<string?> SchoolNameAsync(string schoolId, CancellationToken cancellationToken) =>
        (await calendars.GetSettingsAsync(schoolId, cancellationToken))?.Name;

    /// <summary>The school's name and how to reach its office, for a parent whose link has expired.</summary>
    public async Task<(string? Name, string? Contact)> SchoolContactAsync(string schoolId, CancellationToken cancellationToken) =>
        await calendars.GetSettingsAsync(schoolId, cancellationToken) is { } s ? (s.Name, s.Contact) : (null, null);

    public async Task<ParentAnswerOutcome> AnswerAsync(ParentLink link, ParentAnswer answer, CancellationToken cancellationToken)
    {
        var meeting = await meetings.GetAsync(link.SchoolId, link.TermId, link.PupilId, cancellationToken);
        if (meeting is null || meeting.Status == MeetingStatus.Cancelled)
        {
            return ParentAnswerOutcome.NoMeeting;
        }
        var pupil = await roster.GetPupilAsync(Reader, link.SchoolId, link.PupilId, cancellationToken);
        var name = pupil is null ? "a pupil" : BookingText.PupilName(pupil);
        var note = Trim(answer.Note, 500);
        var language = Trim(answer.Language, 60);
        var outcome = ParentAnswerOutcome.Saved;
        var told = new List<string>();

        if (answer.Choice is { } choice && choice is not ("another" or "cannot") && choice != meeting.Slot?.Key)
        {
            var chosen = meeting.Offered.FirstOrDefault(s => s.Key == choice && s.Start > time.GetUtcNow());
            if (chosen is null)
            {
                return ParentAnswerOutcome.SlotGone;
            }
            if (await SlotAvailability.TakenAsync(calendar, meeting, chosen, cancellationToken))
            {
                return ParentAnswerOutcome.SlotGone;
            }
            if (meeting.EventId is not null)
            {
                var moved = await calendar.UpdateEventAsync(new CalendarEventChange(meeting.TeacherEmail, meeting.EventId, chosen.Start, chosen.End, meeting.TimeZone), cancellationToken);
                if (!moved.Succeeded)
                {
                    return ParentAnswerOutcome.SlotGone;
                }
            }
            await meetings.UpdateAsync(link.SchoolId, link.TermId, link.PupilId, m => m with
            {
                Slot = chosen,
                Status = m.EventId is null ? m.Status : MeetingStatus.Booked,
                ParentCannotCome = false,
                RemindersSent = [],
            }, cancellationToken);
            outcome = ParentAnswerOutcome.Moved;
            told.Add($"The parent chose a new time for {name}'s plan meeting: {BookingText.Long(chosen, meeting.TimeZone)}. Your calendar has been updated.");
            Log.ParentAnswered(logger, link.SchoolId, "picked a time");
        }
        else if (answer.Choice == "another")
        {
            await meetings.UpdateAsync(link.SchoolId, link.TermId, link.PupilId, m => m with { ParentNote = note }, cancellationToken);
            told.Add($"The parent of {name} asks for another time for the plan meeting." + (note is null ? "" : $" Their note: \"{note}\"") + " Say \"my meetings\" to move it.");
            Log.ParentAnswered(logger, link.SchoolId, "asked for another time");
        }
        else if (answer.Choice == "cannot")
        {
            await meetings.UpdateAsync(link.SchoolId, link.TermId, link.PupilId, m => m with { ParentCannotCome = true, ParentNote = note }, cancellationToken);
            told.Add($"The parent of {name} says they cannot come to the plan meeting." + (note is null ? "" : $" Their note: \"{note}\"") + " Please contact them to find another way to meet.");
            Log.ParentAnswered(logger, link.SchoolId, "cannot come");
        }
        if (answer.Interpreter && !meeting.InterpreterRequested)
        {
            await meetings.UpdateAsync(link.SchoolId, link.TermId, link.PupilId, m => m with { InterpreterRequested = true }, cancellationToken);
            told.Add($"The parent of {name} asks for an interpreter at the plan meeting" + (language is null ? "." : $", in {language}."));
            Log.ParentAnswered(logger, link.SchoolId, "asked for an interpreter");
        }
        if (told.Count > 0)
        {
            var key = $"parent-answer|{meeting.TransactionId}|{TableKeys.Hash(string.Join('|', told))}";
            if (await chats.DeliverAsync(link.SchoolId, meeting.TeacherId, key, null, string.Join("\n\n", told), cancellationToken) == StaffReach.NoChat)
            {
                Log.NobodyReached(logger, "Parent's answer", link.SchoolId, 1); // kept on the meeting: the teacher sees it in "my meetings"
            }
        }
        return outcome;
    }

    /// <summary>
    /// True when something else now fills the chosen time in the teacher's calendar. Busy time
    /// inside the meeting's own current slot is the meeting itself, so it does not count.
    /// </summary>
    private static string? Trim(string? text, int max)
    {
        var t = (text ?? "").Trim();
        return t.Length == 0 ? null : t[..Math.Min(max, t.Length)];
    }
}
