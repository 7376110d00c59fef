using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SendPlans.Infrastructure.Calendars;

namespace SendPlans.Tests.Support;

/// <summary>
/// Plays Microsoft Graph's calendar endpoints on a loopback port, speaking Graph's JSON:
/// getSchedule, events (create with transactionId dedupe, get, update, cancel) and $batch with
/// Exchange's limit of 4 concurrent requests per mailbox. Faults can be injected (latency, 429s
/// with Retry-After on a share of sub-requests, 503s, dropped connections, stalls, 401/403 per
/// mailbox) and every request is counted, so tests can prove how many calls a run cost and that
/// nothing was created twice. Shared with the Graph benchmark (linked, not copied).
/// </summary>
public sealed class FakeGraph : IAsyncDisposable
{
    public const int MailboxConcurrencyLimit = 4;
    public const int MaxBatchRequests = 20;

    /// <summary>
    /// The calendar services with the Graph provider pointed at a fake Graph at
    /// <paramref name="baseUrl"/> and a fixed token: what the tests and benches build to talk to
    /// it. Callers may add to the collection (logging, a clock, options) before building it.
    /// </summary>
    public static ServiceCollection CalendarServices(string baseUrl, string token, string provider = "Graph")
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Calendar:Provider"] = provider,
            ["Graph:TenantId"] = "tenant",
            ["Graph:ClientId"] = "client",
            ["Graph:ClientSecret"] = "secret",
            ["Graph:BaseUrl"] = baseUrl,
        }).Build());
        services.AddLogging();
        services.AddKeyedSingleton<Azure.Core.TokenCredential>(Infrastructure.Calendars.Graph.GraphClients.CredentialKey, new StaticTokenCredential(token));
        services.AddSingleton(new Infrastructure.Storage.TableStorage(Microsoft.Extensions.Options.Options.Create(new Infrastructure.Storage.StorageOptions())));
        services.AddCalendars();
        return services;
    }

    private readonly ConcurrentDictionary<string, Mailbox> _mailboxes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _inFlight = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _maxInFlight = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _denied = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _unknown = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _createPosts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(int Status, int? RetryAfter)> _scriptedFailures = new();
    private readonly object _randomLock = new();
    private Random _random = new(20240901);
    private LocalServer _server = null!;
    private int _requests, _batches, _subRequests, _scheduleCalls, _injectedThrottles, _injectedUnavailable, _concurrencyRejections;
    private int _dropsLeft, _stallsLeft, _dropped, _stalled, _eventIds, _throttleNext, _faultSkip;
    private TimeSpan _stall;
    private readonly ConcurrentQueue<(DateTimeOffset At, int SubRequests)> _batchLog = new();

    public static async Task<FakeGraph> StartAsync()
    {
        var fake = new FakeGraph();
        fake._server = await LocalServer.StartAsync(app => app.Map("/v1.0/{**path}", (Delegate)fake.HandleAsync));
        return fake;
    }

    /// <summary>The Graph base URL to configure (Graph:BaseUrl).</summary>
    public string BaseUrl => _server.Url + "/v1.0";

    /// <summary>When set, a request without "Authorization: Bearer {ExpectedToken}" gets 401.</summary>
    public string? ExpectedToken { get; set; }

    /// <summary>Added to every HTTP request before it is handled.</summary>
    public TimeSpan RequestLatency { get; set; }

    /// <summary>Added to every sub-request of a batch (they run concurrently, as in Graph).</summary>
    public TimeSpan SubRequestLatency { get; set; }

    /// <summary>The share (0 to 1) of sub-requests answered 429 with Retry-After, without being applied.</summary>
    public double ThrottleShare { get; set; }

    /// <summary>The share (0 to 1) of sub-requests answered 503, without being applied.</summary>
    public double UnavailableShare { get; set; }

    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>As Exchange does; switch off to show what a client without transaction ids would cause.</summary>
    public bool HonourTransactionId { get; set; } = true;

    public int Requests => Volatile.Read(ref _requests);
    public int Batches => Volatile.Read(ref _batches);
    public int SubRequests => Volatile.Read(ref _subRequests);
    public int ScheduleCalls => Volatile.Read(ref _scheduleCalls);
    public int InjectedThrottles => Volatile.Read(ref _injectedThrottles);
    public int InjectedUnavailable => Volatile.Read(ref _injectedUnavailable);

    /// <summary>Sub-requests refused because a 5th ran at once against one mailbox: a well-behaved client causes none.</summary>
    public int ConcurrencyRejections => Volatile.Read(ref _concurrencyRejections);

    public int DroppedConnections => Volatile.Read(ref _dropped);
    public int StalledRequests => Volatile.Read(ref _stalled);

    public void ResetRandom(int seed) { lock (_randomLock) { _random = new Random(seed); } }

    /// <summary>
    /// After <paramref name="skip"/> more batches, the next <paramref name="times"/> batches are applied,
    /// then their connection is dropped unanswered.
    /// </summary>
    public void DropConnectionAfterApplying(int times, int skip = 0)
    {
        Interlocked.Exchange(ref _faultSkip, skip);
        Interlocked.Exchange(ref _dropsLeft, times);
    }

    /// <summary>
    /// After <paramref name="skip"/> more batches, the next <paramref name="times"/> batches are applied,
    /// then answered only after <paramref name="delay"/> (a client with a shorter timeout gives up first).
    /// </summary>
    public void StallAfterApplying(int times, TimeSpan delay, int skip = 0)
    {
        _stall = delay;
        Interlocked.Exchange(ref _faultSkip, skip);
        Interlocked.Exchange(ref _stallsLeft, times);
    }

    /// <summary>The next <paramref name="count"/> sub-requests are answered 429 with Retry-After, whatever the share.</summary>
    public void ThrottleNextSubRequests(int count) => Interlocked.Exchange(ref _throttleNext, count);

    /// <summary>When each batch arrived and how many sub-requests it held, in order.</summary>
    public IReadOnlyList<(DateTimeOffset At, int SubRequests)> BatchLog => [.. _batchLog];

    /// <summary>The next requests are answered with this status (and Retry-After) without being applied.</summary>
    public void FailNextRequests(int times, int status, int? retryAfterSeconds = null)
    {
        for (var i = 0; i < times; i++)
        {
            _scriptedFailures.Enqueue((status, retryAfterSeconds));
        }
    }

    /// <summary>Requests naming this mailbox get 401 or 403, as when consent or an access policy is missing.</summary>
    public void Deny(string mailbox, int status = 403) => _denied[mailbox] = status;

    /// <summary>A mailbox Exchange does not know: getSchedule reports an error for it, creates get 404.</summary>
    public void Unknown(string mailbox) => _unknown[mailbox] = true;

    public void SeedBusy(string mailbox, DateTimeOffset start, DateTimeOffset end, string status = "busy")
    {
        var box = MailboxOf(mailbox);
        lock (box)
        {
            box.Busy.Add((start.ToUniversalTime(), end.ToUniversalTime(), status));
        }
    }

    /// <summary>Every event in every mailbox, cancelled ones included.</summary>
    public IReadOnlyList<FakeGraphEvent> Events =>
        [.. _mailboxes.SelectMany(m => { lock (m.Value) { return m.Value.Events.Values.Select(e => FakeGraphEvent.From(m.Key, e)).ToList(); } })];

    /// <summary>How many create POSTs (direct or in a batch) named this transaction id.</summary>
    public int CreateAttempts(string transactionId) => _createPosts.GetValueOrDefault(transactionId);

    /// <summary>The most requests that ran at once against the mailbox.</summary>
    public int MaxInFlight(string mailbox) => _maxInFlight.GetValueOrDefault(mailbox);

    public int MaxInFlightAnyMailbox => _maxInFlight.Values.DefaultIfEmpty(0).Max();

    private async Task HandleAsync(HttpContext http)
    {
        Interlocked.Increment(ref _requests);
        if (RequestLatency > TimeSpan.Zero)
        {
            await Task.Delay(RequestLatency, http.RequestAborted);
        }
        if (ExpectedToken is not null && http.Request.Headers.Authorization.ToString() != $"Bearer {ExpectedToken}")
        {
            await WriteAsync(http, 401, Error("InvalidAuthenticationToken", "Access token is empty or invalid."), null);
            return;
        }
        if (_scriptedFailures.TryDequeue(out var scripted))
        {
            await WriteAsync(http, scripted.Status, Error(scripted.Status == 429 ? "TooManyRequests" : "ServiceUnavailable", "Injected failure."), scripted.RetryAfter);
            return;
        }
        JsonNode? body = null;
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        var path = "/" + ((string?)http.Request.RouteValues["path"] ?? "") + http.Request.QueryString.Value;
        if (path.Equals("/$batch", StringComparison.OrdinalIgnoreCase) && HttpMethods.IsPost(http.Request.Method))
        {
            await HandleBatchAsync(http, body);
            return;
        }
        var (status, responseBody, retryAfter) = await ExecuteAsync(http.Request.Method, path, body);
        await WriteAsync(http, status, responseBody, retryAfter);
    }

    private async Task HandleBatchAsync(HttpContext http, JsonNode? body)
    {
        Interlocked.Increment(ref _batches);
        var requests = body?["requests"]?.AsArray() ?? [];
        if (requests.Count is 0 or > MaxBatchRequests)
        {
            await WriteAsync(http, 400, Error("BadRequest", $"A batch holds 1 to {MaxBatchRequests} requests."), null);
            return;
        }
        _batchLog.Enqueue((DateTimeOffset.UtcNow, requests.Count));
        // Faults are drawn in request order before anything runs, so a seed gives the same run.
        var faults = new List<int>();
        lock (_randomLock)
        {
            foreach (var _ in requests)
            {
                var roll = _random.NextDouble();
                faults.Add(Interlocked.Decrement(ref _throttleNext) >= 0 || roll < ThrottleShare ? 429 : roll < ThrottleShare + UnavailableShare ? 503 : 0);
            }
        }
        var responses = await Task.WhenAll(requests.Select(async (request, i) =>
        {
            Interlocked.Increment(ref _subRequests);
            var id = request!["id"]!.GetValue<string>();
            var method = request["method"]!.GetValue<string>();
            var url = request["url"]!.GetValue<string>();
            if (!url.StartsWith('/'))
            {
                url = "/" + url;
            }
            var response = new JsonObject { ["id"] = id };
            if (faults[i] == 429)
            {
                Interlocked.Increment(ref _injectedThrottles);
                response["status"] = 429;
                response["headers"] = new JsonObject { ["Retry-After"] = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture) };
                response["body"] = Error("ApplicationThrottled", "Application is over its MailboxConcurrency limit.");
                return response;
            }
            if (faults[i] == 503)
            {
                Interlocked.Increment(ref _injectedUnavailable);
                response["status"] = 503;
                response["body"] = Error("ServiceUnavailable", "Service unavailable.");
                return response;
            }
            var (status, responseBody, retryAfter) = await ExecuteAsync(method, url, request["body"]?.DeepClone(), SubRequestLatency);
            response["status"] = status;
            var headers = new JsonObject { ["Content-Type"] = "application/json" };
            if (retryAfter is { } seconds)
            {
                headers["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture);
            }
            response["headers"] = headers;
            if (responseBody is not null)
            {
                response["body"] = responseBody;
            }
            return response;
        }));

        if (Interlocked.Decrement(ref _faultSkip) >= 0)
        {
            await WriteAsync(http, 200, new JsonObject { ["responses"] = new JsonArray([.. responses]) }, null);
            return;
        }
        if (Interlocked.Decrement(ref _dropsLeft) >= 0)
        {
            Interlocked.Increment(ref _dropped);
            http.Abort();
            return;
        }
        if (Interlocked.Decrement(ref _stallsLeft) >= 0)
        {
            Interlocked.Increment(ref _stalled);
            try
            {
                await Task.Delay(_stall, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        await WriteAsync(http, 200, new JsonObject { ["responses"] = new JsonArray([.. responses]) }, null);
    }

    private async Task<(int Status, JsonNode? Body, int? RetryAfter)> ExecuteAsync(string method, string url, JsonNode? body, TimeSpan latency = default)
    {
        var path = url.Split('?')[0].Trim('/');
        var segments = path.Split('/').Select(Uri.UnescapeDataString).ToArray();
        if (segments.Length < 2 || !segments[0].Equals("users", StringComparison.OrdinalIgnoreCase))
        {
            return (400, Error("BadRequest", $"The fake does not serve {method} {url}."), null);
        }
        var mailbox = segments[1];
        var running = _inFlight.AddOrUpdate(mailbox, 1, (_, n) => n + 1);
        try
        {
            _maxInFlight.AddOrUpdate(mailbox, running, (_, max) => Math.Max(max, running));
            if (running > MailboxConcurrencyLimit)
            {
                Interlocked.Increment(ref _concurrencyRejections);
                return (429, Error("ApplicationThrottled", "Application is over its MailboxConcurrency limit."), RetryAfterSeconds);
            }
            if (latency > TimeSpan.Zero)
            {
                await Task.Delay(latency);
            }
            if (_denied.TryGetValue(mailbox, out var denied))
            {
                return (denied, Error(denied == 401 ? "InvalidAuthenticationToken" : "ErrorAccessDenied", "Access is denied. Check credentials and try again."), null);
            }
            var route = string.Join('/', segments.Skip(2)).ToLowerInvariant();
            return (method.ToUpperInvariant(), route, segments.Length) switch
            {
                ("POST", "calendar/getschedule", _) => GetSchedule(body),
                ("POST", "events", _) => Create(mailbox, body),
                ("POST", "sendmail", _) => SendMail(mailbox, body),
                ("GET", "onlinemeetings", 3) => FindOnlineMeeting(mailbox, url),
                ("GET", _, 5) when route.StartsWith("onlinemeetings/", StringComparison.Ordinal) && route.EndsWith("/attendancereports", StringComparison.Ordinal) => AttendanceReports(mailbox, segments[3]),
                ("GET", _, 7) when route.StartsWith("onlinemeetings/", StringComparison.Ordinal) && route.EndsWith("/attendancerecords", StringComparison.Ordinal) => AttendanceRecords(mailbox, segments[3], segments[5]),
                ("GET", _, 4) when segments[2].Equals("events", StringComparison.OrdinalIgnoreCase) => Get(mailbox, segments[3]),
                ("PATCH", _, 4) when segments[2].Equals("events", StringComparison.OrdinalIgnoreCase) => Update(mailbox, segments[3], body),
                ("POST", _, 5) when segments[2].Equals("events", StringComparison.OrdinalIgnoreCase) && segments[4].Equals("cancel", StringComparison.OrdinalIgnoreCase) => Cancel(mailbox, segments[3]),
                _ => (400, Error("BadRequest", $"The fake does not serve {method} {url}."), null),
            };
        }
        finally
        {
            _inFlight.AddOrUpdate(mailbox, 0, (_, n) => n - 1);
        }
    }

    private sealed record FakeOnlineMeeting(string Id, string Organizer, string JoinUrl, List<List<(string? Email, string? IdentityId, int Seconds)>> Reports);

    private readonly ConcurrentDictionary<string, FakeOnlineMeeting> _onlineMeetings = new(StringComparer.Ordinal);
    private int _onlineMeetingIds, _attendanceCalls;

    /// <summary>Requests to the online meeting and attendance endpoints.</summary>
    public int AttendanceCalls => Volatile.Read(ref _attendanceCalls);

    /// <summary>
    /// An online meeting the organizer owns, found by its join URL, with one attendance report
    /// per list given (none: the meeting has no report yet).
    /// </summary>
    public void AddOnlineMeeting(string organizer, string joinUrl, params (string? Email, string? IdentityId, int Seconds)[][] reports)
    {
        var id = $"MSo{Interlocked.Increment(ref _onlineMeetingIds)}";
        _onlineMeetings[id] = new FakeOnlineMeeting(id, organizer, joinUrl, [.. reports.Select(r => r.ToList())]);
    }

    private (int, JsonNode?, int?) FindOnlineMeeting(string organizer, string url)
    {
        Interlocked.Increment(ref _attendanceCalls);
        var query = url.Contains('?') ? Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url[url.IndexOf('?')..]) : [];
        var filter = query.TryGetValue("$filter", out var f) ? f.ToString() : "";
        const string prefix = "JoinWebUrl eq '";
        if (!filter.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || !filter.EndsWith('\''))
        {
            return (400, Error("BadRequest", "Filter by JoinWebUrl is required for app-only access."), null);
        }
        var joinUrl = filter[prefix.Length..^1].Replace("''", "'", StringComparison.Ordinal);
        var found = _onlineMeetings.Values.Where(m => m.Organizer.Equals(organizer, StringComparison.OrdinalIgnoreCase) && m.JoinUrl == joinUrl);
        return (200, new JsonObject
        {
            ["value"] = new JsonArray([.. found.Select(m => (JsonNode)new JsonObject { ["id"] = m.Id, ["joinWebUrl"] = m.JoinUrl, ["subject"] = "Plan meeting" })]),
        }, null);
    }

    private (int, JsonNode?, int?) AttendanceReports(string organizer, string meetingId)
    {
        Interlocked.Increment(ref _attendanceCalls);
        if (!_onlineMeetings.TryGetValue(meetingId, out var meeting) || !meeting.Organizer.Equals(organizer, StringComparison.OrdinalIgnoreCase))
        {
            return (404, Error("NotFound", "The online meeting was not found."), null);
        }
        return (200, new JsonObject
        {
            ["value"] = new JsonArray([.. meeting.Reports.Select((r, i) => (JsonNode)new JsonObject { ["id"] = $"report-{i}", ["totalParticipantCount"] = r.Count })]),
        }, null);
    }

    private (int, JsonNode?, int?) AttendanceRecords(string organizer, string meetingId, string reportId)
    {
        Interlocked.Increment(ref _attendanceCalls);
        if (!_onlineMeetings.TryGetValue(meetingId, out var meeting) || !meeting.Organizer.Equals(organizer, StringComparison.OrdinalIgnoreCase)
            || !int.TryParse(reportId.Replace("report-", "", StringComparison.Ordinal), CultureInfo.InvariantCulture, out var index) || index >= meeting.Reports.Count)
        {
            return (404, Error("NotFound", "The attendance report was not found."), null);
        }
        return (200, new JsonObject
        {
            ["value"] = new JsonArray([.. meeting.Reports[index].Select(r => (JsonNode)new JsonObject
            {
                ["emailAddress"] = r.Email,
                ["totalAttendanceInSeconds"] = r.Seconds,
                ["role"] = "Attendee",
                ["identity"] = new JsonObject { ["id"] = r.IdentityId, ["displayName"] = "Participant" },
            })]),
        }, null);
    }

    /// <summary>Messages sent with POST /users/{sender}/sendMail: the sender and the request body.</summary>
    public IReadOnlyList<(string Sender, JsonNode Body)> SentMail => [.. _sentMail];

    private readonly ConcurrentQueue<(string Sender, JsonNode Body)> _sentMail = new();

    private (int, JsonNode?, int?) SendMail(string sender, JsonNode? body)
    {
        // The SDK writes the action's parameters as Graph's metadata names them ("Message"); Graph reads either case.
        var message = body?["message"] ?? body?["Message"];
        if (message?["toRecipients"] is not JsonArray { Count: > 0 })
        {
            return (400, Error("ErrorInvalidRecipients", "At least one recipient is not valid."), null);
        }
        _sentMail.Enqueue((sender, new JsonObject { ["message"] = message.DeepClone() }));
        return (202, null, null);
    }

    private (int, JsonNode?, int?) GetSchedule(JsonNode? body)
    {
        Interlocked.Increment(ref _scheduleCalls);
        var schedules = Property(body, "schedules")?.AsArray().Select(s => s!.GetValue<string>()).ToList() ?? [];
        if (schedules.Count > 100)
        {
            return (400, Error("ErrorMailboxDataArrayTooBig", $"There are too many target users in the EmailAddress array. The allowed size = 100; the actual size = {schedules.Count}."), null);
        }
        var start = ReadTime(Property(body, "startTime"));
        var end = ReadTime(Property(body, "endTime"));
        if (end - start >= TimeSpan.FromDays(62))
        {
            return (400, Error("ErrorInvalidTimeInterval", "The time period to look up must be less than 62 days."), null);
        }
        var interval = Property(body, "availabilityViewInterval") is { } i ? int.Parse(i.ToString(), CultureInfo.InvariantCulture) : 30;
        var value = new JsonArray();
        foreach (var schedule in schedules)
        {
            if (_unknown.ContainsKey(schedule))
            {
                value.Add(new JsonObject
                {
                    ["scheduleId"] = schedule,
                    ["availabilityView"] = "",
                    ["error"] = new JsonObject { ["message"] = "The mailbox was not found.", ["responseCode"] = "ErrorMailRecipientNotFound" },
                });
                continue;
            }
            var items = BusyOf(schedule).Where(b => b.Start < end && b.End > start).OrderBy(b => b.Start).ToList();
            value.Add(new JsonObject
            {
                ["scheduleId"] = schedule,
                ["availabilityView"] = AvailabilityView(items, start, end, interval),
                ["scheduleItems"] = new JsonArray([.. items.Select(b => (JsonNode)new JsonObject
                {
                    ["isPrivate"] = false,
                    ["status"] = b.Status,
                    ["start"] = Time(b.Start),
                    ["end"] = Time(b.End),
                })]),
                ["workingHours"] = new JsonObject
                {
                    ["daysOfWeek"] = new JsonArray("monday", "tuesday", "wednesday", "thursday", "friday"),
                    ["startTime"] = "08:00:00.0000000",
                    ["endTime"] = "17:00:00.0000000",
                    ["timeZone"] = new JsonObject { ["name"] = "GMT Standard Time" },
                },
            });
        }
        return (200, new JsonObject
        {
            ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)",
            ["value"] = value,
        }, null);
    }

    private List<(DateTimeOffset Start, DateTimeOffset End, string Status)> BusyOf(string mailbox)
    {
        var busy = new List<(DateTimeOffset, DateTimeOffset, string)>();
        foreach (var (owner, box) in _mailboxes)
        {
            lock (box)
            {
                if (owner.Equals(mailbox, StringComparison.OrdinalIgnoreCase))
                {
                    busy.AddRange(box.Busy);
                }
                foreach (var e in box.Events.Values.Select(e => FakeGraphEvent.From(owner, e)).Where(e => !e.IsCancelled))
                {
                    if (owner.Equals(mailbox, StringComparison.OrdinalIgnoreCase))
                    {
                        busy.Add((e.Start, e.End, "busy"));
                    }
                    else if (e.Attendees.Contains(mailbox, StringComparer.OrdinalIgnoreCase))
                    {
                        busy.Add((e.Start, e.End, "tentative"));
                    }
                }
            }
        }
        return busy;
    }

    private static string AvailabilityView(List<(DateTimeOffset Start, DateTimeOffset End, string Status)> items, DateTimeOffset start, DateTimeOffset end, int interval)
    {
        var view = new System.Text.StringBuilder();
        for (var slot = start; slot < end; slot = slot.AddMinutes(interval))
        {
            var slotEnd = slot.AddMinutes(interval);
            var code = items.Where(b => b.Start < slotEnd && b.End > slot)
                .Select(b => b.Status switch { "tentative" => 1, "busy" => 2, "oof" => 3, "workingElsewhere" => 4, _ => 0 })
                .DefaultIfEmpty(0).Max();
            view.Append(code.ToString(CultureInfo.InvariantCulture));
        }
        return view.ToString();
    }

    private (int, JsonNode?, int?) Create(string mailbox, JsonNode? body)
    {
        if (_unknown.ContainsKey(mailbox))
        {
            return (404, Error("ErrorInvalidUser", "The requested user is invalid."), null);
        }
        if (body is not JsonObject ev || ev["start"] is null || ev["end"] is null)
        {
            return (400, Error("ErrorInvalidRequest", "An event needs a start and an end."), null);
        }
        var transactionId = ev["transactionId"]?.GetValue<string>();
        if (transactionId is not null)
        {
            _createPosts.AddOrUpdate(transactionId, 1, (_, n) => n + 1);
        }
        var box = MailboxOf(mailbox);
        lock (box)
        {
            if (HonourTransactionId && transactionId is not null && box.Transactions.TryGetValue(transactionId, out var existing))
            {
                return (201, box.Events[existing].DeepClone(), null);
            }
            var id = $"AAMkAGI{Interlocked.Increment(ref _eventIds):D8}";
            ev["id"] = id;
            ev["@odata.context"] = $"https://graph.microsoft.com/v1.0/$metadata#users('{mailbox}')/events/$entity";
            ev["iCalUId"] = $"040000008200E00074C5B7101A82E008{id}";
            ev["webLink"] = $"https://outlook.office365.com/owa/?itemid={id}";
            ev["isCancelled"] = false;
            ev["organizer"] = new JsonObject { ["emailAddress"] = new JsonObject { ["address"] = mailbox } };
            if (ev["isOnlineMeeting"]?.GetValue<bool>() == true)
            {
                ev["onlineMeetingProvider"] ??= "teamsForBusiness";
                ev["onlineMeeting"] = new JsonObject { ["joinUrl"] = $"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{id}%40thread.v2/0" };
            }
            box.Events[id] = ev;
            if (transactionId is not null)
            {
                box.Transactions[transactionId] = id;
            }
            return (201, ev.DeepClone(), null);
        }
    }

    private (int, JsonNode?, int?) Get(string mailbox, string eventId)
    {
        var box = MailboxOf(mailbox);
        lock (box)
        {
            return box.Events.TryGetValue(eventId, out var ev) && ev["isCancelled"]?.GetValue<bool>() != true
                ? (200, ev.DeepClone(), null)
                : (404, Error("ErrorItemNotFound", "The specified object was not found in the store."), null);
        }
    }

    private (int, JsonNode?, int?) Update(string mailbox, string eventId, JsonNode? body)
    {
        var box = MailboxOf(mailbox);
        lock (box)
        {
            if (!box.Events.TryGetValue(eventId, out var ev) || ev["isCancelled"]?.GetValue<bool>() == true)
            {
                return (404, Error("ErrorItemNotFound", "The specified object was not found in the store."), null);
            }
            foreach (var (name, value) in body?.AsObject() ?? [])
            {
                if (name.Equals("transactionId", StringComparison.OrdinalIgnoreCase))
                {
                    return (400, Error("ErrorInvalidRequest", "transactionId cannot be changed."), null);
                }
                ev[name] = value?.DeepClone();
            }
            return (200, ev.DeepClone(), null);
        }
    }

    private (int, JsonNode?, int?) Cancel(string mailbox, string eventId)
    {
        var box = MailboxOf(mailbox);
        lock (box)
        {
            if (!box.Events.TryGetValue(eventId, out var ev) || ev["isCancelled"]?.GetValue<bool>() == true)
            {
                return (404, Error("ErrorItemNotFound", "The specified object was not found in the store."), null);
            }
            ev["isCancelled"] = true;
            return (202, null, null);
        }
    }

    private Mailbox MailboxOf(string mailbox) => _mailboxes.GetOrAdd(mailbox, _ => new Mailbox());

    private static JsonNode? Property(JsonNode? body, string name) =>
        body?.AsObject().FirstOrDefault(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    private static DateTimeOffset ReadTime(JsonNode? node) =>
        CalendarTimeZones.ToUtc(node?["dateTime"]?.GetValue<string>(), node?["timeZone"]?.GetValue<string>());

    private static JsonObject Time(DateTimeOffset utc) => new()
    {
        ["dateTime"] = utc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture),
        ["timeZone"] = "UTC",
    };

    private static JsonObject Error(string code, string message) => new()
    {
        ["error"] = new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
            ["innerError"] = new JsonObject { ["date"] = DateTimeOffset.UtcNow.ToString("s", CultureInfo.InvariantCulture), ["request-id"] = Guid.NewGuid().ToString() },
        },
    };

    private static async Task WriteAsync(HttpContext http, int status, JsonNode? body, int? retryAfter)
    {
        http.Response.StatusCode = status;
        if (retryAfter is { } seconds)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }
        if (body is not null)
        {
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted);
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private sealed class Mailbox
    {
        public Dictionary<string, JsonObject> Events { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, string> Transactions { get; } = new(StringComparer.Ordinal);
        public List<(DateTimeOffset Start, DateTimeOffset End, string Status)> Busy { get; } = [];
    }
}

