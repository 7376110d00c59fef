namespace SendPlans.Bot.Roster;

/// <summary>Roster logging: school ids and counts only, never names, emails, UPNs or needs.</summary>
internal static partial class Log
{
    [LoggerMessage(4001, LogLevel.Information, "Roster import for school {SchoolId} refused: {ProblemCount} problems")]
    public static partial void ImportRefused(ILogger logger, string schoolId, int problemCount);

    [LoggerMessage(4002, LogLevel.Information, "Roster import for school {SchoolId} applied: {ChangeCount} changes in {WriteCount} row writes")]
    public static partial void ImportApplied(ILogger logger, string schoolId, int changeCount, int writeCount);

    [LoggerMessage(4003, LogLevel.Warning, "Roster import for school {SchoolId} met a concurrent change on attempt {Attempt}; comparing again")]
    public static partial void ImportRaced(ILogger logger, string schoolId, int attempt);

    [LoggerMessage(4004, LogLevel.Information, "Demo school {SchoolId} seeded: {PupilCount} pupils, {ContactCount} contacts, {StaffCount} staff")]
    public static partial void DemoSeeded(ILogger logger, string schoolId, int pupilCount, int contactCount, int staffCount);

    [LoggerMessage(4005, LogLevel.Information, "Demo school {SchoolId} is already there; nothing seeded")]
    public static partial void DemoAlreadySeeded(ILogger logger, string schoolId);

    [LoggerMessage(4006, LogLevel.Information, "Roster files from Teams refused: {Reason}")]
    public static partial void TeamsImportRefused(ILogger logger, string reason);

    [LoggerMessage(4007, LogLevel.Warning, "A roster file could not be downloaded from Teams ({Error})")]
    public static partial void DownloadFailed(ILogger logger, string error);

    [LoggerMessage(4008, LogLevel.Information, "School {SchoolId}: office contact changed")]
    public static partial void OfficeContactChanged(ILogger logger, string schoolId);

    [LoggerMessage(4009, LogLevel.Information, "School {SchoolId}: office contact not changed ({Reason})")]
    public static partial void OfficeContactRefused(ILogger logger, string schoolId, string reason);
}
