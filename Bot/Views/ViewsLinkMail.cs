using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using SendPlans.Bot.Booking;
using SendPlans.Bot.DataProtection;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Terms;
using SendPlans.Cards.Views;
using SendPlans.Infrastructure.Jobs;
using SendPlans.Infrastructure.Mail;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Bot.Views;

/// <summary>
/// Mails each parent with parental responsibility their views link, once a term, as soon as
/// the teacher has written the plan's targets (2 or more) and until the deadline. A claim row
/// per term, pupil and contact is added before the mail goes and marked sent after, so a second
/// pass or a second instance mails nobody twice (<see cref="MailClaims"/>): a mail that failed is
/// retried on the next pass, one whose sender died once its claim is stale, with the same message
/// id. A parent mailed before the last <see cref="ViewsOptions.LinkReminderDaysBeforeDeadline"/>
/// days who has still not answered gets one reminder then, claimed the same way.
/// </summary>
public sealed class ViewsLinkMailJob(
    TableLeases leases,
    TableStorage storage,
    SchoolCalendarStore calendars,
    RosterStore roster,
    ParentViewsStore views,
    ParentViewsService parentViews,
    IParentMailer mailer,
    IOptions<ViewsOptions> options,
    IOptions<BookingOptions> booking,
    TimeProvider time,
    ILogger<ViewsLinkMailJob> logger)
    : LeasedJob(leases, time)
{
    public const string Table = "ViewsLinkMail";
    public const string ReminderSuffix = "|reminder";
    private static readonly RosterReader Reader = RosterReader.System("views link mail");

    protected override string LeaseName => "views-link-mail";

    protected override TimeSpan LeaseDuration => TimeSpan.FromMinutes(10);

    protected override TimeSpan Interval => options.Value.LinkMailInterval;

    protected override bool RunsInBackground => options.Value.RunJobs;

    protected override void OnPassFailed(Exception exception) => Log.LinkMailFailed(logger, exception.GetType().Name);

    protected override async Task<int> RunPassAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var school in await calendars.AllSettingsAsync(cancellationToken))
        {
            if (await calendars.CurrentOrNextTermAsync(school.SchoolId, cancellationToken) is { } term
                && SchoolClock.Today(Time, school.TimeZone) <= term.Deadline)
            {
                sent += await MailSchoolAsync(school, term, cancellationToken);
            }
        }
        return sent;
    }

    private async Task<int> MailSchoolAsync(SchoolSettings school, Term term, CancellationToken cancellationToken)
    {
        // Every pass looks, so it reads target counts only: reading the plans would fill the plan audit.
        var ready = await roster.GetPupilsWithTargetsAsync(Reader, school.SchoolId, term.Id, Plan.MinTargets, cancellationToken);
        if (ready.Count == 0)
        {
            return 0;
        }
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var claims = (await table.QueryAllAsync(
                TableKeys.StartsWith(school.SchoolId, term.Id + "|"), null, cancellationToken))
            .ToDictionary(e => e.RowKey, StringComparer.Ordinal);
        var mail = new MailClaims(table, Time, logger);
        var answered = (await views.ForTermAsync(school.SchoolId, term.Id, cancellationToken))
            .Select(v => RowKey(term.Id, v.Upn, v.ContactId)).ToHashSet(StringComparer.Ordinal);
        var pupils = await roster.GetPupilsWithContactsAsync(Reader, school.SchoolId, includeArchived: false, cancellationToken);
        var reminderFrom = ReminderWindowStart(school, term);
        var sent = 0;
        var noEmail = 0;
        foreach (var (pupil, contact) in pupils.Where(p => ready.Contains(p.Pupil.Upn)).SelectMany(p => p.Contacts.Select(c => (p.Pupil, c))))
        {
            var key = RowKey(term.Id, pupil.Upn, ParentViewsService.ContactId(contact));
            if (answered.Contains(key) || parentViews.CreateLink(contact, term) is not { } token)
            {
                continue;
            }
            if (string.IsNullOrWhiteSpace(contact.Email))
            {
                noEmail++;
                continue;
            }
            var link = claims.GetValueOrDefault(key);
            if (!MailClaims.IsSent(link))
            {
                sent += await SendOnceAsync(mail, claims, school.SchoolId, key, pupil.Upn, Message(school, term, pupil, contact, token, key, reminder: false), cancellationToken);
            }
            else if (reminderFrom is { } from && link.GetDateTimeOffset(MailClaims.SentAtColumn) < from && Time.GetUtcNow() >= from)
            {
                // One reminder in the last days before the deadline, to a parent mailed before then who has not answered.
                var reminderKey = key + ReminderSuffix;
                sent += await SendOnceAsync(mail, claims, school.SchoolId, reminderKey, pupil.Upn, Message(school, term, pupil, contact, token, reminderKey, reminder: true), cancellationToken);
            }
        }
        Log.LinksMailed(logger, school.SchoolId, sent, noEmail);
        return sent;
    }

    /// <summary>1 when this pass sent the mail: claimed, sent and marked sent by the rules of <see cref="MailClaims"/>.</summary>
    private async Task<int> SendOnceAsync(MailClaims mail, Dictionary<string, TableEntity> claims, string schoolId, string key, string upn, MailMessage message, CancellationToken cancellationToken)
    {
        if (MailClaims.IsSent(claims.GetValueOrDefault(key)))
        {
            return 0;
        }
        var outcome = await mail.SendOnceAsync(schoolId, key, message.MessageId, new Dictionary<string, object> { ["Upn"] = upn },
            (id, ct) => mailer.SendAsync(message with { MessageId = id }, ct), cancellationToken);
        return outcome == MailClaimOutcome.Won ? 1 : 0;
    }

    /// <summary>When the reminder may go: the start of the day <see cref="ViewsOptions.LinkReminderDaysBeforeDeadline"/> days before the deadline, school time; null when reminders are off.</summary>
    private DateTimeOffset? ReminderWindowStart(SchoolSettings school, Term term)
    {
        var days = options.Value.LinkReminderDaysBeforeDeadline;
        if (days == 0)
        {
            return null;
        }
        var local = term.Deadline.AddDays(-days).ToDateTime(TimeOnly.MinValue);
        var zone = SchoolClock.Zone(school.TimeZone);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private MailMessage Message(SchoolSettings school, Term term, Pupil pupil, Contact contact, string token, string key, bool reminder)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var url = $"{booking.Value.PublicBaseUrl.TrimEnd('/')}/views/{token}";
        var name = pupil.LegalForename;
        var language = ParentViewsText.CultureFor(contact.PreferredLanguage);
        var html =
            $"<p>{E(ParentViewsText.Get("LinkMailGreeting", language))}</p>" +
            $"<p>{E(ParentViewsText.Format(reminder ? "ReminderMailIntro" : "LinkMailIntro", language, name))}</p>" +
            $"<p><a href=\"{E(url)}\"><strong>{E(ParentViewsText.Get("LinkMailButton", language))}</strong></a></p>" +
            $"<p>{E(ParentViewsText.Format("AnswerBy", language, term.Deadline.ToString("dddd d MMMM", language)))}</p>" +
            $"<p>{E(ParentViewsText.Get("LinkMailPrivate", language))}</p>" +
            $"<p>{E(ParentViewsText.Get("LinkMailThanks", language))}<br>{E(school.Name)}</p>";
        return new MailMessage(contact.Email!, contact.Relationship, ParentViewsText.Format(reminder ? "ReminderMailSubject" : "LinkMailSubject", language, name), html,
            "views-link-" + TableKeys.Hash(school.SchoolId + "|" + key));
    }

    public static string RowKey(string termId, string upn, string contactId) => ParentViewsStore.RowKey(termId, upn, contactId);
}

