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
    TimeProvider time,
    ILogger<ModerationService> logger)
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
            var started = await table.GetEntityIfExistsAsync<TableEntity>(StartedPartition(school.SchoolId), term.Id, cancellationToken: cancellationToken);
            if (started.HasValue)
            {
                // This term's sample went out; reading every plan again each sweep would only fill the plan audit.
                // Only SLT members it could not reach are looked at, and sent it once they have a chat with the bot.
                if (started.Value!.GetString("Waiting") is { Length: > 0 })
                {
                    sent += await SendToLateReviewersAsync(table, started.Value, cancellationToken);
                }
                continue;
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
            var unreached = new Dictionary<string, StaffMember>(StringComparer.Ordinal);
            foreach (var (upn, className) in sample)
            {
                await table.AddIfAbsentAsync(ToEntity(new ModerationItem(school.SchoolId, term.Id, upn, className, ModerationOutcome.Pending, null, null, null)), cancellationToken);
                if (await roster.GetPlanAsync(Reader, school.SchoolId, term.Id, upn, cancellationToken) is not { } plan)
                {
                    continue;
                }
                var card = Card(pupils[upn], term.Id, plan, null).ToJsonNode();
                var delivery = await chats.DeliverToEachAsync(school.SchoolId, reviewers, $"moderation|{school.SchoolId}|{term.Id}|{upn}", card, null, cancellationToken);
                sent += delivery.Queued;
                foreach (var reviewer in delivery.Unreached)
                {
                    unreached[reviewer.EntraObjectId] = reviewer;
                }
            }
            if (reviewers.Count == 0 || unreached.Count > 0)
            {
                await ReportUnreachedAsync(school.SchoolId, term.Id, sample.Count, reviewers.Count, [.. unreached.Values], cancellationToken);
            }
            // Marked only after every card is queued: a pass that fails part way runs again (the outbox keys keep it to once).
            await table.AddIfAbsentAsync(new TableEntity(StartedPartition(school.SchoolId), term.Id)
            {
                ["StartedAt"] = time.GetUtcNow(),
                ["Sampled"] = sample.Count,
                ["Waiting"] = string.Join(';', unreached.Keys),
            }, cancellationToken);
        }
        return sent;
    }

    /// <summary>Sends the sampled plans to the SLT members who had no chat when the sample went out and have one now.</summary>
    private async Task<int> SendToLateReviewersAsync(TableClient table, TableEntity started, CancellationToken cancellationToken)
    {
        var schoolId = started.PartitionKey[..^"|started".Length];
        var (ready, waiting) = (new List<StaffMember>(), new List<string>());
        foreach (var id in started.GetString("Waiting")!.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            if (await staff.FindByEntraIdAsync(id, cancellationToken) is not { } member || member.SchoolId != schoolId || !member.Is(StaffRole.SLT))
            {
                continue; // no longer SLT here: nothing to send
            }
            if (await chats.FindAsync(schoolId, id, cancellationToken) is null)
            {
                waiting.Add(id);
            }
            else
            {
                ready.Add(member);
            }
        }
        var sent = 0;
        if (ready.Count > 0)
        {
            var pupils = (await roster.GetPupilsAsync(Reader, schoolId, includeArchived: false, cancellationToken)).ToDictionary(p => p.Upn);
            foreach (var item in await ForTermAsync(schoolId, started.RowKey, cancellationToken))
            {
                if (!pupils.TryGetValue(item.Upn, out var pupil) || await roster.GetPlanAsync(Reader, schoolId, item.TermId, item.Upn, cancellationToken) is not { } plan)
                {
                    continue;
                }
                var card = Card(pupil, item.TermId, plan, item.Outcome).ToJsonNode();
                sent += (await chats.DeliverToEachAsync(schoolId, ready, $"moderation|{schoolId}|{item.TermId}|{item.Upn}", card, null, cancellationToken)).Queued;
            }
        }
        started["Waiting"] = string.Join(';', waiting);
        try
        {
            await table.UpdateEntityAsync(started, started.ETag, TableUpdateMode.Merge, cancellationToken);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 412)
        {
            // Another instance did the same pass; the outbox keys kept the cards to once.
        }
        return sent;
    }

    /// <summary>
    /// SLT members who could not be sent the sample (no chat with the bot), or no SLT on the staff
    /// list: logged, and the admins are told once per term, since they look after who has the bot.
    /// </summary>
    private async Task ReportUnreachedAsync(string schoolId, string termId, int sampled, int reviewers, IReadOnlyList<StaffMember> unreached, CancellationToken cancellationToken)
    {
        Log.ModerationUnreached(logger, schoolId, unreached.Count, reviewers);
        var plans = sampled == 1 ? "The plan sampled" : $"The {sampled} plans sampled";
        var text = reviewers == 0
            ? $"{plans} for moderation this term went to nobody: nobody on the staff list is SLT. Add the senior leaders who moderate plans to the staff list."
            : $"{plans} for moderation this term could not be sent to {StaffChats.Names([.. unreached.Select(m => m.DisplayName)])} (SLT): the bot has no chat with them in Teams yet. " +
              "Ask them to open the bot in Teams once; the term dashboard lists who the bot cannot reach.";
        var (admins, told) = await chats.TellAdminsAsync(schoolId, $"moderation-unreached|{schoolId}|{termId}", text, cancellationToken);
        if (told == 0)
        {
            Log.NobodyReached(logger, "Moderation set-up notice", schoolId, admins);
        }
    }

    /// <summary>
    /// Records an SLT member's outcome (the first one stands); a comment goes to the teachers of the
    /// pupil's class. <c>Notice</c>: what to tell the reviewer when no teacher could be given the comment.
    /// </summary>
    public async Task<(ModerationItem? Item, string? Refusal, string? Notice)> DecideAsync(StaffMember reviewer, string termId, string upn, ModerationOutcome outcome, string? comment, CancellationToken cancellationToken)
    {
        if (!reviewer.Is(StaffRole.SLT))
        {
            return (null, "Only SLT moderate plans.", null);
        }
        if (outcome == ModerationOutcome.NeedsChanges && string.IsNullOrWhiteSpace(comment))
        {
            return (null, "Write a comment for the teacher: what should change?", null);
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
            return (null, "This plan is not in the moderation sample.", null);
        }
        if (refusal is not null)
        {
            return (null, refusal, null);
        }
        var item = From(row);
        string? notice = null;
        if (outcome == ModerationOutcome.NeedsChanges)
        {
            var pupil = await roster.GetPupilAsync(Reader, item.SchoolId, upn, cancellationToken);
            // The class's teachers, who can change the targets; not its teaching assistants, who cannot.
            var teachers = (await staff.ForSchoolAsync(item.SchoolId, cancellationToken))
                .Where(s => s.Is(StaffRole.Teacher) && s.Classes.Contains(item.ClassName, StringComparer.OrdinalIgnoreCase)).ToList();
            var unreached = (await chats.DeliverToEachAsync(item.SchoolId, teachers, $"moderation-comment|{item.SchoolId}|{termId}|{upn}", null,
                $"{reviewer.DisplayName} moderated {pupil?.LegalForename ?? "a pupil"}'s plan and asks for changes: {item.Comment}", cancellationToken))
                .Unreached.Select(t => t.DisplayName).ToList();
            if (unreached.Count == teachers.Count)
            {
                Log.NobodyReached(logger, "Moderation comment", item.SchoolId, teachers.Count);
            }
            // Said to the reviewer in the same turn: they wrote the comment and can pass it on.
            notice = teachers.Count == 0
                ? $"No teacher of class {item.ClassName} is on the staff list, so nobody has been sent your comment. Please pass it on to whoever teaches the class."
                : unreached.Count > 0
                    ? $"I could not send your comment to {StaffChats.Names(unreached)} (the bot has no chat with them in Teams yet). Please pass it on, and ask them to open the bot in Teams once."
                    : null;
        }
        return (item, null, notice);
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
