using System.Text.Json;
using Azure;
using Microsoft.Extensions.Options;
using SendPlans.Infrastructure.BotFramework;

namespace SendPlans.Bot.Hosting;

/// <summary>
/// POST /api/messages: authenticate, parse, deduplicate, route. Every client mistake gets a
/// 4xx; a 500 would make the channel retry something that can never succeed.
/// </summary>
public sealed class BotEndpoint(
    BotAuthenticator authenticator,
    TrustedServiceUrls trustedServiceUrls,
    ActivityDeduplicator deduplicator,
    TurnProcessor processor,
    IOptions<BotOptions> options,
    ILogger<BotEndpoint> logger)
{
    public const int MaxBodyBytes = 256 * 1024;

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }
        var body = await ReadBodyAsync(http.Request, cancellationToken);
        if (body is null)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var authenticationOn = options.Value.AuthenticationEnabled;
        ValidatedToken? token = null;
        if (authenticationOn)
        {
            token = await authenticator.ValidateTokenAsync(http.Request.Headers.Authorization.ToString() is { Length: > 0 } h ? h : null, cancellationToken);
            if (token is null)
            {
                return Results.Unauthorized();
            }
        }
        else if (!ListeningAddresses.IsLocalClient(http.Connection.RemoteIpAddress))
        {
            return Results.Unauthorized(); // dev mode answers loopback callers only
        }

        var activity = Parse(body);
        if (activity is null)
        {
            return Results.BadRequest();
        }
        if (token is not null && !authenticator.IsValidFor(token, activity))
        {
            return Results.Unauthorized();
        }
        if (!authenticationOn && !new Uri(activity.ServiceUrl!).IsLoopback)
        {
            return Results.Unauthorized(); // in dev mode only a local channel (the Playground) may be answered
        }

        try
        {
            await trustedServiceUrls.TrustAsync(activity.ServiceUrl!, cancellationToken);
            if (!await deduplicator.TryClaimAsync(activity, cancellationToken))
            {
                Log.DuplicateDelivery(logger, activity.Type!);
                return Results.Ok();
            }
            var response = await processor.ProcessAsync(activity);
            if (response is null)
            {
                return Results.Ok();
            }
            return response.Body is null
                ? Results.StatusCode(response.Status)
                : Results.Json(response.Body, BotJsonContext.Default.InvokeResponseBody, statusCode: response.Status);
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException or AggregateException)
        {
            Log.StorageUnavailable(logger, e.GetType().Name);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>The activity, or null when the body is not one we can act on.</summary>
    internal static Activity? Parse(byte[] body)
    {
        Activity? activity;
        try
        {
            activity = JsonSerializer.Deserialize(body, BotJsonContext.Default.Activity);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException or FormatException)
        {
            return null;
        }
        if (activity is null
            || string.IsNullOrWhiteSpace(activity.Type)
            || string.IsNullOrWhiteSpace(activity.Conversation?.Id)
            || !Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var serviceUrl)
            || (serviceUrl.Scheme != Uri.UriSchemeHttps && serviceUrl.Scheme != Uri.UriSchemeHttp))
        {
            return null;
        }
        return activity;
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length and <= MaxBodyBytes)
        {
            // The usual case (Teams sends Content-Length): read straight into an array of that
            // size, rather than through a 16 KiB chunk and a MemoryStream copied out at the end.
            var body = new byte[length];
            var filled = 0;
            int read;
            while (filled < body.Length && (read = await request.Body.ReadAsync(body.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += read;
            }
            return filled == body.Length ? body : body[..filled];
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + n > MaxBodyBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }
}
