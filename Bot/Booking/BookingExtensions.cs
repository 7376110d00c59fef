using System.Text.RegularExpressions;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using SendPlans.Bot.Conversation;
using SendPlans.Bot.DataProtection;
using SendPlans.Bot.Hosting;
using SendPlans.Bot.Roster;
using SendPlans.Cards.Booking;
using SendPlans.Infrastructure.BotFramework;
using SendPlans.Infrastructure.Mail;

namespace SendPlans.Bot.Booking;

public static partial class BookingExtensions
{
    /// <summary>Booking plan meetings: the conversation, the meetings store, the parent's page and the timed jobs.</summary>
    public static WebApplicationBuilder AddBooking(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<BookingOptions>().BindConfiguration(BookingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BookingOptions>, BookingOptionsValidator>();
        services.AddParentMail();
        services.AddSingleton<MeetingStore>();
        services.AddSingleton<IPupilDataEraser, MeetingEraser>();
        services.AddSingleton<StaffChats>();
        services.AddSingleton<BookingService>();
        services.AddSingleton<ParentChoices>();
        services.AddSingleton<BookingHandlers>();
        services.AddSingleton<DeadlineWatchJob>();
        services.AddHostedService(sp => sp.GetRequiredService<DeadlineWatchJob>());
        services.AddSingleton<MorningListJob>();
        services.AddHostedService(sp => sp.GetRequiredService<MorningListJob>());
        services.AddSingleton<ParentRemindersJob>();
        services.AddHostedService(sp => sp.GetRequiredService<ParentRemindersJob>());
        services.AddSingleton<DemoBusyTimes>();
        services.AddAntiforgery();
        services.Configure<RateLimiterOptions>(o => o.AddPolicy(ParentBookingPage.RateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = 30, Window = TimeSpan.FromMinutes(1) })));
        services.AddSingleton(new BotCommand("book my plan meetings", "Find times for this term's plan meetings and invite the parents.", StaffRole.Teacher));
        services.AddSingleton(new BotCommand("my meetings", "See, move or cancel your upcoming plan meetings.", StaffRole.Teacher));
        services.AddBotRoutes(router => router
            .OnMessage(BookPattern(), (context, ct) => Handlers(context).BookAsync(context, ct))
            .OnMessage(MyMeetingsPattern(), (context, ct) => Handlers(context).MyMeetingsAsync(context, ct))
            .OnAdaptiveCardAction(BookingCards.BookAllVerb, (context, action, ct) => Handlers(context).BookAllAsync(context, action, ct))
            .OnAdaptiveCardAction(BookingCards.ChangeSlotVerb, (context, action, ct) => Handlers(context).ChangeSlotAsync(context, action, ct))
            .OnAdaptiveCardAction(BookingCards.LeaveOutVerb, (context, action, ct) => Handlers(context).LeaveOutAsync(context, action, ct))
            .OnAdaptiveCardAction(BookingCards.ParentChoosesVerb, (context, action, ct) => Handlers(context).ParentChoosesAsync(context, action, ct))
            .OnAdaptiveCardAction(BookingCards.RescheduleTimesVerb, (context, action, ct) => Handlers(context).RescheduleTimesAsync(context, action, ct))
            .OnAdaptiveCardAction(BookingCards.RescheduleVerb, (context, action, ct) => Handlers(context).RescheduleAsync(context, action, ct))
            .OnAdaptiveCardAction(BookingCards.CancelVerb, (context, action, ct) => Handlers(context).CancelAsync(context, action, ct))
            // Any personal turn of a member of staff, not only a booking command, makes them reachable by proactive messages.
            .AfterTurn((context, ct) => context.Services.GetRequiredService<StaffChats>().RememberTurnAsync(context.Activity, ct)));
        return builder;
    }

    /// <summary>The parent's booking page and the Local calendar's meeting page, rate-limited.</summary>
    public static WebApplication MapBooking(this WebApplication app)
    {
        app.MapParentBookingPage();
        app.MapMeetPage();
        return app;
    }

    private static BookingHandlers Handlers(TurnContext context) => context.Services.GetRequiredService<BookingHandlers>();

    [GeneratedRegex(@"^(please\s+)?book\s+(all\s+)?(my\s+|the\s+)?((plan|ssp|sen|send|support|small\s+step\s+plan|termly|parent)\s+)*meetings?(\s+please)?[.!]?$", RegexOptions.IgnoreCase)]
    internal static partial Regex BookPattern();

    [GeneratedRegex(@"^(show\s+)?(me\s+)?(my|upcoming)\s+((plan|ssp|upcoming)\s+)*meetings\??$", RegexOptions.IgnoreCase)]
    internal static partial Regex MyMeetingsPattern();
}
