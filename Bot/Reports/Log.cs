namespace SendPlans.Bot.Reports;

/// <summary>Dashboard logging: school ids, formats and reasons only; never names, emails or UPNs.</summary>
internal static partial class Log
{
    [LoggerMessage(9001, LogLevel.Information, "Term dashboard for school {SchoolId} shown as {Format} ({Access})")]
    public static partial void DashboardShown(ILogger logger, string schoolId, string format, string access);

    [LoggerMessage(9002, LogLevel.Warning, "Term dashboard for school {SchoolId} refused: {Reason}")]
    public static partial void DashboardRefused(ILogger logger, string schoolId, string reason);

    [LoggerMessage(9003, LogLevel.Information, "Term dashboard card sent for school {SchoolId}")]
    public static partial void SummaryCardSent(ILogger logger, string schoolId);

    [LoggerMessage(9004, LogLevel.Warning, "Dashboard sign-in failed ({Failure})")]
    public static partial void SignInFailed(ILogger logger, string failure);

    [LoggerMessage(9005, LogLevel.Information, "You said, we did for school {SchoolId} shown as {Format} ({Access})")]
    public static partial void YouSaidWeDidShown(ILogger logger, string schoolId, string format, string access);

    [LoggerMessage(9006, LogLevel.Warning, "You said, we did for school {SchoolId} refused: {Reason}")]
    public static partial void YouSaidWeDidRefused(ILogger logger, string schoolId, string reason);
}
