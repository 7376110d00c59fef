using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;
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

    /// <summary>The parent's language when the school has its strings, otherwise English.</summary>
    public System.Globalization.CultureInfo Culture => ParentViewsText.CultureFor(Contact.PreferredLanguage);

    /// <summary>The card's input, carrying the link token back with the Action.Execute.</summary>
    public ParentViewsCardInput CardInput(string token) =>
        new(Pupil.LegalForename, Term.Deadline, Targets, Views?.Answers ?? new Dictionary<string, string>(),
            new JsonObject { [ParentViewsService.LinkField] = token }, CanChange, Culture)
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
    IMemoryCache cache,
    AgreedNotesMailer agreedMail,
    TimeProvider time)
{
    /// <summary>How long a term or a school's settings may be a little out of date on a parent's page.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

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
        // A parent's page waits for one storage round trip: the pupil row (which holds the
        // contacts), the stored views, the plan and the plan read's audit row, all together.
        // Terms and settings change a few times a year, so they are cached briefly. A signed link
        // cannot be made up, so the plan is read only for a parent the school gave a link to; if
        // the pupil or contact is gone since, the read is still audited, and nothing is shown.
        var pupilRead = roster.GetPupilWithContactsAsync(Reader, link.SchoolId, link.PupilId, cancellationToken);
        var viewsRead = store.GetAsync(link.SchoolId, link.TermId, link.PupilId, link.ContactId, cancellationToken);
        var planRead = roster.GetPlanAsync(Reader, link.SchoolId, link.TermId, link.PupilId, cancellationToken);
        var termRead = FindTermAsync(link.SchoolId, link.TermId, cancellationToken);
        var settingsRead = SettingsAsync(link.SchoolId, cancellationToken);
        await Task.WhenAll(pupilRead, viewsRead, planRead, termRead, settingsRead);

        var pupil = await pupilRead;
        var contact = pupil?.Contacts.FirstOrDefault(c => ContactId(c) == link.ContactId);
        var term = await termRead;
        if (pupil is null || pupil.Pupil.IsArchived || contact is null || !contact.ParentalResponsibility || term is null)
        {
            return null;
        }
        return new ViewsSubject(link, pupil.Pupil, contact, term, await planRead, await viewsRead, CanChange(term, await settingsRead));
    }

    /// <summary>A term by its id ("2026-27-autumn"), or null; from a cache that forgets after <see cref="CacheFor"/>.</summary>
    public async Task<Term?> FindTermAsync(string schoolId, string termId, CancellationToken cancellationToken)
    {
        var dash = termId.LastIndexOf('-');
        if (dash <= 0)
        {
            return null;
        }
        var year = termId[..dash];
        var terms = await cache.GetOrCreateAsync(("views-terms", schoolId, year), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            return calendar.GetTermsAsync(schoolId, year, cancellationToken);
        });
        return terms!.FirstOrDefault(t => t.Id == termId);
    }

    /// <summary>The school's settings (time zone, hours), from a cache that forgets after <see cref="CacheFor"/>.</summary>
    internal async Task<SchoolSettings?> SettingsAsync(string schoolId, CancellationToken cancellationToken) =>
        await cache.GetOrCreateAsync(("views-settings", schoolId), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            return calendar.GetSettingsAsync(schoolId, cancellationToken);
        });

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
