using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using SendPlans.Tests.Support;

namespace SendPlans.Bench;

/// <summary>
/// One benchmark run: cold starts, then SendPlans.Bot and the botbuilder peer under the same
/// load one after the other, then the bot's memory after the RSS run; prints the table.
/// </summary>
public static class BenchRun
{
    public const string AppId = "5a3c7f2e-0b7d-4d35-9d8a-2f7b6c1e9a10";
    private const string UserAadObjectId = "00000000-0000-0000-0000-0000000000aa";

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var root = Paths.RepoRoot;
        var botDirectory = options.BotDirectory ?? Path.Combine(root, "Bot", "bin", options.Configuration, "net10.0");
        var botDll = Path.Combine(botDirectory, "SendPlans.Bot.dll");
        if (!File.Exists(botDll))
        {
            Console.Error.WriteLine($"{botDll} is missing: build first (bench/run.sh does).");
            return 2;
        }
        var results = Path.Combine(root, "bench", "results");
        Directory.CreateDirectory(results);
        var machine = await MachineFacts.ReadAsync(root);
        Progress($"machine: {machine.Cpu}, {machine.Cores} cores, {machine.MemoryGiB:0} GiB; {machine.Dotnet}; node {machine.Node}");

        var storage = await Azurite.ConnectionStringAsync();
        var prefix = Azurite.NewPrefix();
        await using var identity = await FakeBotFrameworkIdentity.StartAsync();
        await using var entra = await FakeEntraTokenEndpoint.StartAsync(results);
        await using var connector = await FastConnector.StartAsync(FakeEntraTokenEndpoint.AccessToken);
        var token = identity.CreateToken(AppId, connector.ServiceUrl);
        await SeedStaffAsync(storage, prefix);

        var report = new Report(options, machine);
        try
        {
            // 1. Cold start: the built bot, dev mode (no Bot:AppId), storage in Azurite, to its first 200 on /healthz.
            if (options.ColdStarts > 0)
            {
                await WaitForQuietAsync(options);
            }
            for (var i = 0; i < options.ColdStarts; i++)
            {
                var ms = await ColdStartAsync(botDll, botDirectory, storage, prefix);
                report.ColdStartsMs.Add(ms);
                Progress($"cold start {i + 1}/{options.ColdStarts}: {ms:0} ms");
            }

            // 2. The bot with authentication ON, as its own process.
            var botPort = Azurite.FreePort();
            var botEnvironment = new Dictionary<string, string?>
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{botPort}",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["DOTNET_ENVIRONMENT"] = null,
                ["Bot__AppId"] = AppId,
                ["Bot__AppPassword"] = "bench-only-password",
                ["Bot__OpenIdMetadataUrl"] = identity.MetadataUrl,
                ["Bot__AuthorityHost"] = entra.AuthorityHost,
                ["Storage__ConnectionString"] = storage,
                ["Storage__TablePrefix"] = prefix,
                // Trust the fake Entra endpoint's throwaway certificate (MSAL needs https).
                ["SSL_CERT_FILE"] = entra.CertificateFile,
            };
            foreach (var (key, value) in options.BotEnvironment)
            {
                botEnvironment[key] = value;
            }
            using var bot = ChildProcess.Start("dotnet", [botDll], botDirectory, botEnvironment);
            var botUrl = $"http://127.0.0.1:{botPort}";
            await WaitForAsync(bot, botUrl + "/readyz", "SendPlans.Bot");

            var peerPort = Azurite.FreePort();
            var peerUrl = $"http://127.0.0.1:{peerPort}";
            using var peer = options.Peer ? StartPeer(root, identity.MetadataUrl, peerPort) : null;
            if (peer is not null)
            {
                await WaitForAsync(peer, peerUrl + "/healthz", "botbuilder peer");
            }

