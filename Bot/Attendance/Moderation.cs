using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using SendPlans.Bot.Booking;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Terms;
using SendPlans.Cards.Attendance;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Bot.Attendance;

public enum ModerationOutcome { Pending, Approved, NeedsChanges }

public sealed record ModerationItem(string SchoolId, string TermId, string Upn, string ClassName, ModerationOutcome Outcome, string? Comment, string? By, DateTimeOffset? At);

/// <summary>Which plans SLT moderate: plain rules.</summary>
public static class ModerationSample
{
    /// <summary>
    /// <paramref name="percent"/> of the plans, rounded up, and at least one from every class;
    /// the pick is stable for a school and term (a hash, not a random draw), so a rerun picks the same.
    /// </summary>
    public static IReadOnlyList<(string Upn, string ClassName)> Pick(IReadOnlyList<(string Upn, string ClassName)> plans, int percent, string seed)
    {
        var ordered = plans.OrderBy(p => TableKeys.Hash($"{seed}|{p.Upn}"), StringComparer.Ordinal).ToList();
        var picked = ordered.GroupBy(p => p.ClassName).Select(g => g.First()).ToList();
        var target = (int)Math.Ceiling(plans.Count * percent / 100.0);
        picked.AddRange(ordered.Except(picked).Take(Math.Max(0, target - picked.Count)));
        return picked;
    }
}

