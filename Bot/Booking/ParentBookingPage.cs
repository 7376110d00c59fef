using System.Net;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using SendPlans.Bot.ParentLinks;

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
            return Page("No meeting to change", await choices.SchoolNameAsync(read.Link!.SchoolId, cancellationToken),
                "<p>There is no plan meeting booked for this link any more. The school will contact you about a new time.</p>", 200);
        }
        var tokens = antiforgery.GetAndStoreTokens(http);
        return Page($"Plan meeting about {view.PupilFirstName}", view.SchoolName, Form(view, tokens), 200);
    }

    private static async Task<IResult> AnswerAsync(string token, HttpContext http, ParentLinkTokens links, ParentChoices choices, IAntiforgery antiforgery, IOptions<BookingOptions> options, ILogger<ParentChoices> logger, CancellationToken cancellationToken)
    {
        var read = links.Read(token, ParentLinkPurpose.Booking);
        if (!read.IsValid)
        {
            return await RefusedAsync(read, choices, options.Value, logger, cancellationToken);
        }
        var school = await choices.SchoolNameAsync(read.Link!.SchoolId, cancellationToken);
        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            return Page("Please try again", school, $"<p>Your answer could not be sent. <a href=\"{E(http.Request.Path)}\">Open the page again</a> and send it once more.</p>", 400);
        }
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var answer = new ParentAnswer(form["choice"], form["note"], form["interpreter"] == "yes", form["language"]);
        var outcome = await choices.AnswerAsync(read.Link!, answer, cancellationToken);
        var message = outcome switch
        {
            ParentAnswerOutcome.Moved => "<p>Thank you. Your meeting has moved to the time you chose. You will get an updated invitation by email.</p>",
            ParentAnswerOutcome.SlotGone => $"<p>Sorry, that time is no longer free. <a href=\"{E(http.Request.Path)}\">Choose another time</a>.</p>",
            ParentAnswerOutcome.NoMeeting => "<p>There is no plan meeting booked for this link any more. The school will contact you.</p>",
            _ => "<p>Thank you. We have passed your answer to your child's teacher. They will contact you if anything needs to change.</p>",
        };
        return Page("Thank you", school, message, outcome == ParentAnswerOutcome.SlotGone ? 409 : 200);
    }

    private static async Task<IResult> RefusedAsync(ParentLinkResult read, ParentChoices choices, BookingOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        Log.LinkRefused(logger, read.Problem.ToString());
        // An expired link is still genuine, so it may name the school; a tampered one names nothing of it.
        var (school, contact) = read.Problem == ParentLinkProblem.Expired && read.Link is { } link
            ? await choices.SchoolContactAsync(link.SchoolId, cancellationToken)
            : ("your child's school", options.FallbackContact);
        var why = read.Problem == ParentLinkProblem.Expired ? "This link has expired." : "This link does not work. It may have been copied only in part.";
        var reach = string.IsNullOrWhiteSpace(contact) ? "by phone or at the school office" : $"on <strong>{E(contact)}</strong> or at the school office";
        return Page("This link cannot be used", school,
            $"<p>{why}</p><p>Please contact {E(school)} {reach}, and they will help you with your child's plan meeting.</p>", read.Problem == ParentLinkProblem.Expired ? 410 : 404);
    }

    private static string Form(ParentBookingView view, AntiforgeryTokenSet tokens)
    {
        var html = new StringBuilder();
        html.Append(view.Current is null
            ? "<p>Please choose a time for your meeting.</p>"
            : $"<p>Your meeting is on <strong>{E(view.Current)}</strong>. It is online, on Microsoft Teams. You do not need a Teams account.</p>");
        html.Append("<form method=\"post\">");
        html.Append("<fieldset><legend>Choose a time</legend>");
        var i = 0;
        foreach (var (key, text) in view.Offered)
        {
            var isCurrent = key == view.CurrentKey;
            html.Append($"<div class=\"choice\"><input type=\"radio\" id=\"time-{i}\" name=\"choice\" value=\"{E(key)}\"{(isCurrent || (view.CurrentKey is null && i == 0) ? " checked" : "")}>")
                .Append($"<label for=\"time-{i}\">{E(text)}{(isCurrent ? " (your time now)" : "")}</label></div>");
            i++;
        }
        html.Append("<div class=\"choice\"><input type=\"radio\" id=\"time-another\" name=\"choice\" value=\"another\"><label for=\"time-another\">None of these times suits me. Please offer another time.</label></div>");
        html.Append($"<div class=\"choice\"><input type=\"radio\" id=\"time-cannot\" name=\"choice\" value=\"cannot\"{(view.CannotCome ? " checked" : "")}><label for=\"time-cannot\">I cannot come to a meeting.</label></div>");
        html.Append("</fieldset>");
        html.Append("<label for=\"note\">A note for the teacher (you do not have to write one)</label>");
        html.Append("<textarea id=\"note\" name=\"note\" rows=\"3\" maxlength=\"500\"></textarea>");
        html.Append("<fieldset><legend>Interpreter</legend>");
        html.Append($"<div class=\"choice\"><input type=\"checkbox\" id=\"interpreter\" name=\"interpreter\" value=\"yes\"{(view.InterpreterRequested ? " checked" : "")}><label for=\"interpreter\">I would like an interpreter at the meeting</label></div>");
        html.Append("<label for=\"language\">Which language?</label><input type=\"text\" id=\"language\" name=\"language\" maxlength=\"60\" autocomplete=\"language\">");
        html.Append("</fieldset>");
        html.Append($"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken ?? "")}\">");
        html.Append("<button type=\"submit\">Send my answer</button></form>");
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
    internal static IResult Page(string heading, string school, string content, int status) => new ParentPage(
        ParentPageShell.Render($"{heading} - {school}", ParentPageShell.English, Style, html => html
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

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
