using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SendPlans.Bench;

public sealed class LoadResult
{
    public string Name { get; set; } = "";

    /// <summary>Requests answered in the warm-up run before this one (not in any other figure).</summary>
    public long Warmup { get; set; }
    public long Requests { get; set; }
    public long Ok { get; set; }
    public double DurationSeconds { get; set; }
    public double RequestsPerSecond { get; set; }
    public LatencyMs LatencyMs { get; set; } = new();
    public long Errors { get; set; }
    public long Timeouts { get; set; }
    public long Non2xx { get; set; }
    public Dictionary<string, long> StatusCodes { get; set; } = [];

    /// <summary>Calls the fake Connector received during the measured run: one reply per turn.</summary>
    public long Replies { get; set; }

    /// <summary>Of those, the calls that carried the bearer token from (fake) Entra ID.</summary>
    public long AuthorizedReplies { get; set; }

    /// <summary>CPU that processes outside the bench took during the run, in % of the machine (all cores).</summary>
    public double ForeignCpuPercent { get; set; }

    /// <summary>CPU milliseconds per turn (Connector reply) of each process in the measured run.</summary>
    public Dictionary<string, double> CpuMsPerTurn { get; set; } = [];

    /// <summary>How many runs (interleaved rounds) were added up into this result.</summary>
    public int Segments { get; set; }

    /// <summary>Every 2xx latency of the run, from load.js; merged, then dropped once the percentiles are known.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<double>? LatenciesMs { get; set; }

    [JsonIgnore]
    public Dictionary<string, double> CpuSeconds { get; set; } = [];

    private double _foreignWeighted;

    /// <summary>Adds one measured run of the same target.</summary>
    public void Add(LoadResult run)
    {
        Requests += run.Requests;
        Ok += run.Ok;
        Errors += run.Errors;
        Timeouts += run.Timeouts;
        Non2xx += run.Non2xx;
        Replies += run.Replies;
        AuthorizedReplies += run.AuthorizedReplies;
        Segments += run.Segments;
        foreach (var (code, count) in run.StatusCodes)
        {
            StatusCodes[code] = StatusCodes.GetValueOrDefault(code) + count;
        }
        foreach (var (process, seconds) in run.CpuSeconds)
        {
            CpuSeconds[process] = CpuSeconds.GetValueOrDefault(process) + seconds;
        }
        _foreignWeighted += run.ForeignCpuPercent * run.DurationSeconds;
        DurationSeconds += run.DurationSeconds;
        (LatenciesMs ??= []).AddRange(run.LatenciesMs ?? []);
    }

    /// <summary>Rates, percentiles (nearest rank over every 2xx latency) and CPU per turn from the sums.</summary>
    public void Complete()
    {
        RequestsPerSecond = Ok / Math.Max(0.001, DurationSeconds);
        ForeignCpuPercent = _foreignWeighted / Math.Max(0.001, DurationSeconds);
        var sorted = (LatenciesMs ?? []).Order().ToArray();
        if (sorted.Length > 0)
        {
            double At(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
            LatencyMs = new LatencyMs { P50 = At(0.50), P90 = At(0.90), P99 = At(0.99), Max = sorted[^1], Mean = sorted.Average() };
        }
        CpuMsPerTurn = CpuSeconds.ToDictionary(p => p.Key, p => Math.Round(p.Value * 1000 / Math.Max(1, Replies), 3));
        LatenciesMs = null;
    }
}

public sealed class LatencyMs
{
    public double P50 { get; set; }
    public double P90 { get; set; }
    public double P99 { get; set; }
    public double Max { get; set; }
    public double Mean { get; set; }
}

public sealed record MachineFacts(string Cpu, int Cores, double MemoryGiB, string Os, string Dotnet, string Node)
{
    public static async Task<MachineFacts> ReadAsync(string root)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memKiB = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var node = (await ChildProcess.RunAsync("node", ["--version"], root, TimeSpan.FromSeconds(10))).Trim();
        return new MachineFacts(cpu, Environment.ProcessorCount, double.Parse(memKiB, CultureInfo.InvariantCulture) / 1024 / 1024,
            RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, node);
    }
}

/// <summary>The figures of one run, the verdict per target, as a markdown table and as JSON.</summary>
public sealed class Report(BenchOptions options, MachineFacts machine)
{
    public const double ThroughputFactorTarget = 3.0;
    public const double P99TargetMs = 20;
    public const double ColdStartTargetMs = 1500;
    public const double RssTargetMiB = 150;

