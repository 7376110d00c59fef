using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SendPlans.Infrastructure.Jobs;
using SendPlans.Infrastructure.Storage;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Jobs;

/// <summary>The leased timed-job loop, on Azurite.</summary>
public sealed class LeasedJobTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
    private BotFactory _bot = null!;

    public async Task InitializeAsync() => _bot = await BotFactory.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task ExecuteAsync_PassThrowsAggregateException_KeepsRunningAndRetries()
    {
        var job = new FailingJob(new TableLeases(_bot.Services.GetRequiredService<TableStorage>(), _time), _time);
        using var stopping = new CancellationTokenSource();

        await job.StartAsync(stopping.Token);
        await job.Failures.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        // Advance until the next pass fails: a single advance could come before the job starts its wait.
        var second = job.Failures.Reader.ReadAsync().AsTask();
        for (var i = 0; i < 200 && !second.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            await Task.WhenAny(second, Task.Delay(50));
        }
        await second.WaitAsync(TimeSpan.FromSeconds(10));

        job.ExecuteTask!.IsCompleted.Should().BeFalse("a failed pass must never end the job, or the host with it");
        await job.StopAsync(CancellationToken.None);
        job.ExecuteTask.IsCompletedSuccessfully.Should().BeTrue();
    }

    private sealed class FailingJob(TableLeases leases, TimeProvider time) : LeasedJob(leases, time)
    {
        public System.Threading.Channels.Channel<Exception> Failures { get; } = System.Threading.Channels.Channel.CreateUnbounded<Exception>();

        protected override string LeaseName => "failing-job";

        protected override TimeSpan LeaseDuration => TimeSpan.FromSeconds(30);

        protected override TimeSpan Interval => TimeSpan.FromMinutes(1);

        protected override bool RunsInBackground => true;

        protected override Task<int> RunPassAsync(CancellationToken cancellationToken) =>
            throw new AggregateException("Retry failed after 4 tries.", new HttpRequestException("connection refused"));

        protected override void OnPassFailed(Exception exception) => Failures.Writer.TryWrite(exception);
    }
}
