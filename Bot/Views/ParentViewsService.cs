using System.Text.Json.Nodes;
using SendPlans.Bot.AfterMeeting;
using SendPlans.Bot.ParentLinks;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Terms;
using SendPlans.Cards.Views;

namespace SendPlans.Bot.Views;

/// <summary>Whose views a link is for, with what the card needs, as the link resolved now.</summary>
public sealed record ViewsSubject(ParentLink Link, Pupil Pupil, Contact Contact, Term Term, Plan? Plan, ParentViews? Views, bool CanChange)
{
    public IReadOnlyList<ParentViewsTarget> Targets =>
        [.. (Plan?.Targets ?? []).Select(t => new ParentViewsTarget(t.AreaOfNeed ?? "", t.Text, t.HowSchoolHelps ?? "", t.HowWeKnow ?? ""))];

    /// <summary>The card's input, carrying the link token back with the Action.Execute.</summary>
    public ParentViewsCardInput CardInput(string token) =>
        new(Pupil.LegalForename, Term.Deadline, Targets, Views?.Answers ?? new Dictionary<string, string>(),
            new JsonObject { [ParentViewsService.LinkField] = token }, CanChange)
        {
            Agreed = Plan?.Agreed is { } agreed ? new ParentAgreedInput(agreed.Targets, agreed.Notes) : null,
        };
}

/// <summary>
/// The parent views rules: who gets a link and until when, what a link resolves to, which
/// answers are kept, and that answers change only until the term's deadline.
/// </summary>
public sealed class ParentViewsService(
    ParentLinkTokens tokens,
    RosterStore roster,
    SchoolCalendarStore calendar,
    ParentViewsStore store,
    AgreedNotesMailer agreedMail,
    TimeProvider time)
{
    public const string LinkField = "link";

    /// <summary>The link stops working a week after the deadline: late views still reach the meeting notes.</summary>
    public static readonly TimeSpan LinkLifeAfterDeadline = TimeSpan.FromDays(7);

    private static readonly RosterReader Reader = RosterReader.System("parent views");

    /// <summary>A views link for the contact, or null when they have no parental responsibility.</summary>
    public string? CreateLink(Contact contact, Term term)
    {
        if (!contact.ParentalResponsibility || contact.IsArchived || contact.SchoolId != term.SchoolId)
        {
            return null;
        }
        var expires = new DateTimeOffset(term.Deadline.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) + LinkLifeAfterDeadline;
        return tokens.Create(new ParentLink(ParentLinkPurpose.Views, contact.SchoolId, contact.Upn, ContactId(contact), term.Id, expires));
    }

    public static string ContactId(Contact contact) => contact.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public ParentLinkResult ReadLink(string? token) => tokens.Read(token, ParentLinkPurpose.Views);

    /// <summary>Null when the link names a pupil, contact or term the school does not have (or a contact without parental responsibility).</summary>
    public async Task<ViewsSubject?> FindAsync(ParentLink link, CancellationToken cancellationToken)
    {
        // The reads that do not depend on each other go together: a parent's page waits for
        // two storage round trips, not seven one after another.
        var pupilRead = roster.GetPupilAsync(Reader, link.SchoolId, link.PupilId, cancellationToken);
        var contactsRead = roster.GetContactsAsync(Reader, link.SchoolId, link.PupilId, cancellationToken);
        var termRead = FindTermAsync(link.SchoolId, link.TermId, cancellationToken);
        var viewsRead = store.GetAsync(link.SchoolId, link.TermId, link.PupilId, link.ContactId, cancellationToken);
        var settingsRead = calendar.GetSettingsAsync(link.SchoolId, cancellationToken);
        await Task.WhenAll(pupilRead, contactsRead, termRead, viewsRead, settingsRead);

        var pupil = await pupilRead;
        var contact = (await contactsRead).FirstOrDefault(c => ContactId(c) == link.ContactId);
        var term = await termRead;
        if (pupil is null || pupil.IsArchived || contact is null || !contact.ParentalResponsibility || term is null)
        {
            return null;
        }
        // The plan is read (and its read audited) only for a link that names a real parent.
        var plan = await roster.GetPlanAsync(Reader, link.SchoolId, link.TermId, link.PupilId, cancellationToken);
        return new ViewsSubject(link, pupil, contact, term, plan, await viewsRead, CanChange(term, await settingsRead));
    }

    /// <summary>A term by its id ("2026-27-autumn"), or null.</summary>
    public async Task<Term?> FindTermAsync(string schoolId, string termId, CancellationToken cancellationToken)
    {
        var dash = termId.LastIndexOf('-');
        var terms = dash > 0 ? await calendar.GetTermsAsync(schoolId, termId[..dash], cancellationToken) : [];
        return terms.FirstOrDefault(t => t.Id == termId);
    }

    /// <summary>Keeps only the card's own inputs, trimmed and cut to length; anything else sent is dropped.</summary>
    public static Dictionary<string, string> Clean(ViewsSubject subject, JsonObject raw)
    {
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in ParentViewsFields.All(subject.Targets.Count))
        {
            if (raw[id] is not JsonValue value || !value.TryGetValue<string>(out var text))
            {
                continue;
            }
            text = text.Trim();
            if (text.Length == 0)
            {
                continue;
            }
            if (id.StartsWith("agree", StringComparison.Ordinal) && text is not (ParentViewsFields.AgreeYes or ParentViewsFields.AgreeNotSure or ParentViewsFields.AgreeNo))
            {
                continue;
            }
            if (id is ParentViewsFields.Interpreter or ParentViewsFields.EmailConsent && text is not ("true" or "false"))
            {
                continue;
            }
            answers[id] = text.Length > ParentViewsFields.MaxTextLength ? text[..ParentViewsFields.MaxTextLength] : text;
        }
        return answers;
    }

    /// <summary>Stores the answers; null when the deadline has passed.</summary>
    public async Task<ViewsSubject?> SubmitAsync(ViewsSubject subject, JsonObject raw, CancellationToken cancellationToken)
    {
        if (!subject.CanChange)
        {
            return null;
        }
        var link = subject.Link;
        var (views, _) = await store.SaveAsync(new ParentViews(link.SchoolId, link.TermId, link.PupilId, link.ContactId, Clean(subject, raw)), cancellationToken);
        if (subject.Plan?.Agreed is { } agreed && views.Answers.GetValueOrDefault(ParentViewsFields.EmailConsent) == "true")
        {
            // Asked for the notes after they were recorded: this parent gets the current version, once.
            await agreedMail.SendAsync(subject.Pupil, link.TermId, agreed, cancellationToken);
        }
        return subject with { Views = views };
    }

    /// <summary>Answers may change until the end of the deadline day, in the school's time zone.</summary>
    private bool CanChange(Term term, SchoolSettings? settings) => SchoolClock.Today(time, settings?.TimeZone) <= term.Deadline;
}
