using System.Net.Http.Headers;
using Azure.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.Calendar.GetSchedule;
using Microsoft.Graph.Users.Item.Events.Item.Cancel;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;

namespace SendPlans.Infrastructure.Calendars.Graph;

/// <summary>
/// Staff calendars in Exchange Online through Microsoft Graph, app-only.
/// <list type="bullet">
/// <item>Free/busy: getSchedule, up to <see cref="GraphOptions.SchedulesPerCall"/> mailboxes a call, in windows under 62 days.</item>
/// <item>Creates: $batch of up to 20, never more than the mailbox's free slots (4 by default) for one
/// organizer in a batch, batches sent one after another, so no mailbox has more than 4 requests in
/// flight. A sub-request answered 429/503/504 is resent in a later batch after its Retry-After; a
/// batch that fails as a whole (timeout, dropped connection, 5xx) is resent whole. Every resend
/// carries the same transactionId, so Exchange returns the first event rather than a second.</item>
/// <item>This class owns every retry: the HttpClient has the SDK's handlers but not its RetryHandler,
/// because sub-request 429s arrive inside a 200 and two retry layers would multiply requests.</item>
/// </list>
/// </summary>
public sealed class GraphCalendarProvider(GraphClients clients, IOptions<GraphOptions> options, TimeProvider time, ILogger<GraphCalendarProvider> logger)
    : ICalendarProvider
{
    /// <summary>Creating, moving and cancelling events in any mailbox (isOnlineMeeting needs nothing more).</summary>
    public const string EventsPermission = "Calendars.ReadWrite";

    /// <summary>getSchedule's least privileged application permission; Calendars.ReadWrite includes it.</summary>
    public const string SchedulePermission = "Calendars.Read";

    private static readonly TimeSpan ScheduleWindow = TimeSpan.FromDays(60);
    private static readonly TimeSpan CoalesceWindow = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly GraphOptions _options = options.Value;
    private readonly MailboxGate _gate = new(options.Value.MaxConcurrentRequestsPerMailbox);

    public async Task<IReadOnlyList<MailboxBusy>> GetBusyAsync(
        IReadOnlyList<string> mailboxes, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default)
    {
        if (end <= start)
        {
            throw new ArgumentException("The end must be after the start.", nameof(end));
        }
        var distinct = mailboxes.Where(m => !string.IsNullOrWhiteSpace(m)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var busy = distinct.ToDictionary(m => m, _ => new List<BusyInterval>(), StringComparer.OrdinalIgnoreCase);
        var failures = new Dictionary<string, CalendarFailure>(StringComparer.OrdinalIgnoreCase);
        var client = clients.Create();
        for (var from = start; from < end; from += ScheduleWindow)
        {
            var to = from + ScheduleWindow < end ? from + ScheduleWindow : end;
            var chunks = distinct.Where(m => !failures.ContainsKey(m)).Chunk(_options.SchedulesPerCall)
                .Select(chunk => ReadSchedulesAsync(client, chunk, from, to, cancellationToken));
            foreach (var (mailbox, intervals, failure) in (await Task.WhenAll(chunks)).SelectMany(r => r))
            {
                if (failure is not null)
                {
                    failures.TryAdd(mailbox, failure);
                }
                else if (busy.TryGetValue(mailbox, out var list))
                {
                    list.AddRange(intervals);
                }
            }
        }
        return [.. mailboxes.Select(m => Result(m))];

        MailboxBusy Result(string mailbox) =>
            string.IsNullOrWhiteSpace(mailbox) ? new MailboxBusy(mailbox, [], CalendarFailure.Invalid("A mailbox address is empty."))
            : failures.TryGetValue(mailbox, out var failure) ? new MailboxBusy(mailbox, [], failure)
            : new MailboxBusy(mailbox, Merge(busy[mailbox]));
    }

    private async Task<List<(string Mailbox, List<BusyInterval> Busy, CalendarFailure? Failure)>> ReadSchedulesAsync(
        GraphServiceClient client, string[] chunk, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var found = new List<(string, List<BusyInterval>, CalendarFailure?)>();
        var remaining = chunk.ToList();
        while (remaining.Count > 0)
        {
            // App-only calls name a mailbox in the URL; any of the ones asked about will do.
            var urlMailbox = remaining[0];
            // A fresh body per attempt: the SDK's backing store writes only changed values the second time.
            var outcome = await SendAsync(urlMailbox, "read free/busy", SchedulePermission,
                ct => client.Users[urlMailbox].Calendar.GetSchedule.PostAsGetSchedulePostResponseAsync(new GetSchedulePostRequestBody
                {
                    Schedules = [.. remaining],
                    StartTime = GraphEvents.Utc(from),
                    EndTime = GraphEvents.Utc(to),
                    AvailabilityViewInterval = 15,
                }, cancellationToken: ct), cancellationToken);
            if (outcome.Failure is { Kind: CalendarFailureKind.NotFound })
            {
                found.Add((urlMailbox, [], CalendarFailure.Invalid("This mailbox was not found in Exchange Online.")));
                remaining.RemoveAt(0);
                continue;
            }
            if (outcome.Failure is not null)
            {
                found.AddRange(remaining.Select(m => (m, new List<BusyInterval>(), (CalendarFailure?)outcome.Failure)));
                return found;
            }
            var schedules = outcome.Value?.Value ?? [];
            for (var i = 0; i < remaining.Count; i++)
            {
                var mailbox = remaining[i];
                var info = schedules.FirstOrDefault(s => string.Equals(s.ScheduleId, mailbox, StringComparison.OrdinalIgnoreCase))
                    ?? (i < schedules.Count && schedules[i].ScheduleId is null ? schedules[i] : null);
                if (info is null)
                {
                    found.Add((mailbox, [], CalendarFailure.Unavailable("read free/busy")));
                }
                else if (info.Error is { } error)
                {
                    found.Add((mailbox, [], CalendarFailure.Invalid($"Microsoft Graph could not read this mailbox's free/busy ({error.ResponseCode ?? "no code"}).")));
                }
                else
                {
                    found.Add((mailbox, [.. (info.ScheduleItems ?? []).Where(IsBusy).Select(item => new BusyInterval(GraphEvents.ToUtc(item.Start!), GraphEvents.ToUtc(item.End!)))], null));
                }
            }
            return found;
        }
        return found;
    }

    private static bool IsBusy(ScheduleItem item) =>
        item.Start is not null && item.End is not null
        && item.Status is FreeBusyStatus.Busy or FreeBusyStatus.Tentative or FreeBusyStatus.Oof or FreeBusyStatus.WorkingElsewhere;

    private static List<BusyInterval> Merge(List<BusyInterval> intervals)
    {
        var merged = new List<BusyInterval>();
        foreach (var next in intervals.Where(i => i.End > i.Start).OrderBy(i => i.Start))
        {
            if (merged.Count > 0 && next.Start <= merged[^1].End)
            {
                var last = merged[^1];
                merged[^1] = last with { End = next.End > last.End ? next.End : last.End };
            }
            else
            {
                merged.Add(next);
            }
        }
        return merged;
    }

    public async Task<IReadOnlyList<CreateEventResult>> CreateEventsAsync(
        IReadOnlyList<NewCalendarEvent> events, IProgress<CreateEventsProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var results = new CreateEventResult?[events.Count];
        var pending = new List<PendingCreate>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            var problem = events[i].Problem();
            if (problem is null && !seen.Add($"{events[i].Organizer.Trim().ToLowerInvariant()}\n{events[i].TransactionId}"))
            {
                problem = "The same transaction id appears twice for one organizer in one call.";
            }
            if (problem is not null)
            {
                results[i] = CreateEventResult.Failed(events[i].TransactionId ?? "", CalendarFailure.Invalid(problem));
            }
            else
            {
                pending.Add(new PendingCreate(i, events[i]));
            }
        }

        var client = clients.Create();
        var batches = 0;
        while (pending.Count > 0)
        {
            var now = time.GetUtcNow();
            var ready = pending.Where(p => p.NotBefore <= now).OrderBy(p => p.Attempts == 0).ThenBy(p => p.Index).ToList();
            var waiting = pending.Where(p => p.NotBefore > now).ToList();
            var plan = BatchPlanner.Plan(ready, p => p.Organizer, _options.MaxBatchSize, m => _gate.PerMailbox - _gate.InFlight(m));
            if (waiting.Count > 0 && plan.Count < _options.MaxBatchSize)
            {
                // Throttled requests go out together after the longest Retry-After, not one small batch each.
                var resume = waiting.Max(p => p.NotBefore);
                if (resume - now > CoalesceWindow)
                {
                    resume = plan.Count == 0 ? waiting.Min(p => p.NotBefore) : now;
                }
                if (resume > now)
                {
                    await Task.Delay(resume - now, time, cancellationToken);
                    continue;
                }
            }

            var batch = new List<PendingCreate>();
            foreach (var p in plan)
            {
                if (_gate.TryEnter(p.Organizer))
                {
                    batch.Add(p);
                }
            }
            if (batch.Count == 0)
            {
                // Other work holds every slot of these mailboxes: wait for one.
                await _gate.EnterAsync(ready[0].Organizer, cancellationToken);
                batch.Add(ready[0]);
            }

            batches++;
            await SendBatchAsync(client, batch, results, pending, cancellationToken);
            progress?.Report(new CreateEventsProgress(
                results.Count(r => r is { Succeeded: true }), results.Count(r => r is { Succeeded: false }), events.Count));
        }

        var final = results.Select(r => r!).ToList();
        Log.CreateFinished(logger, final.Count(r => r.Succeeded), final.Count, final.Count(r => !r.Succeeded), batches);
        return final;
    }

    private async Task SendBatchAsync(
        GraphServiceClient client, List<PendingCreate> batch, CreateEventResult?[] results, List<PendingCreate> pending, CancellationToken cancellationToken)
    {
        Dictionary<string, HttpResponseMessage> responses;
        var ids = new Dictionary<string, PendingCreate>();
        foreach (var p in batch)
        {
            p.Attempts++;
        }
        try
        {
            using var timeout = new CancellationTokenSource(_options.AttemptTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            var content = new BatchRequestContentCollection(client);
            foreach (var p in batch)
            {
                var id = (ids.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                ids[id] = p;
                var request = client.Users[p.Organizer].Events.ToPostRequestInformation(GraphEvents.ToGraph(p.Event));
                await content.AddBatchRequestStepAsync(request, id);
            }
            var response = await client.Batch.PostAsync(content, linked.Token);
            var statuses = await response.GetResponsesStatusCodesAsync().WaitAsync(linked.Token);
            responses = [];
            foreach (var id in statuses.Keys)
            {
                responses[id] = await response.GetResponseByIdAsync(id);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Interpret(e, "create events", EventsPermission) is { } failed)
        {
            var delay = failed.Retry ? failed.RetryAfter ?? Backoff(batch[0].Attempts) : TimeSpan.Zero;
            if (failed.Retry)
            {
                Log.BatchFailed(logger, batch.Count, failed.Reason, delay);
            }
            var now = time.GetUtcNow();
            // A sign-in or permission refusal of the whole batch holds for every event still to go.
            var affected = failed.Failure.Kind is CalendarFailureKind.SignInFailed or CalendarFailureKind.PermissionMissing ? [.. pending] : batch;
            foreach (var p in affected)
            {
                if (!failed.Retry || p.Attempts >= _options.MaxAttempts)
                {
                    Finish(p, CreateEventResult.Failed(p.Event.TransactionId, failed.Failure));
                }
                else
                {
                    p.NotBefore = now + delay;
                }
            }
            return;
        }
        finally
        {
            foreach (var p in batch)
            {
                _gate.Release(p.Organizer);
            }
        }

        int created = 0, retrying = 0, failedCount = 0;
        var at = time.GetUtcNow();
        foreach (var (id, p) in ids)
        {
            if (!responses.TryGetValue(id, out var response))
            {
                Retry(p, CalendarFailure.Unavailable("create events"), Backoff(p.Attempts));
                continue;
            }
            using (response)
            {
                var status = (int)response.StatusCode;
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                if (status is >= 200 and < 300)
                {
                    var graphEvent = await KiotaJsonSerializer.DeserializeAsync(text, Event.CreateFromDiscriminatorValue, cancellationToken);
                    if (graphEvent?.Id is { } eventId)
                    {
                        created++;
                        Finish(p, CreateEventResult.Created(p.Event.TransactionId, new CreatedEvent(eventId, graphEvent.OnlineMeeting?.JoinUrl)));
                    }
                    else
                    {
                        Retry(p, CalendarFailure.Unavailable("create events"), Backoff(p.Attempts));
                    }
                    continue;
                }
                var (failure, retry) = Classify(status, ErrorCode(text), "create events", EventsPermission);
                if (retry)
                {
                    Retry(p, failure, RetryAfter(response.Headers, at) ?? Backoff(p.Attempts));
                }
                else
                {
                    failedCount++;
                    Finish(p, CreateEventResult.Failed(p.Event.TransactionId, failure));
                }
            }
        }
        Log.BatchSent(logger, batch.Count, created, retrying, failedCount);

        void Retry(PendingCreate p, CalendarFailure failure, TimeSpan delay)
        {
            if (p.Attempts >= _options.MaxAttempts)
            {
                failedCount++;
                Finish(p, CreateEventResult.Failed(p.Event.TransactionId, failure));
                return;
            }
            retrying++;
            p.NotBefore = at + delay;
        }

        void Finish(PendingCreate p, CreateEventResult result)
        {
            results[p.Index] = result;
            pending.Remove(p);
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
        var client = clients.Create();
        var outcome = await SendAsync(change.Organizer, "update an event", EventsPermission,
            ct => client.Users[change.Organizer].Events[change.EventId].PatchAsync(GraphEvents.ToGraph(change), cancellationToken: ct), cancellationToken);
        return new CalendarResult(outcome.Failure);
    }

    public async Task<CalendarResult> CancelEventAsync(string organizer, string eventId, string comment, CancellationToken cancellationToken = default)
    {
        var client = clients.Create();
        var outcome = await SendAsync(organizer, "cancel an event", EventsPermission, async ct =>
        {
            await client.Users[organizer].Events[eventId].Cancel.PostAsync(new CancelPostRequestBody { Comment = comment }, cancellationToken: ct);
            return true;
        }, cancellationToken);
        // An earlier attempt whose answer was lost may have cancelled it already.
        return outcome.Failure is { Kind: CalendarFailureKind.NotFound } && outcome.EarlierAttemptUnanswered
            ? CalendarResult.Ok
            : new CalendarResult(outcome.Failure);
    }

    /// <summary>One request with the mailbox's concurrency slot held, resent on throttling and transient faults.</summary>
    private async Task<Outcome<T>> SendAsync<T>(
        string mailbox, string operation, string permission, Func<CancellationToken, Task<T>> send, CancellationToken cancellationToken)
    {
        var unanswered = false;
        for (var attempt = 1; ; attempt++)
        {
            CalendarFailure failure;
            TimeSpan delay;
            await _gate.EnterAsync(mailbox, cancellationToken);
            try
            {
                using var timeout = new CancellationTokenSource(_options.AttemptTimeout, time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
                return new Outcome<T>(await send(linked.Token), null, unanswered);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && Interpret(e, operation, permission) is { } failed)
            {
                if (!failed.Retry)
                {
                    return new Outcome<T>(default, failed.Failure, unanswered);
                }
                unanswered |= failed.Unanswered;
                failure = failed.Failure;
                delay = failed.RetryAfter ?? Backoff(attempt);
                Log.RequestFailed(logger, operation, failed.Reason, attempt, _options.MaxAttempts);
            }
            finally
            {
                _gate.Release(mailbox);
            }
            if (attempt >= _options.MaxAttempts)
            {
                return new Outcome<T>(default, failure, unanswered);
            }
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    /// <summary>What an exception from a whole request means: the failure to report and whether to send it again.</summary>
    private RequestFailure? Interpret(Exception e, string operation, string permission)
    {
        switch (e)
        {
            case AuthenticationFailedException or CredentialUnavailableException:
                Log.SignInFailed(logger, e.GetType().Name);
                return new RequestFailure(CalendarFailure.SignInFailed(), false, null, "sign-in failed", false);
            case ApiException api when api.ResponseStatusCode > 0:
                var (failure, retry) = Classify(api.ResponseStatusCode, ErrorCode(api), operation, permission);
                return new RequestFailure(failure, retry, RetryAfter(api), $"HTTP {api.ResponseStatusCode}", false);
            case HttpRequestException or IOException or ClientException:
                return new RequestFailure(CalendarFailure.Unavailable(operation), true, null, e.GetType().Name, true);
            case OperationCanceledException:
                return new RequestFailure(CalendarFailure.Unavailable(operation), true, null, "timed out", true);
            default:
                return null;
        }
    }

    private (CalendarFailure Failure, bool Retry) Classify(int status, string code, string operation, string permission)
    {
        switch (status)
        {
            case 401 or 403:
                Log.PermissionMissing(logger, operation, status, permission);
                return (CalendarFailure.PermissionMissing(permission, operation), false);
            case 404:
                Log.Refused(logger, operation, status, code);
                return (CalendarFailure.NotFound($"Microsoft Graph could not {operation}: the event or mailbox was not found ({code})."), false);
            case 429:
                return (CalendarFailure.Throttled(operation), true);
            case 409 or 412 or 500 or 502 or 503 or 504:
                return (CalendarFailure.Unavailable(operation), true);
            default:
                Log.Refused(logger, operation, status, code);
                return (CalendarFailure.Invalid($"Microsoft Graph refused to {operation} (HTTP {status}, {code})."), false);
        }
    }

    private static string ErrorCode(ApiException e) => e switch
    {
        ODataError { Error.Code: { } code } => code,
        ServiceException { RawResponseBody: { } body } => ErrorCode(body),
        _ => "no code",
    };

    private static string ErrorCode(string body)
    {
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("error", out var error) && error.TryGetProperty("code", out var code)
                ? code.GetString() ?? "no code"
                : "no code";
        }
        catch (System.Text.Json.JsonException)
        {
            return "no code";
        }
    }

    private TimeSpan? RetryAfter(ApiException e)
    {
        if (e is ServiceException { ResponseHeaders: { } headers })
        {
            return RetryAfter(headers, time.GetUtcNow());
        }
        return e.ResponseHeaders.TryGetValue("Retry-After", out var values) && values.FirstOrDefault() is { } value
            && RetryConditionHeaderValue.TryParse(value, out var parsed)
            ? FromHeader(parsed, time.GetUtcNow())
            : null;
    }

    private static TimeSpan? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now) =>
        headers.RetryAfter is { } value ? FromHeader(value, now) : null;

    private static TimeSpan? FromHeader(RetryConditionHeaderValue value, DateTimeOffset now) =>
        value.Delta is { } delta ? delta
        : value.Date is { } date ? (date > now ? date - now : TimeSpan.Zero)
        : null;

    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Max(0, attempt - 1)), MaxBackoff.TotalSeconds));


    private sealed class PendingCreate(int index, NewCalendarEvent e)
    {
        public int Index { get; } = index;
        public NewCalendarEvent Event { get; } = e;
        public string Organizer => Event.Organizer;
        public int Attempts { get; set; }
        public DateTimeOffset NotBefore { get; set; }
    }

    private sealed record RequestFailure(CalendarFailure Failure, bool Retry, TimeSpan? RetryAfter, string Reason, bool Unanswered);

    private readonly record struct Outcome<T>(T? Value, CalendarFailure? Failure, bool EarlierAttemptUnanswered);
}
