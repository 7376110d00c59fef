using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Terms;
using SendPlans.Cards.Booking;
using SendPlans.Infrastructure.Jobs;
using SendPlans.Infrastructure.Mail;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Bot.Booking;

/// <summary>
/// What the booking jobs share: the lease loop, the list of schools and their staff. Each job
/// sends through the proactive outbox under a key that names what was sent (school, term or
/// day, recipient), so a second pass or a second instance queues nothing new.
/// </summary>
public abstract class BookingJob(TableLeases leases, TableStorage storage, IOptions<BookingOptions> options, TimeProvider time, ILogger logger)
    : LeasedJob(leases, time)
{
    protected TableStorage Storage { get; } = storage;

    protected BookingOptions Options => options.Value;

    protected override TimeSpan LeaseDuration => TimeSpan.FromMinutes(10);

    protected override TimeSpan Interval => options.Value.JobInterval;

    protected override bool RunsInBackground => options.Value.RunJobs;

    protected override void OnPassFailed(Exception exception) => Log.JobFailed(logger, LeaseName, exception.GetType().Name);

    /// <summary>Runs <paramref name="each"/> for every school with a current or next term, with the school's local time now; sums what they sent.</summary>
    protected async Task<int> ForEachSchoolTermAsync(SchoolCalendarStore calendars, Func<SchoolSettings, Term, DateTime, Task<int>> each, CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var school in await SchoolsAsync(calendars, cancellationToken))
        {
            if (await calendars.CurrentOrNextTermAsync(school.SchoolId, cancellationToken) is { } term)
            {
                sent += await each(school, term, LocalNow(school));
            }
        }
        Sent(sent);
        return sent;
    }

    private static Task<IReadOnlyList<SchoolSettings>> SchoolsAsync(SchoolCalendarStore calendars, CancellationToken cancellationToken) =>
        calendars.AllSettingsAsync(cancellationToken);

    protected Task<IReadOnlyList<StaffMember>> StaffAsync(string schoolId, CancellationToken cancellationToken) =>
        StaffDirectory.ForSchoolAsync(Storage, schoolId, cancellationToken);

    protected DateTime LocalNow(SchoolSettings settings) => BookingText.Local(Time.GetUtcNow(), settings.TimeZone);

    protected void Sent(int count) => Log.JobSent(logger, LeaseName, count);

    /// <summary>Logs, per school, how many of a pass's recipients have no chat with the bot (counted, not named: the dashboard names them).</summary>
    protected void Unreached(string schoolId, int unreached, int recipients)
    {
        if (unreached > 0)
        {
            Log.JobUnreached(logger, LeaseName, schoolId, unreached, recipients);
        }
    }

    protected void NobodyReached(string what, string schoolId, int recipients) => Log.NobodyReached(logger, what, schoolId, recipients);
}

