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
}
