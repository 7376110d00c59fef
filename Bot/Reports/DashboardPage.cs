using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using static System.Net.WebUtility;

namespace SendPlans.Bot.Reports;

/// <summary>
/// The dashboard as one HTML page: inline SVG bar charts, a table with every figure, no script.
/// The only style is the page's own block, allowed by its hash in the content security policy.
/// </summary>
public static class DashboardPage
{
    private const string Style = """
        body{font-family:"Segoe UI",system-ui,sans-serif;margin:1.5rem;color:#242424;max-width:64rem}
        h1{font-size:1.5rem;margin:0}h2{font-size:1.15rem;margin:1.5rem 0 .25rem}
        .sub{color:#616161;margin:.25rem 0 1rem}
        .totals{display:flex;flex-wrap:wrap;gap:.75rem;margin:0;padding:0;list-style:none}
        .totals li{border:1px solid #d1d1d1;border-radius:6px;padding:.5rem .75rem;min-width:7rem}
        .totals b{display:block;font-size:1.4rem}
        svg{max-width:100%;height:auto}svg text{font-size:12px;fill:#242424}
        .legend{font-size:.85rem;color:#424242}
        table{border-collapse:collapse;margin-top:.5rem;font-size:.9rem}
        th,td{border:1px solid #d1d1d1;padding:.25rem .5rem;text-align:right}th:first-child,td:first-child{text-align:left}
        a{color:#0f6cbd}
        nav{margin:.25rem 0 1rem;font-size:.9rem}nav a,nav b{margin-right:.75rem}
        table.text th,table.text td{text-align:left;vertical-align:top}table.text ul{margin:0;padding-left:1.1rem}
        """;

    private static readonly (string Name, string Colour)[] Series =
        [("Booked", "#0f6cbd"), ("Held", "#107c10"), ("Missed", "#c50f1f"), ("Followed up", "#8764b8")];

    public static string ContentSecurityPolicy { get; } =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The page; <paramref name="youSaidWeDid"/>: whether to link to "you said, we did" (only the roles that may open it see the link).</summary>
    public static string Render(TermDashboardFigures f, bool youSaidWeDid = false)
    {
        var t = f.Total;
        var html = Start($"{f.SchoolName}: term dashboard")
            .Append("<h1>").Append(HtmlEncode(f.SchoolName)).Append(": term dashboard</h1>")
            .Append("<p class=\"sub\">").Append(HtmlEncode(f.TermTitle)).Append(" · <a href=\"")
            .Append(HtmlEncode($"{Uri.EscapeDataString(f.SchoolId)}.csv?term={Uri.EscapeDataString(f.TermId)}")).Append("\">Download CSV</a></p>")
            .Append(TermPicker(f))
            .Append("<ul class=\"totals\" id=\"totals\">");
        foreach (var (label, value) in new[]
        {
            ("Pupils", Count(t.Pupils)), ("Booked", Count(t.Booked)), ("Held", Count(t.Held)), ("Missed", Count(t.Missed)),
            ("Followed up", Count(t.FollowUps.Total)), ("Attendance", Percent(t.AttendancePercent)),
            ("Views returned", Percent(t.ViewsPercent)), ("Pupil voice", Voice(t)),
        })
        {
            html.Append("<li><b>").Append(value).Append("</b>").Append(label).Append("</li>");
        }
        html.Append("</ul>").Append(Unreachable(f));

        html.Append("<h2>Meetings by year group</h2><p class=\"legend\">");
        html.AppendJoin(" · ", Series.Select(s => $"<svg width=\"10\" height=\"10\" aria-hidden=\"true\"><rect width=\"10\" height=\"10\" fill=\"{s.Colour}\"/></svg> {s.Name}"));
        html.Append("</p>").Append(MeetingsChart(f.Years));
        html.Append("<h2>Attendance by year group</h2><p class=\"legend\">Attended ÷ (held + missed). The dashed line is the goal of ")
            .Append(Number(f.GoalPercent)).Append("%.</p>")
            .Append(PercentChart("attendance-chart", "Attendance", f.Years, y => y.AttendancePercent, "#107c10", f.GoalPercent));
        html.Append("<h2>Parents' views returned</h2>").Append(PercentChart("views-chart", "Parents' views returned", f.Years, y => y.ViewsPercent, "#0f6cbd", null));
        html.Append("<h2>Pupil voice captured</h2>").Append(f.VoiceCounted
            ? PercentChart("voice-chart", "Pupil voice captured", f.Years, y => y.VoicePercent, "#8764b8", null)
            : $"<p class=\"legend\" id=\"voice-not-shown\">{HtmlEncode(VoiceNotShown)}</p>");
        html.Append(Moderation(f)).Append(Table(f));
        if (youSaidWeDid)
        {
            html.Append("<h2>You said, we did</h2><p class=\"legend\" id=\"you-said-we-did\">What parents asked school to work on this term, and what was then agreed, per year group and without names: <a href=\"")
                .Append(HtmlEncode($"{Uri.EscapeDataString(f.SchoolId)}/you-said-we-did?term={Uri.EscapeDataString(f.TermId)}")).Append("\">open the summary</a>.</p>");
        }
        return html.Append("</body></html>").ToString();
    }

