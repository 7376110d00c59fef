using System.Reflection;
using System.Text.RegularExpressions;

namespace SendPlans.Tests.Support;

/// <summary>
/// The real bot as its own process, built in the same configuration as the tests, in dev mode
/// on a loopback port the OS picks, with storage in the run's Azurite under a fresh prefix.
/// </summary>
public sealed partial class BotProcess : IAsyncDisposable
{
    private BotProcess(ChildProcess process, Uri baseUrl)
    {
        Process = process;
        BaseUrl = baseUrl;
    }

    public ChildProcess Process { get; }

    /// <summary>e.g. http://127.0.0.1:41234/</summary>
    public Uri BaseUrl { get; }

    public Uri MessagesUrl => new(BaseUrl, "api/messages");

    public static async Task<BotProcess> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var output = BuildOutput();
        var dll = Path.Combine(output, "SendPlans.Bot.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"The bot is not built at {dll}: build the solution in the tests' configuration first.");
        }
        var environment = new Dictionary<string, string?>
        {
            // The test runner's own settings must not leak in and turn dev mode off.
            ["Bot__AppId"] = "",
            ["Storage__ConnectionString"] = await Azurite.ConnectionStringAsync(),
            ["Storage__TablePrefix"] = Azurite.NewPrefix(),
            ["Calendar__Provider"] = "Local",
            ["ASPNETCORE_URLS"] = null,
            ["ASPNETCORE_HTTP_PORTS"] = null,
            ["ASPNETCORE_HTTPS_PORTS"] = null,
            // The port is read from this line, so it must be logged whatever appsettings says.
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = ChildProcess.Start(
            "the bot",
            DotnetHost(),
            [dll, "--urls", "http://127.0.0.1:0"],
            workingDirectory: output, // content root: appsettings.json is copied next to the dll
            environment);
        try
        {
            var listening = await process.WaitForOutputAsync(ListeningPattern(), TimeSpan.FromSeconds(60));
            var baseUrl = new Uri(listening.Groups["url"].Value.TrimEnd('/') + "/");
            await process.WaitForHttpOkAsync(new Uri(baseUrl, "readyz"), TimeSpan.FromSeconds(30));
            return new BotProcess(process, baseUrl);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs one of the bot's commands (e.g. seed-demo) against the run's Azurite under <paramref name="tablePrefix"/>.</summary>
    public static async Task RunCommandAsync(string tablePrefix, params string[] args)
    {
        var output = BuildOutput();
        await using var process = ChildProcess.Start(
            "the bot's command line",
            DotnetHost(),
            [Path.Combine(output, "SendPlans.Bot.dll"), .. args],
            workingDirectory: output,
            new Dictionary<string, string?>
            {
                ["Storage__ConnectionString"] = await Azurite.ConnectionStringAsync(),
                ["Storage__TablePrefix"] = tablePrefix,
                ["Calendar__Provider"] = "Local",
            });
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(120));
        if (exit != 0)
        {
            throw new InvalidOperationException($"'{string.Join(' ', args)}' exited {exit}:\n{process.Output}");
        }
    }

    /// <summary>Bot/bin/&lt;configuration the tests were built with&gt;/&lt;tfm&gt;.</summary>
    private static string BuildOutput()
    {
        var configuration = typeof(BotProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        return Path.Combine(Paths.RepoRoot, "Bot", "bin", configuration, framework);
    }

    /// <summary>The dotnet host running these tests (the SDK sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    [GeneratedRegex(@"Now listening on: (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningPattern();
}
