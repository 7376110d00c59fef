namespace SendPlans.Bot.Plans;

internal static partial class Log
{
    [LoggerMessage(6101, LogLevel.Information, "Plan targets saved: {Count}")]
    public static partial void TargetsSaved(ILogger logger, int count);

    [LoggerMessage(6102, LogLevel.Information, "Pupil voice saved: {Answers} answers")]
    public static partial void VoiceSaved(ILogger logger, int answers);
}
