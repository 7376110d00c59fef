using System.Text.RegularExpressions;
using SendPlans.Bot.Conversation;
using SendPlans.Bot.DataProtection;
using SendPlans.Bot.Hosting;
using SendPlans.Cards.Plans;
using SendPlans.Infrastructure.BotFramework;

namespace SendPlans.Bot.AfterMeeting;

public static partial class AfterMeetingExtensions
{
    /// <summary>After the meeting: the agreed targets and notes, the parents' email, and "you said, we did" for SLT.</summary>
    public static WebApplicationBuilder AddAfterMeeting(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<AgreedNotesMailer>();
        services.AddSingleton<YouSaidWeDidReport>();
        services.AddSingleton<IPupilDataEraser, AgreedMailEraser>();
        services.AddScoped<AfterMeetingHandlers>();
        services.AddSingleton(new BotCommand("you said we did [last term | summer 2025-26]", "A term's parents' worries and requests per year group, and what the plans then agreed (this term unless you name one).", YouSaidWeDidReport.Roles));
        services.AddBotRoutes(router => router
            .OnMessage(YouSaidWeDidPattern(), (context, ct) => Handlers(context).YouSaidWeDidAsync(context, YouSaidWeDidPattern().Match(context.Text).Groups["term"].Value, ct))
            .OnAdaptiveCardAction(AgreedFields.OpenVerb, (context, action, ct) => Handlers(context).OpenAsync(context, action, ct))
            .OnAdaptiveCardAction(AgreedFields.SaveVerb, (context, action, ct) => Handlers(context).SaveAsync(context, action, ct)));
        return builder;
    }

    private static AfterMeetingHandlers Handlers(TurnContext context) => context.Services.GetRequiredService<AfterMeetingHandlers>();

    [GeneratedRegex(@"^(show\s+)?(me\s+)?you (said|asked),? we did(\s+(for\s+)?(the\s+)?(?<term>[^.!?]{1,40}?))?[.!?]?$", RegexOptions.IgnoreCase)]
    internal static partial Regex YouSaidWeDidPattern();
}
