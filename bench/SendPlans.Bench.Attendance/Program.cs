using System.Diagnostics;
using System.Globalization;
using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SendPlans.Bot.Attendance;
using SendPlans.Bot.Booking;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Roster.Demo;
using SendPlans.Bot.Roster.Import;
using SendPlans.Bot.Simulation;
using SendPlans.Bot.Terms;
using SendPlans.Infrastructure.Calendars;
using SendPlans.Infrastructure.Calendars.Graph;
using SendPlans.Tests.Support;

namespace SendPlans.Bench.Attendance;

// Issue 7's attendance figures, on the tests' Azurite (a private one, stopped on exit):
//   1. one attendance sweep that finds 780 ended meetings (the demo school's 260 pupils x 3 terms,
//      all ended in the last two days, as after an outage) and reads each Teams report from the
//      fake Graph through the real Graph client (target <= 20 s);
//   2. a simulated year on accelerated time (simulate-year's code, target <= 60 s), with the
//      median and maximum time from a missed meeting's end to its alert.
// Usage: dotnet run -c Release --project bench/SendPlans.Bench.Attendance [-- --latency-ms 0 --miss 0.1 --seed 7 --runs 1 --sweep-only]
internal static class Bench
{
    public static async Task<int> Main(string[] args)
    {
        var latency = TimeSpan.FromMilliseconds(Option(args, "--latency-ms", 0));
        var miss = Option(args, "--miss", 0.1);
        var seed = (int)Option(args, "--seed", 7);
        var runs = (int)Option(args, "--runs", 1);
        var storage = await Azurite.ConnectionStringAsync();
        var met = true;

        Console.WriteLine($"Attendance sweep of 780 meetings against the fake Graph ({latency.TotalMilliseconds:0} ms per Graph request), {runs} run(s)");
        Console.WriteLine();
        Console.WriteLine("| run | sweep wall time | meetings | settled by report | teachers asked | missed (alerts) | Graph requests | 429s (mailbox limit) | second sweep |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        for (var run = 0; run < runs; run++)
        {
            var sweep = await SweepAsync(storage, latency, miss, seed + run);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {run + 1} | {sweep.Wall.TotalSeconds:0.00} s | {sweep.Meetings} | {sweep.Counts.SettledByReport} | {sweep.Counts.TeachersAsked} | {sweep.Counts.Missed} | {sweep.GraphRequests} | {sweep.Rejections} | {sweep.Second.TotalSeconds:0.00} s |"));
            met &= sweep.Wall <= TimeSpan.FromSeconds(20) && sweep.Meetings == 780 && sweep.Counts.SettledByReport + sweep.Counts.TeachersAsked == 780;
        }

        Console.WriteLine();
        Console.WriteLine(args.Contains("--sweep-only") ? "The simulated year was not run (--sweep-only)." : "Simulated year (simulate-year): 260 pupils, 3 terms, accelerated time");
        for (var run = 0; run < (args.Contains("--sweep-only") ? 0 : runs); run++)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = storage,
                ["Storage:TablePrefix"] = Azurite.NewPrefix(),
            }).Build();
            var result = await YearSimulation.RunAsync(new SimulationSettings { Seed = seed + run, MissProbability = miss }, configuration, default);
            Console.WriteLine();
            Console.Write(SimulationReport.ToText(result));
            met &= result.Elapsed <= TimeSpan.FromSeconds(60) && result.Violations.Count == 0;
        }
        Console.WriteLine();
        var measured = args.Contains("--sweep-only") ? "the sweep of 780 meetings <= 20 s (the year was not run)" : "the sweep of 780 meetings <= 20 s, the simulated year <= 60 s with every invariant held";
        Console.WriteLine(met ? $"Targets met: {measured}." : "TARGETS MISSED");
        return met ? 0 : 1;
    }

    private sealed record SweepFigures(TimeSpan Wall, int Meetings, SweepCounts Counts, int GraphRequests, int Rejections, TimeSpan Second);

    private static async Task<SweepFigures> SweepAsync(string storage, TimeSpan latency, double miss, int seed)
    {
        await using var graph = await FakeGraph.StartAsync();
        graph.RequestLatency = latency;
        using var graphServices = GraphServices(graph.BaseUrl);
        var reports = graphServices.GetRequiredService<IMeetingAttendance>();
        var now = new DateTimeOffset(2026, 12, 4, 18, 0, 0, TimeSpan.Zero);
        var clock = new SimulationClock(now);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = storage,
            ["Storage:TablePrefix"] = Azurite.NewPrefix(),
        }).Build();
        await using var host = SimulationHost.Build(configuration, clock, services: s => s.AddSingleton(reports));
        var services = host.Services;

        var demo = DemoSchool.Generate();
        if (!(await services.GetRequiredService<RosterImporter>().ApplyAsync(demo.Roster, dryRun: false, default)).Succeeded)
        {
            throw new InvalidOperationException("The demo school could not be stored.");
        }
        await services.GetRequiredService<SchoolCalendarStore>().CreateTermsAsync(demo.Terms, default);
        await services.GetRequiredService<SchoolCalendarStore>().CreateSettingsAsync(demo.Settings, default);
        var roster = services.GetRequiredService<RosterStore>();
        foreach (var year in demo.AlertChannels.Keys)
        {
            await roster.UpdateYearGroupAsync(demo.Settings.SchoolId, year, y => y with { AlertChannel = YearSimulation.Channel(year) }, default);
        }
        var staff = demo.Roster.Staff!.Select(s => s.Member).ToList();
        var chats = services.GetRequiredService<StaffChats>();
        foreach (var member in staff)
        {
            await chats.RememberAsync(member.SchoolId, member.EntraObjectId, YearSimulation.PersonalChat(member.EntraObjectId), default);
        }

        // 780 meetings that ended in the last two days, 15 minutes each, spread over them.
        var random = new Random(seed);
        var meetings = services.GetRequiredService<MeetingStore>();
        var contacts = demo.Roster.Contacts!.ToLookup(c => c.Upn, StringComparer.Ordinal);
        var count = 0;
        foreach (var term in demo.Terms)
        {
            foreach (var pupil in demo.Roster.Pupils!)
            {
                var teacher = staff.FirstOrDefault(s => s.Classes.Contains(pupil.ClassName)) ?? staff[0];
                var email = contacts[pupil.Upn].OrderBy(c => c.Priority).Select(c => c.Email).FirstOrDefault(e => e is not null);
                var start = now - TimeSpan.FromHours(47) + TimeSpan.FromMinutes(3.5 * count++);
                var joinUrl = email is null ? null : $"https://teams.microsoft.com/l/meetup-join/bench-{count}";
                await meetings.CreateAsync(new MeetingRecord(demo.Settings.SchoolId, term.Id, pupil.Upn, teacher.EntraObjectId, teacher.Email)
                {
                    Status = MeetingStatus.Booked,
                    Slot = new SlotTimes(start, start.AddMinutes(15)),
                    EventId = $"bench-{count}",
                    JoinUrl = joinUrl,
                }, default);
                if (joinUrl is not null)
                {
                    var attended = random.NextDouble() >= miss;
                    graph.AddOnlineMeeting(teacher.Email, joinUrl, attended
                        ? [(teacher.Email, null, 900), (email, null, 840)]
                        : [(teacher.Email, null, 900)]);
                }
            }
        }

        var job = services.GetRequiredService<AttendanceSweepJob>();
        var service = services.GetRequiredService<AttendanceService>();
        var before = graph.Requests;
        var stopwatch = Stopwatch.StartNew();
        var counts = await service.SweepAsync(default);
        var wall = stopwatch.Elapsed;
        var requests = graph.Requests - before;
        stopwatch.Restart();
        await job.RunOnceAsync(default);
        return new SweepFigures(wall, count, counts, requests, graph.ConcurrencyRejections, stopwatch.Elapsed);
    }

    private static ServiceProvider GraphServices(string baseUrl) => FakeGraph.CalendarServices(baseUrl, "bench-token").BuildServiceProvider();

    private static double Option(string[] args, string name, double fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
