using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using NodaTime;
using SendPlans.Bot.ParentLinks;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Scheduling;
using SendPlans.Bot.Terms;
using SendPlans.Cards.Booking;
using SendPlans.Infrastructure.Calendars;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Bot.Booking;

/// <summary>What a booking step gives the teacher: a card, or a sentence saying what to do.</summary>
public sealed record BookingReply(JsonNode? Card, string? Text)
{
    public static BookingReply Say(string text) => new(null, text);

    public static BookingReply Show(Cards.Model.AdaptiveCard card) => new(card.ToJsonNode(), null);
}

/// <summary>A teacher's booking round: the term, the school's settings and their SEN pupils.</summary>
internal sealed record BookingScope(StaffMember Teacher, Term Term, SchoolSettings Settings, IReadOnlyDictionary<string, PupilWithContacts> Pupils);

/// <summary>
/// The teacher's side of booking: propose, change, leave out, let the parent choose, book all,
/// reschedule and cancel. Everything is read from and written to tables, so any instance can
/// handle any click. Pupils are read through the roster's access check as the teacher.
/// </summary>
public sealed class BookingService(
    RosterStore roster,
    SchoolCalendarStore calendars,
    MeetingStore meetings,
    ICalendarProvider calendar,
    ParentLinkTokens links,
    StaffChats chats,
    TableStorage storage,
    IOptions<BookingOptions> options,
    TimeProvider time,
    ILogger<BookingService> logger)
{
    /// <summary>Other times the finder gives a meeting: on the proposal (Change time) and when it is moved.</summary>
    public const int AlternativeCount = 3;

    public const string NotForTeachingAssistants = "Teaching assistants don't book plan meetings: the class teacher does. You can read a pupil's plan and capture their voice: say \"plan for\" and the pupil's name.";
    public const string NotATeacher = "Only class teachers book plan meetings, and I have no class for you. If you teach a class, ask your school's admin to add it to your record in the roster.";

    /// <summary>"book my plan meetings": find a slot for every SEN pupil not yet booked and show the proposal.</summary>
    public async Task<BookingReply> ProposeAsync(StaffMember teacher, CancellationToken cancellationToken)
    {
        var (scope, problem) = await ScopeAsync(teacher, cancellationToken);
        if (scope is null)
        {
            return BookingReply.Say(problem!);
        }
        var term = scope.Term;
        var zone = scope.Settings.TimeZone;
        var today = SchoolClock.Today(time, zone);
        var windowStart = term.MeetingWindowStart > today ? term.MeetingWindowStart : today.AddDays(1);
        if (windowStart > term.MeetingWindowEnd)
        {
            return BookingReply.Say(WindowClosed(term));
        }
        var existing = (await meetings.ForTeacherAsync(teacher.SchoolId, term.Id, teacher.EntraObjectId, cancellationToken)).ToDictionary(m => m.Upn, StringComparer.Ordinal);
        var toPlace = scope.Pupils.Values
            .Where(p => !existing.TryGetValue(p.Pupil.Upn, out var m) || m.Status is MeetingStatus.Proposed or MeetingStatus.ParentChoosing or MeetingStatus.Cancelled && m.EventId is null)
            .ToList();

        string? notice = null;
        if (toPlace.Count > 0)
        {
            var start = ToInstant(windowStart, zone);
            var end = ToInstant(term.MeetingWindowEnd.AddDays(1), zone);
            var busy = (await calendar.GetBusyAsync([teacher.Email], start, end, cancellationToken)).Single();
            if (busy.Failure is { } failure)
            {
                return BookingReply.Say(await CalendarProblemAsync(teacher.SchoolId, failure, cancellationToken));
            }
            // Times offered to parents who are still choosing stay held for them.
            var placing = toPlace.Select(p => p.Pupil.Upn).ToHashSet(StringComparer.Ordinal);
            var held = existing.Values
                .Where(m => m.Status == MeetingStatus.ParentChoosing && m.EventId is not null && !placing.Contains(m.Upn))
                .SelectMany(m => m.Offered).Select(s => new BusyInterval(s.Start, s.End));
            var request = Request(scope, windowStart, busy with { Busy = [.. busy.Busy, .. held] }, toPlace);
            var finder = new SlotFinder(request);
            var plan = finder.Find();
            foreach (var pupil in toPlace)
            {
                var upn = pupil.Pupil.Upn;
                var placed = plan.MeetingFor(upn);
                var slot = placed is null ? null : Times(placed.Slot);
                var alternatives = placed is null ? [] : finder.Alternatives(plan, upn, AlternativeCount).Select(Times).ToList();
                var offered = placed is null ? [] : finder.OfferThree(plan, upn).Slots.Select(Times).ToList();
                var unplaced = plan.Unplaced.FirstOrDefault(u => u.PupilId == upn)?.Message;
                var fresh = new MeetingRecord(teacher.SchoolId, term.Id, upn, teacher.EntraObjectId, teacher.Email)
                {
                    Status = MeetingStatus.Proposed, Slot = slot, TimeZone = zone, Alternatives = alternatives, Offered = offered,
                    Flags = FlagsOf(pupil.Contacts), UnplacedReason = unplaced,
                };
                await meetings.CreateAsync(fresh, cancellationToken);
                await meetings.UpdateAsync(teacher.SchoolId, term.Id, upn, m => m.EventId is not null ? null : fresh with
                {
                    Attempt = m.Attempt,
                    Status = m.Status == MeetingStatus.ParentChoosing && slot is not null ? MeetingStatus.ParentChoosing : MeetingStatus.Proposed,
                }, cancellationToken);
            }
            Log.Proposed(logger, teacher.SchoolId, plan.Meetings.Count, plan.Unplaced.Count);
            if (plan.Meetings.Count == 0)
            {
                notice = "I could not find a free time for any pupil. Free some time in your calendar, or ask your SENCo to widen the meeting window, then say \"book my plan meetings\" again.";
            }
            else if (plan.Unplaced.Count > 0)
            {
                notice = $"I could not find a time for {plan.Unplaced.Count} {(plan.Unplaced.Count == 1 ? "pupil" : "pupils")}: the reason is under each name.";
            }
        }
        return BookingReply.Show(await ProposalCardAsync(scope, notice, cancellationToken));
    }

    /// <summary>Change one slot to one of its alternatives.</summary>
    public async Task<BookingReply> ChangeSlotAsync(StaffMember teacher, string termId, string upn, string? slotKey, CancellationToken cancellationToken)
    {
        var (scope, problem) = await ScopeAsync(teacher, cancellationToken, termId);
        if (scope is null || !scope.Pupils.ContainsKey(upn))
        {
            return BookingReply.Say(problem ?? "That pupil is not in your classes.");
        }
        await meetings.UpdateAsync(teacher.SchoolId, termId, upn, m =>
        {
            if (m.EventId is not null || m.Alternatives.FirstOrDefault(a => a.Key == slotKey) is not { } chosen)
            {
                return null;
            }
            var rest = m.Alternatives.Where(a => a.Key != slotKey).ToList();
            if (m.Slot is not null)
            {
                rest.Add(m.Slot);
            }
            return m with { Slot = chosen, Alternatives = [.. rest.OrderBy(s => s.Start)], Status = MeetingStatus.Proposed };
        }, cancellationToken);
        return BookingReply.Show(await ProposalCardAsync(scope, null, cancellationToken));
    }

    public async Task<BookingReply> LeaveOutAsync(StaffMember teacher, string termId, string upn, string? reason, CancellationToken cancellationToken)
    {
        var (scope, problem) = await ScopeAsync(teacher, cancellationToken, termId);
        if (scope is null || !scope.Pupils.ContainsKey(upn))
        {
            return BookingReply.Say(problem ?? "That pupil is not in your classes.");
        }
        var text = (reason ?? "").Trim();
        await meetings.UpdateAsync(teacher.SchoolId, termId, upn, m => m.EventId is not null ? null
            : m with { Status = MeetingStatus.LeftOut, LeaveOutReason = text.Length == 0 ? "No reason given" : text[..Math.Min(200, text.Length)] }, cancellationToken);
        return BookingReply.Show(await ProposalCardAsync(scope, null, cancellationToken));
    }

    /// <summary>The parent will choose from three offered times; the first is held for them.</summary>
    public async Task<BookingReply> ParentChoosesAsync(StaffMember teacher, string termId, string upn, CancellationToken cancellationToken)
    {
        var (scope, problem) = await ScopeAsync(teacher, cancellationToken, termId);
        if (scope is null || !scope.Pupils.ContainsKey(upn))
        {
            return BookingReply.Say(problem ?? "That pupil is not in your classes.");
        }
        await meetings.UpdateAsync(teacher.SchoolId, termId, upn, m => m.EventId is not null || m.Offered.Count == 0 ? null
            : m with { Status = MeetingStatus.ParentChoosing, Slot = m.Offered[0] }, cancellationToken);
        return BookingReply.Show(await ProposalCardAsync(scope, null, cancellationToken));
    }

    /// <summary>
    /// Creates every proposed meeting's event. Transaction ids come from the meetings, so a
    /// retry or a second click creates only what is missing. <paramref name="progress"/> hears
    /// each round of creates.
    /// </summary>
    public async Task<BookingReply> BookAllAsync(StaffMember teacher, string termId, IProgress<CreateEventsProgress>? progress, CancellationToken cancellationToken)
    {
        var (scope, problem) = await ScopeAsync(teacher, cancellationToken, termId);
        if (scope is null)
        {
            return BookingReply.Say(problem!);
        }
        var due = (await meetings.ForTeacherAsync(teacher.SchoolId, termId, teacher.EntraObjectId, cancellationToken))
            .Where(m => m.EventId is null && m.Slot is not null && m.Status is MeetingStatus.Proposed or MeetingStatus.ParentChoosing && scope.Pupils.ContainsKey(m.Upn))
            .ToList();
        var events = due.Select(m => NewEvent(scope, m)).ToList();
        string? notice = null;
        if (events.Count > 0)
        {
            var results = await calendar.CreateEventsAsync(events, progress, cancellationToken);
            var byTransaction = results.ToDictionary(r => r.TransactionId, StringComparer.Ordinal);
            foreach (var meeting in due)
            {
                var result = byTransaction[meeting.TransactionId];
                await meetings.UpdateAsync(teacher.SchoolId, termId, meeting.Upn, m => m.EventId is not null ? null : result.Event is { } created
                    ? m with { EventId = created.EventId, JoinUrl = created.JoinUrl, Status = m.Status == MeetingStatus.ParentChoosing ? MeetingStatus.ParentChoosing : MeetingStatus.Booked, LastError = null }
                    : m with { LastError = result.Failure!.Kind.ToString() }, cancellationToken);
            }
            var failures = results.Where(r => r.Failure is not null).Select(r => r.Failure!).ToList();
            Log.Booked(logger, teacher.SchoolId, results.Count - failures.Count, failures.Count);
            if (failures.Count > 0)
            {
                notice = await CalendarProblemAsync(teacher.SchoolId, failures[0], cancellationToken);
            }
        }
        return BookingReply.Show(await ResultCardAsync(scope, notice, null, cancellationToken));
    }

    /// <summary>The card while Book all is still running.</summary>
    public async Task<BookingReply> ProgressCardAsync(StaffMember teacher, string termId, CreateEventsProgress? progress, CancellationToken cancellationToken)
    {
        var (scope, problem) = await ScopeAsync(teacher, cancellationToken, termId);
        if (scope is null)
        {
            return BookingReply.Say(problem!);
        }
        var done = progress is null ? "Starting" : $"{progress.Created} of {progress.Total} booked so far";
        return BookingReply.Show(await ResultCardAsync(scope, null, $"Booking your meetings: {done}. This card will show the result when every meeting is booked.", cancellationToken));
    }

    /// <summary>"my meetings": the teacher's meetings from now on.</summary>
    public async Task<BookingReply> MyMeetingsAsync(StaffMember teacher, string? notice, CancellationToken cancellationToken)
    {
        var (scope, problem) = await ScopeAsync(teacher, cancellationToken);
        if (scope is null)
        {
            return BookingReply.Say(problem!);
        }
        var now = time.GetUtcNow();
        var upcoming = (await meetings.ForTeacherAsync(teacher.SchoolId, scope.Term.Id, teacher.EntraObjectId, cancellationToken))
            .Where(m => m.EventId is not null && m.Status != MeetingStatus.Cancelled && m.Slot is not null && m.Slot.End > now && scope.Pupils.ContainsKey(m.Upn))
            .OrderBy(m => m.Slot!.Start)
            .ToList();
        var zone = scope.Settings.TimeZone;
        var rows = upcoming.Select(m =>
        {
            var pupil = scope.Pupils[m.Upn];
            // No times here: they are found when the teacher picks the meeting to move (RescheduleTimesAsync).
            return new MeetingRow(m.Upn, BookingText.Short(m.Slot!, zone), BookingText.PupilName(pupil.Pupil), Detail(m, pupil), m.JoinUrl, null, []);
        }).ToList();
        var intro = rows.Count == 0
            ? "You have no plan meetings booked from now on. Say \"book my plan meetings\" to book them."
            : $"{rows.Count} upcoming plan {(rows.Count == 1 ? "meeting" : "meetings")} this term. Parents are told when you move or cancel one.";
        return BookingReply.Show(BookingCards.MyMeetings(new MeetingListCardInput(scope.Term.Id, "Your plan meetings", intro, rows, notice)));
    }

    /// <summary>
    /// The card to move one booked meeting, with times free in the teacher's calendar now: the
    /// finder's rules (school hours, the parents' hard-to-attend times, the buffer and daily limit
    /// around the teacher's other meetings) from tomorrow to the end of the meeting window. The
    /// times are kept as the meeting's alternatives, which the move accepts. When the calendar
    /// cannot be read, the stored times still ahead are offered instead, and the card says so.
    /// </summary>
    public async Task<BookingReply> RescheduleTimesAsync(StaffMember teacher, string termId, string upn, CancellationToken cancellationToken)
    {
        var (scope, problem) = await ScopeAsync(teacher, cancellationToken, termId);
        if (scope is null || !scope.Pupils.TryGetValue(upn, out var pupil))
        {
            return BookingReply.Say(problem ?? "That pupil is not in your classes.");
        }
        var mine = await meetings.ForTeacherAsync(teacher.SchoolId, termId, teacher.EntraObjectId, cancellationToken);
        if (mine.FirstOrDefault(m => m.Upn == upn) is not { EventId: not null, Slot: { } current } meeting || meeting.Status == MeetingStatus.Cancelled)
        {
            return await MyMeetingsAsync(teacher, "That meeting is no longer booked.", cancellationToken);
        }
        var term = scope.Term;
        var zone = scope.Settings.TimeZone;
        var now = time.GetUtcNow();
        var windowStart = term.MeetingWindowStart > SchoolClock.Today(time, zone) ? term.MeetingWindowStart : SchoolClock.Today(time, zone).AddDays(1);
        var windowText = $"the meeting window (to {BookingText.Date(term.MeetingWindowEnd)})";
        var noneLeft = $"No time is free in your calendar for this meeting in {windowText}. Ask your SENCo to extend the window, or free some time in your calendar, then press Reschedule again.";
        if (windowStart > term.MeetingWindowEnd)
        {
            Log.RescheduleTimes(logger, teacher.SchoolId, 0, "WindowClosed");
            return RescheduleCard(scope, meeting, pupil, [], "", noneLeft);
        }
        var busy = (await calendar.GetBusyAsync([teacher.Email], ToInstant(windowStart, zone), ToInstant(term.MeetingWindowEnd.AddDays(1), zone), cancellationToken)).Single();
        if (busy.Failure is { } failure)
        {
            var stored = meeting.Alternatives.Concat(meeting.Offered)
                .Where(s => s.Start > now && s.Key != current.Key && DateOnly.FromDateTime(BookingText.Local(s.Start, zone)) <= term.MeetingWindowEnd)
                .DistinctBy(s => s.Key).OrderBy(s => s.Start).ToList();
            Log.RescheduleTimes(logger, teacher.SchoolId, stored.Count, $"Stored ({failure.Kind})");
            return RescheduleCard(scope, meeting, pupil, stored, stored.Count > 0 ? "Times found earlier for this meeting:" : "", stored.Count > 0
                ? "I could not read your calendar just now, so these are the times found earlier, not checked again yet. Each is checked before the meeting moves."
                : "I could not read your calendar just now, and no time found earlier is still ahead. Please try again in a minute.");
        }
        // The meeting's own event stays busy, so its time (and any overlapping it) is not offered.
        var others = mine.Where(m => m.Upn != upn && m.EventId is not null && m.Slot is not null && m.Status != MeetingStatus.Cancelled && scope.Pupils.ContainsKey(m.Upn)).ToList();
        var held = others.Where(m => m.Status == MeetingStatus.ParentChoosing).SelectMany(m => m.Offered).Select(s => new BusyInterval(s.Start, s.End));
        var finder = new SlotFinder(Request(scope, windowStart, busy with { Busy = [.. busy.Busy, .. held] }, [pupil]));
        var booked = new SlotAssignment([.. others.Select(m => new Meeting(m.Upn, ParentId(scope.Pupils[m.Upn]), [teacher.EntraObjectId], ToSlot(m.Slot!, zone)))], []);
        var fresh = finder.Alternatives(booked, upn, AlternativeCount).Select(Times).Where(s => s.Start > now && s.Key != current.Key).ToList();
        await meetings.UpdateAsync(teacher.SchoolId, termId, upn, m => m.EventId is null ? null : m with { Alternatives = fresh }, cancellationToken);
        Log.RescheduleTimes(logger, teacher.SchoolId, fresh.Count, "Fresh");
        return fresh.Count == 0
            ? RescheduleCard(scope, meeting, pupil, [], "", noneLeft)
            : RescheduleCard(scope, meeting, pupil, fresh, $"These times are free in your calendar now, in {windowText}. The parent is sent the new time.", null);
    }

    /// <summary>The card while the calendar is asked for free times.</summary>
    public async Task<BookingReply> RescheduleSearchingAsync(StaffMember teacher, string termId, string upn, CancellationToken cancellationToken)
    {
        var (scope, problem) = await ScopeAsync(teacher, cancellationToken, termId);
        if (scope is null || !scope.Pupils.TryGetValue(upn, out var pupil))
        {
            return BookingReply.Say(problem ?? "That pupil is not in your classes.");
        }
        var meeting = await meetings.GetAsync(teacher.SchoolId, termId, upn, cancellationToken);
        if (meeting is not { EventId: not null, Slot: not null } || meeting.TeacherId != teacher.EntraObjectId)
        {
            return await MyMeetingsAsync(teacher, "That meeting is no longer booked.", cancellationToken);
        }
        return RescheduleCard(scope, meeting, pupil, [], "Looking for free times in your calendar. This card will show them in a moment.", null);
    }

    private static BookingReply RescheduleCard(BookingScope scope, MeetingRecord meeting, PupilWithContacts pupil, IReadOnlyList<SlotTimes> times, string intro, string? notice)
    {
        var zone = scope.Settings.TimeZone;
        return BookingReply.Show(BookingCards.Reschedule(new RescheduleCardInput(scope.Term.Id, meeting.Upn, BookingText.PupilName(pupil.Pupil), Detail(meeting, pupil),
            BookingText.Short(meeting.Slot!, zone), intro, [.. times.Select(s => (BookingText.Short(s, zone), s.Key))], notice)));
    }

    public async Task<BookingReply> RescheduleAsync(StaffMember teacher, string termId, string upn, string? slotKey, CancellationToken cancellationToken)
    {
        var (scope, problem) = await ScopeAsync(teacher, cancellationToken, termId);
        if (scope is null || !scope.Pupils.ContainsKey(upn))
        {
            return BookingReply.Say(problem ?? "That pupil is not in your classes.");
        }
        var meeting = await meetings.GetAsync(teacher.SchoolId, termId, upn, cancellationToken);
        var chosen = meeting?.Alternatives.Concat(meeting.Offered).FirstOrDefault(s => s.Key == slotKey);
        if (meeting?.EventId is null || chosen is null || meeting.TeacherId != teacher.EntraObjectId)
        {
            return await MyMeetingsAsync(teacher, "That meeting or time is no longer there.", cancellationToken);
        }
        if (chosen.Start <= time.GetUtcNow() || await SlotAvailability.TakenAsync(calendar, meeting, chosen, cancellationToken))
        {
            return await MyMeetingsAsync(teacher, $"{BookingText.Short(chosen, meeting.TimeZone)} is no longer free in your calendar, so the meeting has not moved. Choose another time.", cancellationToken);
        }
        var moved = await calendar.UpdateEventAsync(new CalendarEventChange(meeting.TeacherEmail, meeting.EventId, chosen.Start, chosen.End, meeting.TimeZone), cancellationToken);
        if (moved.Failure is { } failure)
        {
            return await MyMeetingsAsync(teacher, await CalendarProblemAsync(teacher.SchoolId, failure, cancellationToken), cancellationToken);
        }
        await meetings.UpdateAsync(teacher.SchoolId, termId, upn, m => m with
        {
            Alternatives = [.. m.Alternatives.Where(a => a.Key != chosen.Key).Append(m.Slot!).OrderBy(a => a.Start)],
            Slot = chosen,
            Status = MeetingStatus.Rescheduled,
            RemindersSent = [],
        }, cancellationToken);
        return await MyMeetingsAsync(teacher, $"Moved to {BookingText.Short(chosen, meeting.TimeZone)}. The parent has been sent the new time.", cancellationToken);
    }

    public async Task<BookingReply> CancelAsync(StaffMember teacher, string termId, string upn, string? note, CancellationToken cancellationToken)
    {
        var (scope, problem) = await ScopeAsync(teacher, cancellationToken, termId);
        if (scope is null || !scope.Pupils.ContainsKey(upn))
        {
            return BookingReply.Say(problem ?? "That pupil is not in your classes.");
        }
        var meeting = await meetings.GetAsync(teacher.SchoolId, termId, upn, cancellationToken);
        if (meeting?.EventId is null || meeting.TeacherId != teacher.EntraObjectId)
        {
            return await MyMeetingsAsync(teacher, "That meeting is no longer booked.", cancellationToken);
        }
        var comment = string.IsNullOrWhiteSpace(note)
            ? "We are sorry: this plan meeting has been cancelled. The school will contact you to arrange another time."
            : note.Trim();
        var cancelled = await calendar.CancelEventAsync(meeting.TeacherEmail, meeting.EventId, comment, cancellationToken);
        if (cancelled.Failure is { Kind: not CalendarFailureKind.NotFound } failure)
        {
            return await MyMeetingsAsync(teacher, await CalendarProblemAsync(teacher.SchoolId, failure, cancellationToken), cancellationToken);
        }
        await meetings.UpdateAsync(teacher.SchoolId, termId, upn, m => m with
        {
            Status = MeetingStatus.Cancelled, EventId = null, JoinUrl = null, Attempt = m.Attempt + 1, RemindersSent = [],
        }, cancellationToken);
        return await MyMeetingsAsync(teacher, "Cancelled. The parent has been told. Say \"book my plan meetings\" to find a new time.", cancellationToken);
    }

    /// <summary>The signed link for a parent to answer the invitation; it works until the term ends.</summary>
    public string ChoiceUrl(string schoolId, string upn, int contactPriority, Term term) =>
        $"{options.Value.PublicBaseUrl.TrimEnd('/')}/booking/" + links.Create(new ParentLink(
            ParentLinkPurpose.Booking, schoolId, upn, contactPriority.ToString(System.Globalization.CultureInfo.InvariantCulture), term.Id,
            new DateTimeOffset(term.End.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)));

    internal async Task<(BookingScope? Scope, string? Problem)> ScopeAsync(StaffMember teacher, CancellationToken cancellationToken, string? termId = null)
    {
        if (!teacher.Is(StaffRole.Teacher) || teacher.Classes.Count == 0)
        {
            return (null, teacher.Is(StaffRole.TeachingAssistant) ? NotForTeachingAssistants : NotATeacher);
        }
        var term = await calendars.CurrentOrNextTermAsync(teacher.SchoolId, cancellationToken);
        if (term is null || (termId is not null && term.Id != termId))
        {
            return (null, termId is null
                ? "No term is set up for your school yet, so I cannot book plan meetings. Ask your school's admin to add this term's dates, meeting window and deadline."
                : "That card is from a term that has ended. Say \"book my plan meetings\" for this term.");
        }
        var settings = await calendars.GetSettingsAsync(teacher.SchoolId, cancellationToken) ?? new SchoolSettings(teacher.SchoolId, "your school");
        var reader = RosterReader.For(teacher, "booking plan meetings");
        var pupils = new Dictionary<string, PupilWithContacts>(StringComparer.Ordinal);
        foreach (var className in teacher.Classes)
        {
            foreach (var pupil in (await roster.GetClassAsync(reader, teacher.SchoolId, className, cancellationToken)).Pupils)
            {
                pupils[pupil.Pupil.Upn] = pupil;
            }
        }
        if (pupils.Count == 0)
        {
            return (null, $"None of the pupils in your {(teacher.Classes.Count == 1 ? "class" : "classes")} ({string.Join(", ", teacher.Classes)}) is on the SEN register, so there are no plan meetings to book. If that is wrong, ask your SENCo to check the register and your school's admin to import the roster again.");
        }
        return (new BookingScope(teacher, term, settings, pupils), null);
    }

    private static string WindowClosed(Term term) =>
        $"The meeting window for this term closed on {BookingText.Date(term.MeetingWindowEnd)}, and the deadline is {BookingText.Date(term.Deadline)}. " +
        "Ask your SENCo to extend the window if you still need to book plan meetings.";

    /// <summary>A sentence for the teacher; an admin hears the technical cause when only they can fix it.</summary>
    internal async Task<string> CalendarProblemAsync(string schoolId, CalendarFailure failure, CancellationToken cancellationToken)
    {
        Log.CalendarFailed(logger, schoolId, failure.Kind.ToString());
        switch (failure.Kind)
        {
            case CalendarFailureKind.PermissionMissing or CalendarFailureKind.SignInFailed:
                var day = time.GetUtcNow().ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
                var admins = (await StaffDirectory.ForSchoolAsync(storage, schoolId, cancellationToken)).Where(s => s.Is(StaffRole.Admin)).ToList();
                var reached = 0;
                foreach (var admin in admins)
                {
                    var reach = await chats.ReachAsync(schoolId, admin.EntraObjectId, $"calendar-problem|{schoolId}|{admin.EntraObjectId}|{failure.Kind}|{failure.Permission}|{day}",
                        $"Booking plan meetings failed because the calendar is not set up: {failure.Message}", cancellationToken);
                    if (reach is StaffReach.Queued or StaffReach.QueuedBefore)
                    {
                        reached++;
                    }
                }
                Log.AdminAlerted(logger, schoolId, reached, admins.Count);
                return reached > 0
                    ? "The school's calendar connection is not set up yet, so I could not book. Your admin has been told what to fix. Please try again later."
                    : BookingText.AdminNotReached(admins.Select(a => a.DisplayName).ToList(), failure);
            case CalendarFailureKind.Throttled or CalendarFailureKind.Unavailable:
                return "The calendar service is busy or could not be reached, so some meetings are not booked yet. Press Try again in a minute: meetings already booked will not be booked twice.";
            default:
                return "The calendar refused some meetings. Press Try again; if it happens again, ask your school's admin to check the calendar settings.";
        }
    }

    private NewCalendarEvent NewEvent(BookingScope scope, MeetingRecord meeting)
    {
        var pupil = scope.Pupils[meeting.Upn];
        var invited = Invitees(pupil.Contacts);
        var first = invited.FirstOrDefault() ?? pupil.Contacts.FirstOrDefault(c => c.ParentalResponsibility);
        var choiceUrl = ChoiceUrl(scope.Teacher.SchoolId, meeting.Upn, first?.Priority ?? 1, scope.Term);
        // One invitation goes to every invitee: it is in the language of the contact its link names.
        var language = ParentBookingText.Strings.CultureFor(first?.PreferredLanguage);
        return new NewCalendarEvent(
            meeting.TransactionId,
            scope.Teacher.Email,
            ParentBookingText.Strings.Format("InviteSubject", language, pupil.Pupil.LegalForename, scope.Settings.Name),
            BookingText.InviteHtml(scope.Settings.Name, pupil.Pupil.LegalForename, scope.Teacher.DisplayName, meeting.Slot!, meeting.TimeZone, choiceUrl, scope.Term.End, language),
            meeting.Slot!.Start,
            meeting.Slot.End,
            meeting.TimeZone,
            [.. invited.Select(c => new EventAttendee(c.Email!, c.Relationship))]);
    }

    /// <summary>Only contacts with parental responsibility and an email address are invited.</summary>
    internal static IReadOnlyList<Contact> Invitees(IReadOnlyList<Contact> contacts) =>
        [.. contacts.Where(c => c.ParentalResponsibility && !c.IsArchived && !string.IsNullOrWhiteSpace(c.Email)).OrderBy(c => c.Priority)];

    internal static MeetingFlags FlagsOf(IReadOnlyList<Contact> contacts)
    {
        var responsible = contacts.Where(c => c.ParentalResponsibility).ToList();
        var flags = MeetingFlags.None;
        if (responsible.Any(c => c.InterpreterNeeded)) flags |= MeetingFlags.InterpreterNeeded;
        if (Invitees(contacts).Count == 0) flags |= MeetingFlags.NoEmail;
        if (responsible.Any(c => c.HardToAttend.Count > 0)) flags |= MeetingFlags.HardToAttendTimes;
        return flags;
    }

    private static IReadOnlyList<string> FlagTexts(MeetingRecord m, PupilWithContacts pupil)
    {
        var texts = new List<string>();
        if (m.Flags.HasFlag(MeetingFlags.InterpreterNeeded) || m.InterpreterRequested)
        {
            var language = pupil.Contacts.FirstOrDefault(c => c.InterpreterNeeded)?.PreferredLanguage;
            texts.Add(language is null ? "Interpreter needed" : $"Interpreter needed ({language})");
        }
        if (m.Flags.HasFlag(MeetingFlags.NoEmail))
        {
            texts.Add("No email: phone or send a letter");
        }
        else
        {
            texts.AddRange(pupil.Contacts.Where(c => c.ParentalResponsibility && string.IsNullOrWhiteSpace(c.Email))
                .Select(c => $"No email for the {c.Relationship.ToLowerInvariant()}"));
        }
        if (m.Flags.HasFlag(MeetingFlags.HardToAttendTimes))
        {
            var times = pupil.Contacts.SelectMany(c => c.HardToAttend).Select(t => t.ToString()).Distinct();
            texts.Add($"Hard to attend: {string.Join(", ", times)}");
        }
        return texts;
    }

    private static string ParentText(PupilWithContacts pupil)
    {
        var responsible = pupil.Contacts.Where(c => c.ParentalResponsibility).Select(c => c.Relationship).ToList();
        return responsible.Count == 0 ? "No contact with parental responsibility" : string.Join(" and ", responsible);
    }

    private static string Detail(MeetingRecord m, PupilWithContacts pupil) =>
        string.Join(" · ", new[] { ParentText(pupil) }.Concat(FlagTexts(m, pupil))
            .Append(m.Status == MeetingStatus.ParentChoosing ? "Parent is choosing from 3 times" : "")
            .Append(m.ParentCannotCome ? "Parent says they cannot come" : "")
            .Where(s => s.Length > 0));

    private async Task<Cards.Model.AdaptiveCard> ProposalCardAsync(BookingScope scope, string? notice, CancellationToken cancellationToken)
    {
        var rows = await RowsAsync(scope, cancellationToken);
        var intro = $"{rows.Count} {(rows.Count == 1 ? "pupil" : "pupils")} on the SEN register in your classes. Meetings run from {BookingText.Date(scope.Term.MeetingWindowStart)} to {BookingText.Date(scope.Term.MeetingWindowEnd)}; the deadline is {BookingText.Date(scope.Term.Deadline)}. Check the times, then press Book all to invite the parents.";
        return BookingCards.Proposal(new ProposalCardInput(scope.Term.Id, "Proposed plan meetings", intro, rows, notice));
    }

    private async Task<Cards.Model.AdaptiveCard> ResultCardAsync(BookingScope scope, string? notice, string? running, CancellationToken cancellationToken)
    {
        var rows = await RowsAsync(scope, cancellationToken);
        var booked = rows.Count(r => r.State is "Booked" or "ParentChoosingBooked");
        var waiting = rows.Count(r => r.State is "Proposed" or "ParentChoosing");
        var intro = running ?? (waiting == 0
            ? $"All done: {booked} plan {(booked == 1 ? "meeting is" : "meetings are")} booked and the parents have been invited."
            : $"{booked} booked; {waiting} not booked yet.");
        return BookingCards.BookingResult(new ProposalCardInput(scope.Term.Id, running is null ? "Plan meetings booked" : "Booking plan meetings", intro, rows, notice), canRetry: running is null && waiting > 0);
    }

    private async Task<List<ProposalRow>> RowsAsync(BookingScope scope, CancellationToken cancellationToken)
    {
        var stored = (await meetings.ForTeacherAsync(scope.Teacher.SchoolId, scope.Term.Id, scope.Teacher.EntraObjectId, cancellationToken)).ToDictionary(m => m.Upn, StringComparer.Ordinal);
        var zone = scope.Settings.TimeZone;
        return [.. scope.Pupils.Values
            .OrderBy(p => p.Pupil.LegalSurname, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.Pupil.LegalForename, StringComparer.OrdinalIgnoreCase)
            .Where(p => stored.ContainsKey(p.Pupil.Upn))
            .Select(p =>
            {
                var m = stored[p.Pupil.Upn];
                var state = m switch
                {
                    { Status: MeetingStatus.LeftOut } => "LeftOut",
                    { Slot: null } => "Unplaced",
                    { EventId: not null, Status: MeetingStatus.ParentChoosing } => "ParentChoosingBooked",
                    { EventId: not null } => "Booked",
                    _ => m.Status.ToString(),
                };
                var note = state switch
                {
                    "LeftOut" => $"Left out: {m.LeaveOutReason}",
                    "Unplaced" => m.UnplacedReason ?? "No free time found.",
                    "Booked" => "Booked; parents invited",
                    "ParentChoosingBooked" => "Booked; the parent may choose another of 3 times",
                    "ParentChoosing" => $"The parent will choose: {string.Join(", ", m.Offered.Select(s => BookingText.Short(s, zone)))}",
                    _ => m.LastError is null ? null : "Not booked yet: the calendar did not answer",
                };
                return new ProposalRow(m.Upn, BookingText.PupilName(p.Pupil), ParentText(p), m.Slot is null ? "No time found" : BookingText.Short(m.Slot, zone),
                    state, FlagTexts(m, p), [.. m.Alternatives.Select(a => (BookingText.Short(a, zone), a.Key))], note);
            })];
    }

    private static SlotRequest Request(BookingScope scope, DateOnly windowStart, MailboxBusy busy, IReadOnlyList<PupilWithContacts> pupils)
    {
        var s = scope.Settings;
        var term = scope.Term;
        var closures = new List<LocalDate>();
        for (var d = windowStart; d <= term.MeetingWindowEnd; d = d.AddDays(1))
        {
            if (!term.IsSchoolDay(d))
            {
                closures.Add(LocalDate.FromDateOnly(d));
            }
        }
        var parents = new List<ParentAvailability>();
        var requests = new List<PupilMeetingRequest>();
        foreach (var pupil in pupils)
        {
            var responsible = pupil.Contacts.Where(c => c.ParentalResponsibility).ToList();
            var parentId = ParentId(pupil);
            requests.Add(new PupilMeetingRequest(pupil.Pupil.Upn, scope.Teacher.EntraObjectId, parentId)
            {
                InterpreterNeeded = responsible.Any(c => c.InterpreterNeeded),
            });
            if (!parents.Any(p => p.ParentId == parentId))
            {
                parents.Add(new ParentAvailability(parentId)
                {
                    HardToAttend = [.. responsible.SelectMany(c => c.HardToAttend).SelectMany(Weekly)],
                });
            }
        }
        var schoolDay = new LocalTimeRange(LocalTime.FromTimeOnly(s.SchoolDayStart), LocalTime.FromTimeOnly(s.SchoolDayEnd));
        var extended = new List<LocalTimeRange>();
        if (s.ExtendedDayStart < s.SchoolDayStart) extended.Add(new(LocalTime.FromTimeOnly(s.ExtendedDayStart), schoolDay.Start));
        if (s.ExtendedDayEnd > s.SchoolDayEnd) extended.Add(new(schoolDay.End, LocalTime.FromTimeOnly(s.ExtendedDayEnd)));
        return new SlotRequest
        {
            WindowStart = LocalDate.FromDateOnly(windowStart),
            WindowEnd = LocalDate.FromDateOnly(term.MeetingWindowEnd),
            Pupils = requests,
            Parents = parents,
            Staff = [new StaffCalendar(scope.Teacher.EntraObjectId, scope.Teacher.DisplayName,
                [.. busy.Busy.Where(b => b.End > b.Start).Select(b => new Interval(Instant.FromDateTimeOffset(b.Start), Instant.FromDateTimeOffset(b.End)))])],
            SchoolDay = schoolDay,
            ExtendedHours = extended,
            ClosureDates = closures,
            SlotLength = Duration.FromTimeSpan(s.SlotLength),
            InterpreterSlotLength = Duration.FromTimeSpan(s.SlotLength * 2),
            Buffer = Duration.FromTimeSpan(s.Buffer),
            TimeZoneId = s.TimeZone,
        };
    }

    /// <summary>Siblings share a parent: the first responsible contact's email identifies them.</summary>
    private static string ParentId(PupilWithContacts pupil)
    {
        var first = pupil.Contacts.FirstOrDefault(c => c.ParentalResponsibility);
        return first?.Email?.Trim().ToLowerInvariant() ?? $"{pupil.Pupil.Upn}-{first?.Priority ?? 0}";
    }

    private static IEnumerable<WeeklyTimeRange> Weekly(WeeklyTime t)
    {
        var from = LocalTime.FromTimeOnly(t.From);
        var to = LocalTime.FromTimeOnly(t.To);
        return t.Day is { } day
            ? [new WeeklyTimeRange(day == DayOfWeek.Sunday ? IsoDayOfWeek.Sunday : (IsoDayOfWeek)(int)day, from, to)]
            : WeeklyTimeRange.Weekdays(from, to);
    }

    private static SlotTimes Times(Slot slot) => new(slot.Start.ToDateTimeOffset(), slot.End.ToDateTimeOffset());

    private static Slot ToSlot(SlotTimes times, string timeZone)
    {
        var zone = DateTimeZoneProviders.Tzdb[timeZone];
        var start = Instant.FromDateTimeOffset(times.Start);
        var end = Instant.FromDateTimeOffset(times.End);
        return new Slot(start, end, start.InZone(zone).LocalDateTime, end.InZone(zone).LocalDateTime);
    }

    private static DateTimeOffset ToInstant(DateOnly date, string timeZone)
    {
        var zone = BookingText.Zone(timeZone);
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
