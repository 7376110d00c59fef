using Microsoft.Extensions.Options;
using SendPlans.Bot.Booking;
using SendPlans.Bot.Roster;
using SendPlans.Cards.Reports;
using SendPlans.Infrastructure.BotFramework;

namespace SendPlans.Bot.Reports;

/// <summary>"dashboard" in Teams: the whole-school figures as a card with a button to the page.</summary>
public sealed class ReportsHandlers(StaffDirectory staff, TermDashboard dashboard, IOptions<BookingOptions> booking, ILogger<ReportsHandlers> logger)
{
    public async Task DashboardAsync(TurnContext context, CancellationToken cancellationToken)
    {
        var member = await staff.FindByEntraIdAsync(context.Activity.From?.AadObjectId, cancellationToken);
        if (member is null)
        {
            await context.SendActivityAsync("I could not find you on the school's staff list. Ask your school's admin to add you, then try again.", cancellationToken);
            return;
        }
        if (!DashboardAccess.MaySee(member, member.SchoolId))
        {
            await context.SendActivityAsync("The term dashboard is for the SENCo, SLT and admin staff.", cancellationToken);
            return;
        }
        var figures = await dashboard.ForSchoolAsync(RosterReader.For(member, "term dashboard"), member.SchoolId, cancellationToken);
        if (figures is null)
        {
            await context.SendActivityAsync("This school has no term set up yet, so there is nothing to count.", cancellationToken);
            return;
        }
        await context.SendCardAsync(ReportCards.DashboardSummary(Summary(figures, booking.Value.PublicBaseUrl)).ToJsonNode(), cancellationToken);
        Log.SummaryCardSent(logger, member.SchoolId);
    }

    public static DashboardSummaryInput Summary(TermDashboardFigures f, string publicBaseUrl)
    {
        var t = f.Total;
        return new DashboardSummaryInput(f.SchoolName, f.TermTitle, t.Pupils, t.Booked, t.Held, t.Missed, t.FollowUps.Total, t.FollowUps.Unfinished,
            t.AttendancePercent, f.GoalPercent, t.ViewsPercent, t.VoicePercent,
            $"{publicBaseUrl.TrimEnd('/')}/dashboard/{Uri.EscapeDataString(f.SchoolId)}")
        {
            VoiceNotShown = f.VoiceCounted ? null : DashboardPage.VoiceNotShown,
            Unreachable = DashboardPage.UnreachableLine(f.Unreachable.Count) is { } line ? $"{line} The dashboard lists them." : null,
        };
    }
}
