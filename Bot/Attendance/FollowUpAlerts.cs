using System.Globalization;
using System.Text.Json.Nodes;
using SendPlans.Bot.Booking;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Terms;
using SendPlans.Bot.Views;
using SendPlans.Cards.Attendance;
using SendPlans.Infrastructure.BotFramework;
using SendPlans.Infrastructure.BotFramework.Proactive;

namespace SendPlans.Bot.Attendance;

/// <summary>What to raise: a missed meeting occurrence, or a parent who did not respond by the deadline.</summary>
public sealed record FollowUpRequest(string SchoolId, string MeetingId, string TermId, string Upn, string TeacherEntraId, FollowUpReason Reason, DateTimeOffset? MeetingStart);

/// <summary>
/// Raises follow-ups and delivers their alert cards through the proactive outbox: to the year
/// group's channel, or (no channel, or the bot was removed from the team) to the SENCo in
/// personal chat with an Admin told. Every send has a key derived from the item, so a job that
/// runs twice, or on two instances, queues each alert once.
/// </summary>
public sealed class FollowUpAlerts(
    FollowUpStore items,
    RosterStore roster,
    StaffDirectory staff,
    StaffChats chats,
    ProactiveOutbox outbox,
    ConversationReferenceStore references,
    IRosterAccess access,
    SchoolCalendarStore calendars,
    ViewsLinkMailRecords linkMail,
    TimeProvider time,
    ILogger<FollowUpAlerts> logger)
{
    private static readonly RosterReader Reader = RosterReader.System("follow-up alert");

    /// <summary>Creates the item (once) and queues its alert (once). Null when the pupil is not on the roster.</summary>
    public async Task<FollowUpItem?> RaiseAsync(FollowUpRequest request, CancellationToken cancellationToken)
    {
        var pupil = await roster.GetPupilAsync(Reader, request.SchoolId, request.Upn, cancellationToken);
        if (pupil is null)
        {
            return null;
        }
        var (_, item) = await items.CreateAsync(new FollowUpItem(
            request.SchoolId, request.MeetingId, request.Reason, request.Upn, pupil.YearGroup.Code, pupil.ClassName, request.TeacherEntraId, time.GetUtcNow())
        {
            TermId = request.TermId,
            MeetingStart = request.MeetingStart,
        }, cancellationToken);
        await DeliverAsync(item, cancellationToken);
        return item;
    }

    /// <summary>Queues the item's alert where it belongs; safe to call again (the outbox keys dedupe).</summary>
    public async Task<string> DeliverAsync(FollowUpItem item, CancellationToken cancellationToken)
    {
        var card = (await CardAsync(item, cancellationToken)).ToJsonNode();
        var years = await roster.GetYearGroupsAsync(Reader, item.SchoolId, cancellationToken);
        var year = years.FirstOrDefault(y => y.YearGroup.Code == item.YearGroup);
        var channel = year?.AlertChannel;
        var problem = channel is null ? "no channel configured"
            : await references.IsRemovedAsync(channel.Conversation.Id ?? "", cancellationToken) || await ChannelFailedAsync(item, cancellationToken) ? "the bot was removed from the team"
            : null;
        if (problem is null)
        {
            await outbox.EnqueueAsync(ChannelMessage(channel!, ChannelKey(item), card), cancellationToken);
            Log.FollowUpRaised(logger, item.SchoolId, item.Reason.ToString(), "channel");
            return "channel";
        }
        Log.NoChannel(logger, item.SchoolId, item.YearGroup, problem);
        var people = await staff.ForSchoolAsync(item.SchoolId, cancellationToken);
        var toSencos = await chats.DeliverToEachAsync(item.SchoolId, await WhoMaySeeAsync(people.Where(p => p.Is(StaffRole.SENCo)), item, cancellationToken),
            $"followup|{item.SchoolId}|{item.Id}|senco", card, null, cancellationToken);
        if (toSencos.Reached == 0)
        {
            Log.NobodyReached(logger, "Follow-up alert", item.SchoolId, toSencos.Recipients);
        }
        var yearName = YearGroup.TryParse(item.YearGroup, out var y) ? y.DisplayName : item.YearGroup;
        // The admin is told the truth: an alert that reached no SENCo is waiting on nobody.
        var toSenco = toSencos.Reached > 0 ? "an alert went to the SENCo"
            : "an alert was meant for the SENCo, but no SENCo can be reached in Teams yet (they need to say hello to the bot in a personal chat, or have it installed for them)";
        var notice = problem == "no channel configured"
            ? $"{yearName} has no channel for attendance alerts, so {toSenco}. Add the bot to the year team's channel to send alerts there."
            : $"The bot was removed from the {yearName} team, so {toSenco}. Add the bot to the team again to send alerts there.";
        var day = time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        // Once a day per year group and problem: the admin needs to act, not a message per pupil.
        var toAdmins = await chats.DeliverToEachAsync(item.SchoolId, people.Where(p => p.Is(StaffRole.Admin)),
            $"followup-admin|{item.SchoolId}|{item.YearGroup}|{problem}|{day}", null, notice, cancellationToken);
        if (toAdmins.Reached == 0)
        {
            Log.NobodyReached(logger, "Alerts channel notice", item.SchoolId, toAdmins.Recipients);
        }
        return toSencos.Reached > 0 ? "senco" : "nobody";
    }

    /// <summary>Applies a person's action to the item, ETag-safe. Returns the item, or the reason it was refused.</summary>
    public async Task<(FollowUpItem? Item, string? Refusal)> ApplyAsync(string schoolId, string id, FollowUpAction action, string byId, string byName, string? note, CancellationToken cancellationToken)
    {
        string? refusal = "This follow-up was not found.";
        var stored = await items.UpdateAsync(schoolId, id, current =>
        {
            var (next, why) = FollowUpRules.Apply(current, action, byId, byName, time.GetUtcNow(), note);
            refusal = why;
            return next is null || ReferenceEquals(next, current) ? null : next;
        }, cancellationToken);
        if (stored is null || refusal is not null)
        {
            return (null, refusal);
        }
        Log.FollowUpMoved(logger, schoolId, stored.State.ToString(), action.ToString());
        return (stored, null);
    }

    /// <summary>Items whose "Could not reach" lasted too long go to the SENCo and SLT; returns how many.</summary>
    public async Task<int> EscalateDueAsync(TimeSpan after, CancellationToken cancellationToken)
    {
        var escalated = 0;
        foreach (var item in (await items.UnfinishedAsync(cancellationToken)).Where(i => FollowUpRules.IsDueForEscalation(i, time.GetUtcNow(), after)))
        {
            var (stored, _) = await ApplyAsync(item.SchoolId, item.Id, FollowUpAction.Escalate, "system", "SendPlans", $"not reached for {after.TotalDays:0} days", cancellationToken);
            if (stored is null)
            {
                continue;
            }
            escalated++;
            var card = (await CardAsync(stored, cancellationToken)).ToJsonNode();
            var told = await chats.DeliverToEachAsync(item.SchoolId,
                await WhoMaySeeAsync((await staff.ForSchoolAsync(item.SchoolId, cancellationToken)).Where(p => p.Is(StaffRole.SENCo) || p.Is(StaffRole.SLT)), stored, cancellationToken),
                $"followup-escalated|{item.SchoolId}|{item.Id}", card, null, cancellationToken);
            if (told.Reached == 0)
            {
                Log.NobodyReached(logger, "Follow-up escalation", item.SchoolId, told.Recipients);
            }
            await UpdatePostedCardAsync(stored, card, cancellationToken);
        }
        return escalated;
    }

    /// <summary>Channel alerts the Connector refused for good (bot removed, conversation gone) go to the SENCo instead.</summary>
    public async Task<int> RedeliverUndeliverableAsync(CancellationToken cancellationToken)
    {
        var moved = 0;
        foreach (var item in await items.UnfinishedAsync(cancellationToken))
        {
            if (await ChannelFailedAsync(item, cancellationToken))
            {
                await DeliverAsync(item, cancellationToken);
                moved++;
            }
        }
        return moved;
    }

    /// <summary>Updates the alert in the channel for everyone, when it was posted there.</summary>
    public async Task UpdatePostedCardAsync(FollowUpItem item, JsonNode card, CancellationToken cancellationToken)
    {
        if (await outbox.FindAsync(ChannelKey(item), cancellationToken) is { Status: OutboxStatus.Sent, SentActivityId: { } activityId, SentConversationId: { } conversationId, ServiceUrl: { } serviceUrl } entry)
        {
            await outbox.EnqueueAsync(OutboxMessage.CardUpdate($"{entry.Key}|update|{item.History.Count}", serviceUrl, conversationId, activityId, card), cancellationToken);
        }
    }

    /// <summary>The alert card for the item as it stands: only what a year lead may see.</summary>
    public async Task<Cards.Model.AdaptiveCard> CardAsync(FollowUpItem item, CancellationToken cancellationToken)
    {
        var pupil = await roster.GetPupilAsync(Reader, item.SchoolId, item.Upn, cancellationToken);
        var contacts = await roster.GetContactsAsync(Reader, item.SchoolId, item.Upn, cancellationToken);
        var teacher = await staff.FindByEntraIdAsync(item.TeacherEntraId, cancellationToken);
        var timeZone = (await calendars.GetSettingsAsync(item.SchoolId, cancellationToken))?.TimeZone ?? "Europe/London";
        var earlier = (await items.ForSchoolAsync(item.SchoolId, cancellationToken))
            .Count(i => i.Upn == item.Upn && i.Id != item.Id && i.Reason == FollowUpReason.Missed && i.CreatedAt < item.CreatedAt);
        var interpreter = contacts.FirstOrDefault(c => c.InterpreterNeeded);
        var main = contacts.Where(c => c.ParentalResponsibility).OrderBy(c => c.Priority).FirstOrDefault() ?? contacts.FirstOrDefault();
        var what = item.Reason == FollowUpReason.Missed
            ? $"The parent did not attend the plan meeting on {Local(item.MeetingStart ?? item.CreatedAt, timeZone)}."
            : "The parent has given no views and did not answer the invitation by the deadline. "
                + HowAsked(await linkMail.ForPupilAsync(item.SchoolId, item.TermId, item.Upn, cancellationToken), timeZone);
        return AttendanceCards.FollowUpAlert(new FollowUpAlertInput(
            item.SchoolId,
            item.Id,
            pupil is null ? "A pupil" : $"{pupil.LegalForename} {pupil.LegalSurname}",
            item.ClassName,
            teacher?.DisplayName ?? "Their teacher",
            what,
            earlier,
            interpreter is not null,
            interpreter?.PreferredLanguage,
            main is null ? "No contact on record" : ContactPreference(main),
            char.ToUpperInvariant(FollowUpRules.Describe(item.State)[0]) + FollowUpRules.Describe(item.State)[1..],
            item.ClaimedByName,
            item.IsFinal,
            [.. item.History.Select(h => new FollowUpHistoryLine(Local(h.At, timeZone), h.By, Describe(h)))]));
    }

    /// <summary>The last word on who may get an alert: the roster's own access rule for that pupil.</summary>
    private async Task<IReadOnlyList<StaffMember>> WhoMaySeeAsync(IEnumerable<StaffMember> people, FollowUpItem item, CancellationToken cancellationToken)
    {
        var allowed = new List<StaffMember>();
        foreach (var person in people)
        {
            if (await MaySeeAsync(person, item, cancellationToken))
            {
                allowed.Add(person);
            }
        }
        return allowed;
    }

    /// <summary>
    /// Who may get and act on an alert: whoever may read the pupil through a role other than teaching
    /// assistant (the class teacher, the year lead, the SENCo, SLT, and an admin, who reads the roster).
    /// A teaching assistant reads their classes' pupils but does not follow up with parents.
    /// </summary>
    public Task<bool> MaySeeAsync(StaffMember member, FollowUpItem item, CancellationToken cancellationToken) =>
        access.MayReadAsync(RosterReader.For(member.BeyondTeachingAssistant(), "follow-up alert"),
            new RosterScope.OnePupil(item.SchoolId, item.Upn), RosterData.Roster, cancellationToken);

    internal static string ChannelKey(FollowUpItem item) => $"followup|{item.SchoolId}|{item.Id}|channel";

    private async Task<bool> ChannelFailedAsync(FollowUpItem item, CancellationToken cancellationToken) =>
        await outbox.FindAsync(ChannelKey(item), cancellationToken) is { Status: OutboxStatus.Failed, Failure: DeliveryFailure.BotRemoved or DeliveryFailure.ConversationNotFound };

    /// <summary>A new post in a channel, from its stored conversation reference.</summary>
    internal static OutboxMessage ChannelMessage(ConversationReference channel, string key, JsonNode card)
    {
        var activity = Activity.CreateMessage();
        activity.Conversation = channel.Conversation;
        activity.From = channel.Bot;
        activity.ChannelId = channel.ChannelId;
        activity.Attachments = [Attachment.AdaptiveCard(card)];
        return new OutboxMessage { Key = key, ServiceUrl = channel.ServiceUrl, ConversationId = channel.Conversation.Id ?? "", Activity = activity };
    }

    private static string ContactPreference(Contact c)
    {
        var text = $"{c.Relationship}: prefers {c.EffectiveChannel.ToString().ToLowerInvariant()}";
        return c.HardToAttend.Count == 0 ? text : $"{text}; hard to attend {string.Join(", ", c.HardToAttend)}";
    }

    private static string Describe(FollowUpStep step) => step.Action switch
    {
        null => "alert raised",
        FollowUpAction.Claim => "will follow up",
        FollowUpAction.Rebook => step.Note is null ? "contacted the parent: rebooking" : $"contacted the parent: rebooking for {step.Note}",
        FollowUpAction.Decline => $"contacted the parent: declined ({step.Note})",
        FollowUpAction.CouldNotReach => "could not reach the parent",
        FollowUpAction.Attend => "the parent attended",
        FollowUpAction.Escalate => $"escalated to the SENCo and SLT ({step.Note})",
        _ => step.Action.ToString()!,
    };

    /// <summary>For a no-response: whether the parents were emailed their views link, and reminded.</summary>
    internal static string HowAsked(IReadOnlyDictionary<string, ViewsLinkMailed> mailed, string timeZone)
    {
        string Day(DateTimeOffset at) => ViewsLinkMailed.Day(at, timeZone);
        return (mailed.Values.Min(m => m.LinkSentAt), mailed.Values.Max(m => m.ReminderSentAt)) switch
        {
            (null, _) => "No views link was emailed to them.",
            ({ } sent, null) => $"We emailed their views link on {Day(sent)}.",
            ({ } sent, { } reminded) => $"We emailed their views link on {Day(sent)} and a reminder on {Day(reminded)}.",
        };
    }

    private static string Local(DateTimeOffset at, string timeZone) =>
        BookingText.Local(at, timeZone).ToString("ddd d MMM HH:mm", CultureInfo.GetCultureInfo("en-GB"));
}
