using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using SendPlans.Bot.ParentLinks;
using SendPlans.Cards.Views;

namespace SendPlans.Bot.Views;

/// <summary>The parent web form at /views/{token}: GET shows the card, POST stores the answers.</summary>
public static class ViewsEndpoints
{
    public const string RateLimitPolicy = "views";

    private static readonly string AssetsDirectory = Path.Combine(AppContext.BaseDirectory, "views-assets");

    private static readonly Dictionary<string, string> Assets = new(StringComparer.Ordinal)
    {
        ["adaptivecards.min.js"] = "text/javascript",
        ["views.js"] = "text/javascript",
        ["views.css"] = "text/css",
    };

    public static IEndpointRouteBuilder MapViewsForm(this IEndpointRouteBuilder app)
    {
        app.MapGet("/views/assets/{name}", (string name, HttpContext http) =>
        {
            if (!Assets.TryGetValue(name, out var type))
            {
                return Results.NotFound();
            }
            http.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.File(Path.Combine(AssetsDirectory, name), type);
        });
        app.MapGet("/views/{token}", ShowAsync).RequireRateLimiting(RateLimitPolicy);
        app.MapPost("/views/{token}", SubmitAsync).RequireRateLimiting(RateLimitPolicy);
        return app;
    }

    private static async Task<IResult> ShowAsync(
        string token, string? saved, HttpContext http, ParentViewsService views, IAntiforgery antiforgery,
        IOptions<ViewsOptions> options, ILogger<ParentViewsService> logger, CancellationToken cancellationToken)
    {
        var subject = await ResolveAsync(token, views, logger, cancellationToken);
        if (subject is null)
        {
            return await ProblemPageAsync(http, token, views, options.Value, cancellationToken);
        }
        return FormPage(http, token, subject, antiforgery, saved is not null && subject.Views is not null ? ParentViewsText.Get("SavedBanner", subject.Culture) : null);
    }

    private static async Task<IResult> SubmitAsync(
        string token, HttpContext http, ParentViewsService views, IAntiforgery antiforgery,
        IOptions<ViewsOptions> options, ILogger<ParentViewsService> logger, CancellationToken cancellationToken)
    {
        var subject = await ResolveAsync(token, views, logger, cancellationToken);
        if (subject is null)
        {
            return await ProblemPageAsync(http, token, views, options.Value, cancellationToken);
        }
        // Checked here, as the booking page does, rather than by binding a [FromForm] parameter behind
        // UseAntiforgery: the parent whose page sat open past the token's life gets the form back with
        // a sentence, not a bare 400.
        if (!await ValidFormAsync(http, antiforgery))
        {
            // Nothing is stored, but what the parent typed is not lost: the card comes back with it
            // filled in (cleaned as a save would be), so one more press of Send saves it.
            Log.ViewsNotSaved(logger, "antiforgery");
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            var typed = PostedAnswers(http) is { } answers
                ? subject with { Views = new ParentViews(subject.Link.SchoolId, subject.Link.TermId, subject.Link.PupilId, subject.Link.ContactId, ParentViewsService.Clean(subject, answers)) }
                : subject;
            return FormPage(http, token, typed, antiforgery, ParentViewsText.Get("NotSavedBanner", subject.Culture), warning: true);
        }
        if (PostedAnswers(http) is not { } raw)
        {
            return Results.BadRequest();
        }
        var stored = await views.SubmitAsync(subject, raw, cancellationToken);
        if (stored is null)
        {
            Log.ViewsClosed(logger, "web");
            http.Response.StatusCode = StatusCodes.Status409Conflict;
            return FormPage(http, token, subject, antiforgery, null);
        }
        Log.ViewsSaved(logger, "web", stored.Views!.Revision);
        // Post, redirect, get: a reload does not post again, and the page shows what is stored.
        return Results.Redirect($"/views/{Uri.EscapeDataString(token)}?saved=1", permanent: false, preserveMethod: false);
    }

    /// <summary>
    /// The answers the page posted, when the body is a form that holds them; null otherwise. The
    /// antiforgery check has read the form already, so this reads no body.
    /// </summary>
    private static JsonObject? PostedAnswers(HttpContext http)
    {
        try
        {
            return http.Request.HasFormContentType ? JsonNode.Parse(http.Request.Form["answers"].ToString()) as JsonObject : null;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or BadHttpRequestException or IOException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The antiforgery check, which reads the form: a body that is no form at all fails it too.</summary>
    private static async Task<bool> ValidFormAsync(HttpContext http, IAntiforgery antiforgery)
    {
        try
        {
            return http.Request.HasFormContentType && await antiforgery.IsRequestValidAsync(http);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return false;
        }
    }

    internal static async Task<ViewsSubject?> ResolveAsync(string? token, ParentViewsService views, ILogger logger, CancellationToken cancellationToken)
    {
        var read = views.ReadLink(token);
        if (!read.IsValid)
        {
            Log.LinkRefused(logger, read.Problem.ToString());
            return null;
        }
        var subject = await views.FindAsync(read.Link!, cancellationToken);
        if (subject is null)
        {
            Log.LinkRefused(logger, "NotFound");
        }
        return subject;
    }

    private static IResult FormPage(HttpContext http, string token, ViewsSubject subject, IAntiforgery antiforgery, string? banner, bool warning = false)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var card = ParentViewsCards.Views(subject.CardInput(token)).ToJson();
        Secure(http);
        return Results.Content(ViewsPage.Form(card, tokens.FormFieldName, tokens.RequestToken!, banner, subject.Culture, warning), "text/html; charset=utf-8");
    }

    /// <summary>
    /// The page for a link that does not work, with nothing about the pupil. A link whose signature
    /// holds (expired, or its pupil or contact gone since) names its school, so the page gives that
    /// school's own contact details; a tampered or cut one names nothing, so it gets the general text.
    /// </summary>
    private static async Task<IResult> ProblemPageAsync(HttpContext http, string token, ParentViewsService views, ViewsOptions options, CancellationToken cancellationToken)
    {
        var english = ParentViewsText.English;
        // Read again rather than carried out of ResolveAsync: this is the rare path, and a read is a decrypt, no storage.
        var read = views.ReadLink(token);
        var school = read.Link is { } link ? await views.SettingsAsync(link.SchoolId, cancellationToken) : null;
        var contact = school is not null && !string.IsNullOrWhiteSpace(school.Contact)
            ? ParentViewsText.Format("LinkProblemSchoolContact", english, school.Name, school.Contact)
            : string.IsNullOrWhiteSpace(options.OfficeContact) ? ParentViewsText.Get("LinkProblemNoContact", english) : options.OfficeContact;
        var body = ParentViewsText.Get(read.Problem == ParentLinkProblem.Expired ? "LinkExpiredBody" : "LinkProblemBody", english);
        Secure(http);
        return Results.Content(ViewsPage.Problem(ParentViewsText.Get("LinkProblemTitle", english), body, contact),
            "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
    }

    /// <summary>The headers of every parent page here: own-origin scripts only, no caching, no sniffing, no referrer.</summary>
    internal static void Secure(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.ContentSecurityPolicy = ViewsPage.ContentSecurityPolicy;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
