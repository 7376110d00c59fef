using Microsoft.Graph.Models;

namespace SendPlans.Infrastructure.Calendars.Graph;

/// <summary>Our event shapes as Graph's, and Graph's times back as UTC.</summary>
internal static class GraphEvents
{
    public static Event ToGraph(NewCalendarEvent e)
    {
        CalendarTimeZones.TryResolve(e.TimeZone, out var zone, out var windowsId);
        zone ??= TimeZoneInfo.Utc;
        windowsId ??= "UTC";
        return new Event
        {
            TransactionId = e.TransactionId,
            Subject = e.Subject,
            Body = new ItemBody { ContentType = BodyType.Html, Content = e.HtmlBody },
            Start = new DateTimeTimeZone { DateTime = CalendarTimeZones.ToLocalText(e.Start, zone), TimeZone = windowsId },
            End = new DateTimeTimeZone { DateTime = CalendarTimeZones.ToLocalText(e.End, zone), TimeZone = windowsId },
            Attendees = Attendees(e.Attendees),
            Location = string.IsNullOrWhiteSpace(e.Location) ? null : new Location { DisplayName = e.Location },
            IsOnlineMeeting = e.OnlineMeeting,
            OnlineMeetingProvider = e.OnlineMeeting ? OnlineMeetingProviderType.TeamsForBusiness : null,
            ResponseRequested = true,
        };
    }

    public static Event ToGraph(CalendarEventChange change)
    {
        CalendarTimeZones.TryResolve(change.TimeZone, out var zone, out var windowsId);
        zone ??= TimeZoneInfo.Utc;
        windowsId ??= "UTC";
        return new Event
        {
            Start = new DateTimeTimeZone { DateTime = CalendarTimeZones.ToLocalText(change.Start, zone), TimeZone = windowsId },
            End = new DateTimeTimeZone { DateTime = CalendarTimeZones.ToLocalText(change.End, zone), TimeZone = windowsId },
            Attendees = change.Attendees is null ? null : Attendees(change.Attendees),
        };
    }

    public static DateTimeTimeZone Utc(DateTimeOffset instant) => new()
    {
        DateTime = CalendarTimeZones.ToLocalText(instant, TimeZoneInfo.Utc),
        TimeZone = "UTC",
    };

    public static DateTimeOffset ToUtc(DateTimeTimeZone value) => CalendarTimeZones.ToUtc(value.DateTime, value.TimeZone);

    private static List<Attendee> Attendees(IReadOnlyList<EventAttendee> attendees) =>
    [
        .. attendees.Select(a => new Attendee
        {
            EmailAddress = new EmailAddress { Address = a.Email, Name = a.Name },
            Type = a.Required ? AttendeeType.Required : AttendeeType.Optional,
        }),
    ];
}
