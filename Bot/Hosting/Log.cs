namespace SendPlans.Bot.Hosting;

internal static partial class Log
{
    [LoggerMessage(2001, LogLevel.Information, "A retried delivery of a {ActivityType} activity was ignored")]
    public static partial void DuplicateDelivery(ILogger logger, string activityType);

    [LoggerMessage(2002, LogLevel.Error, "Storage could not be reached ({Error}); answered 503")]
    public static partial void StorageUnavailable(ILogger logger, string error);

    [LoggerMessage(2003, LogLevel.Information, "The {InvokeName} invoke ran over budget and continues in the background")]
    public static partial void InvokeContinuesInBackground(ILogger logger, string invokeName);

    [LoggerMessage(2004, LogLevel.Error, "A {ActivityType} turn failed")]
    public static partial void TurnFailed(ILogger logger, string activityType, Exception exception);

    [LoggerMessage(2005, LogLevel.Warning, "Could not tell the user about a failed turn ({Error})")]
    public static partial void ApologyFailed(ILogger logger, string error);

    [LoggerMessage(2006, LogLevel.Warning, "Authentication is OFF (dev mode): no Bot:AppId and the host listens on loopback only")]
    public static partial void DevMode(ILogger logger);

    [LoggerMessage(2007, LogLevel.Warning, "The late answer of a {InvokeName} invoke could not be queued ({Error})")]
    public static partial void LateAnswerLost(ILogger logger, string invokeName, string error);
}
