using System.Diagnostics;
using System.Globalization;
using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SendPlans.Bench.Graph;
using SendPlans.Infrastructure.Calendars;
using SendPlans.Infrastructure.Calendars.Graph;
using SendPlans.Tests.Support;

// Books a whole school term against the fake Graph server and reports wall time, Graph
// requests against the fewest possible, and events created with duplicates.
// Usage: dotnet run -c Release --project bench/SendPlans.Bench.Graph -- [--pupils 260] [--teachers 20]
//        [--latency-ms 50] [--throttle 0.05] [--retry-after 1] [--seed 1] [--runs 3] [--warmup]
// Each run starts a fresh fake Graph and a fresh provider; --warmup first books one term unreported,
// so the rows show a warm process (the first run otherwise includes JIT compilation of the SDK).
var settings = BenchSettings.Parse(args);
if (args.Contains("--warmup"))
{
    await TermBooking.RunAsync(settings, seed: 0);
}
Console.WriteLine($"Book a term: {settings.Pupils} pupils, {settings.Teachers} teachers, {settings.Latency.TotalMilliseconds:0} ms latency per request and per sub-request, " +
                  $"{settings.ThrottleShare:P0} of sub-requests 429 (Retry-After {settings.RetryAfterSeconds} s), {settings.Runs} run(s)");
