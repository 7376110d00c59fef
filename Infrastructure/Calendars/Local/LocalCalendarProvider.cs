using System.Globalization;
using System.Net;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Infrastructure.Calendars.Local;

/// <summary>
/// Calendars kept in Azure Tables, for running without a Microsoft 365 tenant. Each mailbox is a
/// partition of busy blocks (seeded ones and one per event it is in); events live in their
/// organizer's partition under an id derived from the transaction id, so creating the same event
/// twice finds the first. Invitations go to the outbox instead of Exchange, and the join link
/// is a page of the bot's own.
/// </summary>
public sealed class LocalCalendarProvider(TableStorage storage, LocalOutbox outbox, IOptions<CalendarOptions> options, TimeProvider time, ILogger<LocalCalendarProvider> logger)
    : ICalendarProvider
{
    public const string EventsTable = "CalendarEvents";
    public const string BusyTable = "CalendarBusy";

    private const string EventBusyPrefix = "event-";
    private const string SeededBusyPrefix = "busy-";
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    private readonly string _publicBaseUrl = options.Value.PublicBaseUrl.TrimEnd('/');

    /// <summary>Adds busy blocks to a mailbox (a demo school's timetable, say). Seeding the same block twice keeps one.</summary>
    public async Task SeedBusyAsync(string mailbox, IEnumerable<BusyInterval> busy, CancellationToken cancellationToken = default)
    {
        var table = await storage.GetTableAsync(BusyTable, cancellationToken);
        var partition = MailboxKey(mailbox);
        var rows = busy.Select(b => new TableEntity(partition, $"{SeededBusyPrefix}{b.Start.UtcTicks:D19}-{b.End.UtcTicks:D19}")
        {
            ["Start"] = b.Start.ToUniversalTime(),
            ["End"] = b.End.ToUniversalTime(),
        });
        foreach (var chunk in rows.Chunk(100))
        {
            // A transaction is one partition and at most 100 rows: the table service's limits.
            await table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), cancellationToken);
        }
    }

    public async Task<IReadOnlyList<MailboxBusy>> GetBusyAsync(
        IReadOnlyList<string> mailboxes, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default)
    {
        if (end <= start)
        {
            throw new ArgumentException("The end must be after the start.", nameof(end));
        }
        TableClient table;
        try
        {
            table = await storage.GetTableAsync(BusyTable, cancellationToken);
        }
        catch (Exception e) when (IsStorageFault(e))
        {
            return [.. mailboxes.Select(m => new MailboxBusy(m, [], CalendarFailure.Unavailable("read free/busy")))];
        }
        var results = await Task.WhenAll(mailboxes.Select(async mailbox =>
        {
            if (string.IsNullOrWhiteSpace(mailbox))
            {
                return new MailboxBusy(mailbox, [], CalendarFailure.Invalid("A mailbox address is empty."));
            }
            try
            {
                var filter = TableClient.CreateQueryFilter($"PartitionKey eq {MailboxKey(mailbox)} and Start lt {end.ToUniversalTime()} and End gt {start.ToUniversalTime()}");
                var busy = new List<BusyInterval>();
                await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["Start", "End"], cancellationToken: cancellationToken))
                {
                    busy.Add(new BusyInterval(row.GetDateTimeOffset("Start")!.Value, row.GetDateTimeOffset("End")!.Value));
                }
                return new MailboxBusy(mailbox, Merge(busy));
            }
            catch (Exception e) when (IsStorageFault(e))
            {
                return new MailboxBusy(mailbox, [], CalendarFailure.Unavailable("read free/busy"));
            }
        }));
        return results;
    }

    public async Task<IReadOnlyList<CreateEventResult>> CreateEventsAsync(
        IReadOnlyList<NewCalendarEvent> events, IProgress<CreateEventsProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var results = new CreateEventResult[events.Count];
        int created = 0, failed = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, events.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            results[i] = await CreateOneAsync(events[i], ct);
            if (results[i].Succeeded) Interlocked.Increment(ref created);
            else Interlocked.Increment(ref failed);
            progress?.Report(new CreateEventsProgress(Volatile.Read(ref created), Volatile.Read(ref failed), events.Count));
        });
        return results;
    }

    private async Task<CreateEventResult> CreateOneAsync(NewCalendarEvent e, CancellationToken cancellationToken)
    {
        var problem = e.Problem();
        if (problem is not null)
        {
            return CreateEventResult.Failed(e.TransactionId ?? "", CalendarFailure.Invalid(problem));
        }
        var eventId = EventId(e.Organizer, e.TransactionId);
        try
        {
            var table = await storage.GetTableAsync(EventsTable, cancellationToken);
            var row = new TableEntity(MailboxKey(e.Organizer), eventId)
            {
                ["Organizer"] = e.Organizer.Trim(),
                ["TransactionId"] = e.TransactionId,
                ["Subject"] = e.Subject,
                ["HtmlBody"] = e.HtmlBody,
                ["Start"] = e.Start.ToUniversalTime(),
                ["End"] = e.End.ToUniversalTime(),
                ["TimeZone"] = e.TimeZone,
                ["Attendees"] = JsonSerializer.Serialize(e.Attendees.Select(a => new StoredAttendee(a.Email.Trim(), a.Name, a.Required)).ToList(), LocalJsonContext.Default.ListStoredAttendee),
                ["Location"] = e.Location,
                ["OnlineMeeting"] = e.OnlineMeeting,
                ["JoinUrl"] = e.OnlineMeeting ? JoinUrl(eventId) : null,
                ["Cancelled"] = false,
                ["CreatedAt"] = time.GetUtcNow(),
            };
            try
            {
                await table.AddEntityAsync(row, cancellationToken);
                Log.LocalEvent(logger, eventId, "created");
            }
            catch (RequestFailedException conflict) when (conflict.IsConflict())
            {
                // Created before (a retry): finish what that attempt may not have, from the stored row.
                row = (await table.GetEntityAsync<TableEntity>(row.PartitionKey, eventId, cancellationToken: cancellationToken)).Value;
                Log.LocalEvent(logger, eventId, "already existed");
            }
            var stored = StoredEvent.From(row);
            if (!stored.Cancelled)
            {
                await WriteBusyAsync(stored, stored.Attendees, cancellationToken);
                foreach (var attendee in stored.Attendees)
                {
                    await outbox.AddAsync(attendee.Email, attendee.Name, stored.Subject, InviteBody(stored), $"{eventId}-invite", eventId, cancellationToken);
                }
            }
            return CreateEventResult.Created(e.TransactionId, new CreatedEvent(eventId, stored.JoinUrl));
        }
        catch (Exception ex) when (IsStorageFault(ex))
        {
            return CreateEventResult.Failed(e.TransactionId, CalendarFailure.Unavailable("create events"));
        }
    }

    public async Task<CalendarResult> UpdateEventAsync(CalendarEventChange change, CancellationToken cancellationToken = default)
    {
        if (change.End <= change.Start)
        {
            return new CalendarResult(CalendarFailure.Invalid("The event must end after it starts."));
        }
        if (!CalendarTimeZones.TryResolve(change.TimeZone, out _, out _))
        {
            return new CalendarResult(CalendarFailure.Invalid($"Unknown time zone '{change.TimeZone}'."));
        }
        try
        {
            var table = await storage.GetTableAsync(EventsTable, cancellationToken);
            var found = await table.GetEntityIfExistsAsync<TableEntity>(MailboxKey(change.Organizer), change.EventId, cancellationToken: cancellationToken);
            if (!found.HasValue || StoredEvent.From(found.Value!).Cancelled)
            {
                return new CalendarResult(CalendarFailure.NotFound("The event was not found; it may have been cancelled."));
            }
            var row = found.Value!;
            var before = StoredEvent.From(row);
            row["Start"] = change.Start.ToUniversalTime();
            row["End"] = change.End.ToUniversalTime();
            row["TimeZone"] = change.TimeZone;
            if (change.Attendees is not null)
            {
                row["Attendees"] = JsonSerializer.Serialize(change.Attendees.Select(a => new StoredAttendee(a.Email.Trim(), a.Name, a.Required)).ToList(), LocalJsonContext.Default.ListStoredAttendee);
            }
            await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            var after = StoredEvent.From(row);

            var removed = before.Attendees.Where(a => !after.Attendees.Any(n => SameMailbox(n.Email, a.Email))).ToList();
            await DeleteBusyAsync(before.EventId, removed.Select(a => a.Email), cancellationToken);
            await WriteBusyAsync(after, after.Attendees, cancellationToken);
            // Keyed by the new times, so a retried identical update sends nothing twice.
            var version = TableKeys.Hash($"{after.Start.UtcTicks}|{after.End.UtcTicks}|{string.Join(',', after.Attendees.Select(a => a.Email))}")[..12];
            foreach (var attendee in after.Attendees)
            {
                await outbox.AddAsync(attendee.Email, attendee.Name, $"Updated: {after.Subject}", UpdateBody(after), $"{after.EventId}-update-{version}", after.EventId, cancellationToken);
            }
            foreach (var attendee in removed)
            {
                await outbox.AddAsync(attendee.Email, attendee.Name, $"Cancelled: {after.Subject}", CancelBody(before, null), $"{after.EventId}-cancel", after.EventId, cancellationToken);
            }
            Log.LocalEvent(logger, after.EventId, "moved");
            return CalendarResult.Ok;
        }
        catch (RequestFailedException e) when (e.IsPreconditionFailed())
        {
            return new CalendarResult(CalendarFailure.Unavailable("update an event"));
        }
        catch (Exception e) when (IsStorageFault(e))
        {
            return new CalendarResult(CalendarFailure.Unavailable("update an event"));
        }
    }

    public async Task<CalendarResult> CancelEventAsync(string organizer, string eventId, string comment, CancellationToken cancellationToken = default)
    {
        try
        {
            var table = await storage.GetTableAsync(EventsTable, cancellationToken);
            var found = await table.GetEntityIfExistsAsync<TableEntity>(MailboxKey(organizer), eventId, cancellationToken: cancellationToken);
            if (!found.HasValue || StoredEvent.From(found.Value!).Cancelled)
            {
                // As in Exchange, where a cancelled event is gone from the organizer's calendar.
                return new CalendarResult(CalendarFailure.NotFound("The event was not found; it may have been cancelled already."));
            }
            var row = found.Value!;
            row["Cancelled"] = true;
            row["CancelComment"] = comment;
            row["CancelledAt"] = time.GetUtcNow();
            await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            var stored = StoredEvent.From(row);
            await DeleteBusyAsync(eventId, stored.Attendees.Select(a => a.Email).Prepend(stored.Organizer), cancellationToken);
            foreach (var attendee in stored.Attendees)
            {
                await outbox.AddAsync(attendee.Email, attendee.Name, $"Cancelled: {stored.Subject}", CancelBody(stored, comment), $"{eventId}-cancel", eventId, cancellationToken);
            }
            Log.LocalEvent(logger, eventId, "cancelled");
            return CalendarResult.Ok;
        }
        catch (Exception e) when (IsStorageFault(e))
        {
            return new CalendarResult(CalendarFailure.Unavailable("cancel an event"));
        }
    }

    /// <summary>A stored event, for the local join page and for tests; null when there is none.</summary>
    public async Task<LocalCalendarEvent?> FindEventAsync(string organizer, string eventId, CancellationToken cancellationToken = default)
    {
        var table = await storage.GetTableAsync(EventsTable, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(MailboxKey(organizer), eventId, cancellationToken: cancellationToken);
        return found.HasValue ? StoredEvent.From(found.Value!).ToPublic() : null;
    }

    /// <summary>A stored event found by its id alone, for the local join page; null when there is none.</summary>
    public async Task<LocalCalendarEvent?> FindEventByIdAsync(string eventId, CancellationToken cancellationToken = default)
    {
        var table = await storage.GetTableAsync(EventsTable, cancellationToken);
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {eventId}"), maxPerPage: 1, cancellationToken: cancellationToken))
        {
            return StoredEvent.From(row).ToPublic();
        }
        return null;
    }

    /// <summary>Every stored event of an organizer, cancelled ones included.</summary>
    public async Task<IReadOnlyList<LocalCalendarEvent>> ListEventsAsync(string organizer, CancellationToken cancellationToken = default)
    {
        var table = await storage.GetTableAsync(EventsTable, cancellationToken);
        var events = new List<LocalCalendarEvent>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {MailboxKey(organizer)}"), cancellationToken: cancellationToken))
        {
            events.Add(StoredEvent.From(row).ToPublic());
        }
        return events;
    }

    private async Task WriteBusyAsync(StoredEvent e, IEnumerable<StoredAttendee> attendees, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(BusyTable, cancellationToken);
        foreach (var mailbox in attendees.Select(a => a.Email).Prepend(e.Organizer).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            await table.UpsertEntityAsync(new TableEntity(MailboxKey(mailbox), EventBusyPrefix + e.EventId)
            {
                ["Start"] = e.Start,
                ["End"] = e.End,
                ["EventId"] = e.EventId,
            }, TableUpdateMode.Replace, cancellationToken);
        }
    }

    private async Task DeleteBusyAsync(string eventId, IEnumerable<string> mailboxes, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(BusyTable, cancellationToken);
        foreach (var mailbox in mailboxes)
        {
            await table.DeleteEntityAsync(MailboxKey(mailbox), EventBusyPrefix + eventId, ETag.All, cancellationToken);
        }
    }

    private string JoinUrl(string eventId) => $"{_publicBaseUrl}/meet/{eventId}";

    private static string InviteBody(StoredEvent e) =>
        $"<p><strong>{WebUtility.HtmlEncode(e.Subject)}</strong></p><p>{WebUtility.HtmlEncode(When(e))}</p>" +
        (e.JoinUrl is null ? "" : $"<p><a href=\"{WebUtility.HtmlEncode(e.JoinUrl)}\">Join the meeting</a></p>") +
        e.HtmlBody;

    private static string UpdateBody(StoredEvent e) =>
        $"<p>This meeting has moved.</p>{InviteBody(e)}";

    private static string CancelBody(StoredEvent e, string? comment) =>
        $"<p>This meeting has been cancelled: <strong>{WebUtility.HtmlEncode(e.Subject)}</strong>, {WebUtility.HtmlEncode(When(e))}.</p>" +
        (string.IsNullOrWhiteSpace(comment) ? "" : $"<p>{WebUtility.HtmlEncode(comment)}</p>");

    private static string When(StoredEvent e)
    {
        var zone = CalendarTimeZones.TryResolve(e.TimeZone, out var found, out _) ? found : TimeZoneInfo.Utc;
        var start = TimeZoneInfo.ConvertTime(e.Start, zone);
        var end = TimeZoneInfo.ConvertTime(e.End, zone);
        return $"{start.ToString("dddd d MMMM yyyy, HH:mm", English)} to {end.ToString("HH:mm", English)} ({e.TimeZone})";
    }


    private static List<BusyInterval> Merge(List<BusyInterval> intervals)
    {
        var merged = new List<BusyInterval>();
        foreach (var next in intervals.OrderBy(i => i.Start))
        {
            if (merged.Count > 0 && next.Start <= merged[^1].End)
            {
                merged[^1] = merged[^1] with { End = next.End > merged[^1].End ? next.End : merged[^1].End };
            }
            else
            {
                merged.Add(next);
            }
        }
        return merged;
    }

    private static bool IsStorageFault(Exception e) => e is RequestFailedException or HttpRequestException or AggregateException;

    private static bool SameMailbox(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    internal static string MailboxKey(string mailbox) => TableKeys.Hash(mailbox.Trim().ToLowerInvariant());

    /// <summary>Derived from organizer and transaction id: the same event asked for twice has one id, and one row.</summary>
    internal static string EventId(string organizer, string transactionId) =>
        "local" + TableKeys.Hash($"{organizer.Trim().ToLowerInvariant()}\n{transactionId}");

    private sealed record StoredEvent(
        string EventId, string Organizer, string TransactionId, string Subject, string HtmlBody, DateTimeOffset Start, DateTimeOffset End,
        string TimeZone, List<StoredAttendee> Attendees, string? Location, string? JoinUrl, bool Cancelled)
    {
        public static StoredEvent From(TableEntity row) => new(
            row.RowKey,
            row.GetString("Organizer"),
            row.GetString("TransactionId"),
            row.GetString("Subject") ?? "",
            row.GetString("HtmlBody") ?? "",
            row.GetDateTimeOffset("Start")!.Value,
            row.GetDateTimeOffset("End")!.Value,
            row.GetString("TimeZone") ?? "UTC",
            JsonSerializer.Deserialize(row.GetString("Attendees") ?? "[]", LocalJsonContext.Default.ListStoredAttendee) ?? [],
            row.GetString("Location"),
            row.GetString("JoinUrl"),
            row.GetBoolean("Cancelled") ?? false);

        public LocalCalendarEvent ToPublic() => new(
            EventId, Organizer, TransactionId, Subject, HtmlBody, Start, End, TimeZone,
            [.. Attendees.Select(a => new EventAttendee(a.Email, a.Name, a.Required))], Location, JoinUrl, Cancelled);
    }
}

/// <summary>An event as the Local provider keeps it.</summary>
public sealed record LocalCalendarEvent(
    string EventId, string Organizer, string TransactionId, string Subject, string HtmlBody, DateTimeOffset Start, DateTimeOffset End,
    string TimeZone, IReadOnlyList<EventAttendee> Attendees, string? Location, string? JoinUrl, bool Cancelled);

internal sealed record StoredAttendee(string Email, string Name, bool Required);

[System.Text.Json.Serialization.JsonSerializable(typeof(List<StoredAttendee>))]
internal sealed partial class LocalJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
