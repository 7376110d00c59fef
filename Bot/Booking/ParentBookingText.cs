using SendPlans.Cards.Views;

namespace SendPlans.Bot.Booking;

/// <summary>The parent's booking invitation, reminder and page, from ParentBookingText.resx.</summary>
public static class ParentBookingText
{
    public static ParentStrings Strings { get; } = new("SendPlans.Bot.Booking.ParentBookingText", typeof(ParentBookingText).Assembly);
}
