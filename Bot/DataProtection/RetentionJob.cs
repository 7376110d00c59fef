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
    ILogger<RetentionJob> logger) : LeasedJob(leases, time)
{
    private static readonly RosterReader Reader = RosterReader.System("retention period ended");

    protected override string LeaseName => "retention";

    protected override TimeSpan LeaseDuration => TimeSpan.FromMinutes(30);

    protected override TimeSpan Interval => options.Value.RunEvery;

    protected override bool RunsInBackground => options.Value.RunInBackground;

    protected override void OnPassFailed(Exception exception) => Log.RetentionFailed(logger, exception.GetType().Name);

    /// <summary>One sweep over every school; returns how many pupils were erased.</summary>
    protected override async Task<int> RunPassAsync(CancellationToken cancellationToken)
    {
        var cutoff = Time.GetUtcNow() - options.Value.KeepAfterLeaving;
        var pupils = await storage.GetTableAsync(RosterEntities.PupilsTable, cancellationToken);
        var due = await pupils.QueryAllAsync(TableClient.CreateQueryFilter($"Archived eq true and ArchivedAt lt {cutoff}"), ["PartitionKey", "RowKey"], cancellationToken);
        foreach (var pupil in due)
        {
            await erasure.EraseAsync(Reader, pupil.PartitionKey, pupil.RowKey, cancellationToken);
        }
        return due.Count;
    }
}
