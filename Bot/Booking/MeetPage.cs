using System.Net;
using SendPlans.Bot.ParentLinks;
using SendPlans.Infrastructure.Calendars.Local;

namespace SendPlans.Bot.Booking;

/// <summary>
/// GET /meet/{eventId}: the Local calendar's stand-in for a Teams meeting. It says what the
/// meeting is and when, as the invitation did, and nothing more.
/// </summary>
public static class MeetPage
{
    public static IEndpointRouteBuilder MapMeetPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/meet/{eventId}", ShowAsync).RequireRateLimiting(ParentBookingPage.RateLimitPolicy);
        return app;
    }

    private static async Task<IResult> ShowAsync(string eventId, LocalCalendarProvider local, CancellationToken cancellationToken)
    {
        var found = eventId.Length is > 0 and <= 100 ? await local.FindEventByIdAsync(eventId, cancellationToken) : null;
        if (found is null || found.Cancelled)
        {
            return ParentBookingPage.Page("No meeting here", "Local meeting room", ParentPageShell.English,
                "<p>There is no meeting at this link. It may have been cancelled or moved; check your latest invitation.</p>", 404);
        }
        var when = BookingText.Long(new SlotTimes(found.Start, found.End), found.TimeZone);
        return ParentBookingPage.Page(found.Subject, "Local meeting room", ParentPageShell.English,
            $"<p><strong>When:</strong> {WebUtility.HtmlEncode(when)}.</p>" +
            "<p>This is the local stand-in for a Microsoft Teams meeting, used while the school runs SendPlans without Microsoft 365. " +
            "In a real school this link opens the Teams meeting in your browser; no Teams account is needed.</p>", 200);
    }
}
