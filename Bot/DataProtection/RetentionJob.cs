using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using SendPlans.Bot.Roster;
using SendPlans.Infrastructure.Jobs;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Bot.DataProtection;

public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>How long a leaver's records are kept after they were archived.</summary>
    public TimeSpan KeepAfterLeaving { get; set; } = TimeSpan.FromDays(730);

    public TimeSpan RunEvery { get; set; } = TimeSpan.FromHours(6);

    public bool RunInBackground { get; set; } = true;
}

/// <summary>
/// Erases leavers whose retention period has passed. It holds the "retention" lease while it
/// runs, so two instances never sweep at once.
/// </summary>
public sealed class RetentionJob(
    TableStorage storage,
    PupilErasure erasure,
    TableLeases leases,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionJob> logger) : BackgroundService
{
    private static readonly RosterReader Reader = RosterReader.System("retention period ended");
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunInBackground)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is RequestFailedException or HttpRequestException && !stoppingToken.IsCancellationRequested)
            {
                Log.RetentionFailed(logger, e.GetType().Name);
            }
            await Task.Delay(options.Value.RunEvery, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>One sweep over every school; returns how many pupils were erased (0 when another instance holds the lease).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!await leases.TryAcquireAsync("retention", _owner, TimeSpan.FromMinutes(30), cancellationToken))
        {
            return 0;
        }
        try
        {
            var cutoff = time.GetUtcNow() - options.Value.KeepAfterLeaving;
            var pupils = await storage.GetTableAsync(RosterEntities.PupilsTable, cancellationToken);
            var due = await pupils.QueryAllAsync(TableClient.CreateQueryFilter($"Archived eq true and ArchivedAt lt {cutoff}"), ["PartitionKey", "RowKey"], cancellationToken);
            foreach (var pupil in due)
            {
                await erasure.EraseAsync(Reader, pupil.PartitionKey, pupil.RowKey, cancellationToken);
            }
            return due.Count;
        }
        finally
        {
            await leases.ReleaseAsync("retention", _owner, CancellationToken.None);
        }
    }
}