Console.WriteLine();
Console.WriteLine("| seed | wall time | getSchedule | batches | requests | minimum | ratio | 429s | events created | duplicates | max in flight per mailbox |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
var allMet = true;
for (var run = 0; run < settings.Runs; run++)
{
    var result = await TermBooking.RunAsync(settings, settings.Seed + run);
    Console.WriteLine(result.Row());
    allMet &= result.MeetsTargets(settings.Pupils);
}
Console.WriteLine();
Console.WriteLine(allMet ? "Targets met: <= 30 s, <= 1.25x the minimum requests, every event created once." : "TARGETS MISSED");
return allMet ? 0 : 1;

namespace SendPlans.Bench.Graph
{
    internal sealed record BenchSettings(int Pupils, int Teachers, TimeSpan Latency, double ThrottleShare, int RetryAfterSeconds, int Seed, int Runs)
    {
        public static BenchSettings Parse(string[] args)
        {
            string Get(string name, string fallback)
            {
                var i = Array.IndexOf(args, name);
                return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
            }
            return new BenchSettings(
                int.Parse(Get("--pupils", "260"), CultureInfo.InvariantCulture),
                int.Parse(Get("--teachers", "20"), CultureInfo.InvariantCulture),
                TimeSpan.FromMilliseconds(double.Parse(Get("--latency-ms", "50"), CultureInfo.InvariantCulture)),
                double.Parse(Get("--throttle", "0.05"), CultureInfo.InvariantCulture),
                int.Parse(Get("--retry-after", "1"), CultureInfo.InvariantCulture),
                int.Parse(Get("--seed", "1"), CultureInfo.InvariantCulture),
                int.Parse(Get("--runs", "1"), CultureInfo.InvariantCulture));
        }
    }

    internal sealed record BenchResult(
        int Seed, TimeSpan Wall, int ScheduleCalls, int Batches, int Requests, int Minimum, int Throttled, int Created, int Duplicates, int Failed, int MaxInFlight)
    {
        public double Ratio => (double)Requests / Minimum;

        public bool MeetsTargets(int pupils) =>
            Wall <= TimeSpan.FromSeconds(30) && Ratio <= 1.25 && Created == pupils && Duplicates == 0 && Failed == 0;

        public string Row() => string.Create(CultureInfo.InvariantCulture,
            $"| {Seed} | {Wall.TotalSeconds:0.00} s | {ScheduleCalls} | {Batches} | {Requests} | {Minimum} | {Ratio:0.00}x | {Throttled} | {Created} | {Duplicates} | {MaxInFlight} |");
    }

    internal static class TermBooking
    {
        private const string Zone = "Europe/London";

        // Autumn term 2025, weeks 2 to 5: the meeting window a SENCo might set.
        private static readonly DateOnly WindowStart = new(2025, 9, 8);
        private const int WindowWeeks = 4;

        public static async Task<BenchResult> RunAsync(BenchSettings settings, int seed)
        {
            await using var graph = await FakeGraph.StartAsync();
            graph.ExpectedToken = "bench-token";
            graph.RequestLatency = settings.Latency;
            graph.SubRequestLatency = settings.Latency;
            graph.ThrottleShare = settings.ThrottleShare;
            graph.RetryAfterSeconds = settings.RetryAfterSeconds;
            graph.ResetRandom(seed);

            var teachers = Enumerable.Range(1, settings.Teachers).Select(t => $"teacher{t:D2}@school.example").ToList();
            var zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);
            foreach (var (teacher, index) in teachers.Select((t, i) => (t, i)))
            {
                foreach (var (start, end) in DemoTimetable.BusyBlocks(index, WindowStart, WindowWeeks, zone))
                {
                    graph.SeedBusy(teacher, start, end);
                }
            }

            await using var services = Services(graph.BaseUrl);
            var calendars = services.GetRequiredService<ICalendarProvider>();
            var windowStart = Local(WindowStart, new TimeOnly(0, 0), zone);
            var windowEnd = Local(WindowStart.AddDays(7 * WindowWeeks), new TimeOnly(0, 0), zone);

            var clock = Stopwatch.StartNew();
            var busy = await calendars.GetBusyAsync(teachers, windowStart, windowEnd);
            var meetings = new List<NewCalendarEvent>();
            for (var pupil = 0; pupil < settings.Pupils; pupil++)
            {
                var teacher = pupil % teachers.Count;
                var slot = SlotPicker.Next(busy[teacher], meetings.Where(m => m.Organizer == teachers[teacher]), WindowStart, WindowWeeks, zone);
                meetings.Add(new NewCalendarEvent(
                    TransactionId: $"plan-{pupil:D4}-autumn-2025-1",
                    Organizer: teachers[teacher],
                    Subject: "SEN support plan review",
                    HtmlBody: "<p>Termly review of your child's small step plan.</p>",
                    Start: slot,
                    End: slot.AddMinutes(15),
                    TimeZone: Zone,
                    Attendees: [new EventAttendee($"parent{pupil:D4}@home.example", $"Parent {pupil}")]));
            }
            var results = await calendars.CreateEventsAsync(meetings);
            clock.Stop();

            var events = graph.Events.Where(e => !e.IsCancelled).ToList();
            var scheduleCallsNeeded = (int)Math.Ceiling(teachers.Count / 20.0);
            var minimum = scheduleCallsNeeded + (int)Math.Ceiling(settings.Pupils / 20.0);
            return new BenchResult(
                seed, clock.Elapsed, graph.ScheduleCalls, graph.Batches, graph.Requests, minimum, graph.InjectedThrottles,
                events.Select(e => e.TransactionId).Distinct().Count(),
                events.Count - events.Select(e => e.TransactionId).Distinct().Count(),
                results.Count(r => !r.Succeeded),
                graph.MaxInFlightAnyMailbox);
        }

        private static ServiceProvider Services(string baseUrl) => FakeGraph.CalendarServices(baseUrl, "bench-token").BuildServiceProvider();

        public static DateTimeOffset Local(DateOnly day, TimeOnly time, TimeZoneInfo zone) =>
            new(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(time), zone), TimeSpan.Zero);
    }

    /// <summary>A primary teacher's week: teaching with breaks, a PPA afternoon, Wednesday staff meeting, a club.</summary>
    internal static class DemoTimetable
    {
        public static IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> BusyBlocks(int teacher, DateOnly firstMonday, int weeks, TimeZoneInfo zone)
        {
            for (var d = 0; d < weeks * 7; d++)
            {
                var day = firstMonday.AddDays(d);
                if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
                {
                    continue;
                }
                var weekday = (int)day.DayOfWeek - 1;
                (TimeOnly, TimeOnly) Block(int h1, int m1, int h2, int m2) => (new TimeOnly(h1, m1), new TimeOnly(h2, m2));
                var blocks = new List<(TimeOnly Start, TimeOnly End)> { Block(8, 45, 10, 30), Block(10, 45, 12, 0) };
                if (weekday != teacher % 5)
                {
                    blocks.Add(Block(13, 0, 15, 15)); // afternoon teaching, except on the PPA afternoon
                }
                if (weekday == (teacher + 2) % 5)
                {
                    blocks.Add(Block(10, 30, 10, 45)); // playground duty
                }
                if (weekday == 2)
                {
                    blocks.Add(Block(15, 30, 16, 30)); // staff meeting
                }
                if (weekday == (teacher + 3) % 5 && weekday != 2)
                {
                    blocks.Add(Block(15, 20, 16, 20)); // after-school club
                }
                foreach (var (start, end) in blocks)
                {
                    yield return (TermBooking.Local(day, start, zone), TermBooking.Local(day, end, zone));
                }
            }
        }
    }

    /// <summary>The first 15-minute slot, with a 10-minute buffer, that is free in the teacher's calendar.</summary>
    internal static class SlotPicker
    {
        private static readonly TimeOnly[] Starts =
            [new(13, 0), new(13, 25), new(13, 50), new(14, 15), new(14, 40), new(15, 30), new(15, 55), new(16, 20), new(16, 45), new(17, 10)];

        public static DateTimeOffset Next(MailboxBusy busy, IEnumerable<NewCalendarEvent> booked, DateOnly firstMonday, int weeks, TimeZoneInfo zone)
        {
            var taken = busy.Busy.Select(b => (b.Start, b.End)).Concat(booked.Select(m => (m.Start, m.End))).ToList();
            for (var d = 0; d < weeks * 7; d++)
            {
                var day = firstMonday.AddDays(d);
                if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
                {
                    continue;
                }
                foreach (var time in Starts)
                {
                    var start = TermBooking.Local(day, time, zone);
                    var end = start.AddMinutes(25);
                    if (!taken.Any(t => t.Start < end && t.End > start.AddMinutes(-10)))
                    {
                        return start;
                    }
                }
            }
            throw new InvalidOperationException("The meeting window is full.");
        }
    }
}
