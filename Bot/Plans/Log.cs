namespace SendPlans.Bot.Plans;

internal static partial class Log
{
    [LoggerMessage(6101, LogLevel.Information, "Plan targets saved: {Count}")]
    public static partial void TargetsSaved(ILogger logger, int count);

    [LoggerMessage(6111, LogLevel.Information, "Plan targets refused: a target is incomplete or too long, or there are too few")]
    public static partial void TargetsRefused(ILogger logger);

    [LoggerMessage(6102, LogLevel.Information, "Pupil voice saved: {Answers} answers")]
    public static partial void VoiceSaved(ILogger logger, int answers);

    [LoggerMessage(6103, LogLevel.Information, "Question bank of school {SchoolId} saved: revision {Revision}, {Asked} questions asked")]
    public static partial void QuestionBankSaved(ILogger logger, string schoolId, int revision, int asked);

    [LoggerMessage(6104, LogLevel.Information, "Question bank change refused for school {SchoolId}")]
    public static partial void QuestionBankRefused(ILogger logger, string schoolId);

    [LoggerMessage(6105, LogLevel.Information, "Pupil voice answer picked")]
    public static partial void VoicePicked(ILogger logger);
}