            var activity = Activity(connector.ServiceUrl);
            var processes = new Dictionary<string, int> { ["SendPlans.Bot"] = bot.Id };
            if (peer is not null)
            {
                processes["botbuilder peer"] = peer.Id;
            }
            if (CpuMeter.FindChild("azurite") is { } azurite)
            {
                processes["azurite"] = azurite;
            }
            // Warm-ups one after the other, then the measured runs interleaved in rounds (bot, peer,
            // peer, bot, ...) so both face the same share of whatever else the machine is doing.
            var targets = new List<Target> { new("SendPlans.Bot", bot, botUrl) };
            if (peer is not null)
            {
                targets.Add(new Target("botbuilder peer", peer, peerUrl));
            }
            var warmups = new Dictionary<string, long>();
            foreach (var target in targets)
            {
                Progress($"{target.Name}: {options.WarmupSeconds} s warm-up at {options.Connections} connections ...");
                await WaitForQuietAsync(options);
                warmups[target.Name] = (await RunLoadAsync(target.Url, token, activity, options.Connections, options.WarmupSeconds, 0)).Requests;
                EnsureRunning(target);
                if (target.Process == bot)
                {
                    report.BotMetadataRequests = identity.MetadataRequests;
                }
            }
            report.PeerMetadataRequests = identity.MetadataRequests - report.BotMetadataRequests;
            var measured = targets.ToDictionary(t => t.Name, t => new LoadResult { Name = t.Name, Warmup = warmups[t.Name] });
            var segment = Math.Max(1, options.DurationSeconds / options.Rounds);
            await WaitForQuietAsync(options);
            for (var round = 0; round < options.Rounds; round++)
            {
                foreach (var target in round % 2 == 0 ? targets : Enumerable.Reverse(targets))
                {
                    Progress($"{target.Name}: round {round + 1}/{options.Rounds}, {segment} s at {options.Connections} connections ...");
                    measured[target.Name].Add(await MeasureAsync(target, token, activity, connector, options.Connections, segment, 0, processes));
                }
            }
            report.Bot = Finish(measured[targets[0].Name]);
            if (peer is not null)
            {
                report.Peer = Finish(measured[targets[1].Name]);
                report.PeerMemory = peer.Memory();
            }

