using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SendPlans.Tests.Support;

/// <summary>Plays the Bot Connector service: records what the bot sends and answers like Teams.</summary>
public sealed class FakeConnector : IAsyncDisposable
{
    private readonly ConcurrentQueue<(int Status, string? RetryAfter)> _scripted = new();
    private LocalServer _server = null!;
    private int _ids;

    public sealed record Received(string Method, string Path, string? Authorization, JsonNode? Body, DateTimeOffset At);

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>The serviceUrl activities name to reach this fake.</summary>
    public string ServiceUrl => _server.Url + "/";

    public static async Task<FakeConnector> StartAsync()
    {
        var fake = new FakeConnector();
        fake._server = await LocalServer.StartAsync(app => app.Map("/v3/{**path}", (Delegate)fake.HandleAsync));
        return fake;
    }

    /// <summary>The next request gets this status (and Retry-After header, in seconds) instead of success.</summary>
    public void FailNext(int status, string? retryAfter = null) => _scripted.Enqueue((status, retryAfter));

    public IEnumerable<JsonNode> SentActivities => Requests.Where(r => r.Body is not null && r.Path.EndsWith("/activities", StringComparison.Ordinal) || r.Path.Contains("/activities/", StringComparison.Ordinal)).Select(r => r.Body!);

    /// <summary>Waits until at least <paramref name="count"/> requests have arrived.</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (Requests.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        return [.. Requests];
    }

    private async Task<IResult> HandleAsync(HttpContext http)
    {
        JsonNode? body = null;
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            body = await JsonNode.ParseAsync(http.Request.Body);
        }
        Requests.Enqueue(new Received(http.Request.Method, http.Request.Path.Value ?? "", http.Request.Headers.Authorization.FirstOrDefault(), body, DateTimeOffset.UtcNow));
        if (_scripted.TryDequeue(out var scripted))
        {
            if (scripted.RetryAfter is not null)
            {
                http.Response.Headers.RetryAfter = scripted.RetryAfter;
            }
            return Results.StatusCode(scripted.Status);
        }
        var id = $"activity-{Interlocked.Increment(ref _ids)}";
        return http.Request.Path.Value!.TrimEnd('/').EndsWith("/v3/conversations", StringComparison.Ordinal)
            ? Results.Json(new JsonObject { ["id"] = $"conversation-{id}", ["activityId"] = id }, statusCode: 201)
            : Results.Json(new JsonObject { ["id"] = id }, statusCode: 200);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
