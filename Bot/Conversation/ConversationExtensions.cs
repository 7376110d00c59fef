using System.Text.RegularExpressions;
using SendPlans.Bot.Hosting;
using SendPlans.Bot.Roster;

namespace SendPlans.Bot.Conversation;

public static partial class ConversationExtensions
{
    public static WebApplicationBuilder AddConversation(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddMemoryCache();
        services.AddSingleton<StaffDirectory>();
        services.AddSingleton<CommandCatalogue>();
        services.AddScoped<ConversationHandlers>();
        services.AddSingleton(new BotCommand("help", "See what I can do for you."));
        services.AddBotRoutes(router => router
            .OnMessage(HelpPattern(), (context, ct) => Handlers(context).HelpAsync(context, ct))
            .OnUnhandledMessage((context, ct) => Handlers(context).NotUnderstoodAsync(context, ct))
            .OnConversationUpdate((context, ct) => Handlers(context).MembersAddedAsync(context, ct))
            .OnInstallationUpdate((context, ct) => Handlers(context).InstallationUpdateAsync(context, ct)));
        return builder;
    }

    private static ConversationHandlers Handlers(Infrastructure.BotFramework.TurnContext context) =>
        context.Services.GetRequiredService<ConversationHandlers>();

    [GeneratedRegex(@"^(help|\?|what can you do\??|hi|hello|menu)$", RegexOptions.IgnoreCase)]
    private static partial Regex HelpPattern();
}
