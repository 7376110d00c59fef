using Microsoft.Extensions.Options;
using SendPlans.Bot.DataProtection;
using SendPlans.Bot.Hosting;
using SendPlans.Cards.Attendance;
using SendPlans.Infrastructure.BotFramework;

namespace SendPlans.Bot.Attendance;

public static class AttendanceExtensions
{
    /// <summary>Attendance after each meeting, the year leads' follow-up alerts and their tracking.</summary>
    public static WebApplicationBuilder AddAttendance(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AttendanceOptions>().BindConfiguration(AttendanceOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AttendanceOptions>, AttendanceOptionsValidator>();
        services.AddSingleton<FollowUpStore>();
        services.AddSingleton<AttendanceStore>();
        services.AddSingleton<IPupilDataEraser, AttendancePupilEraser>();
        services.AddSingleton<IEndedMeetings, BookedEndedMeetings>();
        services.AddSingleton<FollowUpAlerts>();
        services.AddSingleton<IParentResponses, ViewsAndInvitationResponses>();
        services.AddSingleton<NoResponseCheck>();
        services.AddSingleton<ModerationService>();
        services.AddSingleton<AttendanceService>();
        services.AddSingleton<AttendanceHandlers>();
        services.AddSingleton<AttendanceSweepJob>();
        services.AddHostedService(sp => sp.GetRequiredService<AttendanceSweepJob>());
        services.AddSingleton<WeeklyDigest>();
        services.AddSingleton<WeeklyDigestJob>();
        services.AddHostedService(sp => sp.GetRequiredService<WeeklyDigestJob>());
        services.AddBotRoutes(router => router
            .OnAdaptiveCardAction(AttendanceCards.ClaimVerb, (c, a, ct) => Handlers(c).FollowUpAsync(c, a, FollowUpAction.Claim, ct))
            .OnAdaptiveCardAction(AttendanceCards.RebookVerb, (c, a, ct) => Handlers(c).FollowUpAsync(c, a, FollowUpAction.Rebook, ct))
            .OnAdaptiveCardAction(AttendanceCards.DeclineVerb, (c, a, ct) => Handlers(c).FollowUpAsync(c, a, FollowUpAction.Decline, ct))
            .OnAdaptiveCardAction(AttendanceCards.CouldNotReachVerb, (c, a, ct) => Handlers(c).FollowUpAsync(c, a, FollowUpAction.CouldNotReach, ct))
            .OnAdaptiveCardAction(AttendanceCards.AttendanceVerb, (c, a, ct) => Handlers(c).AttendanceAnswerAsync(c, a, ct))
            .OnAdaptiveCardAction(AttendanceCards.ApproveVerb, (c, a, ct) => Handlers(c).ModerateAsync(c, a, ModerationOutcome.Approved, ct))
            .OnAdaptiveCardAction(AttendanceCards.NeedsChangesVerb, (c, a, ct) => Handlers(c).ModerateAsync(c, a, ModerationOutcome.NeedsChanges, ct)));
        return builder;
    }

    private static AttendanceHandlers Handlers(TurnContext context) => context.Services.GetRequiredService<AttendanceHandlers>();
}
