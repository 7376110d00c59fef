using SendPlans.Bot.Booking;
using SendPlans.Bot.Plans;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Views;
using SendPlans.Cards.Plans;
using SendPlans.Cards.Reports;
using SendPlans.Infrastructure.BotFramework;

namespace SendPlans.Bot.AfterMeeting;

/// <summary>
/// After the meeting: "Record what we agreed" on the plan card (agreed/open, agreed/save) and,
/// for the SENCo and SLT, the termly "you said, we did" summary.
/// </summary>
public sealed class AfterMeetingHandlers(
    StaffDirectory staff, RosterStore roster, MeetingStore meetings, ParentViewsStore views, PlansHandlers plans,
    AgreedNotesMailer mailer, YouSaidWeDidReport report, TimeProvider time, ILogger<AfterMeetingHandlers> logger)
{
    public const string NotAllowed = "You can only record what was agreed for pupils whose plans you may change (your classes; a teaching assistant cannot).";

    /// <summary>Once the booked meeting has started, or when an agreement is already recorded (to correct it).</summary>
    public static bool MayRecord(MeetingRecord? meeting, Plan? plan, DateTimeOffset now) =>
        plan?.Agreed is not null || (meeting is { HasEvent: true, Slot: { } slot } && slot.Start <= now);

    public async Task<InvokeResponse> OpenAsync(TurnContext context, AdaptiveCardAction action, CancellationToken cancellationToken)
    {
        var (reader, pupil, termId, plan) = await ResolveAsync(context, action, cancellationToken);
        if (pupil is null)
        {
            return InvokeResponse.Error(403, "NotAllowed", NotAllowed);
        }
        if (!MayRecord(await meetings.GetAsync(pupil.SchoolId, termId!, pupil.Upn, cancellationToken), plan, time.GetUtcNow()))
        {
            return NotYet();
        }
        var contacts = await roster.GetContactsAsync(reader!, pupil.SchoolId, pupil.Upn, cancellationToken);
        var given = await views.GetForPupilAsync(pupil.SchoolId, termId!, pupil.Upn, cancellationToken);
        var parents = contacts.Where(c => c.ParentalResponsibility)
            .Select(c => new AgreedRecipient(c.Relationship, AgreedNotesMailer.WantsEmail(c, given.FirstOrDefault(v => v.ContactId == ParentViewsService.ContactId(c)))))
            .ToList();
        return InvokeResponse.Card(AgreedCards.Record(new AgreedCardInput(
            $"{pupil.LegalForename} {pupil.LegalSurname}", termId!,
            plan?.Agreed?.Targets ?? [.. (plan?.Targets ?? []).Select(t => t.Text)],
            plan?.Agreed?.Notes, parents, PlansHandlers.Data(pupil, termId!), plan?.Agreed?.Revision)).ToJsonNode());
    }

    public async Task<InvokeResponse> SaveAsync(TurnContext context, AdaptiveCardAction action, CancellationToken cancellationToken)
    {
        var (reader, pupil, termId, plan) = await ResolveAsync(context, action, cancellationToken);
        if (pupil is null)
        {
            Log.AgreedRefused(logger, "NotAllowed");
            return InvokeResponse.Error(403, "NotAllowed", NotAllowed);
        }
        var (input, code, problem) = AgreedRules.Parse(id => action.GetString(id));
        if (input is null)
        {
            Log.AgreedRefused(logger, code!);
            return InvokeResponse.Error(400, code!, problem!);
        }
        var now = time.GetUtcNow();
        if (!MayRecord(await meetings.GetAsync(pupil.SchoolId, termId!, pupil.Upn, cancellationToken), plan, now))
        {
            Log.AgreedRefused(logger, "MeetingNotStarted");
            return NotYet();
        }
        var agreed = (await plans.ChangePlanAsync(reader!, pupil, termId!, p => AgreedRules.Apply(p, input, now), cancellationToken)).Agreed!;
        // Sent after the write, and again on every save: the claims make it once per parent per version.
        var (sent, failed) = await mailer.SendAsync(pupil, termId!, agreed, cancellationToken);
        Log.AgreedRecorded(logger, agreed.Revision, agreed.Targets.Count, sent, failed);
        var notice = $"What we agreed is saved (version {agreed.Revision})."
            + (sent > 0 ? $" Emailed to {sent} {(sent == 1 ? "parent" : "parents")}." : "")
            + (failed > 0 ? " An email could not be sent: press Save again later and it will be retried." : "")
            + AgreedRules.PlainWordsHint(input);
        return InvokeResponse.Card((await plans.PlanCardAsync(reader!, pupil, termId!, context.Activity.From?.Id, notice, null, cancellationToken)).ToJsonNode());
    }

    public async Task YouSaidWeDidAsync(TurnContext context, string term, CancellationToken cancellationToken)
    {
        var member = await staff.FindByEntraIdAsync(context.Activity.From?.AadObjectId, cancellationToken);
        if (member is null)
        {
            await context.SendActivityAsync("I could not find you on the school's staff list. Ask your school's admin to add you, then try again.", cancellationToken);
            return;
        }
        if (!YouSaidWeDidReport.Roles.Any(member.Is))
        {
            await context.SendActivityAsync("The \"you said, we did\" summary is for the SENCo and SLT.", cancellationToken);
            return;
        }
        var (chosen, terms) = await report.FindTermAsync(member.SchoolId, term, cancellationToken);
        if (chosen is null)
        {
            await context.SendActivityAsync(terms.Count == 0
                ? "This school has no term set up yet, so there is nothing to count."
                : $"I could not find the term \"{term.Trim()}\". Try \"you said we did\" for this term, \"you said we did last term\", or one of: "
                    + string.Join(", ", terms.Select(t => $"{t.Name.ToString().ToLowerInvariant()} {t.AcademicYear}")) + ".", cancellationToken);
            return;
        }
        var summary = await report.ForTermAsync(RosterReader.For(member, "you said, we did"), chosen, cancellationToken);
        await context.SendCardAsync(YouSaidWeDidCards.Summary(summary).ToJsonNode(), cancellationToken);
        Log.SummarySent(logger, summary.Years.Count);
    }

    private static InvokeResponse NotYet() =>
        InvokeResponse.Error(400, "MeetingNotStarted", "You can record what was agreed once the plan meeting has started. Nothing was saved.");

    /// <summary>The same check as saving targets: the pupil and their plan are readable by this member of staff other than as a teaching assistant (an admin reads the roster, not plans).</summary>
    private async Task<(RosterReader? Reader, Pupil? Pupil, string? TermId, Plan? Plan)> ResolveAsync(TurnContext context, AdaptiveCardAction action, CancellationToken cancellationToken)
    {
        var (reader, pupil, termId) = await plans.ResolveAsync(context, action, cancellationToken);
        if (reader is null || pupil is null || termId is null || !await plans.MayChangeTargetsAsync(reader, pupil, cancellationToken))
        {
            return (null, null, null, null);
        }
        try
        {
            return (reader, pupil, termId, await roster.GetPlanAsync(reader, pupil.SchoolId, termId, pupil.Upn, cancellationToken));
        }
        catch (RosterAccessDeniedException)
        {
            return (null, null, null, null);
        }
    }
}
