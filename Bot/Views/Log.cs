namespace SendPlans.Bot.Views;

internal static partial class Log
{
    [LoggerMessage(6001, LogLevel.Information, "A views link was refused: {Problem}")]
    public static partial void LinkRefused(ILogger logger, string problem);

    [LoggerMessage(6002, LogLevel.Information, "Parent views saved through {Channel}, revision {Revision}")]
    public static partial void ViewsSaved(ILogger logger, string channel, int revision);

    [LoggerMessage(6003, LogLevel.Information, "Parent views refused after the deadline through {Channel}")]
    public static partial void ViewsClosed(ILogger logger, string channel);

    [LoggerMessage(6004, LogLevel.Information, "Views links mailed for school {SchoolId}: {Sent} sent, {NoEmail} parents without an email")]
    public static partial void LinksMailed(ILogger logger, string schoolId, int sent, int noEmail);

    [LoggerMessage(6005, LogLevel.Warning, "The views link mail pass failed ({Error}); the next pass tries again")]
    public static partial void LinkMailFailed(ILogger logger, string error);

    [LoggerMessage(6006, LogLevel.Information, "Parent views not saved: the form failed its {Check} check")]
    public static partial void ViewsNotSaved(ILogger logger, string check);
}