/// <summary>
/// Deadline watch: from <see cref="BookingOptions.DeadlineWarningDays"/> days before the term's
/// deadline until the deadline, pupils whose meeting is not booked go to their teacher and to
/// the SENCo, once for each list of pupils.
/// </summary>
public sealed class DeadlineWatchJob(
    TableLeases leases, TableStorage storage, SchoolCalendarStore calendars, RosterStore roster, MeetingStore meetings, StaffChats chats,
    IOptions<BookingOptions> options, TimeProvider time, ILogger<DeadlineWatchJob> logger)
    : BookingJob(leases, storage, options, time, logger)
{
    private static readonly RosterReader Reader = RosterReader.System("deadline watch");

    protected override string LeaseName => "plan-deadline-watch";

    protected override Task<int> RunPassAsync(CancellationToken cancellationToken) =>
        ForEachSchoolTermAsync(calendars, (school, term, now) => RunForSchoolAsync(school, term, DateOnly.FromDateTime(now), cancellationToken), cancellationToken);

    private async Task<int> RunForSchoolAsync(SchoolSettings school, Term term, DateOnly today, CancellationToken cancellationToken)
    {
        var sent = 0;
        if (today < term.Deadline.AddDays(-Options.DeadlineWarningDays) || today > term.Deadline)
        {
            return 0;
        }
        var settled = (await meetings.ForTermAsync(school.SchoolId, term.Id, cancellationToken))
            .Where(m => m.Status == MeetingStatus.LeftOut || (m.EventId is not null && m.Status != MeetingStatus.Cancelled))
            .Select(m => m.Upn).ToHashSet(StringComparer.Ordinal);
        var unbooked = (await roster.GetPupilsAsync(Reader, school.SchoolId, false, cancellationToken))
            .Where(p => !settled.Contains(p.Upn))
            .OrderBy(p => p.ClassName, StringComparer.Ordinal).ThenBy(p => p.LegalSurname, StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (unbooked.Count == 0)
        {
            return 0;
        }
        var staff = await StaffAsync(school.SchoolId, cancellationToken);
        var deadline = BookingText.Date(term.Deadline);
        var (recipients, unreached) = (0, new List<string>());
        foreach (var teacher in staff.Where(s => s.Is(StaffRole.Teacher) && s.Classes.Count > 0))
        {
            var theirs = unbooked.Where(p => teacher.Classes.Contains(p.ClassName, StringComparer.OrdinalIgnoreCase)).ToList();
            if (theirs.Count == 0)
            {
                continue;
            }
            recipients++;
            var reach = await SendAsync(school.SchoolId, term.Id, teacher.EntraObjectId, theirs,
                $"The deadline for this term's plan meetings is {deadline}. These pupils have no meeting booked yet.", "book my plan meetings", cancellationToken);
            sent += reach == StaffReach.Queued ? 1 : 0;
            if (reach == StaffReach.NoChat)
            {
                unreached.Add(teacher.DisplayName);
            }
        }
        // The SENCo chases the deadline, so their list names the teachers who could not be sent theirs.
        var notReached = unreached.Count == 0 ? "" : $" The bot cannot reach {StaffChats.Names(unreached)} in Teams yet, so they were not sent their own list: please tell them.";
        foreach (var senco in staff.Where(s => s.Is(StaffRole.SENCo)))
        {
            recipients++;
            var reach = await SendAsync(school.SchoolId, term.Id, senco.EntraObjectId, unbooked,
                $"The deadline for this term's plan meetings is {deadline}. {unbooked.Count} {(unbooked.Count == 1 ? "pupil has" : "pupils have")} no meeting booked yet.{notReached}", null, cancellationToken);
            sent += reach == StaffReach.Queued ? 1 : 0;
            if (reach == StaffReach.NoChat)
            {
                unreached.Add(senco.DisplayName);
            }
        }
        Unreached(school.SchoolId, unreached.Count, recipients);
        return sent;
    }

    private Task<StaffReach> SendAsync(string schoolId, string termId, string recipient, IReadOnlyList<Pupil> pupils, string intro, string? command, CancellationToken cancellationToken)
    {
        var list = TableKeys.Hash(string.Join(',', pupils.Select(p => p.Upn).Order(StringComparer.Ordinal)));
        var card = BookingCards.MeetingList(new MeetingListCardInput(termId, "Plan meetings still to book", intro,
            [.. pupils.Select(p => new MeetingRow(p.Upn, "", BookingText.PupilName(p), $"Class {p.ClassName} · not booked", null, null, []))], null), command);
        return chats.DeliverAsync(schoolId, recipient, $"deadline|{schoolId}|{termId}|{recipient}|{list}", card.ToJsonNode(), null, cancellationToken);
    }
}

/// <summary>
/// Morning list: on each school day, from <see cref="BookingOptions.MorningListAt"/>, every
/// teacher with plan meetings that day gets one card of them.
/// </summary>
public sealed class MorningListJob(
    TableLeases leases, TableStorage storage, SchoolCalendarStore calendars, RosterStore roster, MeetingStore meetings, StaffChats chats,
    IOptions<BookingOptions> options, TimeProvider time, ILogger<MorningListJob> logger)
    : BookingJob(leases, storage, options, time, logger)
{
    private static readonly RosterReader Reader = RosterReader.System("morning list");

    protected override string LeaseName => "plan-morning-list";

    protected override Task<int> RunPassAsync(CancellationToken cancellationToken) =>
        ForEachSchoolTermAsync(calendars, (school, term, now) => RunForSchoolAsync(school, term, now, cancellationToken), cancellationToken);

    private async Task<int> RunForSchoolAsync(SchoolSettings school, Term term, DateTime now, CancellationToken cancellationToken)
    {
        var sent = 0;
        var today = DateOnly.FromDateTime(now);
        if (!term.IsSchoolDay(today) || now.TimeOfDay < Options.MorningListAt)
        {
            return 0;
        }
        var (teachers, unreached) = (0, 0);
        var todays = (await meetings.ForTermAsync(school.SchoolId, term.Id, cancellationToken))
            .Where(m => m.EventId is not null && m.Status != MeetingStatus.Cancelled && m.Slot is not null
                && DateOnly.FromDateTime(BookingText.Local(m.Slot.Start, m.TimeZone)) == today)
            .OrderBy(m => m.Slot!.Start);
        foreach (var teacher in todays.GroupBy(m => m.TeacherId, StringComparer.Ordinal))
        {
            var rows = new List<MeetingRow>();
            foreach (var m in teacher)
            {
                var pupil = await roster.GetPupilAsync(Reader, school.SchoolId, m.Upn, cancellationToken);
                var local = BookingText.Local(m.Slot!.Start, m.TimeZone);
                rows.Add(new MeetingRow(m.Upn, local.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                    pupil is null ? "A pupil" : BookingText.PupilName(pupil),
                    string.Join(" · ", new[]
                    {
                        m.InterpreterRequested || m.Flags.HasFlag(MeetingFlags.InterpreterNeeded) ? "Interpreter needed" : null,
                        m.ParentCannotCome ? "The parent said they cannot come" : null,
                        "Read the plan and the views before you join",
                    }.Where(s => s is not null)),
                    m.JoinUrl, null, [], pupil is null ? null : $"plan for {BookingText.PupilName(pupil)}"));
            }
            var card = BookingCards.MeetingList(new MeetingListCardInput(term.Id, "Today's plan meetings",
                $"You have {rows.Count} plan {(rows.Count == 1 ? "meeting" : "meetings")} today, {BookingText.Date(today)}.", rows, null), "my meetings");
            var key = $"morning|{school.SchoolId}|{today:yyyy-MM-dd}|{teacher.Key}";
            teachers++;
            switch (await chats.DeliverAsync(school.SchoolId, teacher.Key, key, card.ToJsonNode(), null, cancellationToken))
            {
                case StaffReach.Queued:
                    sent++;
                    break;
                case StaffReach.NoChat:
                    unreached++; // their meetings are in their calendar; the dashboard names them
                    break;
            }
        }
        Unreached(school.SchoolId, unreached, teachers);
        return sent;
    }
}

/// <summary>
/// Reminders to parents before their meeting (2 days and 2 hours by default), each once: every
/// reminder is claimed in the ReminderMail table before the mail goes, by the rules of
/// <see cref="MailClaims"/> (a failed send is retried on the next pass, a claim whose sender died
/// is taken over once stale), and once sent the meeting row records it. A contact with no email
/// is flagged to the teacher once, for a phone call or a letter.
/// </summary>
public sealed class ParentRemindersJob(
    TableLeases leases, TableStorage storage, SchoolCalendarStore calendars, RosterStore roster, MeetingStore meetings, StaffChats chats,
    BookingService booking, IParentMailer mailer, IOptions<BookingOptions> options, TimeProvider time, ILogger<ParentRemindersJob> logger)
    : BookingJob(leases, storage, options, time, logger)
{
    public const string Table = "ReminderMail";

    private static readonly RosterReader Reader = RosterReader.System("parent reminders");

    protected override string LeaseName => "plan-parent-reminders";

    /// <summary>The claim row of one reminder of one booking: a rebooked meeting has a new transaction id, so it is reminded afresh.</summary>
    public static string ClaimKey(string transactionId, TimeSpan lead) => $"{transactionId}|{LeadKey(lead)}";

    protected override async Task<int> RunPassAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var leads = Options.EffectiveReminderLeadTimes.OrderBy(l => l).ToList();
        var claims = new MailClaims(await Storage.GetTableAsync(Table, cancellationToken), Time, logger);
        var sent = 0;
        foreach (var meeting in await meetings.StartingBetweenAsync(now, now + leads[^1], cancellationToken))
        {
            if (meeting.ParentCannotCome || meeting.Status == MeetingStatus.Cancelled || meeting.EventId is null)
            {
                continue;
            }
            // Only the nearest due reminder goes: a meeting booked late gets one, not a burst.
            var due = leads.Where(l => meeting.Slot!.Start - l <= now).ToList();
            if (due.Count == 0 || meeting.RemindersSent.Contains(LeadKey(due[0])))
            {
                continue;
            }
            var count = 0;
            var outcome = await claims.SendOnceAsync(meeting.SchoolId, ClaimKey(meeting.TransactionId, due[0]), $"reminder-{meeting.TransactionId}-{LeadKey(due[0])}",
                new Dictionary<string, object> { ["Upn"] = meeting.Upn }, async (id, ct) => count = await RemindAsync(meeting, id, ct), cancellationToken);
            if (outcome == MailClaimOutcome.HeldElsewhere)
            {
                continue;
            }
            // Sent, by this pass or by one that died before recording it: the row says so, and the earlier leads are past.
            var leadKeys = due.Select(LeadKey).ToList();
            await meetings.UpdateAsync(meeting.SchoolId, meeting.TermId, meeting.Upn, m =>
                m.Attempt != meeting.Attempt || leadKeys.All(m.RemindersSent.Contains) ? null : m with { RemindersSent = [.. m.RemindersSent.Union(leadKeys)] },
                CancellationToken.None);
            sent += count;
        }
        Sent(sent);
        return sent;
    }

    /// <summary>Mails each invitee, each with <paramref name="messageId"/> and their priority as the id of their copy.</summary>
    private async Task<int> RemindAsync(MeetingRecord meeting, string messageId, CancellationToken cancellationToken)
    {
        var pupil = await roster.GetPupilAsync(Reader, meeting.SchoolId, meeting.Upn, cancellationToken);
        var contacts = await roster.GetContactsAsync(Reader, meeting.SchoolId, meeting.Upn, cancellationToken);
        var term = (await calendars.GetTermsAsync(meeting.SchoolId, meeting.TermId[..7], cancellationToken)).FirstOrDefault(t => t.Id == meeting.TermId);
        var school = (await calendars.GetSettingsAsync(meeting.SchoolId, cancellationToken))?.Name ?? "School";
        if (pupil is null || term is null)
        {
            return 0;
        }
        var invitees = BookingService.Invitees(contacts);
        var sent = 0;
        foreach (var contact in invitees)
        {
            var language = ParentBookingText.Strings.CultureFor(contact.PreferredLanguage);
            var html = BookingText.ReminderHtml(school, pupil.LegalForename, meeting.Slot!, meeting.TimeZone, meeting.JoinUrl,
                booking.ChoiceUrl(meeting.SchoolId, meeting.Upn, contact.Priority, term), language);
            await mailer.SendAsync(new MailMessage(contact.Email!, contact.Relationship, ParentBookingText.Strings.Format("ReminderSubject", language, pupil.LegalForename), html,
                $"{messageId}-{contact.Priority}"), cancellationToken);
            sent++;
        }
        if (invitees.Count == 0 && !meeting.NoEmailFlagged)
        {
            var flagged = false;
            await meetings.UpdateAsync(meeting.SchoolId, meeting.TermId, meeting.Upn, m =>
            {
                flagged = !m.NoEmailFlagged;
                return flagged ? m with { NoEmailFlagged = true } : null;
            }, cancellationToken);
            if (flagged)
            {
                var phone = contacts.Where(c => c.ParentalResponsibility).Select(c => c.Mobile).FirstOrDefault(m => m is not null);
                await FlagNoEmailAsync(meeting,
                    $"The parent of {BookingText.PupilName(pupil)} has no email address, so I cannot remind them of the plan meeting on {BookingText.Long(meeting.Slot!, meeting.TimeZone)}. " +
                    (phone is null ? "Please send a letter home." : $"Please phone them ({phone}) or send a letter home."), cancellationToken);
                sent++;
            }
        }
        return sent;
    }

    /// <summary>The teacher is asked to phone or write; one who cannot be reached in Teams leaves it to the SENCo, told who and why.</summary>
    private async Task FlagNoEmailAsync(MeetingRecord meeting, string text, CancellationToken cancellationToken)
    {
        if (await chats.DeliverAsync(meeting.SchoolId, meeting.TeacherId, $"no-email|{meeting.TransactionId}", null, text, cancellationToken) != StaffReach.NoChat)
        {
            return;
        }
        var teacher = (await StaffAsync(meeting.SchoolId, cancellationToken)).FirstOrDefault(s => string.Equals(s.EntraObjectId, meeting.TeacherId, StringComparison.OrdinalIgnoreCase));
        var (sencos, told) = await chats.TellAsync(meeting.SchoolId, StaffRole.SENCo, $"no-email|{meeting.TransactionId}|senco",
            $"{teacher?.DisplayName ?? "The pupil's teacher"} cannot be reached by the bot in Teams, so I am telling you instead. {text}", cancellationToken);
        Unreached(meeting.SchoolId, 1, 1);
        if (told == 0)
        {
            NobodyReached("No-email flag", meeting.SchoolId, 1 + sencos);
        }
    }

    private static string LeadKey(TimeSpan lead) => lead.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
}
