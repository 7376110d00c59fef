using System.Globalization;
using SendPlans.Bench;

// bench/run.sh builds Release and runs this; see docs/benchmarks.md.
var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}
return await BenchRun.RunAsync(options);

namespace SendPlans.Bench
{
    public sealed record BenchOptions(
        int Connections,
        int WarmupSeconds,
        int DurationSeconds,
        int Rounds,
        int RssRequests,
        int ColdStarts,
        string Configuration,
        bool Peer,
        int QuietWaitSeconds,
        double QuietPercent,
        IReadOnlyDictionary<string, string> BotEnvironment)
    {
        /// <summary>Where SendPlans.Bot.dll is: the build output, or a published folder (--bot-directory).</summary>
        public string? BotDirectory { get; init; }

        public const string Usage = """
            usage: SendPlans.Bench [--connections 64] [--warmup 30] [--duration 15] [--rounds 3] [--rss-requests 100000]
                                   [--cold-starts 5] [--configuration Release] [--no-peer]
                                   [--quiet-wait 60] [--quiet-percent 10] [--bot-env NAME=VALUE]... [--bot-directory DIR]
            --bot-directory runs the bot from a published folder (bench/run.sh publishes ReadyToRun there);
            without it, from Bot/bin/<configuration>/net10.0.
            --bot-env sets an environment variable for the bot under load (e.g. DOTNET_PerfMapEnabled=1
            to profile it with perf); the figures in docs/benchmarks.md use none.
            """;

        public static BenchOptions? Parse(string[] args)
        {
            var o = new BenchOptions(64, 30, 15, 3, 100_000, 5, "Release", true, 60, 10, new Dictionary<string, string>());
            var botEnvironment = new Dictionary<string, string>();
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
                switch (args[i])
                {
                    case "--connections": o = o with { Connections = NextInt() }; break;
                    case "--warmup": o = o with { WarmupSeconds = NextInt() }; break;
                    case "--duration": o = o with { DurationSeconds = NextInt() }; break;
                    case "--rounds": o = o with { Rounds = NextInt() }; break;
                    case "--rss-requests": o = o with { RssRequests = NextInt() }; break;
                    case "--cold-starts": o = o with { ColdStarts = NextInt() }; break;
                    case "--configuration": o = o with { Configuration = Next() }; break;
                    case "--no-peer": o = o with { Peer = false }; break;
                    case "--bot-directory": o = o with { BotDirectory = Path.GetFullPath(Next()) }; break;
                    case "--quiet-wait": o = o with { QuietWaitSeconds = NextInt() }; break;
                    case "--quiet-percent": o = o with { QuietPercent = NextInt() }; break;
                    case "--bot-env":
                        var pair = Next().Split('=', 2);
                        botEnvironment[pair[0]] = pair.Length == 2 ? pair[1] : "";
                        break;
                    default: return null;
                }
            }
            o = o with { BotEnvironment = botEnvironment };
            // Bounded by design: every load is a fixed duration or count against 127.0.0.1.
            return o.Connections is > 0 and <= 1024 && o.DurationSeconds is > 0 and <= 300 && o.WarmupSeconds is >= 0 and <= 120 && o.Rounds is > 0 and <= 15
                && o.RssRequests is >= 0 and <= 1_000_000 && o.ColdStarts is >= 0 and <= 50 && o.QuietWaitSeconds is >= 0 and <= 1800
                ? o
                : null;
        }
    }
}
