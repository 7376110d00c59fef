using SendPlans.Bot.DataProtection;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Roster.Demo;
using SendPlans.Bot.Roster.Import;
using SendPlans.Bot.Terms;
using SendPlans.Infrastructure.Storage;
using SendPlans.Tests.Support;

// The roster's two figures against a private in-memory Azurite:
//   1. importing 2,000 pupils and 4,000 contacts (read, validate, compare, write)  target <= 10 s
//   2. reading one class's pupils with their contacts                             target p99 <= 15 ms
// Usage: dotnet run -c Release --project bench/SendPlans.Bench.Roster [-- --pupils 2000 --reads 1000]

var pupilCount = Option("--pupils", 2000);
var reads = Option("--reads", 1000);
// The tests' Azurite: started on a free port under the orphan guard, stopped when the bench exits.
var storage = await Azurite.ConnectionStringAsync();
var services = new ServiceCollection()
    .AddLogging(l => l.AddFilter((_, level) => level >= LogLevel.Warning))
    .AddSingleton(TimeProvider.System)
    .AddSingleton(Options.Create(new StorageOptions
    {
        ConnectionString = storage,
        TablePrefix = "bench",
    }))
    .AddSingleton<TableStorage>()
    .AddPupilDataProtection()
    .AddSingleton<RosterStore>()
    .AddSingleton<SchoolCalendarStore>()
    .AddSingleton<RosterImporter>()
    .BuildServiceProvider();
var importer = services.GetRequiredService<RosterImporter>();
var store = services.GetRequiredService<RosterStore>();

var school = DemoSchool.Generate(new DemoSchoolOptions { SchoolId = "bench", Seed = 42, PupilCount = pupilCount, SecondContactRate = 1.0, FormsOfEntry = 8 });
var files = RosterCsvExport.ToFiles(school.Roster);
Console.WriteLine($"Synthetic school: {school.Roster.Pupils!.Count} pupils, {school.Roster.Contacts!.Count} contacts, {school.Roster.Staff!.Count} staff, {school.Roster.Pupils.Select(p => p.ClassName).Distinct().Count()} classes; files {files.Sum(f => f.Content.Length) / 1024} KiB");

// Warm the process (JIT, connection pool, table creation) on another school, as a running host would be.
await importer.ImportAsync("warmup", RosterCsvExport.ToFiles(DemoSchool.Generate(new DemoSchoolOptions { SchoolId = "warmup", PupilCount = 50 }).Roster), false, default);

var clock = Stopwatch.StartNew();
var report = await importer.ImportAsync("bench", files, dryRun: false, default);
var importSeconds = clock.Elapsed.TotalSeconds;
if (!report.Succeeded)
{
    Console.Error.WriteLine(report.ToText());
    return 1;
}
clock.Restart();
var again = await importer.ImportAsync("bench", files, dryRun: false, default);
var reimportSeconds = clock.Elapsed.TotalSeconds;

var reader = RosterReader.System("benchmark");
var classes = school.Roster.Pupils.Select(p => p.ClassName).Distinct().Order().ToList();
// Warm up until the JIT has promoted the read path and Azurite's caches are hot.
for (var i = 0; i < 300; i++)
{
    await store.GetClassAsync(reader, "bench", classes[i % classes.Count], default);
}
var latencies = new double[reads];
var sizes = new List<int>();
for (var i = 0; i < reads; i++)
{
    var started = Stopwatch.GetTimestamp();
    var roster = await store.GetClassAsync(reader, "bench", classes[i % classes.Count], default);
    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    sizes.Add(roster.Pupils.Count + roster.Pupils.Sum(p => p.Contacts.Count));
}
Array.Sort(latencies);
double Percentile(double p) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)];

Console.WriteLine();
// The machine is shared (2 cores); the load says how much of any tail latency is other work.
Console.WriteLine($"Load average (1, 5, 15 min): {(File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a")} on {Environment.ProcessorCount} cores");
Console.WriteLine($"Import {report.Counts.Single(c => c.Kind == RosterFileKind.Pupils).Added} pupils + {report.Counts.Single(c => c.Kind == RosterFileKind.Contacts).Added} contacts: {importSeconds:0.00} s (target <= 10 s) {(importSeconds <= 10 ? "MET" : "MISSED")}");
Console.WriteLine($"Re-import, nothing changed:          {reimportSeconds:0.00} s ({again.Changes.Count} changes)");
Console.WriteLine($"Read one class with contacts ({reads} reads over {classes.Count} classes, {sizes.Average():0} rows each):");
Console.WriteLine($"  p50 {Percentile(0.50):0.0} ms, p95 {Percentile(0.95):0.0} ms, p99 {Percentile(0.99):0.0} ms, max {latencies[^1]:0.0} ms (target p99 <= 15 ms) {(Percentile(0.99) <= 15 ? "MET" : "MISSED")}");
return 0;

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
}
