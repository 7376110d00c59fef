using System.Text.RegularExpressions;
using SendPlans.Bot.Roster.Import;
using SendPlans.Bot.Terms;
using SendPlans.Cards.Roster;
using SendPlans.Infrastructure.BotFramework;

namespace SendPlans.Bot.Roster;

/// <summary>
/// An admin sends the roster CSV files to the bot in a personal chat and gets the import
/// report back as a card. "dry run" (or "check", "preview") in the message checks without writing.
/// </summary>
public sealed partial class TeamsRosterImport(
    StaffDirectory staff,
    RosterImporter importer,
    TeamsFileDownloader downloader,
    SchoolCalendarStore calendar,
    ILogger<TeamsRosterImport> logger)
{
    public const int MaxFiles = 3;

    public const string Instructions =
        "To update the roster, send me the pupils, contacts and staff CSV files from your MIS in this chat, as attachments. " +
        "Write 'dry run' with them to see what would change without changing anything. The format is in docs/roster-import.md.";

    public async Task HandleFilesAsync(TurnContext context, CancellationToken cancellationToken)
    {
        var activity = context.Activity;
        if (activity.Conversation?.ConversationType is { } type && type != "personal")
        {
            Log.TeamsImportRefused(logger, "not a personal chat");
            await context.SendActivityAsync("Please send roster files to me in a personal chat, not here: they hold pupils' details.", cancellationToken);
            return;
        }
        var member = await staff.FindByEntraIdAsync(activity.From?.AadObjectId, cancellationToken);
        if (member is null || !member.Is(StaffRole.Admin))
        {
            Log.TeamsImportRefused(logger, "not an admin");
            await context.SendActivityAsync("Sorry, only your school's admin can import the roster, so I haven't opened these files. If the roster needs a change, please ask them.", cancellationToken);
            return;
        }
        var files = TeamsFileDownloader.FilesOf(activity);
        var inputs = new List<RosterFileInput>();
        var problems = new List<ImportProblem>();
        if (files.Count > MaxFiles)
        {
            problems.Add(new ImportProblem("(message)", 0, $"{files.Count} files were sent; send at most {MaxFiles}: pupils, contacts and staff"));
        }
        foreach (var file in files.Take(MaxFiles))
        {
            if (!IsCsv(file))
            {
                problems.Add(new ImportProblem(file.Name, 0, "this is not a CSV file: export the roster from your MIS as 'CSV UTF-8 (comma delimited)'"));
                continue;
            }
            try
            {
                inputs.Add(new RosterFileInput(file.Name, await downloader.DownloadAsync(file, RosterCsv.MaxFileBytes, cancellationToken)));
            }
            catch (Exception e) when (e is TeamsFileDownloadException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                Log.DownloadFailed(logger, e.GetType().Name);
                problems.Add(new ImportProblem(file.Name, 0, e is TeamsFileDownloadException ? $"I could not fetch this file: {e.Message}" : "I could not fetch this file from Teams; send it again"));
            }
        }
        var dryRun = DryRunPattern().IsMatch(context.Text);
        var report = problems.Count > 0
            ? ImportReport.Refused(member.SchoolId, dryRun, [.. files.Select(f => f.Name)], problems)
            : await importer.ImportAsync(member.SchoolId, inputs, dryRun, cancellationToken);
        var schoolName = (await calendar.GetSettingsAsync(member.SchoolId, cancellationToken))?.Name ?? member.SchoolId;
        await context.SendCardAsync(RosterCards.ImportReport(CardInput(report, schoolName)).ToJsonNode(), cancellationToken);
    }

    /// <summary>"import roster" from the help card: how to do it, or why not.</summary>
    public async Task ExplainAsync(TurnContext context, CancellationToken cancellationToken)
    {
        var member = await staff.FindByEntraIdAsync(context.Activity.From?.AadObjectId, cancellationToken);
        await context.SendActivityAsync(member?.Is(StaffRole.Admin) == true
            ? Instructions
            : "Sorry, only your school's admin can import the roster.", cancellationToken);
    }

    public static ImportReportCardInput CardInput(ImportReport report, string schoolName) => new(
        schoolName,
        report.DryRun,
        report.Files,
        [.. report.Counts.Select(c => new ImportCountLine(Capitalise(RosterCsv.Describe(c.Kind)), c.Added, c.Changed, c.Archived, c.Unchanged))],
        [.. report.Problems.Select(p => new ImportProblemLine(p.File, p.Line, p.Reason))],
        [.. report.Changes.Select(c => c.ToString())]);

    private static bool IsCsv(TeamsFile file) =>
        string.Equals(file.FileType, "csv", StringComparison.OrdinalIgnoreCase)
        || file.Name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

    private static string Capitalise(string s) => char.ToUpperInvariant(s[0]) + s[1..];

    [GeneratedRegex(@"\b(dry[\s-]?run|check|preview)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DryRunPattern();
}
