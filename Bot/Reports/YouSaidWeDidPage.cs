using System.Globalization;
using System.Text;
using SendPlans.Cards.Reports;
using static System.Net.WebUtility;

namespace SendPlans.Bot.Reports;

/// <summary>A term's "you said, we did" for the dashboard: the summary the Teams card shows, with the school's terms for the picker.</summary>
public sealed record YouSaidWeDidView(string SchoolId, string TermId, IReadOnlyList<TermChoice> Terms, YouSaidWeDidSummary Summary);

/// <summary>
/// "You said, we did" as a dashboard page: counts per year group, then what parents asked beside
/// what was agreed. Same style block and content security policy as the dashboard; no script.
/// </summary>
public static class YouSaidWeDidPage
{
    public const string Path = "you-said-we-did";

    public static string Render(YouSaidWeDidView view)
    {
        var s = view.Summary;
        var html = DashboardPage.Start($"{s.SchoolName}: you said, we did")
            .Append("<h1>").Append(HtmlEncode(s.SchoolName)).Append(": you said, we did</h1>")
            .Append("<p class=\"sub\">").Append(HtmlEncode(s.TermTitle)).Append(" · <a href=\"")
            .Append(HtmlEncode($"{Path}.csv?term={Uri.EscapeDataString(view.TermId)}")).Append("\">Download CSV</a></p>")
            .Append("<nav id=\"back\" aria-label=\"Dashboard\"><a href=\"")
            .Append(HtmlEncode($"../{Uri.EscapeDataString(view.SchoolId)}?term={Uri.EscapeDataString(view.TermId)}")).Append("\">Back to the term dashboard</a></nav>")
            .Append(DashboardPage.TermPicker(view.Terms, view.TermId, Path))
            .Append("<p class=\"legend\">Counted per pupil on the SEN register: a pupil counts once however many parents answered. ")
            .Append("\"Asked\" means a parent wrote what they would like school to work on; \"agreed\" means the teacher then recorded what was agreed at the meeting. ")
            .Append("Worries are counted, never quoted.</p>");
        html.Append("<h2>Counts by year group</h2><table id=\"years\"><thead><tr>");
        foreach (var h in new[] { "Year group", "Pupils", "Parents' views", "Worries", "Asked", "Agreed" })
        {
            html.Append("<th scope=\"col\">").Append(h).Append("</th>");
        }
        html.Append("</tr></thead><tbody>");
        foreach (var y in s.Years.Append(s.Total))
        {
            html.Append("<tr><th scope=\"row\">").Append(HtmlEncode(y.YearGroup)).Append("</th>");
            foreach (var cell in new[] { y.Pupils, y.ViewsGiven, y.Worries, y.Requests, y.RequestsAgreed })
            {
                html.Append("<td>").Append(cell.ToString(CultureInfo.InvariantCulture)).Append("</td>");
            }
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        html.Append("<h2>What parents asked and what we agreed</h2>");
        if (s.Items.Count == 0)
        {
            return html.Append("<p class=\"legend\" id=\"pairs\">No parent who asked for something has had the agreed targets recorded yet.</p></body></html>").ToString();
        }
        html.Append("<p class=\"legend\">The names of pupils on the school's roster are shown as [name]; other names (a parent's, a teacher's) are not caught, so check before sharing.</p>")
            .Append("<table class=\"text\" id=\"pairs\"><thead><tr><th scope=\"col\">Year group</th><th scope=\"col\">A parent said</th><th scope=\"col\">We agreed</th></tr></thead><tbody>");
        foreach (var item in s.Items)
        {
            html.Append("<tr><th scope=\"row\">").Append(HtmlEncode(item.YearGroup)).Append("</th><td>“").Append(HtmlEncode(item.YouSaid)).Append("”</td><td><ul>");
            foreach (var target in item.WeDid)
            {
                html.Append("<li>").Append(HtmlEncode(target)).Append("</li>");
            }
            html.Append("</ul></td></tr>");
        }
        html.Append("</tbody></table>");
        if (s.ItemsLeftOut > 0)
        {
            html.Append("<p class=\"legend\" id=\"left-out\">And ").Append(s.ItemsLeftOut.ToString(CultureInfo.InvariantCulture)).Append(" more: open each plan to read them.</p>");
        }
        return html.Append("</body></html>").ToString();
    }
}
