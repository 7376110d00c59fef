using System.Diagnostics;
using System.Globalization;

namespace SendPlans.Bench;

/// <summary>
/// A process the bench started: its output is drained (the last lines kept for errors), and
/// disposing it kills it and its children, so a run leaves nothing behind.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private static readonly List<ChildProcess> Live = [];
    private readonly Process _process;
    private readonly Queue<string> _tail = new();

    static ChildProcess()
    {
        // Ctrl-C or SIGTERM ends the bench without running its using blocks: kill what is left.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (Live)
            {
                foreach (var child in Live.ToList())
                {
                    child.Dispose();
                }
            }
        };
    }

    private ChildProcess(Process process)
    {
        _process = process;
        lock (Live)
        {
            Live.Add(this);
        }
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process wrote, for a failure message.</summary>
    public string Tail
    {
        get
        {
            lock (_tail)
            {
                return string.Join(Environment.NewLine, _tail);
            }
        }
    }

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs a process to its end and returns what it wrote to standard output.</summary>
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} ran longer than {timeout}.");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} exited with {process.ExitCode}: {await stderr}");
        }
        return await stdout;
    }

    /// <summary>
    /// VmRSS and VmHWM (peak) of the process, in MiB, from /proc/&lt;pid&gt;/status; the split of
    /// the RSS (anonymous memory, mapped files) is written to standard error.
    /// </summary>
    public (double RssMiB, double PeakRssMiB) Memory()
    {
        double rss = 0, peak = 0;
        var status = File.ReadAllLines($"/proc/{_process.Id}/status");
        Console.Error.WriteLine($"[bench] {Path.GetFileName(_process.StartInfo.FileName)} pid {_process.Id}: "
            + string.Join(", ", status.Where(l => l.StartsWith("Rss", StringComparison.Ordinal) || l.StartsWith("Threads", StringComparison.Ordinal))
                .Select(l => string.Join(' ', l.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries)))));
        Console.Error.WriteLine("[bench] largest resident mappings: " + string.Join(", ", ResidentByMapping().Take(12).Select(m => $"{m.Name} {m.KiB / 1024.0:0.0} MiB")));
        foreach (var line in status)
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = KiB(line) / 1024;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = KiB(line) / 1024;
            }
        }
        return (rss, peak);

        static double KiB(string line) =>
            double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    /// <summary>Resident KiB per mapped file (or [heap], [anon], ...) from /proc/&lt;pid&gt;/smaps, largest first.</summary>
    private IEnumerable<(string Name, long KiB)> ResidentByMapping()
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        var current = "[anon]";
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/smaps"))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length > 0 && parts[0].Contains('-', StringComparison.Ordinal) && !parts[0].EndsWith(':'))
            {
                current = parts.Length >= 6 ? Path.GetFileName(parts[5]) is { Length: > 0 } name ? name : parts[5] : "[anon]";
            }
            else if (parts.Length >= 2 && parts[0] == "Rss:")
            {
                totals[current] = totals.GetValueOrDefault(current) + long.Parse(parts[1], CultureInfo.InvariantCulture);
            }
        }
        return totals.OrderByDescending(t => t.Value).Select(t => (t.Key, t.Value));
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > 40)
            {
                _tail.Dequeue();
            }
        }
    }

    public void Dispose()
    {
        lock (Live)
        {
            Live.Remove(this);
        }
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
        _process.Dispose();
    }
}
