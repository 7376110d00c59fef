namespace SendPlans.Infrastructure.Calendars;

/// <summary>A time a mailbox is not free (busy, tentative, out of office or working elsewhere).</summary>
public sealed record BusyInterval(DateTimeOffset Start, DateTimeOffset End);

/// <summary>One mailbox's busy times, or why they could not be read.</summary>
public sealed record MailboxBusy(string Mailbox, IReadOnlyList<BusyInterval> Busy, CalendarFailure? Failure = null)
{
    public bool Succeeded => Failure is null;
}

public sealed record EventAttendee(string Email, string Name, bool Required = true);

/// <summary>
/// An event to create. <paramref name="TransactionId"/> is chosen by the caller and must be the
/// same on every retry of the same event (derive it from what the event is for, not from a
/// random value), so that a retried create returns the first event instead of a second one.
/// </summary>
/// <param name="Start">UTC start.</param>
/// <param name="End">UTC end.</param>
/// <param name="TimeZone">IANA or Windows time zone in which invitations show the times, e.g. Europe/London.</param>
public sealed record NewCalendarEvent(
    string TransactionId,
    string Organizer,
    string Subject,
    string HtmlBody,
    DateTimeOffset Start,
    DateTimeOffset End,
    string TimeZone,
    IReadOnlyList<EventAttendee> Attendees,
    bool OnlineMeeting = true,
    string? Location = null)
{
    /// <summary>Why no calendar could create this event; null when it is well formed.</summary>
    public string? Problem() =>
        string.IsNullOrWhiteSpace(TransactionId) ? "An event needs a transaction id."
        : string.IsNullOrWhiteSpace(Organizer) ? "An event needs an organizer mailbox."
        : End <= Start ? "The event must end after it starts."
        : !CalendarTimeZones.TryResolve(TimeZone, out _, out _) ? $"Unknown time zone '{TimeZone}'."
        : Attendees.Any(a => string.IsNullOrWhiteSpace(a.Email)) ? "An attendee has no email address."
        : null;
}

public sealed record CreatedEvent(string EventId, string? JoinUrl);

public sealed record CreateEventResult(string TransactionId, CreatedEvent? Event, CalendarFailure? Failure)
{
    public bool Succeeded => Event is not null;

    public static CreateEventResult Created(string transactionId, CreatedEvent created) => new(transactionId, created, null);

    public static CreateEventResult Failed(string transactionId, CalendarFailure failure) => new(transactionId, null, failure);
}

/// <summary>Reported after each round of creates, so a long "book all" can show progress.</summary>
public sealed record CreateEventsProgress(int Created, int Failed, int Total);

/// <summary>A reschedule: the new times and, when not null, the new attendee list (it replaces the old one).</summary>
public sealed record CalendarEventChange(
    string Organizer,
    string EventId,
    DateTimeOffset Start,
    DateTimeOffset End,
    string TimeZone,
    IReadOnlyList<EventAttendee>? Attendees = null);

public sealed record CalendarResult(CalendarFailure? Failure)
{
    public static CalendarResult Ok { get; } = new((CalendarFailure?)null);

    public bool Succeeded => Failure is null;
}

public enum CalendarFailureKind
{
    /// <summary>The app lacks a permission (or an access policy excludes the mailbox): only an admin can fix it.</summary>
    PermissionMissing,

    /// <summary>The app could not sign in to the calendar service (wrong tenant, client id or an expired secret): an admin must fix it.</summary>
    SignInFailed,

    /// <summary>Still throttled after every retry; trying again later will work.</summary>
    Throttled,

    /// <summary>The request was refused as wrong (bad times, unknown mailbox, bad address): retrying will not help.</summary>
    Invalid,

    /// <summary>The event is not there (deleted in Outlook, or already cancelled).</summary>
    NotFound,

    /// <summary>The service could not be reached or kept failing; trying again later may work.</summary>
    Unavailable,
}

/// <summary>
/// Why a calendar call failed. <see cref="Message"/> is plain English for an admin (it names the
/// permission to grant where that is the cause) and carries no stack trace, names or emails.
/// </summary>
public sealed record CalendarFailure(CalendarFailureKind Kind, string Message, string? Permission = null)
{
    public static CalendarFailure PermissionMissing(string permission, string operation) => new(
        CalendarFailureKind.PermissionMissing,
        $"Microsoft Graph refused to {operation}: the app registration needs the application permission {permission} " +
        "with admin consent, and no Exchange application access policy may exclude this mailbox.",
        permission);

    public static CalendarFailure SignInFailed() => new(
        CalendarFailureKind.SignInFailed,
        "The app could not sign in to Microsoft Graph: check Graph:TenantId, Graph:ClientId and Graph:ClientSecret " +
        "(client secrets expire) in the bot's settings.");

    public static CalendarFailure Throttled(string operation) => new(
        CalendarFailureKind.Throttled, $"Microsoft Graph kept throttling requests to {operation}; try again in a few minutes.");

    public static CalendarFailure Invalid(string message) => new(CalendarFailureKind.Invalid, message);

    public static CalendarFailure NotFound(string message) => new(CalendarFailureKind.NotFound, message);

    public static CalendarFailure Unavailable(string operation) => new(
        CalendarFailureKind.Unavailable, $"The calendar service could not be reached to {operation}; try again later.");
}
