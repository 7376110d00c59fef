using SendPlans.Cards.Views;
using SendPlans.Infrastructure.BotFramework;

namespace SendPlans.Bot.Views;

/// <summary>
/// The same card in Teams: Action.Execute "views/submit" stores the answers and answers with
/// the thank-you card; "views/edit" brings the card back with the answers filled in. The
/// action data carries the same signed link as the web form, so the same checks apply.
/// </summary>
public sealed class ViewsHandlers(ParentViewsService views, ILogger<ViewsHandlers> logger)
{
    public async Task<InvokeResponse> SubmitAsync(TurnContext context, AdaptiveCardAction action, CancellationToken cancellationToken)
    {
        var token = action.GetString(ParentViewsService.LinkField);
        var subject = await ViewsEndpoints.ResolveAsync(token, views, logger, cancellationToken);
        if (subject is null)
        {
            return InvokeResponse.Error(400, "LinkNotValid", ParentViewsText.Get("LinkProblemBody"));
        }
        var stored = await views.SubmitAsync(subject, action.Data, cancellationToken);
        if (stored is null)
        {
            Log.ViewsClosed(logger, "teams");
            return InvokeResponse.Card(ParentViewsCards.Thanks(subject.CardInput(token!)).ToJsonNode());
        }
        Log.ViewsSaved(logger, "teams", stored.Views!.Revision);
        return InvokeResponse.Card(ParentViewsCards.Thanks(stored.CardInput(token!)).ToJsonNode());
    }

    public async Task<InvokeResponse> EditAsync(TurnContext context, AdaptiveCardAction action, CancellationToken cancellationToken)
    {
        var token = action.GetString(ParentViewsService.LinkField);
        var subject = await ViewsEndpoints.ResolveAsync(token, views, logger, cancellationToken);
        return subject is null
            ? InvokeResponse.Error(400, "LinkNotValid", ParentViewsText.Get("LinkProblemBody"))
            : InvokeResponse.Card(ParentViewsCards.Views(subject.CardInput(token!)).ToJsonNode());
    }
}
