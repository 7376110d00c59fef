using System.Diagnostics;

namespace SendPlans.Tests.Support;

/// <summary>
/// Runs a long-lived server (Azurite, the bot, the Playground) under a small bash watchdog
/// that stops it when the test process is gone. The test host's ProcessExit handlers do not
/// run when it is killed outright (a CI timeout, a crash), and without this a stray Azurite
/// would hold its port and memory until the machine restarts.
/// </summary>
public static class OrphanGuard
{
    private const string Watchdog = """
        parent=$1; shift
        "$@" &
        child=$!
        trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit 143' TERM INT HUP
        while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 0.5; done
        kill -TERM "$child" 2>/dev/null
        wait "$child"
        """;

    /// <summary>The same command, to start through the watchdog (output redirected); its exit code is the server's.</summary>
    public static ProcessStartInfo Wrap(string fileName, IEnumerable<string> arguments) =>
        Wrap(fileName, arguments, Environment.ProcessId);

    /// <summary>As above, watching <paramref name="parentProcessId"/> instead of this process.</summary>
    public static ProcessStartInfo Wrap(string fileName, IEnumerable<string> arguments, int parentProcessId) =>
        new("bash", ["-c", Watchdog, "orphan-guard", parentProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), fileName, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
}
