using System.Text;

namespace SendPlans.Bot.Roster.Import;

public enum ChangeKind { Added, Changed, Archived, Returned }

/// <summary>One record an import adds, changes or archives, as the admin sees it.</summary>
public sealed record ImportChange(RosterFileKind Kind, ChangeKind Change, string Key, string? Detail = null)
{
    public override string ToString()
    {
        var what = $"{Noun(Kind)} {Key}";
        return Change switch
        {
            ChangeKind.Added => $"+ {what}{(Detail is null ? "" : $" ({Detail})")}",
            ChangeKind.Changed => $"~ {what}: {Detail}",
            ChangeKind.Returned => $"+ {what}: back on the roster{(Detail is null ? "" : $" ({Detail})")}",
            _ => $"- {what}: removed (archived)",
        };
    }

    public static string Noun(RosterFileKind kind) => kind switch
    {
        RosterFileKind.Pupils => "pupil",
        RosterFileKind.Contacts => "contact",
        _ => "staff",
    };
}

/// <summary>How many records of one kind an import adds, changes, archives and leaves alone.</summary>
public sealed record ImportCounts(RosterFileKind Kind, int Added, int Changed, int Archived, int Unchanged);

/// <summary>
/// What an import did, or would do in a dry run, or why it did nothing. The same report goes
/// to the command line as text and to Teams as a card.
/// </summary>
public sealed record ImportReport(
    string SchoolId,
    bool DryRun,
    IReadOnlyList<string> Files,
    IReadOnlyList<ImportProblem> Problems,
    IReadOnlyList<ImportChange> Changes,
    IReadOnlyList<ImportCounts> Counts)
{
    public bool Succeeded => Problems.Count == 0;

    public bool Applied => Succeeded && !DryRun;

    public static ImportReport Refused(string schoolId, bool dryRun, IReadOnlyList<string> files, IReadOnlyList<ImportProblem> problems) =>
        new(schoolId, dryRun, files, problems, [], []);

    public string ToText()
    {
        var text = new StringBuilder();
        text.AppendLine($"Roster import for school '{SchoolId}'{(DryRun ? " - dry run, nothing written" : "")}");
        if (Files.Count > 0)
        {
            text.AppendLine($"Files: {string.Join(", ", Files)}");
        }
        if (!Succeeded)
        {
            text.AppendLine($"Nothing was imported: {Problems.Count} problem{(Problems.Count == 1 ? "" : "s")} to fix first.");
            foreach (var problem in Problems)
            {
                text.AppendLine($"  {problem}");
            }
            return text.ToString();
        }
        foreach (var c in Counts)
        {
            text.AppendLine($"{Capitalise(RosterCsv.Describe(c.Kind))}: {Summary(c, DryRun)}");
        }
        if (Changes.Count > 0)
        {
            text.AppendLine(DryRun ? "Would change:" : "Changed:");
            foreach (var change in Changes)
            {
                text.AppendLine($"  {change}");
            }
        }
        else
        {
            text.AppendLine("Nothing to change: the store already matches these files.");
        }
        return text.ToString();
    }

    public static string Summary(ImportCounts c, bool dryRun)
    {
        var verb = dryRun ? "would be " : "";
        return $"{c.Added} {verb}added, {c.Changed} {verb}changed, {c.Archived} {verb}removed (archived), {c.Unchanged} unchanged";
    }

    private static string Capitalise(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}
