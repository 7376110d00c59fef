using Azure.Data.Tables;
using SendPlans.Bot.Hosting;

namespace SendPlans.Bot.Simulation;

/// <summary>A clock the simulation moves by hand: every service of the simulated bot reads the time from it.</summary>
public sealed class SimulationClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Moves the clock forward to <paramref name="at"/>; never backwards.</summary>
    public void AdvanceTo(DateTimeOffset at)
    {
        if (at > _now)
        {
            _now = at;
        }
    }
}

/// <summary>
/// The whole bot's services (every feature, as the host registers them), built but never started,
/// on tables of their own (a fresh prefix) and on the simulation's clock. Nothing is sent: the
/// outbox dispatcher and the timed jobs are hosted services, which only run when a host starts.
/// A simulation therefore never touches a real school's rows, even in a shared storage account.
/// </summary>
public sealed class SimulationHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _connectionString;

    private SimulationHost(WebApplication app, string connectionString, string tablePrefix)
    {
        _app = app;
        _connectionString = connectionString;
        TablePrefix = tablePrefix;
    }

    public IServiceProvider Services => _app.Services;

    public string TablePrefix { get; }

    /// <summary>
    /// Builds the bot from <paramref name="configuration"/> (storage connection string and any
    /// settings), with <paramref name="settings"/> on top; <paramref name="services"/> may replace
    /// a service (the simulation's stand-in for Teams' attendance reports, the bench's Graph).
    /// </summary>
    public static SimulationHost Build(IConfiguration configuration, TimeProvider clock, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var basePrefix = configuration["Storage:TablePrefix"] ?? "";
        // Letters and digits only (a table name's rule), unique per run so runs never meet.
        var prefix = $"{basePrefix}sim{Guid.NewGuid():N}"[..Math.Min(basePrefix.Length + 11, 40)];
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = typeof(SimulationHost).Assembly.GetName().Name });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:TablePrefix"] = prefix,
            ["Bot:AppId"] = "",
            ["Bot:AppPassword"] = "",
            ["Calendar:Provider"] = "Local",
            ["Attendance:RunJobs"] = "false",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(clock);
        builder.AddSendPlansFeatures();
        services?.Invoke(builder.Services);
        var connectionString = builder.Configuration["Storage:ConnectionString"] ?? "UseDevelopmentStorage=true";
        return new SimulationHost(builder.Build(), connectionString, prefix);
    }

    /// <summary>Drops the run's tables, so a simulation leaves nothing behind.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            var service = new TableServiceClient(_connectionString);
            var prefix = TablePrefix;
            await foreach (var table in service.QueryAsync(t => t.Name.CompareTo(prefix) >= 0 && t.Name.CompareTo(prefix + "{") < 0))
            {
                await service.DeleteTableAsync(table.Name);
            }
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
