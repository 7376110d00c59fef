using System.Diagnostics;

namespace SendPlans.Tests.Support;

/// <summary>
/// Real time, run faster: a delay of d waits d / speed, and the clock moves speed times as fast,
/// so code that honours a 1 s Retry-After does so in 1/speed s against a real HTTP server.
/// </summary>
public sealed class ScaledTimeProvider(double speed) : TimeProvider
{
    private readonly DateTimeOffset _origin = DateTimeOffset.UtcNow;
    private readonly long _started = Stopwatch.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => _origin + Stopwatch.GetElapsedTime(_started) * speed;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, Scale(dueTime), Scale(period));

    private TimeSpan Scale(TimeSpan span) => span == Timeout.InfiniteTimeSpan || span == TimeSpan.Zero ? span : span / speed;
}
