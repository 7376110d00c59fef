using System.Globalization;
using SendPlans.Cards.Model;

namespace SendPlans.Cards.Reports;

/// <summary>One year group's counts for the term, per pupil: a pupil counts once however many parents answered.</summary>
public sealed record YouSaidWeDidYear(string YearGroup, int Pupils, int ViewsGiven, int Worries, int Requests, int RequestsAgreed);

/// <summary>One thing parents asked school to work on and what was then agreed, with no name: only the year group.</summary>
public sealed record YouSaidWeDidItem(string YearGroup, string YouSaid, IReadOnlyList<string> WeDid);

/// <summary>
/// A term's "you said, we did", already without names: what the Teams card, the dashboard page
/// and its CSV all show, so it is counted in one place.
/// </summary>
public sealed record YouSaidWeDidSummary(string SchoolName, string TermTitle, IReadOnlyList<YouSaidWeDidYear> Years, IReadOnlyList<YouSaidWeDidItem> Items, int ItemsLeftOut)
{
    /// <summary>The year groups added up.</summary>
    public YouSaidWeDidYear Total => new("Whole school", Years.Sum(y => y.Pupils), Years.Sum(y => y.ViewsGiven), Years.Sum(y => y.Worries),
        Years.Sum(y => y.Requests), Years.Sum(y => y.RequestsAgreed));
}

/// <summary>"You said, we did" for SLT: what parents asked for this term and what the plans then agreed.</summary>
public static class YouSaidWeDidCards
{
    public static AdaptiveCard Summary(YouSaidWeDidSummary input)
    {
        var total = input.Total;
        var body = new List<CardElement>
        {
            TextBlock.Heading($"{input.SchoolName}: you said, we did"),
            TextBlock.Subtle(input.TermTitle),
            new TextBlock("Counted per pupil on the SEN register: a pupil counts once however many parents answered. \"Asked\" means a parent wrote what they would like school to work on; \"agreed\" means the teacher then recorded what was agreed at the meeting."),
            new Table(
                [new TableColumn(4), new TableColumn(3), new TableColumn(3), new TableColumn(3), new TableColumn(3), new TableColumn(3)],
                [
                    Row(true, "Year", "Pupils", "Views", "Worries", "Asked", "Agreed"),
                    .. input.Years.Select(y => Row(false, y.YearGroup, N(y.Pupils), N(y.ViewsGiven), N(y.Worries), N(y.Requests), N(y.RequestsAgreed))),
                    Row(true, total.YearGroup, N(total.Pupils), N(total.ViewsGiven), N(total.Worries), N(total.Requests), N(total.RequestsAgreed)),
                ])
            { Id = "years", ShowGridLines = true, Spacing = Spacing.Medium },
            new TextBlock("You said, we did") { Size = TextSize.Medium, Weight = TextWeight.Bolder, Separator = true, Spacing = Spacing.Large },
        };
        if (input.Items.Count == 0)
        {
            body.Add(new TextBlock("No parent who asked for something has had the agreed targets recorded yet.") { IsSubtle = true });
        }
        foreach (var item in input.Items)
        {
            body.Add(new Container(
            [
                new TextBlock($"{item.YearGroup}: a parent said") { Weight = TextWeight.Bolder },
                new TextBlock($"\"{item.YouSaid}\""),
                new TextBlock("We agreed") { Weight = TextWeight.Bolder },
                new TextBlock(string.Join("\n", item.WeDid.Select(t => "- " + t))),
            ])
            { Style = ContainerStyle.Emphasis, Spacing = Spacing.Medium });
        }
        if (input.ItemsLeftOut > 0)
        {
            body.Add(new TextBlock($"And {N(input.ItemsLeftOut)} more: open each plan to read them.") { IsSubtle = true });
        }
        return new AdaptiveCard
        {
            Body = body,
            FallbackText = $"{input.SchoolName}: you said, we did. {total.Requests} pupils' parents asked for something; {total.RequestsAgreed} have agreed targets recorded.",
        };
    }

    private static TableRow Row(bool bold, params string[] cells) =>
        new([.. cells.Select(c => new TableCell([new TextBlock(c) { Weight = bold ? TextWeight.Bolder : null }]))]);

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}
