using System.Text.Json.Nodes;
using SendPlans.Bot.AfterMeeting;
using SendPlans.Bot.Booking;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Terms;
using SendPlans.Bot.Views;
using SendPlans.Cards.Model;
using SendPlans.Cards.Plans;
using SendPlans.Cards.Views;
using SendPlans.Infrastructure.BotFramework;

namespace SendPlans.Bot.Plans;

/// <summary>
/// The teacher's plan card: "plan for Amelia" shows the targets with the parents' views and
/// the pupil's voice; the card saves 2 to 4 targets and the pupil's voice on the plan.
/// </summary>
public sealed class PlansHandlers(
    StaffDirectory staff, RosterStore roster, IRosterAccess access, SchoolCalendarStore calendar, ParentViewsStore views, ParentViewsService parentViews,
    MeetingStore meetings, QuestionBankStore banks, ViewsLinkMailRecords linkMail, TimeProvider time, ILogger<PlansHandlers> logger)
{
    private const string UpnField = "upn";
    private const string TermField = "term";

    public const string TargetsNotForTeachingAssistants =
        "Only the class teacher, year lead, SENCo or SLT can change the targets. As a teaching assistant you can read the plan and capture the pupil's voice. Nothing was saved.";

    public async Task PlanForAsync(TurnContext context, string name, CancellationToken cancellationToken)
    {
        var member = await staff.FindByEntraIdAsync(context.Activity.From?.AadObjectId, cancellationToken);
        if (member is null)
        {
            await context.SendActivityAsync("I can only show plans to the school's staff.", cancellationToken);
            return;
        }
        var reader = RosterReader.For(member, "plan card");
        var pupils = await VisiblePupilsAsync(reader, member, cancellationToken);
        var matches = pupils.Where(p => $"{p.LegalForename} {p.LegalSurname}".Contains(name.Trim(), StringComparison.OrdinalIgnoreCase) || p.Upn == name.Trim()).ToList();
        var term = await calendar.CurrentOrNextTermAsync(member.SchoolId, cancellationToken);
        if (matches.Count != 1 || term is null)
        {
            await context.SendActivityAsync(term is null ? "There is no term set up yet, so there is no plan to show."
                : matches.Count == 0 ? "I found no pupil of that name in your classes."
                : "More than one pupil matches: " + string.Join(", ", matches.Select(p => $"{p.LegalForename} {p.LegalSurname}")) + ". Type more of the name.", cancellationToken);
            return;
        }
        await context.SendCardAsync((await PlanCardAsync(reader, matches[0], term.Id, context.Activity.From?.Id, null, null, cancellationToken)).ToJsonNode(), cancellationToken);
    }

    public async Task<InvokeResponse> SaveTargetsAsync(TurnContext context, AdaptiveCardAction action, CancellationToken cancellationToken)
    {
        var (reader, pupil, termId) = await ResolveAsync(context, action, cancellationToken);
        if (pupil is null)
        {
            return NotYourPupil("change the plans");
        }
        if (!await MayChangeTargetsAsync(reader!, pupil, cancellationToken))
        {
            return reader!.Staff!.Is(StaffRole.TeachingAssistant)
                ? InvokeResponse.Error(403, "NotAllowed", TargetsNotForTeachingAssistants) : NotYourPupil("change the plans");
        }
        var typed = TargetRules.Typed(id => Field(action, id));
        var (targets, problem) = TargetRules.Parse(typed);
        if (targets is null)
        {
            Log.TargetsRefused(logger);
            // No refresh: Teams would put the stored targets back over what was typed when the teacher next opens the chat.
            var card = await PlanCardInputAsync(reader!, pupil, termId!, null, null, null, cancellationToken);
            return InvokeResponse.Card(PlanCards.Plan(card with { Targets = typed, Problem = problem }).ToJsonNode());
        }
        await ChangePlanAsync(reader!, pupil, termId!, p => p with { Targets = targets }, cancellationToken);
        Log.TargetsSaved(logger, targets.Count);
        return InvokeResponse.Card((await PlanCardAsync(reader!, pupil, termId!, context.Activity.From?.Id, "Targets saved.", null, cancellationToken)).ToJsonNode());
    }

    public async Task<InvokeResponse> OpenVoiceAsync(TurnContext context, AdaptiveCardAction action, CancellationToken cancellationToken)
    {
        var (reader, pupil, termId) = await ResolveAsync(context, action, cancellationToken);
        if (pupil is null)
        {
            return NotYourPupil("capture the voice");
        }
        var plan = await roster.GetPlanAsync(reader!, pupil.SchoolId, termId!, pupil.Upn, cancellationToken);
        var bank = IsEarlyYears(pupil) ? await banks.GetAsync(pupil.SchoolId, cancellationToken) : null;
        return InvokeResponse.Card(VoiceCard(pupil, termId!, plan?.PupilVoice ?? new Dictionary<string, string>(), bank).ToJsonNode());
    }

    /// <summary>A young child's tap on a picture: that one answer is stored straight away and the card comes back with it marked.</summary>
    public async Task<InvokeResponse> PickVoiceAsync(TurnContext context, AdaptiveCardAction action, CancellationToken cancellationToken)
    {
        var (reader, pupil, termId) = await ResolveAsync(context, action, cancellationToken);
        if (pupil is null)
        {
            return NotYourPupil("capture the voice");
        }
        if (!IsEarlyYears(pupil))
        {
            return InvokeResponse.Error(400, "NoPictureQuestions", "This pupil's voice is written in their own words, not picked from pictures. Nothing has been saved.");
        }
        var bank = await banks.GetAsync(pupil.SchoolId, cancellationToken);
        var question = action.GetString(PupilVoiceFields.Question) is { } id ? bank.Find(id)?.ToPictureQuestion() : null;
        var answer = action.GetString(PupilVoiceFields.Answer);
        if (question is null)
        {
            return InvokeResponse.Error(400, "UnknownQuestion", "That question is not in the school's question bank. Nothing has been saved.");
        }
        if (AnswerRefusal(question, answer) is { } refused)
        {
            return refused;
        }
        var stored = await ChangePlanAsync(reader!, pupil, termId!, p =>
        {
            var picked = p.PupilVoice?.ToDictionary() ?? new();
            picked[question.Id] = answer!;
            return p with { PupilVoice = picked };
        }, cancellationToken);
        Log.VoicePicked(logger);
        var voice = stored.PupilVoice ?? new Dictionary<string, string>();
        // The card comes back in place of the one tapped: keep a note the adult has typed but not saved yet.
        var shown = action.GetString(PupilVoiceFields.AdultNote) is { } note ? new Dictionary<string, string>(voice) { [PupilVoiceFields.AdultNote] = note } : voice;
        return InvokeResponse.Card(VoiceCard(pupil, termId!, shown, bank).ToJsonNode());
    }

    public async Task<InvokeResponse> SaveVoiceAsync(TurnContext context, AdaptiveCardAction action, CancellationToken cancellationToken)
    {
        var (reader, pupil, termId) = await ResolveAsync(context, action, cancellationToken);
        if (pupil is null)
        {
            return NotYourPupil("capture the voice");
        }
        // Any question in the bank is kept, asked or not: the SENCo may have changed the bank while the card was open.
        var bank = IsEarlyYears(pupil) ? await banks.GetAsync(pupil.SchoolId, cancellationToken) : null;
        IEnumerable<string> ids = bank is not null
            ? [.. bank.Questions.Select(q => q.Id), PupilVoiceFields.AdultNote]
            : PupilVoiceFields.Older.Select(f => f.Id);
        var voice = ids.Select(id => (id, Value: Field(action, id))).Where(x => x.Value is not null).ToDictionary(x => x.id, x => x.Value!);
        if (VoiceRefusal(voice, bank) is { } refused)
        {
            return refused;
        }
        // Early years answers were stored as they were tapped: Save brings the note (and, from a card posted before taps, answers).
        await ChangePlanAsync(reader!, pupil, termId!, p => p with { PupilVoice = bank is null ? voice : WithNote(p.PupilVoice, voice) }, cancellationToken);
        Log.VoiceSaved(logger, voice.Count);
        return InvokeResponse.Card((await PlanCardAsync(reader!, pupil, termId!, context.Activity.From?.Id, "Pupil's voice saved.", bank, cancellationToken)).ToJsonNode());
    }

    /// <summary>The plan card's refresh, sent by Teams when the teacher opens the chat: the card as it is now, with the same access rule as the card's buttons.</summary>
    public async Task<InvokeResponse> RefreshPlanAsync(TurnContext context, AdaptiveCardAction action, CancellationToken cancellationToken)
    {
        var (reader, pupil, termId) = await ResolveAsync(context, action, cancellationToken);
        if (pupil is null)
        {
            return NotYourPupil("see the plans");
        }
        return InvokeResponse.Card((await PlanCardAsync(reader!, pupil, termId!, context.Activity.From?.Id, null, null, cancellationToken)).ToJsonNode());
    }

    /// <summary>Why a picture question's answer is refused, for a tap and for Save alike; null when the question offers it.</summary>
    private static InvokeResponse? AnswerRefusal(PictureQuestion question, string? answer) => question.Offers(answer) ? null
        : InvokeResponse.Error(400, "UnknownAnswer", $"That is not one of the answers to \"{question.Text}\". Nothing has been saved.");

    /// <summary>Why the voice card's answers are refused, before anything is written: an answer a picture question does not offer, or text longer than the card allows.</summary>
    private static InvokeResponse? VoiceRefusal(IReadOnlyDictionary<string, string> voice, QuestionBank? bank)
    {
        foreach (var (id, value) in voice)
        {
            if (bank?.Find(id) is { } question && AnswerRefusal(question.ToPictureQuestion(), value) is { } refused)
            {
                return refused;
            }
            if (value.Length > PupilVoiceFields.AnswerLength)
            {
                var named = id == PupilVoiceFields.AdultNote ? "The adult's note" : $"The answer to \"{PupilVoiceFields.Older.First(f => f.Id == id).Label}\"";
                return InvokeResponse.Error(400, "TooLong", $"{named} is longer than {PupilVoiceFields.AnswerLength} characters. Shorten it and save again. Nothing has been saved.");
            }
        }
        return null;
    }

    /// <summary>The stored voice with the saved note in place of the stored one (none when cleared) and any answers the card sent.</summary>
    private static Dictionary<string, string> WithNote(IReadOnlyDictionary<string, string>? stored, Dictionary<string, string> saved)
    {
        var voice = stored?.Where(kv => kv.Key != PupilVoiceFields.AdultNote).ToDictionary() ?? new();
        foreach (var (id, value) in saved)
        {
            voice[id] = value;
        }
        return voice;
    }

    private static AdaptiveCard VoiceCard(Pupil pupil, string termId, IReadOnlyDictionary<string, string> answers, QuestionBank? bank)
    {
        var input = new PupilVoiceCardInput(pupil.LegalForename, answers, Data(pupil, termId));
        return bank is not null ? PupilVoiceCards.EarlyYears(input, bank.Asked) : PupilVoiceCards.Older(input);
    }

    /// <summary>
    /// Applies the change to the pupil's plan for the term, creating a draft when there is none, and
    /// returns the plan as stored. When two first changes meet (two quick taps), the one whose create
    /// finds the other's plan goes round again and applies its change to that plan: neither is lost.
    /// </summary>
    internal async Task<Plan> ChangePlanAsync(RosterReader reader, Pupil pupil, string termId, Func<Plan, Plan> change, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await roster.UpdatePlanAsync(reader, pupil.SchoolId, termId, pupil.Upn, change, cancellationToken) is { } updated)
            {
                return updated;
            }
            if (await roster.AddPlanAsync(reader, change(new Plan(pupil.SchoolId, pupil.Upn, termId, PlanStatus.Draft, [])), cancellationToken) is { } created)
            {
                return created;
            }
        }
    }

    /// <summary>
    /// Whether a reader who may read the pupil's plan (the callers have checked it) may also change
    /// its targets and record what was agreed: they must read it through a role other than teaching
    /// assistant, whose classes let them read it and capture the voice only. Only a teaching
    /// assistant costs the access rule a second look; everyone else's answer is already known.
    /// </summary>
    internal async Task<bool> MayChangeTargetsAsync(RosterReader reader, Pupil pupil, CancellationToken cancellationToken) =>
        reader.Staff is not { } member
        || !member.Is(StaffRole.TeachingAssistant)
        || await access.MayReadAsync(RosterReader.For(member.BeyondTeachingAssistant(), reader.Purpose),
            new RosterScope.OnePupil(pupil.SchoolId, pupil.Upn), RosterData.Plan, cancellationToken);

    /// <summary>
    /// The plan card for the member of staff with Teams user id <paramref name="userId"/> (refreshed for them alone);
    /// <paramref name="bank"/> is the school's question bank when the caller has just read it, else null.
    /// </summary>
    internal async Task<AdaptiveCard> PlanCardAsync(RosterReader reader, Pupil pupil, string termId, string? userId, string? notice, QuestionBank? bank, CancellationToken cancellationToken) =>
        PlanCards.Plan(await PlanCardInputAsync(reader, pupil, termId, userId, notice, bank, cancellationToken));

    private async Task<PlanCardInput> PlanCardInputAsync(RosterReader reader, Pupil pupil, string termId, string? userId, string? notice, QuestionBank? bank, CancellationToken cancellationToken)
    {
        var plan = await roster.GetPlanAsync(reader, pupil.SchoolId, termId, pupil.Upn, cancellationToken);
        var contacts = await roster.GetContactsAsync(reader, pupil.SchoolId, pupil.Upn, cancellationToken);
        var given = await views.GetForPupilAsync(pupil.SchoolId, termId, pupil.Upn, cancellationToken);
        var targets = plan?.Targets ?? [];
        var term = await parentViews.FindTermAsync(pupil.SchoolId, termId, cancellationToken);
        var mailed = await linkMail.ForPupilAsync(pupil.SchoolId, termId, pupil.Upn, cancellationToken);
        var timeZone = (await parentViews.SettingsAsync(pupil.SchoolId, cancellationToken))?.TimeZone;
        var summaries = contacts.Where(c => c.ParentalResponsibility).Select(c =>
        {
            var answers = given.FirstOrDefault(v => v.ContactId == ParentViewsService.ContactId(c))?.Answers;
            var link = term is null ? null : parentViews.CreateLink(c, term);
            return new ParentViewsSummary(c.Relationship, answers is null ? null : Summarise(answers, targets.Count))
            {
                FillInData = link is null ? null : new JsonObject { [ParentViewsService.LinkField] = link },
                AskedNote = AskedNote(c, mailed.GetValueOrDefault(ParentViewsService.ContactId(c)), targets.Count, timeZone),
            };
        }).ToList();
        var questions = IsEarlyYears(pupil)
            ? [.. (bank ?? await banks.GetAsync(pupil.SchoolId, cancellationToken)).Questions.Select(q => (q.Id, q.Text)), (PupilVoiceFields.AdultNote, "Adult's note")]
            : PupilVoiceFields.Older;
        var voice = plan?.PupilVoice is { } v ? questions.Where(q => v.ContainsKey(q.Item1)).Select(q => (q.Item2, v[q.Item1])).ToList() : null;
        var meeting = await meetings.GetAsync(pupil.SchoolId, termId, pupil.Upn, cancellationToken);
        var mayChange = await MayChangeTargetsAsync(reader, pupil, cancellationToken);
        return new PlanCardInput(
            $"{pupil.LegalForename} {pupil.LegalSurname}", pupil.YearGroup.DisplayName, termId,
            [.. targets.Select(t => new PlanTargetInput(t.AreaOfNeed ?? "", t.Text, t.HowSchoolHelps ?? "", t.HowWeKnow ?? ""))],
            summaries, voice, Data(pupil, termId), notice)
        {
            Agreed = plan?.Agreed is { } a ? Summary(a, timeZone) : null,
            CanRecordAgreed = mayChange && AfterMeetingHandlers.MayRecord(meeting, plan, time.GetUtcNow()),
            CanChangeTargets = mayChange,
            RefreshFor = userId,
        };
    }

    /// <summary>"What we agreed" on the plan card, recorded on the school's date (as the parents' mail days are), not the UTC one.</summary>
    internal static AgreedSummary Summary(AgreedNotes agreed, string? timeZone) =>
        new(agreed.Targets, agreed.Notes, SchoolClock.Day(agreed.RecordedAt, timeZone, withYear: true), agreed.Revision);

    /// <summary>How the parent was asked for their views, for a parent who has not answered yet; days are the school's, as on the year lead's alert.</summary>
    internal static string AskedNote(Contact contact, ViewsLinkMailed? mailed, int targets, string? timeZone) =>
        mailed?.LinkSentAt is { } sent
            ? $"We emailed the link on {ViewsLinkMailed.Day(sent, timeZone)}"
                + (mailed.ReminderSentAt is { } reminded ? $" and a reminder on {ViewsLinkMailed.Day(reminded, timeZone)}." : ".")
            : string.IsNullOrWhiteSpace(contact.Email)
                ? "No email address: phone them, or fill it in with them on a call."
                : targets < Plan.MinTargets
                    ? $"The link is emailed once the plan has {Plan.MinTargets} targets."
                    : "The link will be emailed shortly.";

    private static IReadOnlyList<(string, string)> Summarise(IReadOnlyDictionary<string, string> answers, int targets) =>
    [
        .. Enumerable.Range(0, targets).Where(i => answers.ContainsKey(ParentViewsFields.Agree(i)))
            .Select(i => ($"Target {i + 1}", answers[ParentViewsFields.Agree(i)] + (answers.GetValueOrDefault(ParentViewsFields.Comment(i)) is { } c ? $": {c}" : ""))),
        .. new[] { (ParentViewsFields.GoingWell, "Going well"), (ParentViewsFields.Worries, "Worries"), (ParentViewsFields.WorkOn, "Work on"),
                   (ParentViewsFields.Language, "Language"), (ParentViewsFields.Interpreter, "Interpreter"), (ParentViewsFields.Access, "Access"),
                   (ParentViewsFields.HardTimes, "Hard times"), (ParentViewsFields.EmailConsent, "Notes by email") }
            .Where(f => answers.ContainsKey(f.Item1)).Select(f => (f.Item2, answers[f.Item1])),
    ];

    /// <summary>
    /// The member of staff, pupil and term a plan verb acts on; all null unless the member may read
    /// this pupil's plan, since every plan verb reads or writes it (an admin reads the roster only).
    /// </summary>
    internal async Task<(RosterReader? Reader, Pupil? Pupil, string? TermId)> ResolveAsync(TurnContext context, AdaptiveCardAction action, CancellationToken cancellationToken)
    {
        var member = await staff.FindByEntraIdAsync(context.Activity.From?.AadObjectId, cancellationToken);
        var upn = action.GetString(UpnField);
        var termId = action.GetString(TermField);
        if (member is null || upn is null || termId is null)
        {
            return (null, null, null);
        }
        var reader = RosterReader.For(member, "plan card");
        try
        {
            await access.EnsureCanReadAsync(reader, new RosterScope.OnePupil(member.SchoolId, upn), RosterData.Plan, cancellationToken);
            return (reader, await roster.GetPupilAsync(reader, member.SchoolId, upn, cancellationToken), termId);
        }
        catch (RosterAccessDeniedException)
        {
            return (null, null, null);
        }
    }

    /// <summary>The refusal of a plan verb for a pupil whose plan the member may not read.</summary>
    private static InvokeResponse NotYourPupil(string what) =>
        InvokeResponse.Error(403, "NotAllowed", $"You can only {what} of pupils in your classes and year groups (an admin reads the roster, not plans). Nothing was changed.");

    private async Task<IReadOnlyList<Pupil>> VisiblePupilsAsync(RosterReader reader, StaffMember member, CancellationToken cancellationToken)
    {
        if (member.Is(StaffRole.SENCo) || member.Is(StaffRole.SLT))
        {
            return await roster.GetPupilsAsync(reader, member.SchoolId, includeArchived: false, cancellationToken);
        }
        var pupils = new List<Pupil>();
        foreach (var className in member.Classes)
        {
            pupils.AddRange((await roster.GetClassAsync(reader, member.SchoolId, className, cancellationToken)).Pupils.Select(p => p.Pupil));
        }
        return pupils;
    }

    private static bool IsEarlyYears(Pupil pupil) => pupil.KeyStage is KeyStage.EYFS or KeyStage.KS1;

    internal static JsonObject Data(Pupil pupil, string termId) => new() { [UpnField] = pupil.Upn, [TermField] = termId };

    private static string? Field(AdaptiveCardAction action, string id) => action.GetString(id)?.Trim() is { Length: > 0 } v ? v : null;
}
