using Microsoft.Extensions.Hosting;

namespace SendPlans.Infrastructure.Jobs;

/// <summary>
/// A timed job that any number of instances may host but only one runs at a time: each pass
/// takes the job's lease, does the work, and gives the lease back.
/// </summary>
public abstract class LeasedJob(TableLeases leases, TimeProvider time) : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected abstract string LeaseName { get; }

    /// <summary>How long a pass may hold the lease before another instance may take it (a crashed holder).</summary>
    protected abstract TimeSpan LeaseDuration { get; }

    protected abstract TimeSpan Interval { get; }

    protected abstract bool RunsInBackground { get; }

    /// <summary>The work of one pass; returns how many things it did.</summary>
    protected abstract Task<int> RunPassAsync(CancellationToken cancellationToken);

    /// <summary>A pass that failed for a passing reason; the next pass tries again.</summary>
    protected abstract void OnPassFailed(Exception exception);

    /// <summary>One pass under the lease; 0 when another instance holds it.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!await leases.TryAcquireAsync(LeaseName, _owner, LeaseDuration, cancellationToken))
        {
            return 0;
        }
        try
        {
            return await RunPassAsync(cancellationToken);
        }
        finally
        {
            await leases.ReleaseAsync(LeaseName, _owner, CancellationToken.None);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!RunsInBackground)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Storage being down surfaces as RequestFailedException, HttpRequestException or,
                // once Azure.Core's retries give up, AggregateException. No failed pass may stop
                // the host: the bot keeps answering and the next pass tries again.
                OnPassFailed(e);
            }
            await Task.Delay(Interval, Time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
