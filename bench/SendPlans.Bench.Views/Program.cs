using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SendPlans.Bot.ParentLinks;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Roster.Import;
using SendPlans.Bot.Terms;
using SendPlans.Bot.Views;
using SendPlans.Tests.Support;

namespace SendPlans.Bench.Views;

// The parent views figures, against the real bot on a loopback port and a private Azurite:
//   1. the form page at 200 requests a second, open loop: p99 latency (target <= 5 ms)
//   2. first render in Chromium over loopback, navigation to drawn card (target <= 1 s)
//   3. a submission through the views service with Azurite (target p99 <= 30 ms)
// Usage: dotnet run -c Release --project bench/SendPlans.Bench.Views [-- --seconds 10 --rate 200 --submissions 500]

internal static class Bench
{
    public static async Task<int> Main(string[] args)
    {
        var seconds = Option(args, "--seconds", 10);
        var submissions = Option(args, "--submissions", 500);
        var rate = Option(args, "--rate", 200);
        var root = Paths.RepoRoot;
        // The tests' Azurite: started on a free port under the orphan guard, stopped when the bench exits.
        var storage = await Azurite.ConnectionStringAsync();
        await using var bot = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Storage:ConnectionString", storage);
            b.UseContentRoot(Path.Combine(root, "Bot"));
            b.UseSetting("Views:PermitsPerMinute", "1000000");
            b.UseSetting("Outbox:RunDispatcher", "false");
            b.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        bot.UseKestrel(0);
        bot.StartServer();
        var url = bot.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        var token = await SeedAsync(bot.Services, root);

        // 1. The form page, open loop: a request starts every 1/rate seconds whatever the others do.
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(url) };
        for (var i = 0; i < 200; i++)
        {
            (await http.GetAsync($"/views/{token}")).EnsureSuccessStatusCode();
        }
        var storagePort = new Uri(storage.Split(';').First(p => p.StartsWith("TableEndpoint=", StringComparison.Ordinal))["TableEndpoint=".Length..]).Port;
        using var meters = new ServerMeters(storagePort);
        var latencies = new List<double>();
        var azuriteCpu = new AzuriteCpu(storagePort);
        var cpuBefore = (Self: Environment.CpuUsage.TotalTime, Azurite: azuriteCpu.Total());
        meters.Recording = true;
        var started = Stopwatch.StartNew();
        var requests = new List<Task>();
        var total = seconds * rate;
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromMilliseconds(i * 1000.0 / rate);
            if (due - started.Elapsed is { TotalMilliseconds: > 0 } wait)
            {
                await Task.Delay(wait);
            }
            requests.Add(Task.Run(async () =>
            {
                var t = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync($"/views/{token}");
                await response.Content.ReadAsByteArrayAsync();
                var ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                lock (latencies) { latencies.Add(ms); }
            }));
        }
        await Task.WhenAll(requests);
        meters.Recording = false;
        var wall = started.Elapsed;
        var selfCpu = Environment.CpuUsage.TotalTime - cpuBefore.Self;
        var storageCpu = azuriteCpu.Total() - cpuBefore.Azurite;
        Console.WriteLine($"form page GET at {rate}/s for {seconds} s: {latencies.Count} requests, p50 {P(latencies, 50):F2} ms, p99 {P(latencies, 99):F2} ms, max {latencies.Max():F2} ms (client-measured over loopback, includes the client)");
        Console.WriteLine($"form page GET, server time (Kestrel's http.server.request.duration): p50 {P(meters.Server, 50):F2} ms, p99 {P(meters.Server, 99):F2} ms; storage requests per page {(double)meters.StorageRequests / latencies.Count:F2}");
        Console.WriteLine($"CPU per page: this process (the bot and the load client) {selfCpu.TotalMilliseconds / latencies.Count:F2} ms, Azurite {storageCpu.TotalMilliseconds / latencies.Count:F2} ms; busy {(selfCpu + storageCpu) / wall:P0} of one core's time, {Environment.ProcessorCount} cores");

        // 2. First render in Chromium: a fresh context each time, so nothing is cached.
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"] });
        var renders = new List<double>();
        for (var i = 0; i < 11; i++)
        {
            await using var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 360, Height = 740 } });
            var page = await context.NewPageAsync();
            var t = Stopwatch.GetTimestamp();
            await page.GotoAsync($"{url}/views/{token}");
            await page.WaitForSelectorAsync(".ac-adaptiveCard");
            if (i > 0)
            {
                renders.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
        }
        Console.WriteLine($"first render in Chromium (cold context, 10 runs): median {P(renders, 50):F0} ms, max {renders.Max():F0} ms");

        // Where a GET's time goes: the storage reads behind the page, alone, one at a time.
        var finder = bot.Services.GetRequiredService<ParentViewsService>();
        var link = finder.ReadLink(token).Link!;
        var finds = await TimeAsync(200, _ => finder.FindAsync(link, default));
        Console.WriteLine($"the page's storage reads alone (200, one at a time): p50 {P(finds, 50):F2} ms, p99 {P(finds, 99):F2} ms");

        // The floor under any page that reads storage: Azurite's own answer time for the simplest
        // request there is, one point read of one small row through the Azure SDK, nothing else running;
        // then three at once, as a page sends them.
        var store = bot.Services.GetRequiredService<ParentViewsStore>();
        var one = await TimeAsync(1000, _ => store.GetAsync(link.SchoolId, link.TermId, link.PupilId, link.ContactId, default));
        var three = await TimeAsync(1000, _ => Task.WhenAll(Enumerable.Range(0, 3).Select(_ => store.GetAsync(link.SchoolId, link.TermId, link.PupilId, link.ContactId, default))));
        Console.WriteLine($"Azurite's floor (1000 each, one at a time): one point read p50 {P(one, 50):F2} ms, p99 {P(one, 99):F2} ms; three at once p50 {P(three, 50):F2} ms, p99 {P(three, 99):F2} ms");

        // 3. Submissions: each one changes the answers, so each is a read and a conditional write in Azurite.
        var service = bot.Services.GetRequiredService<ParentViewsService>();
        var subject = (await service.FindAsync(service.ReadLink(token).Link!, default))!;
        var writes = await TimeAsync(submissions, i => service.SubmitAsync(subject, new JsonObject { ["worries"] = $"answer {i}", ["agree0"] = "yes" }, default));
        Console.WriteLine($"submission with Azurite ({submissions}, one at a time): p50 {P(writes, 50):F2} ms, p99 {P(writes, 99):F2} ms, max {writes.Max():F2} ms");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    static async Task<string> SeedAsync(IServiceProvider services, string root)
    {
        var files = new[] { "pupils.csv", "contacts.csv", "staff.csv" }.Select(n => new RosterFileInput(n, File.ReadAllBytes(Path.Combine(root, "docs", "samples", n)))).ToList();
        await services.GetRequiredService<RosterImporter>().ImportAsync("oak", files, dryRun: false, default);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var term = new Term("oak", AcademicYears.For(today), TermName.Autumn, today.AddDays(-30), today.AddDays(30), today.AddDays(-20), today.AddDays(-16), [],
            today.AddDays(-10), today.AddDays(10), today.AddDays(14));
        await services.GetRequiredService<SchoolCalendarStore>().CreateTermsAsync([term], default);
        var reader = RosterReader.System("bench");
        var roster = services.GetRequiredService<RosterStore>();
        await roster.CreatePlanAsync(reader, new Plan("oak", "P823204124001", term.Id, PlanStatus.Draft,
        [
            new PlanTarget("Amelia will ask for help with a picture card.") { AreaOfNeed = "Talking", HowSchoolHelps = "A help card.", HowWeKnow = "She uses it most days." },
            new PlanTarget("Amelia will read a short book with an adult.") { AreaOfNeed = "Reading", HowSchoolHelps = "Reading three times a week.", HowWeKnow = "She can say what happened." },
        ]), default);
        var contact = (await roster.GetContactsAsync(reader, "oak", "P823204124001", default)).First(c => c.ParentalResponsibility);
        return services.GetRequiredService<ParentViewsService>().CreateLink(contact, term)!;
    }

    /// <summary>The CPU time of the Azurite node process listening on the port, read from /proc (Linux only).</summary>
    private sealed class AzuriteCpu(int port)
    {
        private readonly int[] _pids = [.. Directory.GetDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && Read($"/proc/{pid}/cmdline") is { } cmd && cmd.StartsWith("node", StringComparison.Ordinal) && cmd.Contains($"--tablePort\0{port}\0", StringComparison.Ordinal))];

        /// <summary>utime + stime of the process, in clock ticks of 10 ms (USER_HZ is 100 on Linux).</summary>
        public TimeSpan Total() => TimeSpan.FromMilliseconds(10 * _pids.Sum(pid =>
            Read($"/proc/{pid}/stat") is { } stat && stat[(stat.LastIndexOf(')') + 2)..].Split(' ') is var f ? long.Parse(f[11]) + long.Parse(f[12]) : 0));

        private static string? Read(string path)
        {
            try { return File.ReadAllText(path); }
            catch (IOException) { return null; }
            catch (UnauthorizedAccessException) { return null; }
        }
    }

    /// <summary>
    /// The bot's own figures, read from .NET's built-in meters: Kestrel's request duration for
    /// the form route (time inside the server), and the HTTP requests the Azure SDK makes to Azurite.
    /// </summary>
    private sealed class ServerMeters : IDisposable
    {
        private readonly System.Diagnostics.Metrics.MeterListener _listener = new();

        public ServerMeters(int storagePort)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name is "http.server.request.duration" or "http.client.request.duration")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((instrument, seconds, tags, _) =>
            {
                if (!Recording)
                {
                    return;
                }
                string? route = null;
                int? port = null;
                foreach (var tag in tags)
                {
                    if (tag.Key == "http.route") route = tag.Value as string;
                    if (tag.Key == "server.port") port = tag.Value as int?;
                }
                if (instrument.Name == "http.server.request.duration" && route == "/views/{token}")
                {
                    lock (Server) { Server.Add(seconds * 1000); }
                }
                else if (instrument.Name == "http.client.request.duration" && port == storagePort)
                {
                    Interlocked.Increment(ref _storageRequests);
                }
            });
            _listener.Start();
        }

        private long _storageRequests;

        public volatile bool Recording;

        public List<double> Server { get; } = [];

        public long StorageRequests => Interlocked.Read(ref _storageRequests);

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>Times <paramref name="count"/> calls one after another, after 50 untimed ones; each call is given its number.</summary>
    static async Task<List<double>> TimeAsync(int count, Func<int, Task> call)
    {
        var times = new List<double>(count);
        for (var i = 0; i < count + 50; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await call(i);
            if (i >= 50)
            {
                times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
        }
        return times;
    }

    static double P(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }
}
