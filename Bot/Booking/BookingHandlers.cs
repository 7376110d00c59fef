using SendPlans.Bot.Roster;
using SendPlans.Cards.Booking;
using SendPlans.Infrastructure.BotFramework;
using SendPlans.Infrastructure.Calendars;

namespace SendPlans.Bot.Booking;

/// <summary>The teacher's booking conversation: the two commands and the card actions.</summary>
public sealed class BookingHandlers(
    BookingService booking,
    StaffDirectory staff,
    Microsoft.Extensions.Options.IOptions<BookingOptions> options,
    TimeProvider time,
    ILogger<BookingHandlers> logger)
{
    private const string UnknownStaff = "I could not find you on the school's staff list. Ask your school's admin to add you, then try again.";

    public async Task BookAsync(TurnContext context, CancellationToken cancellationToken)
    {
        if (await MemberAsync(context, cancellationToken) is not { } member)
        {
            await context.SendActivityAsync(UnknownStaff, cancellationToken);
            return;
        }
        await SendAsync(context, await booking.ProposeAsync(member, cancellationToken), cancellationToken);
    }

    public async Task MyMeetingsAsync(TurnContext context, CancellationToken cancellationToken)
    {
        if (await MemberAsync(context, cancellationToken) is not { } member)
        {
            await context.SendActivityAsync(UnknownStaff, cancellationToken);
            return;
        }
        await SendAsync(context, await booking.MyMeetingsAsync(member, null, cancellationToken), cancellationToken);
    }

    public Task<InvokeResponse> ChangeSlotAsync(TurnContext context, AdaptiveCardAction action, CancellationToken cancellationToken) =>
        ActAsync(context, action, (m, term, upn) => booking.ChangeSlotAsync(m, term, upn, SlotKey(action), cancellationToken), cancellationToken);

    public Task<InvokeResponse> LeaveOutAsync(TurnContext context, AdaptiveCardAction action, CancellationToken cancellationToken) =>
        ActAsync(context, action, (m, term, upn) => booking.LeaveOutAsync(m, term, upn, action.GetString(BookingCards.ReasonInput), cancellationToken), cancellationToken);

    public Task<InvokeResponse> ParentChoosesAsync(TurnContext context, AdaptiveCardAction action, CancellationToken cancellationToken) =>
        ActAsync(context, action, (m, term, upn) => booking.ParentChoosesAsync(m, term, upn, cancellationToken), cancellationToken);

    public Task<InvokeResponse> RescheduleAsync(TurnContext context, AdaptiveCardAction action, CancellationToken cancellationToken) =>
        ActAsync(context, action, (m, term, upn) => booking.RescheduleAsync(m, term, upn, SlotKey(action), cancellationToken), cancellationToken);

    public Task<InvokeResponse> CancelAsync(TurnContext context, AdaptiveCardAction action, CancellationToken cancellationToken) =>
        ActAsync(context, action, (m, term, upn) => booking.CancelAsync(m, term, upn, action.GetString(BookingCards.ReasonInput), cancellationToken), cancellationToken);

    /// <summary>Opening the reschedule card asks the calendar, so it answers within the invoke's budget like Book all.</summary>
    public Task<InvokeResponse> RescheduleTimesAsync(TurnContext context, AdaptiveCardAction action, CancellationToken cancellationToken) =>
        ActAsync(context, action, (m, term, upn) => WithinBudgetAsync(context,
            () => booking.RescheduleTimesAsync(m, term, upn, cancellationToken),
            () => booking.RescheduleSearchingAsync(m, term, upn, cancellationToken), cancellationToken), cancellationToken);

    /// <summary>
    /// Book all answers the click within <see cref="BookingOptions.InvokeWait"/>: with the result
    /// when the calendar was quick, otherwise with a progress card that is replaced by the true
    /// final state when the booking finishes in the background.
    /// </summary>
    public async Task<InvokeResponse> BookAllAsync(TurnContext context, AdaptiveCardAction action, CancellationToken cancellationToken)
    {
        if (await MemberAsync(context, cancellationToken) is not { } member)
        {
            return InvokeResponse.Message(UnknownStaff);
        }
        var termId = action.GetString("term") ?? "";
        var progress = new LatestProgress();
        return Answer(await WithinBudgetAsync(context,
            () => booking.BookAllAsync(member, termId, progress, cancellationToken),
            () => booking.ProgressCardAsync(member, termId, progress.Latest, cancellationToken), cancellationToken));
    }

    /// <summary>
    /// Runs <paramref name="work"/> for at most <see cref="BookingOptions.InvokeWait"/> (Teams gives
    /// up on a click after about 5 s): its reply when it was quicker, otherwise the
    /// <paramref name="waiting"/> card, replaced through the Connector when the work ends.
    /// </summary>
    private async Task<BookingReply> WithinBudgetAsync(TurnContext context, Func<Task<BookingReply>> work, Func<Task<BookingReply>> waiting, CancellationToken cancellationToken)
    {
        var running = Task.Run(work, cancellationToken);
        var wait = Task.Delay(options.Value.InvokeWait, time, cancellationToken);
        if (await Task.WhenAny(running, wait) == running)
        {
            return await running;
        }
        _ = UpdateWhenDoneAsync(context, running, cancellationToken);
        return await waiting();
    }

    private async Task UpdateWhenDoneAsync(TurnContext context, Task<BookingReply> work, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await work;
            var cardActivityId = context.Activity.ReplyToId;
            var message = Activity.CreateMessage(reply.Text);
            if (reply.Card is not null)
            {
                message.Attachments = [Attachment.AdaptiveCard(reply.Card)];
            }
            if (cardActivityId is null)
            {
                await context.SendActivityAsync(message, cancellationToken);
            }
            else
            {
                await context.UpdateActivityAsync(cardActivityId, message, cancellationToken);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Log.BackgroundBookingFailed(logger, e.GetType().Name);
        }
    }

    private async Task<InvokeResponse> ActAsync(TurnContext context, AdaptiveCardAction action, Func<StaffMember, string, string, Task<BookingReply>> act, CancellationToken cancellationToken)
    {
        if (await MemberAsync(context, cancellationToken) is not { } member)
        {
            return InvokeResponse.Message(UnknownStaff);
        }
        var termId = action.GetString("term");
        // The pupil comes from a pupil list ("pupil", "offerPupil", "movePupil"), or with the time from the "slot" list ("{pupil}|{time}").
        var upn = action.GetString(BookingCards.PupilInput) ?? action.GetString(BookingCards.OfferPupilInput) ?? action.GetString(BookingCards.MovePupilInput)
            ?? action.GetString(BookingCards.SlotInput)?.Split('|')[0];
        if (termId is null || upn is null)
        {
            return InvokeResponse.Error(400, "BadRequest", "That button is missing what it needs. Say \"book my plan meetings\" to start again.");
        }
        try
        {
            return Answer(await act(member, termId, upn));
        }
        catch (RosterAccessDeniedException)
        {
            return InvokeResponse.Message("That pupil is not in your classes.");
        }
    }

    private static string? SlotKey(AdaptiveCardAction action) =>
        action.GetString(BookingCards.SlotInput)?.Split('|') is [_, var key] ? key : null;

    // The personal chat is saved after the turn, for every personal turn (StaffChats.RememberTurnAsync).
    private Task<StaffMember?> MemberAsync(TurnContext context, CancellationToken cancellationToken) =>
        staff.FindByEntraIdAsync(context.Activity.From?.AadObjectId, cancellationToken);

    private static InvokeResponse Answer(BookingReply reply) =>
        reply.Card is not null ? InvokeResponse.Card(reply.Card) : InvokeResponse.Message(reply.Text ?? "");

    private static async Task SendAsync(TurnContext context, BookingReply reply, CancellationToken cancellationToken)
    {
        if (reply.Card is not null)
        {
            await context.SendCardAsync(reply.Card, cancellationToken);
        }
        else
        {
            await context.SendActivityAsync(reply.Text ?? "", cancellationToken);
        }
    }

    /// <summary>Keeps the latest progress report; reports arrive on the booking's own thread.</summary>
    private sealed class LatestProgress : IProgress<CreateEventsProgress>
    {
        private CreateEventsProgress? _latest;

        public CreateEventsProgress? Latest => Volatile.Read(ref _latest);

        public void Report(CreateEventsProgress value) => Volatile.Write(ref _latest, value);
    }
}
