using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SendPlans.Tests.Support;

/// <summary>
/// A server a test starts as a separate process (the bot, the Playground): its output is kept
/// for failure messages, and it is killed with its whole tree on dispose, or when the test
/// run ends if a test never got that far, so no server outlives the tests.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int MaxLines = 2000;
    private static readonly ConcurrentDictionary<ChildProcess, bool> Running = new();
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    static ChildProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var child in Running.Keys)
        {
            child.Kill();
        }
    };

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote so far, stdout and stderr interleaved.</summary>
    public string Output => string.Join('\n', _lines);

    /// <param name="environment">Variables to set on top of this process's own; a null value removes one.</param>
    public static ChildProcess Start(
        string name,
        string fileName,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = OrphanGuard.Wrap(fileName, arguments);
        start.RedirectStandardInput = true; // a child that reads stdin sees it closed rather than the test's console
        start.WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory;
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
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
        var process = new Process { StartInfo = start };
        var child = new ChildProcess(name, process);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"{name} did not start ({fileName}).");
        }
        Running[child] = true;
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The first output line matching <paramref name="pattern"/>; fails early if the process exits.</summary>
    public async Task<Match> WaitForOutputAsync(Regex pattern, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            foreach (var line in _lines)
            {
                var match = pattern.Match(line);
                if (match.Success)
                {
                    return match;
                }
            }
            if (_process.HasExited)
            {
                throw Failure($"exited with code {_process.ExitCode} before writing /{pattern}/");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw Failure($"did not write /{pattern}/ within {timeout.TotalSeconds:0} s");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until GET <paramref name="url"/> answers 2xx; fails early if the process exits.</summary>
    public async Task WaitForHttpOkAsync(Uri url, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        var last = "no answer";
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
                last = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }
            if (_process.HasExited)
            {
                throw Failure($"exited with code {_process.ExitCode} before {url} answered");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw Failure($"did not answer {url} within {timeout.TotalSeconds:0} s ({last})");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Waits for a process that ends by itself (a command); its exit code, all output read.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            throw Failure($"did not finish within {timeout.TotalSeconds:0} s");
        }
        return _process.ExitCode;
    }

    /// <summary>An exception naming the process and carrying its output, which is usually where the cause is.</summary>
    public InvalidOperationException Failure(string what) =>
        new($"{Name} (pid {_process.Id}) {what}. Its output:\n{Output}");

    public async ValueTask DisposeAsync()
    {
        Kill();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            // a process that ignores SIGKILL for 10 s is beyond our help; do not hang the run
        }
        Running.TryRemove(this, out _);
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // already gone
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        _lines.Enqueue(line);
        while (_lines.Count > MaxLines && _lines.TryDequeue(out _))
        {
        }
    }
}
