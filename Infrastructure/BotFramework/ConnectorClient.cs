using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace SendPlans.Infrastructure.BotFramework;

/// <summary>Thrown when asked to call a serviceUrl that no validated inbound activity came from.</summary>
public sealed class UntrustedServiceUrlException(string serviceUrl)
    : InvalidOperationException($"The serviceUrl '{serviceUrl}' was never seen on a validated inbound activity.");

/// <summary>The Bot Connector REST API: send, reply, update and create conversations.</summary>
public interface IConnectorClient
{
    Task<ResourceResponse> SendToConversationAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken);
    Task<ResourceResponse> ReplyToActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken);
    Task<ResourceResponse> UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken);
    Task<ConversationResourceResponse> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken);
}

public sealed class ConnectorClient(HttpClient http, IBotTokenProvider tokens, TrustedServiceUrls trusted, ILogger<ConnectorClient> logger) : IConnectorClient
{
    public Task<ResourceResponse> SendToConversationAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities", activity, BotJsonContext.Default.ResourceResponse, cancellationToken);

    public Task<ResourceResponse> ReplyToActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities/{Escape(activityId)}", activity, BotJsonContext.Default.ResourceResponse, cancellationToken);

    public Task<ResourceResponse> UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities/{Escape(activityId)}", activity, BotJsonContext.Default.ResourceResponse, cancellationToken);

    public Task<ConversationResourceResponse> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, serviceUrl, "v3/conversations", parameters, BotJsonContext.Default.ConversationResourceResponse, cancellationToken);

    private async Task<TResponse> SendAsync<TBody, TResponse>(HttpMethod method, string serviceUrl, string path, TBody body, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
        where TBody : class
    {
        if (!await trusted.IsTrustedAsync(serviceUrl, cancellationToken))
        {
            Log.UntrustedServiceUrl(logger);
            throw new UntrustedServiceUrlException(serviceUrl);
        }
        using var request = new HttpRequestMessage(method, new Uri(new Uri(serviceUrl.TrimEnd('/') + "/"), path))
        {
            Content = JsonContent.Create(body, (JsonTypeInfo<TBody>)BotJsonContext.Default.GetTypeInfo(typeof(TBody))!),
        };
        var token = await tokens.GetTokenAsync(cancellationToken);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await http.SendAsync(request, cancellationToken);
        Log.ConnectorCall(logger, method.Method, (int)response.StatusCode);
        response.EnsureSuccessStatusCode();
        if (response.Content.Headers.ContentLength == 0)
        {
            return System.Text.Json.JsonSerializer.Deserialize("{}", responseType)!;
        }
        return await response.Content.ReadFromJsonAsync(responseType, cancellationToken)
            ?? throw new InvalidOperationException("The Connector answered with an empty body.");
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);
}