/// <summary>
/// After a term's deadline, a sample of agreed plans goes to each SLT member as a card (once: a
/// Moderation row per plan, added if absent, and keyed sends). Approved, or Needs changes with a
/// comment that goes to the pupil's teacher; the outcome is kept in the row.
/// </summary>
public sealed class ModerationService(
    TableStorage storage,
    SchoolCalendarStore calendars,
    RosterStore roster,
    StaffDirectory staff,
    StaffChats chats,
    IOptions<AttendanceOptions> options,
    TimeProvider time)
{
    public const string Table = "Moderation";
    private static readonly RosterReader Reader = RosterReader.System("moderation");

    /// <summary>Where the "this term's sample went out" row lives: a partition of its own, apart from the school's items.</summary>
    private static string StartedPartition(string schoolId) => $"{schoolId}|started";

    public async Task<int> StartDueAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var school in await calendars.AllSettingsAsync(cancellationToken))
        {
            if (await calendars.CurrentOrNextTermAsync(school.SchoolId, cancellationToken) is not { } term
                || SchoolClock.Today(time, school.TimeZone) <= term.Deadline)
            {
                continue;
            }
            var table = await storage.GetTableAsync(Table, cancellationToken);
            if ((await table.GetEntityIfExistsAsync<TableEntity>(StartedPartition(school.SchoolId), term.Id, cancellationToken: cancellationToken)).HasValue)
            {
                continue; // this term's sample went out; reading every plan again each sweep would only fill the plan audit
            }
            // The statuses alone pick the sample; only the sampled plans are read (and audited), once.
            var agreed = (await roster.GetPlanStatusesAsync(Reader, school.SchoolId, term.Id, cancellationToken))
                .Where(p => p.Value is PlanStatus.Agreed or PlanStatus.Reviewed).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            if (agreed.Count == 0)
            {
                continue; // nothing agreed yet: look again next sweep
            }
            var pupils = (await roster.GetPupilsAsync(Reader, school.SchoolId, includeArchived: false, cancellationToken)).ToDictionary(p => p.Upn);
            var sample = ModerationSample.Pick([.. agreed.Where(pupils.ContainsKey).Select(u => (u, pupils[u].ClassName))], options.Value.ModerationPercent, $"{school.SchoolId}|{term.Id}");
            var reviewers = (await staff.ForSchoolAsync(school.SchoolId, cancellationToken)).Where(s => s.Is(StaffRole.SLT)).ToList();
            foreach (var (upn, className) in sample)
            {
                await table.AddIfAbsentAsync(ToEntity(new ModerationItem(school.SchoolId, term.Id, upn, className, ModerationOutcome.Pending, null, null, null)), cancellationToken);
                if (await roster.GetPlanAsync(Reader, school.SchoolId, term.Id, upn, cancellationToken) is not { } plan)
                {
                    continue;
                }
                var card = Card(pupils[upn], term.Id, plan, null).ToJsonNode();
                foreach (var reviewer in reviewers)
                {
                    if (await chats.SendAsync(school.SchoolId, reviewer.EntraObjectId, $"moderation|{school.SchoolId}|{term.Id}|{upn}|{reviewer.EntraObjectId}", card, null, cancellationToken))
                    {
                        sent++;
                    }
                }
            }
            // Marked only after every card is queued: a pass that fails part way runs again (the outbox keys keep it to once).
            await table.AddIfAbsentAsync(new TableEntity(StartedPartition(school.SchoolId), term.Id) { ["StartedAt"] = time.GetUtcNow(), ["Sampled"] = sample.Count }, cancellationToken);
        }
        return sent;
    }

    /// <summary>Records an SLT member's outcome (the first one stands); a comment goes to the teachers of the pupil's class.</summary>
    public async Task<(ModerationItem? Item, string? Refusal)> DecideAsync(StaffMember reviewer, string termId, string upn, ModerationOutcome outcome, string? comment, CancellationToken cancellationToken)
    {
        if (!reviewer.Is(StaffRole.SLT))
        {
            return (null, "Only SLT moderate plans.");
        }
        if (outcome == ModerationOutcome.NeedsChanges && string.IsNullOrWhiteSpace(comment))
        {
            return (null, "Write a comment for the teacher: what should change?");
        }
        var table = await storage.GetTableAsync(Table, cancellationToken);
        string? refusal = null;
        var row = await table.UpdateOptimisticAsync(reviewer.SchoolId, Key(termId, upn), e =>
        {
            var current = From(e);
            if (current.Outcome != ModerationOutcome.Pending)
            {
                refusal = $"{current.By} already recorded this plan as {Describe(current.Outcome)}.";
                return null;
            }
            return ToEntity(current with { Outcome = outcome, Comment = comment?.Trim(), By = reviewer.DisplayName, At = time.GetUtcNow() });
        }, null, cancellationToken);
        if (row is null)
        {
            return (null, "This plan is not in the moderation sample.");
        }
        if (refusal is not null)
        {
            return (null, refusal);
        }
        var item = From(row);
        if (outcome == ModerationOutcome.NeedsChanges)
        {
            var pupil = await roster.GetPupilAsync(Reader, item.SchoolId, upn, cancellationToken);
            foreach (var teacher in (await staff.ForSchoolAsync(item.SchoolId, cancellationToken)).Where(s => s.Classes.Contains(item.ClassName, StringComparer.OrdinalIgnoreCase)))
            {
                await chats.SendAsync(item.SchoolId, teacher.EntraObjectId, $"moderation-comment|{item.SchoolId}|{termId}|{upn}|{teacher.EntraObjectId}", null,
                    $"{reviewer.DisplayName} moderated {pupil?.LegalForename ?? "a pupil"}'s plan and asks for changes: {item.Comment}", cancellationToken);
            }
        }
        return (item, null);
    }

    public async Task<IReadOnlyList<ModerationItem>> ForTermAsync(string schoolId, string termId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        return [.. (await table.QueryAllAsync(TableClient.CreateQueryFilter($"PartitionKey eq {schoolId} and TermId eq {termId}"), null, cancellationToken)).Select(From)];
    }

    public static Cards.Model.AdaptiveCard Card(Pupil pupil, string termId, Plan plan, ModerationOutcome? outcome) =>
        AttendanceCards.Moderation(new ModerationInput(pupil.SchoolId, termId, pupil.Upn, $"{pupil.LegalForename} {pupil.LegalSurname}", pupil.ClassName,
            [.. plan.Targets.Select(t => t.Text)], outcome is null or ModerationOutcome.Pending ? null : Describe(outcome.Value)));

    public static string Describe(ModerationOutcome outcome) => outcome switch
    {
        ModerationOutcome.Approved => "approved",
        ModerationOutcome.NeedsChanges => "needs changes",
        _ => "waiting",
    };

    private static string Key(string termId, string upn) => $"{termId}|{upn}";

    internal static TableEntity ToEntity(ModerationItem m) => new(m.SchoolId, Key(m.TermId, m.Upn))
    {
        ["TermId"] = m.TermId,
        ["Upn"] = m.Upn,
        ["ClassName"] = m.ClassName,
        ["Outcome"] = m.Outcome.ToString(),
        ["Comment"] = m.Comment,
        ["By"] = m.By,
        ["At"] = m.At,
    };

    private static ModerationItem From(TableEntity e) => new(
        e.PartitionKey, e.GetString("TermId") ?? "", e.GetString("Upn") ?? "", e.GetString("ClassName") ?? "",
        Enum.TryParse<ModerationOutcome>(e.GetString("Outcome"), out var o) ? o : ModerationOutcome.Pending,
        e.GetString("Comment"), e.GetString("By"), e.GetDateTimeOffset("At"));
}
