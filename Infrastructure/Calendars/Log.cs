using Microsoft.Extensions.Logging;

namespace SendPlans.Infrastructure.Calendars;

/// <summary>Calendar log messages: counts, statuses and Graph error codes; never subjects, names or email addresses.</summary>
internal static partial class Log
{
    [LoggerMessage(3001, LogLevel.Debug, "Graph $batch of {Count}: {Created} created, {Retrying} to resend, {Failed} failed")]
    public static partial void BatchSent(ILogger logger, int count, int created, int retrying, int failed);

    [LoggerMessage(3002, LogLevel.Warning, "Graph $batch of {Count} failed as a whole ({Reason}); resending it with the same transaction ids in {Delay}")]
    public static partial void BatchFailed(ILogger logger, int count, string reason, TimeSpan delay);

    [LoggerMessage(3003, LogLevel.Warning, "Microsoft Graph refused to {Operation} (HTTP {Status}): the app needs the {Permission} application permission")]
    public static partial void PermissionMissing(ILogger logger, string operation, int status, string permission);

    [LoggerMessage(3004, LogLevel.Information, "Graph throttled a request to {Operation}; resending after {Delay}")]
    public static partial void Throttled(ILogger logger, string operation, TimeSpan delay);

    [LoggerMessage(3005, LogLevel.Warning, "Graph request to {Operation} failed ({Reason}); attempt {Attempt} of {MaxAttempts}")]
    public static partial void RequestFailed(ILogger logger, string operation, string reason, int attempt, int maxAttempts);

    [LoggerMessage(3006, LogLevel.Warning, "Graph refused to {Operation}: HTTP {Status} {Code}")]
    public static partial void Refused(ILogger logger, string operation, int status, string code);

    [LoggerMessage(3007, LogLevel.Error, "The app could not sign in to Microsoft Graph ({Error})")]
    public static partial void SignInFailed(ILogger logger, string error);

    [LoggerMessage(3008, LogLevel.Information, "Created {Created} of {Total} events ({Failed} failed) in {Batches} Graph batches")]
    public static partial void CreateFinished(ILogger logger, int created, int total, int failed, int batches);

    [LoggerMessage(3101, LogLevel.Debug, "Local calendar: event {EventId} {Outcome}")]
    public static partial void LocalEvent(ILogger logger, string eventId, string outcome);
}