    public BenchOptions Options { get; } = options;
    public MachineFacts Machine { get; } = machine;
    public List<double> ColdStartsMs { get; } = [];
    public LoadResult? Bot { get; set; }
    public LoadResult? Peer { get; set; }
    public LoadResult? Rss { get; set; }
    public (double RssMiB, double PeakRssMiB)? BotMemory { get; set; }
    public (double RssMiB, double PeakRssMiB)? PeerMemory { get; set; }
    public long BotRequestsServed { get; set; }
    public long TokenEndpointRequests { get; set; }
    public long BotMetadataRequests { get; set; }
    public long PeerMetadataRequests { get; set; }

    public double? ColdStartMedianMs => ColdStartsMs.Count == 0 ? null : Median(ColdStartsMs);

    public string Render()
    {
        var s = new StringBuilder();
        var o = Options;
        s.AppendLine(Inv($"Machine: {Machine.Cpu}, {Machine.Cores} cores, {Machine.MemoryGiB:0} GiB; {Machine.Os}; {Machine.Dotnet}; node {Machine.Node}."));
        s.AppendLine(Inv($"Load: autocannon, {o.Connections} connections; per target a {o.WarmupSeconds} s warm-up, then {o.DurationSeconds} s measured in {o.Rounds} interleaved rounds; a `help` message with a unique activity id and the same valid bearer token on every request."));
        s.AppendLine();
        s.AppendLine("| target | req/s | p50 ms | p90 ms | p99 ms | max ms | requests | errors | non-2xx | Connector replies | target CPU ms/turn | CPU taken by other processes | RSS MiB |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Row(s, Bot, Rss is null ? null : BotMemory);
        Row(s, Peer, PeerMemory);
        if (Rss is not null)
        {
            Row(s, Rss, BotMemory);
        }
        s.AppendLine();
        s.AppendLine("| target | figure | verdict |");
        s.AppendLine("|---|---|---|");
        if (Bot is not null && Peer is not null)
        {
            var factor = Bot.RequestsPerSecond / Peer.RequestsPerSecond;
            s.AppendLine(Inv($"| throughput ≥ {ThroughputFactorTarget:0}× peer | {factor:0.00}× ({Bot.RequestsPerSecond:0} vs {Peer.RequestsPerSecond:0} req/s) | {Verdict(factor >= ThroughputFactorTarget && Clean(Bot) && Clean(Peer))} |"));
        }
        if (Bot is not null)
        {
            s.AppendLine(Inv($"| p99 ≤ {P99TargetMs:0} ms at {o.Connections} connections | {Bot.LatencyMs.P99:0.0} ms | {Verdict(Bot.LatencyMs.P99 <= P99TargetMs && Clean(Bot))} |"));
        }
        if (ColdStartMedianMs is { } cold)
        {
            s.AppendLine(Inv($"| cold start to first 200 on /healthz ≤ {ColdStartTargetMs:0} ms | median {cold:0} ms of {ColdStartsMs.Count} ({string.Join(", ", ColdStartsMs.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))}) | {Verdict(cold <= ColdStartTargetMs)} |"));
        }
        if (BotMemory is { } memory && Rss is not null)
        {
            s.AppendLine(Inv($"| RSS ≤ {RssTargetMiB:0} MiB after {o.RssRequests} requests | {memory.RssMiB:0} MiB VmRSS (peak {memory.PeakRssMiB:0}) after {BotRequestsServed} requests | {Verdict(memory.RssMiB <= RssTargetMiB && Clean(Rss))} |"));
        }
        s.AppendLine();
        s.AppendLine("CPU milliseconds per turn of every process in each run (2 cores = 2000 ms of CPU per second):");
        s.AppendLine();
        var runs = new[] { Bot, Peer, Rss }.OfType<LoadResult>().ToList();
        var names = runs.SelectMany(r => r.CpuMsPerTurn.Keys).Distinct().ToList();
        s.AppendLine("| run | " + string.Join(" | ", names) + " |");
        s.AppendLine("|---|" + string.Concat(names.Select(_ => "---:|")));
        foreach (var r in runs)
        {
            s.AppendLine($"| {r.Name} | " + string.Join(" | ", names.Select(n => r.CpuMsPerTurn.TryGetValue(n, out var v) ? v.ToString("0.00", CultureInfo.InvariantCulture) : "")) + " |");
        }
        s.AppendLine();
        s.AppendLine("Notes computed from this run:");
        s.AppendLine();
        if (Bot is not null && Peer is not null && Own(Bot) > 0)
        {
            s.AppendLine(Inv($"- CPU per turn: the peer spent {Own(Peer):0.00} ms, SendPlans.Bot {Own(Bot):0.00} ms ({Own(Peer) / Own(Bot):0.0}× less), for a help card with a storage write and lookup against an echo."));
        }
        if (Bot is not null)
        {
            var others = Bot.CpuMsPerTurn.Where(p => p.Key is "azurite" or "bench fakes" or "load generator").Sum(p => p.Value);
            var azurite = Bot.CpuMsPerTurn.GetValueOrDefault("azurite");
            s.AppendLine(Inv($"- Ceiling of this machine for the bot's run: Azurite, the fakes and the load generator took {others:0.00} ms of CPU per turn, so even a bot costing nothing would get at most {Machine.Cores * 1000 / Math.Max(0.01, others):0} turns/s from {Machine.Cores} cores; Azurite alone ({azurite:0.00} ms per turn on node's one main thread) tops out near {1000 / Math.Max(0.01, azurite):0}."));
            s.AppendLine(Inv($"- Little's law: with {o.Connections} connections each waiting for its answer, the mean latency is {o.Connections} / throughput, so p99 ≤ {P99TargetMs:0} ms needs at least {o.Connections / (P99TargetMs / 1000):0} req/s."));
        }
        s.AppendLine(Inv($"- Fake Entra token requests from the bot: {TokenEndpointRequests}. OpenID metadata fetches: bot {BotMetadataRequests}, peer {PeerMetadataRequests} (botbuilder fetches once per concurrent first request)."));
        return s.ToString();
    }

    public string ToJson() => JsonSerializer.Serialize(new RunRecord(
        DateTimeOffset.UtcNow, Options, Machine, Bot, Peer, Rss, ColdStartsMs, ColdStartMedianMs,
        BotMemory?.RssMiB, BotMemory?.PeakRssMiB, PeerMemory?.RssMiB, BotRequestsServed), ResultJsonContext.Default.RunRecord);

    private static double Own(LoadResult r) => r.CpuMsPerTurn.FirstOrDefault(p => r.Name.StartsWith(p.Key, StringComparison.Ordinal)).Value;

    private static void Row(StringBuilder s, LoadResult? r, (double RssMiB, double PeakRssMiB)? memory)
    {
        if (r is null)
        {
            return;
        }
        var rss = memory is { } m ? Inv($"{m.RssMiB:0}") : "";
        var own = Own(r);
        s.AppendLine(Inv($"| {r.Name} | {r.RequestsPerSecond:0} | {r.LatencyMs.P50:0.0} | {r.LatencyMs.P90:0.0} | {r.LatencyMs.P99:0.0} | {r.LatencyMs.Max:0} | {r.Requests} | {r.Errors} | {r.Non2xx} | {r.Replies} | {own:0.00} | {r.ForeignCpuPercent:0}% | {rss} |"));
    }

    /// <summary>A run counts only if every request succeeded and every turn reached the Connector with its token.</summary>
    /// <remarks>
    /// autocannon counts only the requests answered before a run ends; the up to one per
    /// connection still in flight then (in each measured run or the run before it) are answered
    /// too, so the Connector may get up to that many more.
    /// </remarks>
    private bool Clean(LoadResult r) =>
        r.Errors == 0 && r.Non2xx == 0
        && r.Replies >= r.Requests
        && r.Replies <= r.Requests + (2L * Options.Connections * Math.Max(1, r.Segments))
        && r.AuthorizedReplies == r.Replies;

    private static string Verdict(bool met) => met ? "met" : "**missed**";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Inv(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}

public sealed record RunRecord(
    DateTimeOffset At,
    BenchOptions Options,
    MachineFacts Machine,
    LoadResult? Bot,
    LoadResult? Peer,
    LoadResult? RssRun,
    List<double> ColdStartsMs,
    double? ColdStartMedianMs,
    double? BotRssMiB,
    double? BotPeakRssMiB,
    double? PeerRssMiB,
    long BotRequestsServed);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(LoadResult))]
[JsonSerializable(typeof(RunRecord))]
internal sealed partial class ResultJsonContext : JsonSerializerContext;
