using System.Diagnostics;

namespace SendPlans.Tests.Support;

/// <summary>Runs one of the repository's node scripts with JSON on stdin and returns its stdout.</summary>
public static class NodeTool
{
    public static async Task<string> RunAsync(string script, string stdin, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("node", [Path.Combine(Paths.RepoRoot, script), .. args])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Paths.RepoRoot,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within {timeout}.");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} exited {process.ExitCode}: {await error}");
        }
        return await output;
    }
}
