namespace SendPlans.Bot.AfterMeeting;

internal static partial class Log
{
    [LoggerMessage(6201, LogLevel.Information, "Agreed notes recorded: version {Revision}, {Targets} targets, {Sent} emails sent, {Failed} failed")]
    public static partial void AgreedRecorded(ILogger logger, int revision, int targets, int sent, int failed);

    [LoggerMessage(6202, LogLevel.Information, "Agreed notes refused: {Reason}")]
    public static partial void AgreedRefused(ILogger logger, string reason);

    [LoggerMessage(6203, LogLevel.Warning, "An agreed-notes email could not be sent ({Error}); the claim was released so a retry sends it")]
    public static partial void MailFailed(ILogger logger, string error);

    [LoggerMessage(6204, LogLevel.Information, "You said, we did: summary card sent for {Years} year groups")]
    public static partial void SummarySent(ILogger logger, int years);
}
