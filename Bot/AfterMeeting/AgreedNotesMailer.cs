using System.Globalization;
using System.Net;
using System.Text;
using Azure.Data.Tables;
using SendPlans.Bot.DataProtection;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Terms;
using SendPlans.Bot.Views;
using SendPlans.Cards.Views;
using SendPlans.Infrastructure.Mail;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Bot.AfterMeeting;

/// <summary>
/// Mails the agreed notes to each parent who asked for them: one email per contact per version.
/// Graph has no idempotency key for mail, so each send is first claimed with an add-if-absent
/// row (table AgreedMail, row "{term}|{upn}|{contact}|{version}") by the rules of
/// <see cref="MailClaims"/>: a retried save, or two instances saving at once, send once. A failed
/// send releases its claim so the next save retries it; a claim left "sending" by a process that
/// died is taken over by the next save after <see cref="MailClaims.StaleAfter"/>. The message id
/// is derived the same way, so the local outbox also stores it once.
/// </summary>
public sealed class AgreedNotesMailer(
    TableStorage storage, IParentMailer mailer, RosterStore roster, ParentViewsStore views, SchoolCalendarStore calendar,
    TimeProvider time, ILogger<AgreedNotesMailer> logger)
{
    public const string Table = "AgreedMail";

    private static readonly RosterReader Reader = RosterReader.System("agreed notes mail");

    /// <summary>A current contact with parental responsibility and an email address who ticked "Please email me the notes".</summary>
    public static bool WantsEmail(Contact contact, ParentViews? given) =>
        contact.ParentalResponsibility && !contact.IsArchived && !string.IsNullOrWhiteSpace(contact.Email)
        && given?.Answers.GetValueOrDefault(ParentViewsFields.EmailConsent) == "true";

    public static string ClaimKey(string termId, string upn, string contactId, int revision) =>
        $"{termId}|{upn}|{contactId}|{revision.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Derived from what is sent, never random, and with no pupil data in it.</summary>
    public static string MessageId(string schoolId, string termId, string upn, string contactId, int revision) =>
        $"agreed-{TableKeys.Hash($"{schoolId}|{termId}|{upn}")}-{contactId}-{revision.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Sends this version to every parent who asked and has not had it; returns how many went and how many failed.</summary>
    public async Task<(int Sent, int Failed)> SendAsync(Pupil pupil, string termId, AgreedNotes agreed, CancellationToken cancellationToken)
    {
        var contacts = await roster.GetContactsAsync(Reader, pupil.SchoolId, pupil.Upn, cancellationToken);
        var given = await views.GetForPupilAsync(pupil.SchoolId, termId, pupil.Upn, cancellationToken);
        var school = (await calendar.GetSettingsAsync(pupil.SchoolId, cancellationToken))?.Name ?? "School";
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var claims = new MailClaims(table, time, logger);
        var (sent, failed) = (0, 0);
        foreach (var contact in contacts)
        {
            var contactId = ParentViewsService.ContactId(contact);
            if (!WantsEmail(contact, given.FirstOrDefault(v => v.ContactId == contactId)))
            {
                continue;
            }
            var key = ClaimKey(termId, pupil.Upn, contactId, agreed.Revision);
            var mailing = false;
            try
            {
                var outcome = await claims.SendOnceAsync(pupil.SchoolId, key, MessageId(pupil.SchoolId, termId, pupil.Upn, contactId, agreed.Revision),
                    new Dictionary<string, object> { ["Upn"] = pupil.Upn }, async (id, ct) =>
                    {
                        var update = agreed.Revision > 1 && await HadEarlierAsync(table, pupil.SchoolId, termId, pupil.Upn, contactId, agreed.Revision, ct);
                        var language = ParentViewsText.CultureFor(contact.PreferredLanguage);
                        mailing = true;
                        await mailer.SendAsync(new MailMessage(contact.Email!.Trim(), contact.Relationship,
                            ParentViewsText.Format(update ? "AgreedMailUpdateSubject" : "AgreedMailSubject", language, pupil.LegalForename),
                            Html(school, pupil.LegalForename, agreed, update, language), id), ct);
                    }, cancellationToken);
                if (outcome == MailClaimOutcome.Won)
                {
                    sent++;
                }
            }
            catch (Exception e) when (mailing && e is not OperationCanceledException)
            {
                // The mail did not go and the claim was given back: the next save of the same notes tries again.
                Log.MailFailed(logger, e.GetType().Name);
                failed++;
            }
        }
        return (sent, failed);
    }

    /// <summary>The email: plain words from the resx, the teacher's own text and what its acronyms mean, nothing else about the pupil.</summary>
    public static string Html(string school, string pupilFirstName, AgreedNotes agreed, bool update, CultureInfo language)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder(2048);
        html.Append("<p>").Append(E(ParentViewsText.Get("AgreedMailHello", language))).Append("</p>")
            .Append("<p>").Append(E(ParentViewsText.Format(update ? "AgreedMailUpdate" : "AgreedMailIntro", language, pupilFirstName))).Append("</p>")
            .Append("<h2>").Append(E(ParentViewsText.Get("AgreedHeading", language))).Append("</h2><ol>");
        foreach (var target in agreed.Targets)
        {
            html.Append("<li>").Append(E(target)).Append("</li>");
        }
        html.Append("</ol>");
        if (agreed.Notes.Length > 0)
        {
            html.Append("<h2>").Append(E(ParentViewsText.Get("AgreedNotesHeading", language))).Append("</h2><p>")
                .Append(E(agreed.Notes).Replace("\n", "<br>", StringComparison.Ordinal)).Append("</p>");
        }
        var terms = ParentViewsText.GlossaryTermsIn([.. agreed.Targets, agreed.Notes]);
        if (terms.Count > 0)
        {
            html.Append("<p>").Append(E(ParentViewsText.Get("AgreedWords", language))).Append("</p><ul>");
            foreach (var term in terms)
            {
                html.Append("<li>").Append(E(ParentViewsText.Glossary(term, language))).Append("</li>");
            }
            html.Append("</ul>");
        }
        html.Append("<p>").Append(E(ParentViewsText.Get("AgreedMailWhy", language))).Append("</p>")
            .Append("<p>").Append(E(ParentViewsText.Get("AgreedMailEnd", language))).Append("</p>")
            .Append("<p>").Append(E(ParentViewsText.Format("AgreedMailSignOff", language, school))).Append("</p>");
        return html.ToString();
    }

    private static async Task<bool> HadEarlierAsync(TableClient table, string schoolId, string termId, string upn, string contactId, int revision, CancellationToken cancellationToken)
    {
        for (var r = revision - 1; r >= 1; r--)
        {
            if ((await table.GetEntityIfExistsAsync<TableEntity>(schoolId, ClaimKey(termId, upn, contactId, r), ["PartitionKey"], cancellationToken)).HasValue)
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>Erasure reaches the record of which notes were mailed too.</summary>
public sealed class AgreedMailEraser(TableStorage storage) : UpnColumnEraser(storage, AgreedNotesMailer.Table);
