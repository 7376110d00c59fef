using System.Globalization;

namespace SendPlans.Bench;

/// <summary>
/// CPU time from /proc, to tell how much of the machine a run had. This machine may be shared
/// (other builds and tests), and 2 cores leave no slack: every run reports the share of CPU
/// that processes outside the bench took, and the CPU time each of the bench's own processes
/// spent per request, which is far less sensitive to contention than req/s.
/// </summary>
public sealed class CpuMeter
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    private CpuMeter(long machineTotal, long machineBusy, Dictionary<int, ProcessTicks> processes)
    {
        MachineTotal = machineTotal;
        MachineBusy = machineBusy;
        Processes = processes;
    }

    private long MachineTotal { get; }
    private long MachineBusy { get; }
    private Dictionary<int, ProcessTicks> Processes { get; }

    private readonly record struct ProcessTicks(int ParentId, long Own, long Children);

    public static CpuMeter Sample()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user)
        var total = cpu.Take(8).Sum();
        var busy = total - cpu[3] - cpu[4];
        var processes = new Dictionary<int, ProcessTicks>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                long L(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
                processes[pid] = new ProcessTicks(int.Parse(f[1], CultureInfo.InvariantCulture), L(11) + L(12), L(13) + L(14));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // the process ended while we read
            }
        }
        return new CpuMeter(total, busy, processes);
    }

    /// <summary>What happened between <paramref name="start"/> and this sample.</summary>
    public CpuUsage Since(CpuMeter start, IReadOnlyDictionary<string, int> named)
    {
        var self = Environment.ProcessId;
        var elapsedTicks = MachineTotal - start.MachineTotal;
        var busy = MachineBusy - start.MachineBusy;
        var ours = Tree(self) - start.Tree(self);
        var perProcess = named.ToDictionary(p => p.Key, p => (Tree(p.Value) - start.Tree(p.Value)) / TicksPerSecond);
        // The bench process itself runs the fakes (Connector, identity, Entra); the load generator
        // is a child it waited for, so its time is in the bench's reaped-children ticks.
        perProcess["bench fakes"] = (Own(self) - start.Own(self)) / TicksPerSecond;
        perProcess["load generator"] = (Reaped(self) - start.Reaped(self)) / TicksPerSecond;
        return new CpuUsage(
            Math.Max(0, busy - ours) * 100.0 / Math.Max(1, elapsedTicks),
            ours / TicksPerSecond,
            perProcess);
    }

    /// <summary>The id of a live child of this process whose command line contains <paramref name="text"/>.</summary>
    public static int? FindChild(string text)
    {
        foreach (var (pid, ticks) in Sample().Processes)
        {
            if (ticks.ParentId != Environment.ProcessId)
            {
                continue;
            }
            try
            {
                if (File.ReadAllText($"/proc/{pid}/cmdline").Contains(text, StringComparison.Ordinal))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
            }
        }
        return null;
    }

    private long Own(int pid) => Processes.TryGetValue(pid, out var t) ? t.Own : 0;

    private long Reaped(int pid) => Processes.TryGetValue(pid, out var t) ? t.Children : 0;

    /// <summary>Ticks of a process and every live descendant, plus those of descendants already reaped.</summary>
    private long Tree(int root)
    {
        var children = Processes.GroupBy(p => p.Value.ParentId).ToDictionary(g => g.Key, g => g.Select(p => p.Key).ToList());
        long sum = 0;
        var pending = new Stack<int>([root]);
        while (pending.Count > 0)
        {
            var pid = pending.Pop();
            if (Processes.TryGetValue(pid, out var t))
            {
                sum += t.Own + t.Children;
            }
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                pending.Push(child);
            }
        }
        return sum;
    }
}

/// <param name="ForeignPercent">CPU taken by processes outside the bench, in % of the whole machine (all cores).</param>
/// <param name="BenchCpuSeconds">CPU seconds of the bench and everything it started.</param>
/// <param name="PerProcessCpuSeconds">CPU seconds of each named process (and its children).</param>
public sealed record CpuUsage(double ForeignPercent, double BenchCpuSeconds, Dictionary<string, double> PerProcessCpuSeconds);
