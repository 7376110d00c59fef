namespace SendPlans.Bot.DataProtection;

internal static partial class Log
{
    [LoggerMessage(6001, LogLevel.Information, "A pupil's records were erased ({Rows} rows) for: {Purpose}")]
    public static partial void PupilErased(ILogger logger, int rows, string purpose);

    [LoggerMessage(6002, LogLevel.Warning, "The retention sweep failed ({Error}); it runs again later")]
    public static partial void RetentionFailed(ILogger logger, string error);
}
