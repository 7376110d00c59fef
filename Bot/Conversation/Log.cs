namespace SendPlans.Bot.Conversation;

internal static partial class Log
{
    [LoggerMessage(3001, LogLevel.Information, "The bot was added to a {ConversationType} conversation; reference stored")]
    public static partial void BotInstalled(ILogger logger, string conversationType);

    [LoggerMessage(3002, LogLevel.Information, "The bot was removed from a conversation")]
    public static partial void BotRemoved(ILogger logger);
}
