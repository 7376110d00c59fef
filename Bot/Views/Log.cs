namespace SendPlans.Bot.Views;

internal static partial class Log
{
    [LoggerMessage(6001, LogLevel.Information, "A views link was refused: {Problem}")]
    public static partial void LinkRefused(ILogger logger, string problem);

    [LoggerMessage(6002, LogLevel.Information, "Parent views saved through {Channel}, revision {Revision}")]
    public static partial void ViewsSaved(ILogger logger, string channel, int revision);

    [LoggerMessage(6003, LogLevel.Information, "Parent views refused after the deadline through {Channel}")]
    public static partial void ViewsClosed(ILogger logger, string channel);
}
