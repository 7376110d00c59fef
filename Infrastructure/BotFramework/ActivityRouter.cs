using System.Text.RegularExpressions;

namespace SendPlans.Infrastructure.BotFramework;

public delegate Task TurnHandler(TurnContext context, CancellationToken cancellationToken);

public delegate Task<InvokeResponse> InvokeHandler(TurnContext context, CancellationToken cancellationToken);

public delegate Task<InvokeResponse> CardActionHandler(TurnContext context, AdaptiveCardAction action, CancellationToken cancellationToken);

/// <summary>
/// Routes an activity to the handler registered for it, in the manner of the official SDK:
/// messages by text or pattern, invokes by name, card actions by verb, and the
/// conversation and installation updates. The first matching registration wins.
/// </summary>
public sealed class ActivityRouter
{
    public const string AdaptiveCardActionInvoke = "adaptiveCard/action";

    private readonly List<(Func<string, bool> Matches, TurnHandler Handler)> _messages = [];
    private readonly List<(Func<Activity, bool> Matches, TurnHandler Handler)> _messageShapes = [];
    private readonly Dictionary<string, InvokeHandler> _invokes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CardActionHandler> _cardActions = new(StringComparer.Ordinal);
    private readonly List<TurnHandler> _conversationUpdates = [];
    private readonly List<TurnHandler> _installationUpdates = [];
    private readonly List<TurnHandler> _afterTurn = [];
    private TurnHandler? _unhandledMessage;

    /// <summary>A message whose text equals <paramref name="text"/>, ignoring case and surrounding space.</summary>
    public ActivityRouter OnMessage(string text, TurnHandler handler)
    {
        _messages.Add((t => string.Equals(t, text, StringComparison.OrdinalIgnoreCase), handler));
        return this;
    }

    public ActivityRouter OnMessage(Regex pattern, TurnHandler handler)
    {
        _messages.Add((pattern.IsMatch, handler));
        return this;
    }

    /// <summary>
    /// A message of a certain shape, whatever its text: one carrying file attachments, say.
    /// These are tried before the text routes, since such a message often has no text.
    /// </summary>
    public ActivityRouter OnMessage(Func<Activity, bool> predicate, TurnHandler handler)
    {
        _messageShapes.Add((predicate, handler));
        return this;
    }

    /// <summary>Any message that no text or pattern claimed.</summary>
    public ActivityRouter OnUnhandledMessage(TurnHandler handler)
    {
        _unhandledMessage = handler;
        return this;
    }

    public ActivityRouter OnInvoke(string name, InvokeHandler handler)
    {
        _invokes[name] = handler;
        return this;
    }

    public ActivityRouter OnAdaptiveCardAction(string verb, CardActionHandler handler)
    {
        _cardActions[verb] = handler;
        return this;
    }

    public ActivityRouter OnConversationUpdate(TurnHandler handler)
    {
        _conversationUpdates.Add(handler);
        return this;
    }

    public ActivityRouter OnInstallationUpdate(TurnHandler handler)
    {
        _installationUpdates.Add(handler);
        return this;
    }

    /// <summary>
    /// Runs after the routed handler of every activity, whatever route (or none) matched, like the
    /// official SDKs' middleware after next(): bookkeeping that must not delay the reply.
    /// Not run when the handler threw. A hook should handle its own failures, since the reply is already out.
    /// </summary>
    public ActivityRouter AfterTurn(TurnHandler hook)
    {
        _afterTurn.Add(hook);
        return this;
    }

    /// <summary>Runs the matching handler, then the after-turn hooks; returns the invoke response for invokes, null otherwise.</summary>
    public async Task<InvokeResponse?> RouteAsync(TurnContext context, CancellationToken cancellationToken)
    {
        var response = await RouteToHandlerAsync(context, cancellationToken);
        foreach (var hook in _afterTurn)
        {
            await hook(context, cancellationToken);
        }
        return response;
    }

    private async Task<InvokeResponse?> RouteToHandlerAsync(TurnContext context, CancellationToken cancellationToken)
    {
        var activity = context.Activity;
        switch (activity.Type)
        {
            case ActivityTypes.Message:
                await RouteMessageAsync(context, cancellationToken);
                return null;
            case ActivityTypes.Invoke:
                return await RouteInvokeAsync(context, cancellationToken);
            case ActivityTypes.ConversationUpdate:
                foreach (var handler in _conversationUpdates)
                {
                    await handler(context, cancellationToken);
                }
                return null;
            case ActivityTypes.InstallationUpdate:
                foreach (var handler in _installationUpdates)
                {
                    await handler(context, cancellationToken);
                }
                return null;
            default:
                return null;
        }
    }

    private async Task RouteMessageAsync(TurnContext context, CancellationToken cancellationToken)
    {
        foreach (var (matches, handler) in _messageShapes)
        {
            if (matches(context.Activity))
            {
                await handler(context, cancellationToken);
                return;
            }
        }
        var text = context.Text;
        // Action.Submit from a card arrives as a message with a value and usually no text.
        if (text.Length > 0)
        {
            foreach (var (matches, handler) in _messages)
            {
                if (matches(text))
                {
                    await handler(context, cancellationToken);
                    return;
                }
            }
        }
        if (_unhandledMessage is not null)
        {
            await _unhandledMessage(context, cancellationToken);
        }
    }

    private async Task<InvokeResponse> RouteInvokeAsync(TurnContext context, CancellationToken cancellationToken)
    {
        var name = context.Activity.Name ?? "";
        if (name == AdaptiveCardActionInvoke)
        {
            var action = AdaptiveCardAction.From(context.Activity);
            if (action is null)
            {
                return InvokeResponse.Error(400, "BadRequest", "The card action had no verb.");
            }
            return _cardActions.TryGetValue(action.Verb, out var cardHandler)
                ? await cardHandler(context, action, cancellationToken)
                : InvokeResponse.Error(400, "NotSupported", "This card's button is no longer supported. Type help to see what I can do.");
        }
        return _invokes.TryGetValue(name, out var handler)
            ? await handler(context, cancellationToken)
            : new InvokeResponse(400, null); // not 501: an invoke we do not handle is the caller's mistake, not our fault
    }
}
