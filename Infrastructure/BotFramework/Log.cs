using Microsoft.Extensions.Logging;

namespace SendPlans.Infrastructure.BotFramework;

/// <summary>Protocol-layer log messages. They carry ids and outcomes, never message text, names or emails.</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Inbound request not authenticated: {Reason}")]
    public static partial void Unauthenticated(ILogger logger, string reason);

    [LoggerMessage(1002, LogLevel.Warning, "OpenID metadata at {MetadataUrl} could not be read ({Error})")]
    public static partial void MetadataUnavailable(ILogger logger, string metadataUrl, string error);

    [LoggerMessage(1003, LogLevel.Warning, "Refused to call a serviceUrl that no validated activity came from")]
    public static partial void UntrustedServiceUrl(ILogger logger);

    [LoggerMessage(1004, LogLevel.Debug, "Connector {Method} answered {StatusCode}")]
    public static partial void ConnectorCall(ILogger logger, string method, int statusCode);

    [LoggerMessage(1010, LogLevel.Information, "Proactive message delivered after {Attempts} attempt(s)")]
    public static partial void OutboxSent(ILogger logger, int attempts);

    [LoggerMessage(1011, LogLevel.Warning, "Proactive message attempt {Attempts} failed; next try in {BackOff}")]
    public static partial void OutboxRetryLater(ILogger logger, int attempts, TimeSpan backOff);

    [LoggerMessage(1012, LogLevel.Warning, "Proactive message could not be delivered: {Failure}")]
    public static partial void OutboxFailed(ILogger logger, string failure);

    [LoggerMessage(1013, LogLevel.Warning, "An outbox pass failed ({Error}); the next pass tries again")]
    public static partial void OutboxPassFailed(ILogger logger, string error);

    [LoggerMessage(1014, LogLevel.Warning, "The Connector refused a proactive message for good ({Failure}): the conversation is marked removed")]
    public static partial void OutboxConversationGone(ILogger logger, string failure);
}