            // 3. Memory: the bot's RSS after a further fixed count of help turns.
            if (options.RssRequests > 0)
            {
                Progress($"SendPlans.Bot: {options.RssRequests} requests at {options.Connections} connections for the RSS figure ...");
                await WaitForQuietAsync(options);
                var rss = new LoadResult { Name = "SendPlans.Bot (RSS run)" };
                rss.Add(await MeasureAsync(new Target("SendPlans.Bot", bot, botUrl), token, activity, connector, options.Connections, 0, options.RssRequests, processes));
                report.Rss = Finish(rss);
                report.BotMemory = bot.Memory();
                report.BotRequestsServed = report.Bot.Warmup + report.Bot.Requests + report.Rss.Requests;
            }
            report.TokenEndpointRequests = entra.Requests;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or JsonException)
        {
            Console.Error.WriteLine($"bench failed: {e.Message}");
            return 1;
        }

        var table = report.Render();
        Console.WriteLine();
        Console.WriteLine(table);
        await File.WriteAllTextAsync(Path.Combine(results, "latest.md"), table);
        await File.WriteAllTextAsync(Path.Combine(results, "latest.json"), report.ToJson());
        Progress($"written: bench/results/latest.md and latest.json");
        return 0;
    }

    private static ChildProcess StartPeer(string root, string metadataUrl, int port)
    {
        return ChildProcess.Start("node", [Path.Combine(root, "bench", "peer", "echo-bot.js")], root, new Dictionary<string, string?>
        {
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["MICROSOFT_APP_ID"] = AppId,
            ["OPENID_METADATA_URL"] = metadataUrl,
            ["CONNECTOR_TOKEN"] = FakeEntraTokenEndpoint.AccessToken,
            ["NODE_ENV"] = "production",
        });
    }

    /// <summary>A help message from Teams in a personal chat; load.js gives each request its own id.</summary>
    private static JsonObject Activity(string serviceUrl) => new()
    {
        ["type"] = "message",
        ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
        ["serviceUrl"] = serviceUrl,
        ["channelId"] = "msteams",
        ["from"] = new JsonObject { ["id"] = "29:user-1", ["name"] = "Test Teacher", ["aadObjectId"] = UserAadObjectId },
        ["recipient"] = new JsonObject { ["id"] = "28:" + AppId, ["name"] = "SendPlans" },
        ["conversation"] = new JsonObject { ["id"] = "a:personal-chat-1", ["conversationType"] = "personal", ["tenantId"] = "tenant-1" },
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = "tenant-1" } },
        ["text"] = "help",
    };

    /// <summary>The user is a known teacher, so the help card is the full one (roles and commands).</summary>
    private static async Task SeedStaffAsync(string storage, string prefix)
    {
        var service = new TableServiceClient(storage);
        var index = service.GetTableClient(prefix + "StaffIndex");
        await index.CreateIfNotExistsAsync();
        await index.UpsertEntityAsync(new TableEntity(UserAadObjectId, "school") { ["SchoolId"] = "school-1" });
        var staff = service.GetTableClient(prefix + "Staff");
        await staff.CreateIfNotExistsAsync();
        await staff.UpsertEntityAsync(new TableEntity("school-1", UserAadObjectId)
        {
            ["Email"] = "teacher@school.example",
            ["DisplayName"] = "Test Teacher",
            ["Roles"] = "Teacher,SENCo",
            ["Classes"] = "5B",
        });
    }

    private static async Task<double> ColdStartAsync(string botDll, string botDirectory, string storage, string prefix)
    {
        var port = Azurite.FreePort();
        var url = $"http://127.0.0.1:{port}/healthz";
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1) }) { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        using var bot = ChildProcess.Start("dotnet", [botDll], botDirectory, new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = null,
            ["Bot__AppId"] = "",
            ["Storage__ConnectionString"] = storage,
            ["Storage__TablePrefix"] = prefix,
        });
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (bot.HasExited)
            {
                throw new InvalidOperationException($"the bot exited during a cold start:{Environment.NewLine}{bot.Tail}");
            }
            try
            {
                using var response = await http.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return clock.Elapsed.TotalMilliseconds;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(2);
        }
        throw new TimeoutException($"the bot did not answer /healthz within 30 s:{Environment.NewLine}{bot.Tail}");
    }

    private static async Task WaitForAsync(ChildProcess process, string url, string name)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited at start:{Environment.NewLine}{process.Tail}");
            }
            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"{name} was not ready at {url} within 60 s:{Environment.NewLine}{process.Tail}");
    }

    private sealed record Target(string Name, ChildProcess Process, string Url);

    /// <summary>One measured run of one target, with the CPU each process spent and the Connector's count.</summary>
    private static async Task<LoadResult> MeasureAsync(Target target, string token, JsonObject activity, FastConnector connector, int connections, int seconds, int amount, Dictionary<string, int> processes)
    {
        var before = connector.Counts;
        var cpuBefore = CpuMeter.Sample();
        var result = await RunLoadAsync(target.Url, token, activity, connections, seconds, amount);
        var cpu = CpuMeter.Sample().Since(cpuBefore, processes);
        var after = connector.Counts;
        EnsureRunning(target);
        result.Name = target.Name;
        result.Segments = 1;
        result.Replies = after.Requests - before.Requests;
        result.AuthorizedReplies = after.Authorized - before.Authorized;
        result.ForeignCpuPercent = cpu.ForeignPercent;
        result.CpuSeconds = cpu.PerProcessCpuSeconds;
        return result;
    }

    private static LoadResult Finish(LoadResult r)
    {
        r.Complete();
        Progress($"{r.Name}: {r.RequestsPerSecond:0} req/s, p50 {r.LatencyMs.P50:0.0} ms, p99 {r.LatencyMs.P99:0.0} ms, "
            + $"{r.Errors} errors, {r.Non2xx} non-2xx; the Connector got {r.Replies} replies for {r.Requests} requests; "
            + $"other processes took {r.ForeignCpuPercent:0}% of the CPU; CPU ms per turn: {string.Join(", ", r.CpuMsPerTurn.Select(p => $"{p.Key} {p.Value:0.00}"))}");
        return r;
    }

    private static async Task<LoadResult> RunLoadAsync(string url, string token, JsonObject activity, int connections, int durationSeconds, int amount)
    {
        var config = new JsonObject
        {
            ["url"] = url + "/api/messages",
            ["token"] = token,
            ["activity"] = activity.DeepClone(),
            ["connections"] = connections,
            ["durationSeconds"] = durationSeconds,
            ["amount"] = amount,
        };
        var budget = TimeSpan.FromSeconds(durationSeconds + 60 + (amount / 100));
        var output = await ChildProcess.RunAsync("node", [Path.Combine(Paths.RepoRoot, "bench", "load.js"), config.ToJsonString()], Paths.RepoRoot, budget);
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        return JsonSerializer.Deserialize(line, ResultJsonContext.Default.LoadResult) ?? throw new JsonException("load.js printed no result");
    }

    private static void EnsureRunning(Target target)
    {
        if (target.Process.HasExited)
        {
            throw new InvalidOperationException($"{target.Name} exited under load:{Environment.NewLine}{target.Process.Tail}");
        }
    }

    /// <summary>
    /// Waits (a bounded time) until processes outside the bench leave the CPU alone, since a
    /// shared 2-core machine makes every figure depend on what else runs. The run records the
    /// share it had anyway.
    /// </summary>
    private static async Task WaitForQuietAsync(BenchOptions options)
    {
        var deadline = DateTime.UtcNow.AddSeconds(options.QuietWaitSeconds);
        while (true)
        {
            var start = CpuMeter.Sample();
            await Task.Delay(TimeSpan.FromSeconds(2));
            var foreign = CpuMeter.Sample().Since(start, new Dictionary<string, int>()).ForeignPercent;
            if (foreign <= options.QuietPercent)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                Progress($"the machine is still busy ({foreign:0}% CPU outside the bench); measuring anyway");
                return;
            }
            Progress($"waiting for a quiet machine: {foreign:0}% CPU outside the bench");
        }
    }

    private static void Progress(string message) => Console.Error.WriteLine($"[bench] {message}");
}
