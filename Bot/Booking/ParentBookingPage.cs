using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using SendPlans.Bot.ParentLinks;
using SendPlans.Cards.Views;

namespace SendPlans.Bot.Booking;

/// <summary>
/// GET/POST /booking/{token}: a plain, server-rendered page where a parent picks one of the
/// offered times, asks for another time or an interpreter, or says they cannot come. Plain HTML
/// with labels and no script, so it works on any phone and with a screen reader.
/// </summary>
public static class ParentBookingPage
{
    public const string RateLimitPolicy = "parent-pages";

    public static IEndpointRouteBuilder MapParentBookingPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/booking/{token}", ShowAsync).RequireRateLimiting(RateLimitPolicy);
        app.MapPost("/booking/{token}", AnswerAsync).RequireRateLimiting(RateLimitPolicy);
        return app;
    }

    private static async Task<IResult> ShowAsync(string token, HttpContext http, ParentLinkTokens links, ParentChoices choices, IAntiforgery antiforgery, IOptions<BookingOptions> options, ILogger<ParentChoices> logger, CancellationToken cancellationToken)
    {
        var read = links.Read(token, ParentLinkPurpose.Booking);
        if (!read.IsValid)
        {
            return await RefusedAsync(read, choices, options.Value, logger, cancellationToken);
        }
        var view = await choices.ViewAsync(read.Link!, cancellationToken);
        if (view is null || view.Cancelled)
        {
            var language = view?.Language ?? await choices.LanguageAsync(read.Link!, cancellationToken);
            return Page(T.Get("NoMeetingTitle", language), await SchoolAsync(choices, read.Link!, language, cancellationToken), language,
                $"<p>{E(T.Get("NoMeeting", language))}</p>", 200);
        }
        var tokens = antiforgery.GetAndStoreTokens(http);
        return Page(T.Format("PageTitle", view.Language, view.PupilFirstName), view.SchoolName, view.Language, Form(view, tokens), 200);
    }

    private static async Task<IResult> AnswerAsync(string token, HttpContext http, ParentLinkTokens links, ParentChoices choices, IAntiforgery antiforgery, IOptions<BookingOptions> options, ILogger<ParentChoices> logger, CancellationToken cancellationToken)
    {
        var read = links.Read(token, ParentLinkPurpose.Booking);
        if (!read.IsValid)
        {
            return await RefusedAsync(read, choices, options.Value, logger, cancellationToken);
        }
        var language = await choices.LanguageAsync(read.Link!, cancellationToken);
        var school = await SchoolAsync(choices, read.Link!, language, cancellationToken);
        var again = http.Request.Path.ToString();
        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            return Page(T.Get("TryAgainTitle", language), school, language, $"<p>{T.Html("TryAgain", language, BookingText.Link(again, T.Get("TryAgainLink", language)))}</p>", 400);
        }
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var answer = new ParentAnswer(form["choice"], form["note"], form["interpreter"] == "yes", form["language"]);
        var outcome = await choices.AnswerAsync(read.Link!, answer, cancellationToken);
        var message = outcome switch
        {
            ParentAnswerOutcome.Moved => E(T.Get("AnswerMoved", language)),
            ParentAnswerOutcome.SlotGone => T.Html("AnswerSlotGone", language, BookingText.Link(again, T.Get("AnswerSlotGoneLink", language))),
            ParentAnswerOutcome.NoMeeting => E(T.Get("AnswerNoMeeting", language)),
            _ => E(T.Get("AnswerSaved", language)),
        };
        return Page(T.Get("ThanksTitle", language), school, language, $"<p>{message}</p>", outcome == ParentAnswerOutcome.SlotGone ? 409 : 200);
    }

    private static async Task<string> SchoolAsync(ParentChoices choices, ParentLink link, CultureInfo language, CancellationToken cancellationToken) =>
        await choices.SchoolNameAsync(link.SchoolId, cancellationToken) ?? T.Get("YourChildsSchool", language);

    /// <summary>In English, as the views page's link problem is: a link that does not work names nobody whose language we could use.</summary>
    private static async Task<IResult> RefusedAsync(ParentLinkResult read, ParentChoices choices, BookingOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        Log.LinkRefused(logger, read.Problem.ToString());
        var language = ParentStrings.English;
        // An expired link is still genuine, so it may name the school; a tampered one names nothing of it.
        var (school, contact) = read.Problem == ParentLinkProblem.Expired && read.Link is { } link
            ? await choices.SchoolContactAsync(link.SchoolId, cancellationToken)
            : (null, options.FallbackContact);
        school ??= T.Get("YourChildsSchool", language);
        var why = T.Get(read.Problem == ParentLinkProblem.Expired ? "LinkExpired" : "LinkBroken", language);
        var reach = string.IsNullOrWhiteSpace(contact)
            ? T.Html("LinkContactOffice", language, E(school))
            : T.Html("LinkContactPhone", language, E(school), $"<strong>{E(contact)}</strong>");
        return Page(T.Get("LinkRefusedTitle", language), school, language,
            $"<p>{E(why)}</p><p>{reach}</p>", read.Problem == ParentLinkProblem.Expired ? 410 : 404);
    }

    private static string Form(ParentBookingView view, AntiforgeryTokenSet tokens)
    {
        var language = view.Language;
        var html = new StringBuilder();
        html.Append("<p>").Append(view.Current is null
            ? E(T.Get("PageChoose", language))
            : T.Html("PageNow", language, $"<strong>{E(view.Current)}</strong>")).Append("</p>");
        html.Append("<form method=\"post\">");
        html.Append($"<fieldset><legend>{E(T.Get("PageTimes", language))}</legend>");
        var i = 0;
        foreach (var (key, text) in view.Offered)
        {
            var isCurrent = key == view.CurrentKey;
            html.Append($"<div class=\"choice\"><input type=\"radio\" id=\"time-{i}\" name=\"choice\" value=\"{E(key)}\"{(isCurrent || (view.CurrentKey is null && i == 0) ? " checked" : "")}>")
                .Append($"<label for=\"time-{i}\">{E(isCurrent ? T.Format("PageTimeNow", language, text) : text)}</label></div>");
            i++;
        }
        html.Append($"<div class=\"choice\"><input type=\"radio\" id=\"time-another\" name=\"choice\" value=\"another\"><label for=\"time-another\">{E(T.Get("PageAnother", language))}</label></div>");
        html.Append($"<div class=\"choice\"><input type=\"radio\" id=\"time-cannot\" name=\"choice\" value=\"cannot\"{(view.CannotCome ? " checked" : "")}><label for=\"time-cannot\">{E(T.Get("PageCannotCome", language))}</label></div>");
        html.Append("</fieldset>");
        html.Append($"<label for=\"note\">{E(T.Get("PageNote", language))}</label>");
        html.Append("<textarea id=\"note\" name=\"note\" rows=\"3\" maxlength=\"500\"></textarea>");
        html.Append($"<fieldset><legend>{E(T.Get("PageInterpreterHeading", language))}</legend>");
        html.Append($"<div class=\"choice\"><input type=\"checkbox\" id=\"interpreter\" name=\"interpreter\" value=\"yes\"{(view.InterpreterRequested ? " checked" : "")}><label for=\"interpreter\">{E(T.Get("PageInterpreter", language))}</label></div>");
        html.Append($"<label for=\"language\">{E(T.Get("PageLanguage", language))}</label><input type=\"text\" id=\"language\" name=\"language\" maxlength=\"60\" autocomplete=\"language\">");
        html.Append("</fieldset>");
        html.Append($"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken ?? "")}\">");
        html.Append($"<button type=\"submit\">{E(T.Get("PageSend", language))}</button></form>");
        return html.ToString();
    }

    private static readonly ParentPageStyle Style = ParentPageStyle.Inline("""
        body { font-family: system-ui, sans-serif; font-size: 1.1rem; line-height: 1.5; margin: 0; color: #1b1b1b; background: #f4f4f6; }
        main { max-width: 36rem; margin: 0 auto; padding: 1rem; background: #fff; min-height: 100vh; box-sizing: border-box; }
        h1 { font-size: 1.5rem; margin: 0.5rem 0; }
        .school { color: #4a4a4a; margin-top: 0; }
        fieldset { border: 1px solid #c8c8cc; border-radius: 6px; margin: 1rem 0; padding: 0.5rem 0.75rem; }
        legend { font-weight: 600; padding: 0 0.25rem; }
        .choice { display: flex; gap: 0.6rem; align-items: flex-start; padding: 0.4rem 0; }
        .choice input { width: 1.4rem; height: 1.4rem; margin-top: 0.15rem; flex: none; }
        label { display: block; }
        textarea, input[type=text] { width: 100%; box-sizing: border-box; font: inherit; padding: 0.5rem; border: 1px solid #8a8a8e; border-radius: 4px; margin: 0.25rem 0 0.75rem; }
        button { font: inherit; font-weight: 600; background: #464775; color: #fff; border: 0; border-radius: 6px; padding: 0.75rem 1.25rem; width: 100%; }
        a { color: #464775; }
        """);

    /// <summary>No script at all; only the page's own style (by its hash); the form posts only to this site.</summary>
    public static string ContentSecurityPolicy { get; } =
        $"default-src 'none'; style-src {Style.CspSource}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>The page, sent with headers that keep a parent's page out of caches, frames and referrers.</summary>
    internal static IResult Page(string heading, string school, CultureInfo language, string content, int status) => new ParentPage(
        ParentPageShell.Render($"{heading} - {school}", language, Style, html => html
            .Append("<h1>").Append(E(heading)).Append("</h1><p class=\"school\">").Append(E(school)).Append("</p>").Append(content)),
        status);

    private sealed class ParentPage(string html, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.CacheControl = "no-store";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status).ExecuteAsync(http);
        }
    }

    private static ParentStrings T => ParentBookingText.Strings;

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
