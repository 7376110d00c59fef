using System.Text.RegularExpressions;
using SendPlans.Bot.Conversation;
using SendPlans.Bot.Hosting;
using SendPlans.Bot.Roster;
using SendPlans.Cards.Plans;
using SendPlans.Infrastructure.BotFramework;

namespace SendPlans.Bot.Plans;

public static partial class PlansExtensions
{
    /// <summary>The teacher's plan card: targets, parents' views and pupil voice.</summary>
    public static WebApplicationBuilder AddPlans(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<PlansHandlers>();
        services.AddSingleton<QuestionBankStore>();
        services.AddScoped<QuestionBankEditor>();
        services.AddSingleton(new BotCommand("question bank", "Choose the picture questions the pupil voice card asks young children.", StaffRole.SENCo));
        services.AddSingleton(new BotCommand("plan for <pupil>", "See and write a pupil's targets, with the parents' views and the pupil's voice."));
        services.AddBotRoutes(router => router
            .OnMessage(PlanForPattern(), (context, ct) => Handlers(context).PlanForAsync(context, PlanForPattern().Match(context.Text).Groups["name"].Value, ct))
            .OnAdaptiveCardAction(PlanFields.SaveVerb, (context, action, ct) => Handlers(context).SaveTargetsAsync(context, action, ct))
            .OnAdaptiveCardAction(PlanFields.RefreshVerb, (context, action, ct) => Handlers(context).RefreshPlanAsync(context, action, ct))
            .OnAdaptiveCardAction(PlanFields.VoiceVerb, (context, action, ct) => Handlers(context).OpenVoiceAsync(context, action, ct))
            .OnAdaptiveCardAction(PupilVoiceFields.PickVerb, (context, action, ct) => Handlers(context).PickVoiceAsync(context, action, ct))
            .OnAdaptiveCardAction(PupilVoiceFields.SaveVerb, (context, action, ct) => Handlers(context).SaveVoiceAsync(context, action, ct))
            .OnMessage(QuestionBankPattern(), (context, ct) => context.Services.GetRequiredService<QuestionBankEditor>().ShowAsync(context, ct))
            .OnAdaptiveCardAction(QuestionBankFields.SaveVerb, (context, action, ct) => context.Services.GetRequiredService<QuestionBankEditor>().SaveAsync(context, action, ct)));
        return builder;
    }

    private static PlansHandlers Handlers(TurnContext context) => context.Services.GetRequiredService<PlansHandlers>();

    [GeneratedRegex(@"^(?:the\s+)?(?:pupil\s+voice\s+)?question\s*bank$|^(?:pupil\s+voice\s+)?questions$", RegexOptions.IgnoreCase)]
    private static partial Regex QuestionBankPattern();

    [GeneratedRegex(@"^(?:plan|targets) for (?<name>.{2,80})$", RegexOptions.IgnoreCase)]
    private static partial Regex PlanForPattern();
}
