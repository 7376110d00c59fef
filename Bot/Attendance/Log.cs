namespace SendPlans.Bot.Attendance;

/// <summary>Attendance logging: school ids, counts and kinds only; never names, emails, UPNs or message text.</summary>
internal static partial class Log
{
    [LoggerMessage(7001, LogLevel.Information, "Follow-up raised in school {SchoolId}: {Reason}, delivered to {Audience}")]
    public static partial void FollowUpRaised(ILogger logger, string schoolId, string reason, string audience);

    [LoggerMessage(7002, LogLevel.Warning, "Year group {YearGroup} in school {SchoolId} has no usable alerts channel: {Problem}")]
    public static partial void NoChannel(ILogger logger, string schoolId, string yearGroup, string problem);

    [LoggerMessage(7003, LogLevel.Information, "Follow-up in school {SchoolId} moved to {State} by {Action}")]
    public static partial void FollowUpMoved(ILogger logger, string schoolId, string state, string action);

    [LoggerMessage(7004, LogLevel.Information, "Attendance sweep: {Settled} settled by report, {Asked} teachers asked, {Missed} missed, {Escalated} escalated")]
    public static partial void Swept(ILogger logger, int settled, int asked, int missed, int escalated);

    [LoggerMessage(7005, LogLevel.Warning, "Attendance sweep pass failed: {ErrorType}")]
    public static partial void SweepFailed(ILogger logger, string errorType);

    [LoggerMessage(7006, LogLevel.Warning, "Attendance report unavailable in school {SchoolId}: {Status}")]
    public static partial void ReportUnavailable(ILogger logger, string schoolId, string status);

    [LoggerMessage(7007, LogLevel.Warning, "A teacher in school {SchoolId} could not be asked about attendance: no personal chat with the bot")]
    public static partial void TeacherUnreachable(ILogger logger, string schoolId);

    [LoggerMessage(7008, LogLevel.Information, "Attendance recorded in school {SchoolId}: {Outcome} from {Source}")]
    public static partial void AttendanceRecorded(ILogger logger, string schoolId, string outcome, string source);

    [LoggerMessage(7009, LogLevel.Warning, "Attendance report read failed in school {SchoolId}: {ErrorType}; read again in order")]
    public static partial void ReportReadFailed(ILogger logger, string schoolId, string errorType);

    [LoggerMessage(7010, LogLevel.Warning, "{What} in school {SchoolId} reached none of {Recipients} recipients: no personal chat with the bot")]
    public static partial void NobodyReached(ILogger logger, string what, string schoolId, int recipients);

    [LoggerMessage(7011, LogLevel.Warning, "Moderation sample in school {SchoolId}: {Unreached} of {Reviewers} SLT members have no personal chat with the bot")]
    public static partial void ModerationUnreached(ILogger logger, string schoolId, int unreached, int reviewers);

    [LoggerMessage(7012, LogLevel.Warning, "Weekly digest in school {SchoolId}: {Unreached} of {Recipients} SLT members have no personal chat with the bot")]
    public static partial void DigestUnreached(ILogger logger, string schoolId, int unreached, int recipients);
}
