using System.Globalization;
using System.Text.RegularExpressions;

namespace SendPlans.Tests.Support;

/// <summary>
/// The Microsoft 365 Agents Playground (npm) as a Teams client for a bot: no credentials, the
/// msteams channel, its web UI on a free port. It runs in a temporary folder because it writes
/// a log folder and reads a config file from its working directory.
/// </summary>
public sealed partial class PlaygroundProcess : IAsyncDisposable
{
    private readonly string _workDirectory;

    private PlaygroundProcess(ChildProcess process, int port, string workDirectory)
    {
        Process = process;
        Port = port;
        _workDirectory = workDirectory;
    }

    public ChildProcess Process { get; }

    public int Port { get; }

    /// <summary>The web UI, as the Playground itself would open it.</summary>
    public Uri WebUrl => new($"http://localhost:{Port}/");

    /// <summary>Where the Playground's own log goes (what it sent and received).</summary>
    public string ToolLogPath => Path.Combine(_workDirectory, "playground.log");

    /// <param name="user">Who the Playground's user is (tools/playground/config.js): alex (its default), megan, adele, isaiah, patti or lynne.</param>
    public static async Task<PlaygroundProcess> StartAsync(Uri botMessagesUrl, string? user = null)
    {
        var exe = Path.Combine(Paths.RepoRoot, "node_modules", ".bin", "agentsplayground");
        if (!File.Exists(exe))
        {
            throw new InvalidOperationException("The Agents Playground is not installed: run npm ci at the repository root.");
        }
        var workDirectory = Directory.CreateTempSubdirectory("sendplans-playground-").FullName;
        if (user is not null)
        {
            var config = await NodeTool.RunAsync(Path.Combine("tools", "playground", "config.js"), "", TimeSpan.FromSeconds(30), user);
            await File.WriteAllTextAsync(Path.Combine(workDirectory, ".m365agentsplayground.yml"), config);
        }
        var process = ChildProcess.Start(
            "the Agents Playground",
            exe,
            ["-e", botMessagesUrl.ToString(), "-c", "msteams", "-p", Azurite.FreePort().ToString(CultureInfo.InvariantCulture), "--disable-telemetry"],
            workDirectory,
            new Dictionary<string, string?>
            {
                ["TEAMSAPPTESTER_BROWSER"] = "none",
                ["M365_AGENTS_PLAYGROUND_LOGFILE"] = Path.Combine(workDirectory, "playground.log"),
            });
        try
        {
            // It moves to a random port when the one asked for was taken meanwhile, and says which.
            var listening = await process.WaitForOutputAsync(ListeningPattern(), TimeSpan.FromSeconds(30));
            var playground = new PlaygroundProcess(process, int.Parse(listening.Groups["port"].Value, CultureInfo.InvariantCulture), workDirectory);
            await process.WaitForHttpOkAsync(playground.WebUrl, TimeSpan.FromSeconds(30));
            return playground;
        }
        catch
        {
            await process.DisposeAsync();
            TryDelete(workDirectory);
            throw;
        }
    }

    /// <summary>The Playground's own log, for failure messages.</summary>
    public string ToolLog() => File.Exists(ToolLogPath) ? File.ReadAllText(ToolLogPath) : "(no log written)";

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        TryDelete(_workDirectory);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [GeneratedRegex(@"^Listening on (?<port>\d+)")]
    private static partial Regex ListeningPattern();
}
