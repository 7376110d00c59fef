using Microsoft.Extensions.Options;
using SendPlans.Infrastructure.BotFramework;

namespace SendPlans.Bot.Hosting;

/// <summary>
/// Runs one turn through the router in a scope of its own. An invoke that takes longer than
/// the budget is answered at once and finishes in the background, since Teams gives up on
/// an invoke after about five seconds.
/// </summary>
public sealed class TurnProcessor(
    ActivityRouter router,
    IConnectorClient connector,
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
        return InvokeResponse.Message(StillWorkingMessage);
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
