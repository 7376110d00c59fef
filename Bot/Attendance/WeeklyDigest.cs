using System.Globalization;
using Microsoft.Extensions.Options;
using SendPlans.Bot.Booking;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Terms;
using SendPlans.Cards.Attendance;
using SendPlans.Infrastructure.BotFramework.Proactive;
using SendPlans.Infrastructure.Jobs;

namespace SendPlans.Bot.Attendance;

/// <summary>
/// The weekly digest (seed 002's weekly minutes): on the digest day, one card in each year
/// channel (its own pupils only) and one to each SLT member (the school). Keys carry the ISO
/// week, so a second run or a second instance sends nothing more. Overdue follow-ups come first.
/// </summary>
public sealed class WeeklyDigest(
    SchoolCalendarStore calendars,
    RosterStore roster,
    StaffDirectory staff,
    StaffChats chats,
    ProactiveOutbox outbox,
    AttendanceStore attendance,
    FollowUpStore items,
    IParentResponses responses,
    IOptions<AttendanceOptions> options,
    TimeProvider time,
    ILogger<WeeklyDigest> logger)
{
    private static readonly RosterReader Reader = RosterReader.System("weekly digest");

    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var sent = 0;
        foreach (var school in await calendars.AllSettingsAsync(cancellationToken))
        {
            var local = BookingText.Local(time.GetUtcNow(), school.TimeZone);
            if (local.DayOfWeek != o.DigestDay || local.TimeOfDay < o.DigestAt
                || await calendars.CurrentOrNextTermAsync(school.SchoolId, cancellationToken) is not { } term)
            {
                continue;
            }
            var week = $"{ISOWeek.GetYear(local)}-W{ISOWeek.GetWeekOfYear(local):00}";
            var now = time.GetUtcNow();
            var pupils = (await roster.GetPupilsAsync(Reader, school.SchoolId, includeArchived: false, cancellationToken)).ToDictionary(p => p.Upn);
            var records = (await attendance.ForSchoolAsync(school.SchoolId, cancellationToken)).Where(r => now - r.At < TimeSpan.FromDays(7)).ToList();
            var open = (await items.ForSchoolAsync(school.SchoolId, cancellationToken)).Where(i => !i.IsFinal).ToList();
            var outstanding = (await responses.NotRespondedAsync(school.SchoolId, term, cancellationToken)).ToHashSet();
            var days = term.Deadline.DayNumber - DateOnly.FromDateTime(local).DayNumber;
            var weekText = $"Week of {DateOnly.FromDateTime(local).AddDays(-(int)local.DayOfWeek + 1).ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"))}";

            DigestInput For(string title, Func<string, bool> inScope) => new(
                title, weekText,
                records.Count(r => inScope(r.Upn) && r.Outcome == AttendanceOutcome.Attended),
                records.Count(r => inScope(r.Upn) && r.Outcome == AttendanceOutcome.DidNotAttend),
                records.Count(r => inScope(r.Upn) && r.Outcome is null),
                outstanding.Count(inScope),
                days,
                [.. open.Where(i => inScope(i.Upn)).Select(i => new DigestFollowUpLine(
                    pupils.TryGetValue(i.Upn, out var p) ? $"{p.LegalForename} {p.LegalSurname} ({p.ClassName})" : $"A pupil ({i.ClassName})",
                    FollowUpRules.Describe(i.State), i.ClaimedByName, (int)(now - i.CreatedAt).TotalDays,
                    now - i.CreatedAt >= TimeSpan.FromDays(o.OverdueAfterDays)))]);

            foreach (var year in await roster.GetYearGroupsAsync(Reader, school.SchoolId, cancellationToken))
            {
                if (year.AlertChannel is not { Conversation.Id: not null } channel)
                {
                    continue;
                }
                var card = AttendanceCards.WeeklyDigest(For($"{year.YearGroup.DisplayName}: plan meetings this week", upn => pupils.TryGetValue(upn, out var p) && p.YearGroup == year.YearGroup));
                if (await outbox.EnqueueAsync(FollowUpAlerts.ChannelMessage(channel, $"digest|{school.SchoolId}|{year.YearGroup.Code}|{week}", card.ToJsonNode()), cancellationToken))
                {
                    sent++;
                }
            }
            var whole = AttendanceCards.WeeklyDigest(For($"{school.Name}: plan meetings this week", pupils.ContainsKey)).ToJsonNode();
            var slts = (await staff.ForSchoolAsync(school.SchoolId, cancellationToken)).Where(s => s.Is(StaffRole.SLT)).ToList();
            var unreached = new List<string>();
            foreach (var slt in slts)
            {
                switch (await chats.DeliverAsync(school.SchoolId, slt.EntraObjectId, $"digest|{school.SchoolId}|slt|{slt.EntraObjectId}|{week}", whole, null, cancellationToken))
                {
                    case StaffReach.Queued:
                        sent++;
                        break;
                    case StaffReach.NoChat:
                        unreached.Add(slt.DisplayName);
                        break;
                }
            }
            if (unreached.Count > 0)
            {
                // The admins look after who has the bot: told once a week, by name, what to do.
                Log.DigestUnreached(logger, school.SchoolId, unreached.Count, slts.Count);
                var text = $"This week's plan meetings digest could not be sent to {StaffChats.Names(unreached)} (SLT): the bot has no chat with them in Teams yet. " +
                    "Ask them to open the bot in Teams once and they will get next week's; the term dashboard lists who the bot cannot reach.";
                var (admins, told) = await chats.TellAdminsAsync(school.SchoolId, $"digest-unreached|{school.SchoolId}|{week}", text, cancellationToken);
                if (told == 0)
                {
                    Log.NobodyReached(logger, "Digest set-up notice", school.SchoolId, admins);
                }
            }
        }
        return sent;
    }
}

public sealed class WeeklyDigestJob(WeeklyDigest digest, TableLeases leases, IOptions<AttendanceOptions> options, TimeProvider time, ILogger<WeeklyDigestJob> logger)
    : LeasedJob(leases, time)
{
    protected override string LeaseName => "weekly-digest";

    protected override TimeSpan LeaseDuration => TimeSpan.FromMinutes(10);

    protected override TimeSpan Interval => TimeSpan.FromMinutes(30);

    protected override bool RunsInBackground => options.Value.RunJobs;

    protected override Task<int> RunPassAsync(CancellationToken cancellationToken) => digest.SendDueAsync(cancellationToken);

    protected override void OnPassFailed(Exception exception) => Log.SweepFailed(logger, exception.GetType().Name);
}