    /// <summary>The start of a dashboard page up to the open body: the same style block, so the same content security policy.</summary>
    internal static StringBuilder Start(string title) =>
        new StringBuilder("<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(HtmlEncode(title)).Append("</title><style>").Append(Style).Append("</style></head><body>");

    /// <summary>Staff figures: never cached, never sniffed, never sent on as a referrer.</summary>
    public static void KeepPrivate(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }

    /// <summary>A short page that says what happened and what to do (sign-in failed, not allowed), in the dashboard's style.</summary>
    public static async Task WriteNoticeAsync(HttpContext http, int status, string title, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        KeepPrivate(http.Response);
        await http.Response.WriteAsync(
            Start(title).Append($"<h1>{HtmlEncode(title)}</h1><p class=\"sub\" id=\"notice\">{HtmlEncode(message)}</p></body></html>").ToString(),
            http.RequestAborted);
    }

    private static string TermPicker(TermDashboardFigures f) => TermPicker(f.Terms, f.TermId, Uri.EscapeDataString(f.SchoolId));

    /// <summary>Links to the school's other terms (plain links: the page has no script and no form); <paramref name="page"/> is the relative link, already escaped.</summary>
    internal static string TermPicker(IReadOnlyList<TermChoice> terms, string termId, string page)
    {
        if (terms.Count < 2)
        {
            return "";
        }
        var html = new StringBuilder("<nav id=\"terms\" aria-label=\"Terms\">Terms: ");
        foreach (var term in terms)
        {
            if (term.Id == termId)
            {
                html.Append("<b aria-current=\"page\">").Append(HtmlEncode(term.Title)).Append("</b>");
            }
            else
            {
                html.Append("<a href=\"").Append(HtmlEncode($"{page}?term={Uri.EscapeDataString(term.Id)}")).Append("\">")
                    .Append(HtmlEncode(term.Title)).Append("</a>");
            }
        }
        return html.Append("</nav>").ToString();
    }

    /// <summary>The one line that says who the bot's messages (deadline lists, digests, moderation) cannot reach, and what to do.</summary>
    public static string? UnreachableLine(int count) => count == 0 ? null
        : $"{count} {(count == 1 ? "member of staff cannot" : "staff cannot")} be reached by the bot: ask {(count == 1 ? "them" : "each of them")} to open the bot in Teams once. Until then, messages meant for them (deadline lists, today's meetings, the weekly digest, moderation) reach nobody.";

    private static string Unreachable(TermDashboardFigures f)
    {
        if (UnreachableLine(f.Unreachable.Count) is not { } line)
        {
            return "";
        }
        var html = new StringBuilder("<p class=\"legend\" id=\"unreachable\">").Append(HtmlEncode(line)).Append("</p><ul id=\"unreachable-staff\">");
        foreach (var member in f.Unreachable)
        {
            html.Append("<li>").Append(HtmlEncode(member.Name)).Append(" (").Append(HtmlEncode(member.Roles)).Append(")</li>");
        }
        return html.Append("</ul>").ToString();
    }

    private static string Moderation(TermDashboardFigures f)
    {
        var html = new StringBuilder("<h2>SLT moderation</h2>");
        if (f.Total.Moderation.Sampled == 0)
        {
            return html.Append("<p class=\"legend\" id=\"moderation\">No plans have been sampled for moderation this term yet. Sampling starts after the deadline.</p>").ToString();
        }
        html.Append("<table id=\"moderation\"><thead><tr>");
        foreach (var h in new[] { "Year group", "Plans sampled", "Approved", "Needs changes", "Awaiting review" })
        {
            html.Append("<th scope=\"col\">").Append(h).Append("</th>");
        }
        html.Append("</tr></thead><tbody>");
        foreach (var y in f.Years.Where(y => y.Moderation.Sampled > 0).Append(f.Total))
        {
            var m = y.Moderation;
            html.Append("<tr><th scope=\"row\">").Append(HtmlEncode(y.Name)).Append("</th>");
            foreach (var cell in new[] { m.Sampled, m.Approved, m.NeedsChanges, m.Awaiting })
            {
                html.Append("<td>").Append(Count(cell)).Append("</td>");
            }
            html.Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    private static string MeetingsChart(IReadOnlyList<YearFigures> years)
    {
        const int left = 90, barHeight = 13, gap = 12, width = 640;
        var max = Math.Max(1, years.Select(y => Math.Max(Math.Max(y.Booked, y.Held), Math.Max(y.Missed, y.FollowUps.Total))).DefaultIfEmpty(0).Max());
        var rowHeight = Series.Length * barHeight + gap;
        var height = Math.Max(1, years.Count) * rowHeight + 10;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg id=\"meetings-chart\" role=\"img\" aria-label=\"Booked, held, missed and followed up by year group\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">");
        for (var i = 0; i < years.Count; i++)
        {
            var y = years[i];
            var top = i * rowHeight + 5;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{top + 2 * barHeight + 4}\">{HtmlEncode(y.Name)}</text>");
            int[] values = [y.Booked, y.Held, y.Missed, y.FollowUps.Total];
            for (var s = 0; s < Series.Length; s++)
            {
                var w = (width - left - 40) * values[s] / (double)max;
                var barTop = top + s * barHeight;
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect class=\"bar\" data-year=\"{y.Code}\" data-series=\"{Series[s].Name}\" x=\"{left}\" y=\"{barTop}\" width=\"{w:0.#}\" height=\"{barHeight - 1}\" fill=\"{Series[s].Colour}\"><title>{HtmlEncode(y.Name)}: {Series[s].Name} {values[s]}</title></rect>")
                    .Append(CultureInfo.InvariantCulture, $"<text x=\"{left + w + 4:0.#}\" y=\"{barTop + barHeight - 2}\" font-size=\"11\">{values[s]}</text>");
            }
        }
        return svg.Append("</svg>").ToString();
    }

    private static string PercentChart(string id, string label, IReadOnlyList<YearFigures> years, Func<YearFigures, double?> value, string colour, double? goal)
    {
        const int left = 90, right = 50, barHeight = 16, gap = 8, width = 640;
        var plot = width - left - right;
        var head = goal is null ? 0 : 18;
        var height = head + Math.Max(1, years.Count) * (barHeight + gap) + 24;
        double X(double percent) => left + plot * percent / 100;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg id=\"{id}\" role=\"img\" aria-label=\"{HtmlEncode(label)} by year group, in percent\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">")
            .Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{head}\" width=\"{plot}\" height=\"{height - 20 - head}\" fill=\"#f5f5f5\"/>");
        for (var i = 0; i < years.Count; i++)
        {
            var y = years[i];
            var top = head + i * (barHeight + gap) + 4;
            var p = value(y);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{top + barHeight - 4}\">{HtmlEncode(y.Name)}</text>");
            if (p is { } v)
            {
                var below = goal is { } g && v < g;
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect class=\"bar\" data-year=\"{y.Code}\" data-percent=\"{Number(v)}\" x=\"{left}\" y=\"{top}\" width=\"{X(v) - left:0.#}\" height=\"{barHeight}\" fill=\"{(below ? "#c50f1f" : colour)}\"><title>{HtmlEncode(y.Name)}: {Number(v)}%</title></rect>")
                    .Append(CultureInfo.InvariantCulture, $"<text x=\"{X(v) + 4:0.#}\" y=\"{top + barHeight - 4}\">{Number(v)}%</text>");
            }
            else
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + 4}\" y=\"{top + barHeight - 4}\" fill=\"#616161\">none yet</text>");
            }
        }
        foreach (var tick in new[] { 0, 50, 100 })
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(tick) - 8:0.#}\" y=\"{height - 4}\">{tick}%</text>");
        }
        if (goal is { } line)
        {
            svg.Append(CultureInfo.InvariantCulture,
                $"<line class=\"goal\" data-goal=\"{Number(line)}\" x1=\"{X(line):0.##}\" x2=\"{X(line):0.##}\" y1=\"{head - 4}\" y2=\"{height - 20}\" stroke=\"#242424\" stroke-width=\"2\" stroke-dasharray=\"5 3\"><title>Goal {Number(line)}%</title></line>")
                .Append(CultureInfo.InvariantCulture, $"<text class=\"goal-label\" x=\"{X(line) - 4:0.#}\" y=\"12\" text-anchor=\"end\" font-weight=\"bold\">Goal {Number(line)}%</text>");
        }
        return svg.Append("</svg>").ToString();
    }

    private static string Table(TermDashboardFigures f)
    {
        var html = new StringBuilder("<h2>All figures</h2><table id=\"figures\"><thead><tr>");
        foreach (var h in new[] { "Year group", "Pupils", "Booked", "Held", "Missed", "Followed up", "Still open", "Attendance", "Views returned", "Pupil voice" })
        {
            html.Append("<th scope=\"col\">").Append(h).Append("</th>");
        }
        html.Append("</tr></thead><tbody>");
        foreach (var y in f.Years.Append(f.Total))
        {
            html.Append("<tr><th scope=\"row\">").Append(HtmlEncode(y.Name)).Append("</th>");
            foreach (var cell in new[] { Count(y.Pupils), Count(y.Booked), Count(y.Held), Count(y.Missed), Count(y.FollowUps.Total), Count(y.FollowUps.Unfinished),
                Percent(y.AttendancePercent), Percent(y.ViewsPercent), Voice(y) })
            {
                html.Append("<td>").Append(cell).Append("</td>");
            }
            html.Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Number(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Percent(double? p) => p is { } v ? Number(v) + "%" : "–";

    /// <summary>Why an admin sees no pupil-voice figure: the same sentence as the Teams card.</summary>
    public const string VoiceNotShown = "Pupil voice is counted from the pupils' plans, which admin staff do not read. The SENCo and senior leaders see this figure.";

    private static string Voice(YearFigures y) => y.VoiceCaptured is null ? "not shown" : Percent(y.VoicePercent);
}
