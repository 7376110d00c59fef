namespace SendPlans.Infrastructure.Calendars;

/// <summary>
/// Staff calendars: free/busy, and meetings with a join link. Graph in production, tables locally.
/// Faults from the calendar service come back as <see cref="CalendarFailure"/> values, never as
/// exceptions; only cancellation and programming errors throw.
/// </summary>
public interface ICalendarProvider
{
    /// <summary>Busy intervals for each mailbox between <paramref name="start"/> and <paramref name="end"/>, in the order asked.</summary>
    Task<IReadOnlyList<MailboxBusy>> GetBusyAsync(
        IReadOnlyList<string> mailboxes, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates the events, one result per event in the order given. Safe to call again with the
    /// same transaction ids: an event that already exists is returned, not created twice.
    /// </summary>
    Task<IReadOnlyList<CreateEventResult>> CreateEventsAsync(
        IReadOnlyList<NewCalendarEvent> events, IProgress<CreateEventsProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Moves an event and, when given, replaces its attendees; attendees are sent the update.</summary>
    Task<CalendarResult> UpdateEventAsync(CalendarEventChange change, CancellationToken cancellationToken = default);

    /// <summary>Cancels an event; attendees are sent the cancellation with the comment.</summary>
    Task<CalendarResult> CancelEventAsync(string organizer, string eventId, string comment, CancellationToken cancellationToken = default);
}
