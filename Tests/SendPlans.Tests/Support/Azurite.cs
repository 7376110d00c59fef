using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SendPlans.Tests.Support;

/// <summary>
/// One Azurite table service for the whole test run, on a free port. Every test gets its own
/// table prefix, so tests run in parallel without seeing each other's rows.
/// </summary>
public static class Azurite
{
    private static readonly Lazy<Task<int>> Port = new(StartAsync);
    private static Process? _process;
    private static int _prefixCounter;

    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static async Task<string> ConnectionStringAsync()
    {
        var port = await Port.Value;
        return $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
    }

    /// <summary>A table-name prefix no other test uses (letters and digits only, as table names require).</summary>
    public static string NewPrefix() => $"t{Environment.ProcessId % 10000}x{Interlocked.Increment(ref _prefixCounter)}";

    private static async Task<int> StartAsync()
    {
        var port = FreePort();
        var exe = Path.Combine(Paths.RepoRoot, "node_modules", ".bin", "azurite-table");
        if (!File.Exists(exe))
        {
            throw new InvalidOperationException("Azurite is not installed: run npm ci at the repository root (scripts/test.sh does).");
        }
        var start = OrphanGuard.Wrap(exe, ["--tableHost", "127.0.0.1", "--tablePort", port.ToString(), "--inMemoryPersistence", "--silent", "--disableTelemetry", "--skipApiVersionCheck"]);
        _process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return port;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new InvalidOperationException($"Azurite did not listen on port {port} within 20 s.");
    }

    private static void Stop()
    {
        try
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public static class Paths
{
    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SendPlans.Bot.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Could not find the repository root (SendPlans.Bot.sln).");
    }
}
