using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SendPlans.Tests.Support;

namespace SendPlans.Bench;

/// <summary>
/// Plays the Bot Connector for both bots under load. Unlike the test FakeConnector it keeps
/// nothing per request (100k bodies would swamp the bench process): it drains the body,
/// counts the call and whether it carried the expected bearer token, and answers like Teams.
/// </summary>
public sealed class FastConnector : IAsyncDisposable
{
    private static readonly byte[] Answer = Encoding.UTF8.GetBytes("""{"id":"1:reply"}""");
    private readonly string _expectedAuthorization;
    private LocalServer _server = null!;
    private long _requests;
    private long _authorized;

    private FastConnector(string expectedToken) => _expectedAuthorization = "Bearer " + expectedToken;

    /// <summary>The serviceUrl the activities (and the token's serviceurl claim) name.</summary>
    public string ServiceUrl => _server.Url + "/";

    public (long Requests, long Authorized) Counts => (Interlocked.Read(ref _requests), Interlocked.Read(ref _authorized));

    public static async Task<FastConnector> StartAsync(string expectedToken)
    {
        var fake = new FastConnector(expectedToken);
        fake._server = await LocalServer.StartAsync(app => app.Map("/v3/conversations/{**path}", (Delegate)fake.HandleAsync));
        return fake;
    }

    private async Task HandleAsync(HttpContext http)
    {
        await http.Request.Body.CopyToAsync(Stream.Null, http.RequestAborted);
        Interlocked.Increment(ref _requests);
        if (http.Request.Headers.Authorization.ToString() == _expectedAuthorization)
        {
            Interlocked.Increment(ref _authorized);
        }
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.ContentLength = Answer.Length;
        await http.Response.Body.WriteAsync(Answer, http.RequestAborted);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
