using System.Diagnostics;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Hosting;

/// <summary>The watchdog that keeps test servers from outliving a killed test run.</summary>
public sealed class OrphanGuardTests
{
    [Fact]
    public async Task Wrap_ParentKilled_StopsTheServer()
    {
        using var parent = Process.Start(new ProcessStartInfo("sleep", ["60"]))!;
        using var guard = Process.Start(OrphanGuard.Wrap("sleep", ["60"], parent.Id))!;
        await Task.Delay(300);
        guard.HasExited.Should().BeFalse("the server runs while its parent lives");

        parent.Kill();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await guard.WaitForExitAsync(timeout.Token);
        guard.ExitCode.Should().Be(143, "the server was stopped with SIGTERM, and the guard waited for it");
    }

    [Fact]
    public async Task Wrap_ServerExits_GuardReturnsItsExitCode()
    {
        using var guard = Process.Start(OrphanGuard.Wrap("bash", ["-c", "exit 7"]))!;

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await guard.WaitForExitAsync(timeout.Token);

        guard.ExitCode.Should().Be(7);
    }
}