/// <summary>When each parent of a pupil was mailed their views link this term, and reminded: for the teacher's plan card.</summary>
public sealed record ViewsLinkMailed(DateTimeOffset? LinkSentAt, DateTimeOffset? ReminderSentAt)
{
    /// <summary>The day a mail went, as the school's staff count days ("4 December"): the plan card and the year lead's alert both say it.</summary>
    public static string Day(DateTimeOffset sentAt, string? timeZone) => SchoolClock.Day(sentAt, timeZone);
}

/// <summary>Reads the views link job's claim rows for one pupil.</summary>
public sealed class ViewsLinkMailRecords(TableStorage storage)
{
    /// <summary>By contact id; contacts never mailed are absent.</summary>
    public async Task<IReadOnlyDictionary<string, ViewsLinkMailed>> ForPupilAsync(string schoolId, string termId, string upn, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(ViewsLinkMailJob.Table, cancellationToken);
        var prefix = $"{termId}|{upn}|";
        var rows = await table.QueryAllAsync(
            TableKeys.StartsWith(schoolId, prefix), null, cancellationToken);
        DateTimeOffset? SentAt(string key) => rows.FirstOrDefault(r => r.RowKey == key && MailClaims.IsSent(r))?.GetDateTimeOffset(MailClaims.SentAtColumn);
        return rows.Select(r => r.RowKey[prefix.Length..].Split('|')[0]).Distinct()
            .ToDictionary(c => c, c => new ViewsLinkMailed(SentAt(prefix + c), SentAt(prefix + c + ViewsLinkMailJob.ReminderSuffix)), StringComparer.Ordinal);
    }
}

/// <summary>Erasure reaches the record of which parents were mailed their link.</summary>
public sealed class ViewsLinkMailEraser(TableStorage storage) : UpnColumnEraser(storage, ViewsLinkMailJob.Table);
