using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using SendPlans.Infrastructure.BotFramework;
using SendPlans.Infrastructure.BotFramework.Proactive;

namespace SendPlans.Bot.Hosting;

/// <summary>
/// Runs one turn through the router in a scope of its own. An invoke that takes longer than
/// the budget is answered at once and finishes in the background, since Teams gives up on
/// an invoke after about five seconds. What the turn answers in the end still reaches the
/// user, through the persisted outbox: a card replaces the card they pressed, a message or an
/// error is posted in the conversation, so "I'll update this card" is true.
/// </summary>
public sealed class TurnProcessor(
    ActivityRouter router,
    IConnectorClient connector,
    ProactiveOutbox outbox,
    IServiceScopeFactory scopes,
    IHostApplicationLifetime lifetime,
    IOptions<BotOptions> options,
    TimeProvider time,
    ILogger<TurnProcessor> logger)
{
    public const string StillWorkingMessage = "I'm still working on that. I'll update this card when it's done.";

    public async Task<InvokeResponse?> ProcessAsync(Activity activity)
    {
        // The turn outlives the request when an invoke runs over budget, so it gets the
        // application's stopping token and a scope of its own, not the request's.
        var work = RunAsync(activity, lifetime.ApplicationStopping);
        if (activity.Type != ActivityTypes.Invoke)
        {
            return await work;
        }
        var budget = Task.Delay(options.Value.InvokeBudget, time);
        if (await Task.WhenAny(work, budget) == work)
        {
            return await work ?? InvokeResponse.Ok();
        }
        Log.InvokeContinuesInBackground(logger, activity.Name ?? "");
        _ = DeliverLateAsync(activity, work);
        return InvokeResponse.Message(StillWorkingMessage);
    }

    /// <summary>Queues the late answer of an invoke that ran over budget; keyed by the activity, so it goes once.</summary>
    private async Task DeliverLateAsync(Activity invoke, Task<InvokeResponse?> work)
    {
        InvokeResponseBody? body;
        try
        {
            body = (await work)?.Body;
        }
        catch (OperationCanceledException)
        {
            return; // the host is stopping; the turn did not finish
        }
        if (body?.Value is null || invoke.ServiceUrl is not { Length: > 0 } serviceUrl || invoke.Conversation?.Id is not { Length: > 0 } conversationId)
        {
            return;
        }
        var key = $"late-invoke|{conversationId}|{invoke.Id}";
        var message = body.Type switch
        {
            InvokeResponse.CardType when invoke.ReplyToId is { Length: > 0 } cardMessage =>
                OutboxMessage.CardUpdate(key, serviceUrl, conversationId, cardMessage, body.Value.DeepClone()),
            InvokeResponse.MessageType when body.Value is JsonValue text => Reply(text.ToString()),
            InvokeResponse.ErrorType when body.Value["message"] is JsonValue error => Reply(error.ToString()),
            _ => null,
        };
        if (message is null)
        {
            return;
        }
        try
        {
            await outbox.EnqueueAsync(message, lifetime.ApplicationStopping);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or OperationCanceledException)
        {
            Log.LateAnswerLost(logger, invoke.Name ?? "", e.GetType().Name);
        }

        OutboxMessage Reply(string text)
        {
            var reply = invoke.CreateReply(text);
            reply.ReplyToId = invoke.ReplyToId; // under the card that was pressed, not the invoke
            return new OutboxMessage { Key = key, ServiceUrl = serviceUrl, ConversationId = conversationId, Activity = reply };
        }
    }

    private async Task<InvokeResponse?> RunAsync(Activity activity, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var context = new TurnContext(activity, connector, scope.ServiceProvider);
        try
        {
            return await router.RouteAsync(context, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Log.TurnFailed(logger, activity.Type ?? "", e);
            if (activity.Type == ActivityTypes.Invoke)
            {
                return InvokeResponse.Error(500, "InternalError", "Sorry, something went wrong. Please try again in a minute.");
            }
            await TryApologiseAsync(context, cancellationToken);
            return null;
        }
    }

    private async Task TryApologiseAsync(TurnContext context, CancellationToken cancellationToken)
    {
        if (context.Activity.Type != ActivityTypes.Message)
        {
            return;
        }
        try
        {
            await context.SendActivityAsync("Sorry, something went wrong on my side. Please try again in a minute.", cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or UntrustedServiceUrlException or InvalidOperationException or TaskCanceledException)
        {
            Log.ApologyFailed(logger, e.GetType().Name);
        }
    }
}
