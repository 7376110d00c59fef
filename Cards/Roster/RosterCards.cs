using SendPlans.Cards.Model;

namespace SendPlans.Cards.Roster;

/// <summary>How many records of one kind an import added, changed, archived and left alone.</summary>
public sealed record ImportCountLine(string Kind, int Added, int Changed, int Archived, int Unchanged);

/// <summary>One reason an import was refused: the file, its line (0 for the whole file) and why.</summary>
public sealed record ImportProblemLine(string File, int Line, string Reason);

public sealed record ImportReportCardInput(
    string SchoolName,
    bool DryRun,
    IReadOnlyList<string> Files,
    IReadOnlyList<ImportCountLine> Counts,
    IReadOnlyList<ImportProblemLine> Problems,
    IReadOnlyList<string> Changes);

public static class RosterCards
{
    /// <summary>Rows shown per list; Teams cards stay readable (and under the size limit) with this many.</summary>
    public const int MaxRows = 25;

    /// <summary>The outcome of a roster import sent from Teams: the same report the command line prints.</summary>
    public static AdaptiveCard ImportReport(ImportReportCardInput input)
    {
        var refused = input.Problems.Count > 0;
        var heading = refused ? "Roster not imported"
            : input.DryRun ? "Roster check (dry run): nothing written"
            : "Roster imported";
        var body = new List<CardElement>
        {
            TextBlock.Heading(heading),
            TextBlock.Subtle(input.Files.Count > 0 ? $"{input.SchoolName} · {string.Join(", ", input.Files)}" : input.SchoolName),
        };
        if (refused)
        {
            body.Add(new TextBlock($"Nothing was imported. Fix {(input.Problems.Count == 1 ? "this problem" : $"these {input.Problems.Count} problems")} and send the files again.")
            {
                Color = TextColor.Attention,
            });
            body.Add(new Table(
                [new TableColumn(2), new TableColumn(1), new TableColumn(6)],
                [
                    Row(Bold("File"), Bold("Line"), Bold("Problem")),
                    .. input.Problems.Take(MaxRows).Select(p => Row(Plain(p.File), Plain(p.Line > 0 ? p.Line.ToString() : "-"), Plain(p.Reason))),
                ])
            { Id = "problems" });
            More(body, input.Problems.Count, "problems");
        }
        else
        {
            body.Add(new Table(
                [new TableColumn(3), new TableColumn(2), new TableColumn(3), new TableColumn(3), new TableColumn(3)],
                [
                    Row(Bold("Records"), Bold(input.DryRun ? "Would add" : "Added"), Bold(input.DryRun ? "Would change" : "Changed"), Bold(input.DryRun ? "Would remove (archive)" : "Removed (archived)"), Bold("Unchanged")),
                    .. input.Counts.Select(c => Row(Bold(c.Kind), Plain(c.Added.ToString()), Plain(c.Changed.ToString()), Plain(c.Archived.ToString()), Plain(c.Unchanged.ToString()))),
                ])
            { Id = "counts" });
            if (input.Changes.Count == 0)
            {
                body.Add(new TextBlock("Nothing to change: the roster already matches these files."));
            }
            else
            {
                body.Add(new TextBlock(input.DryRun ? "What would change" : "What changed") { Weight = TextWeight.Bolder, Separator = true, Id = "changes" });
                body.AddRange(input.Changes.Take(MaxRows).Select(c => new TextBlock(c) { Spacing = Spacing.None, Size = TextSize.Small }));
                More(body, input.Changes.Count, "changes");
            }
            if (input.DryRun)
            {
                body.Add(new TextBlock("To import, send the same files again without 'dry run'.") { IsSubtle = true });
            }
        }
        return new AdaptiveCard
        {
            Body = body,
            FallbackText = refused ? $"Roster not imported: {input.Problems.Count} problems." : heading,
        };
    }

    private static void More(List<CardElement> body, int count, string what)
    {
        if (count > MaxRows)
        {
            body.Add(TextBlock.Subtle($"…and {count - MaxRows} more {what}. The command-line import lists them all."));
        }
    }

    private static TableRow Row(params CardElement[] cells) => new([.. cells.Select(c => new TableCell([c]))]);

    private static TextBlock Bold(string text) => new(text) { Weight = TextWeight.Bolder, Size = TextSize.Small };

    private static TextBlock Plain(string text) => new(text) { Size = TextSize.Small };
}
