using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SendPlans.Bot.DataProtection;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Roster.Demo;
using SendPlans.Bot.Roster.Import;
using SendPlans.Bot.Terms;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Tests.Support;

/// <summary>The roster's services on Azurite, under a table prefix of their own; no web host.</summary>
public sealed class RosterServices : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private RosterServices(ServiceProvider provider) => _provider = provider;

    public IServiceProvider Services => _provider;

    public RosterStore Store => _provider.GetRequiredService<RosterStore>();
    public RosterImporter Importer => _provider.GetRequiredService<RosterImporter>();
    public SchoolCalendarStore Calendar => _provider.GetRequiredService<SchoolCalendarStore>();
    public TableStorage Storage => _provider.GetRequiredService<TableStorage>();
    public DemoSchoolSeeder Seeder => _provider.GetRequiredService<DemoSchoolSeeder>();

    /// <summary>A fresh directory each time, so its one-minute cache never hides a change.</summary>
    public StaffDirectory NewDirectory() => new(Storage, new Microsoft.Extensions.Caching.Memory.MemoryCache(new Microsoft.Extensions.Caching.Memory.MemoryCacheOptions()));

    public static async Task<RosterServices> StartAsync(TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.ClearProviders());
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddOptions<RetentionOptions>().Configure(o => o.RunInBackground = false);
        services.AddSingleton(Options.Create(new StorageOptions
        {
            ConnectionString = await Azurite.ConnectionStringAsync(),
            TablePrefix = Azurite.NewPrefix(),
        }));
        services.AddSingleton<TableStorage>();
        services.AddMemoryCache();
        services.AddSingleton<StaffDirectory>();
        services.AddPupilDataProtection();
        services.AddSingleton<RosterStore>();
        services.AddSingleton<SchoolCalendarStore>();
        services.AddSingleton<RosterImporter>();
        services.AddSingleton<DemoSchoolSeeder>();
        return new RosterServices(services.BuildServiceProvider());
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}

public static class RosterFiles
{
    public static string SamplesFolder => Path.Combine(Paths.RepoRoot, "docs", "samples");

    public static string BadFolder => Path.Combine(Paths.RepoRoot, "Tests", "SendPlans.Tests", "Roster", "BadCsv");

    public static RosterFileInput Sample(string name) => new(name, File.ReadAllBytes(Path.Combine(SamplesFolder, name)));

    public static RosterFileInput Bad(string name) => new(name, File.ReadAllBytes(Path.Combine(BadFolder, name)));

    public static IReadOnlyList<RosterFileInput> Samples() => [Sample("pupils.csv"), Sample("contacts.csv"), Sample("staff.csv")];

    public const string TeachingAssistantId = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a07";

    /// <summary>The sample staff file plus Kim Webb, a teaching assistant in RA and 1A: the samples have none, so other tests' staff counts stay as they are.</summary>
    public static RosterFileInput StaffWithTeachingAssistant(string role = "TA") =>
        SampleWith("staff.csv", ("kim.webb", $"kim.webb@oakfield.example.org,{TeachingAssistantId},Kim Webb,{role},RA;1A,"));

    /// <summary>A file made in the test, from lines.</summary>
    public static RosterFileInput Text(string name, params string[] lines) => new(name, System.Text.Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));

    /// <summary>The sample file with some lines changed: each pair is (text to find, replacement; null drops the line).</summary>
    public static RosterFileInput SampleWith(string name, params (string Find, string? Replace)[] edits)
    {
        var lines = File.ReadAllLines(Path.Combine(SamplesFolder, name)).ToList();
        foreach (var (find, replace) in edits)
        {
            var index = lines.FindIndex(l => l.Contains(find, StringComparison.Ordinal));
            if (index < 0)
            {
                lines.Add(replace ?? throw new InvalidOperationException($"'{find}' is not in {name}"));
            }
            else if (replace is null)
            {
                lines.RemoveAt(index);
            }
            else
            {
                lines[index] = replace;
            }
        }
        return Text(name, [.. lines]);
    }
}
