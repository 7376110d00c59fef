using System.Globalization;
using System.Net;
using SendPlans.Bot.ParentLinks;
using SendPlans.Cards.Views;

namespace SendPlans.Bot.Views;

/// <summary>
/// The parent web form's HTML: the parents' page shell around the card JSON, which the official adaptivecards
/// renderer (served from our own origin) draws. No data is written into the HTML except the card.
/// </summary>
public static class ViewsPage
{
    /// <summary>Scripts from our origin only; the renderer sets inline styles, so those are allowed.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static readonly ParentPageStyle Style = ParentPageStyle.Linked("/views/assets/views.css");

    /// <param name="warning">The banner says something went wrong (drawn as a warning and read out at once), not that all is well.</param>
    public static string Form(string cardJson, string antiforgeryField, string antiforgeryToken, string? banner, CultureInfo language, bool warning = false) =>
        ParentPageShell.Render(ParentViewsText.Get("PageTitle", language), language, Style, html =>
        {
            if (banner is not null)
            {
                html.Append(warning ? "<p class=\"banner warning\" role=\"alert\">" : "<p class=\"banner\" role=\"status\">")
                    .Append(WebUtility.HtmlEncode(banner)).Append("</p>");
            }
            html.Append("<div id=\"card\"></div>")
                .Append("<form id=\"views-form\" method=\"post\"><input type=\"hidden\" name=\"")
                .Append(WebUtility.HtmlEncode(antiforgeryField)).Append("\" value=\"").Append(WebUtility.HtmlEncode(antiforgeryToken))
                .Append("\"><input type=\"hidden\" name=\"answers\" value=\"\"></form>")
                .Append("<noscript><p>").Append(WebUtility.HtmlEncode(ParentViewsText.Get("LinkProblemBody", language))).Append("</p></noscript>")
                // System.Text.Json escapes <, > and & by default, so the JSON cannot close this element.
                .Append("<script type=\"application/json\" id=\"card-json\">").Append(cardJson).Append("</script>")
                .Append("<script src=\"/views/assets/adaptivecards.min.js\"></script><script src=\"/views/assets/views.js\"></script>");
        }, 4096 + cardJson.Length);

    /// <summary>A page with no form: for a link that does not work (with how to reach the school, nothing about the pupil) or a parent asked to wait.</summary>
    public static string Problem(string title, string body, string? contact = null) =>
        ParentPageShell.Render(title, ParentViewsText.English, Style, html =>
        {
            html.Append("<h1>").Append(WebUtility.HtmlEncode(title)).Append("</h1><p>").Append(WebUtility.HtmlEncode(body)).Append("</p>");
            if (contact is not null)
            {
                html.Append("<p class=\"contact\">").Append(WebUtility.HtmlEncode(contact)).Append("</p>");
            }
        });
}
