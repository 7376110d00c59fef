using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace SendPlans.Bot.ParentLinks;

/// <summary>
/// The HTML around every page a parent opens from a link (the views form, the booking page and
/// the pages for a link that does not work): one place for the doctype, the language, the phone
/// viewport, noindex, the title and the style, so the pages cannot drift apart. No script and no
/// inline style beyond what the page's Content-Security-Policy allows (see <see cref="ParentPageStyle"/>).
/// </summary>
public static class ParentPageShell
{
    /// <summary>The language of a page whose words are only in English: British English, as the product is for schools in England (and as the views pages default to).</summary>
    public static CultureInfo English { get; } = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>The whole page: the shell with <paramref name="main"/> writing what goes inside &lt;main&gt;.</summary>
    public static string Render(string title, CultureInfo language, ParentPageStyle style, Action<StringBuilder> main, int capacity = 2048)
    {
        var html = new StringBuilder(capacity)
            .Append("<!doctype html><html lang=\"").Append(WebUtility.HtmlEncode(language.Name)).Append("\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\">")
            .Append("<title>").Append(WebUtility.HtmlEncode(title)).Append("</title>");
        style.AppendTo(html);
        html.Append("</head><body><main>");
        main(html);
        return html.Append("</main></body></html>").ToString();
    }
}

/// <summary>How a parent page is styled: a stylesheet from our own origin, or a style in the page allowed by its hash.</summary>
public sealed class ParentPageStyle
{
    private readonly string? _href;
    private readonly string? _css;

    private ParentPageStyle(string? href, string? css) => (_href, _css) = (href, css);

    public static ParentPageStyle Linked(string href) => new(href, null);

    public static ParentPageStyle Inline(string css) => new(null, css);

    /// <summary>What the page's <c>style-src</c> must allow for this style: our origin, or the inline style's SHA-256.</summary>
    public string CspSource => _css is null ? "'self'" : $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(_css)))}'";

    internal void AppendTo(StringBuilder html)
    {
        if (_css is null)
        {
            html.Append("<link rel=\"stylesheet\" href=\"").Append(WebUtility.HtmlEncode(_href)).Append("\">");
        }
        else
        {
            // Written as given: the hash in the policy is of exactly these characters.
            html.Append("<style>").Append(_css).Append("</style>");
        }
    }
}
