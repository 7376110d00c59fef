using System.Globalization;
using CsvHelper;
using SendPlans.Cards.Reports;

namespace SendPlans.Bot.Reports;

/// <summary>
/// "You said, we did" as CSV: a <c>year</c> row per year group and a <c>total</c> row with the counts,
/// then a <c>pair</c> row for each request beside what was agreed (targets joined by " / ").
/// Parents wrote the text, so a cell a spreadsheet would run as a formula is escaped with '.
/// </summary>
public static class YouSaidWeDidCsv
{
    public static readonly string[] Header =
        ["section", "year_group", "pupils", "views_given", "worries", "requests", "requests_agreed", "you_said", "we_did"];

    public static string Write(YouSaidWeDidSummary summary)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        var options = new CsvWriterOptions { Separator = ',', NewLine = "\n", Injection = CsvInjection.Escape };
        using (var csv = CsvWriter.Create(text, options, leaveOpen: true))
        {
            csv.WriteRecord(Header);
            foreach (var (section, y) in summary.Years.Select(y => ("year", y)).Append(("total", summary.Total)))
            {
                csv.WriteRecord(new[] { section, y.YearGroup, Count(y.Pupils), Count(y.ViewsGiven), Count(y.Worries), Count(y.Requests), Count(y.RequestsAgreed), "", "" });
            }
            foreach (var item in summary.Items)
            {
                csv.WriteRecord(new[] { "pair", item.YearGroup, "", "", "", "", "", item.YouSaid, string.Join(" / ", item.WeDid) });
            }
        }
        return text.ToString();
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