/// <summary>An event as the fake Graph holds it, read back for assertions.</summary>
public sealed record FakeGraphEvent(
    string Mailbox, string Id, string? TransactionId, string? Subject, DateTimeOffset Start, DateTimeOffset End,
    IReadOnlyList<string> Attendees, bool IsOnlineMeeting, string? OnlineMeetingProvider, string? JoinUrl, bool IsCancelled, JsonObject Json)
{
    public static FakeGraphEvent From(string mailbox, JsonObject e) => new(
        mailbox,
        e["id"]!.GetValue<string>(),
        e["transactionId"]?.GetValue<string>(),
        e["subject"]?.GetValue<string>(),
        CalendarTimeZones.ToUtc(e["start"]?["dateTime"]?.GetValue<string>(), e["start"]?["timeZone"]?.GetValue<string>()),
        CalendarTimeZones.ToUtc(e["end"]?["dateTime"]?.GetValue<string>(), e["end"]?["timeZone"]?.GetValue<string>()),
        [.. (e["attendees"]?.AsArray() ?? []).Select(a => a?["emailAddress"]?["address"]?.GetValue<string>() ?? "")],
        e["isOnlineMeeting"]?.GetValue<bool>() ?? false,
        e["onlineMeetingProvider"]?.GetValue<string>(),
        e["onlineMeeting"]?["joinUrl"]?.GetValue<string>(),
        e["isCancelled"]?.GetValue<bool>() ?? false,
        (JsonObject)e.DeepClone());
}
