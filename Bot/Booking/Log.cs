namespace SendPlans.Bot.Booking;

/// <summary>Booking logging: school ids, counts and failure kinds only; never names, emails, UPNs or message text.</summary>
internal static partial class Log
{
    [LoggerMessage(5001, LogLevel.Information, "Plan meetings proposed in school {SchoolId}: {Placed} placed, {Unplaced} unplaced")]
    public static partial void Proposed(ILogger logger, string schoolId, int placed, int unplaced);

    [LoggerMessage(5002, LogLevel.Information, "Book all in school {SchoolId}: {Created} events created or found, {Failed} failed")]
    public static partial void Booked(ILogger logger, string schoolId, int created, int failed);

    [LoggerMessage(5003, LogLevel.Warning, "Calendar refused in school {SchoolId}: {Kind}")]
    public static partial void CalendarFailed(ILogger logger, string schoolId, string kind);

    [LoggerMessage(5005, LogLevel.Information, "A parent answered an invitation link in school {SchoolId}: {Answer}")]
    public static partial void ParentAnswered(ILogger logger, string schoolId, string answer);

    [LoggerMessage(5006, LogLevel.Information, "A parent link was refused: {Problem}")]
    public static partial void LinkRefused(ILogger logger, string problem);

    [LoggerMessage(5007, LogLevel.Information, "Plan meeting job {Job} sent {Count} messages")]
    public static partial void JobSent(ILogger logger, string job, int count);

    [LoggerMessage(5008, LogLevel.Warning, "Plan meeting job {Job} pass failed: {ErrorType}")]
    public static partial void JobFailed(ILogger logger, string job, string errorType);

    [LoggerMessage(5009, LogLevel.Warning, "Booking work in the background failed: {ErrorType}")]
    public static partial void BackgroundBookingFailed(ILogger logger, string errorType);

    [LoggerMessage(5010, LogLevel.Information, "Calendar set-up alert in school {SchoolId}: {Reached} of {Admins} admins reachable in Teams")]
    public static partial void AdminAlerted(ILogger logger, string schoolId, int reached, int admins);

    [LoggerMessage(5011, LogLevel.Information, "Personal chat saved for a member of staff in school {SchoolId} ({Activity})")]
    public static partial void StaffChatSaved(ILogger logger, string schoolId, string activity);

    [LoggerMessage(5012, LogLevel.Warning, "Personal chat could not be saved: {ErrorType}; the next turn tries again")]
    public static partial void StaffChatNotSaved(ILogger logger, string errorType);

    [LoggerMessage(5013, LogLevel.Warning, "{What} in school {SchoolId} reached none of {Recipients} recipients: no personal chat with the bot")]
    public static partial void NobodyReached(ILogger logger, string what, string schoolId, int recipients);

    [LoggerMessage(5014, LogLevel.Information, "Reschedule card in school {SchoolId}: {Count} times offered ({Source})")]
    public static partial void RescheduleTimes(ILogger logger, string schoolId, int count, string source);

    [LoggerMessage(5015, LogLevel.Warning, "Plan meeting job {Job} in school {SchoolId}: {Unreached} of {Recipients} recipients have no personal chat with the bot")]
    public static partial void JobUnreached(ILogger logger, string job, string schoolId, int unreached, int recipients);

    [LoggerMessage(5016, LogLevel.Information, "Personal chat of a member of staff in school {SchoolId} is live again after it was marked removed")]
    public static partial void StaffChatRestored(ILogger logger, string schoolId);
}
