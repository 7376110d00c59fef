using Microsoft.Extensions.Logging;

namespace SendPlans.Infrastructure.Mail;

/// <summary>Mail log messages: table names and counts; never recipients, subjects or bodies.</summary>
internal static partial class Log
{
    [LoggerMessage(3201, LogLevel.Warning, "A stale mail claim in table {Table} was taken over: a sender died between claiming and sending")]
    public static partial void StaleClaimTakenOver(ILogger logger, string table);
}
