using System.Diagnostics;
using System.Reflection;
using SendPlans.Bench.Scheduling;
using SendPlans.Bot.Scheduling;

const int WarmUp = 30;
const int Runs = 100;

var request = RealisticSchool.Build();
for (var i = 0; i < WarmUp; i++)
{
    SlotFinder.Find(request);
}
// Lets the tiered JIT finish its background recompiles before the timed runs.
Thread.Sleep(500);

var process = Process.GetCurrentProcess();
var cpuBefore = process.TotalProcessorTime;
var times = new double[Runs];
SlotAssignment? assignment = null;
for (var i = 0; i < Runs; i++)
{
    var started = Stopwatch.GetTimestamp();
    assignment = SlotFinder.Find(request);
    times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
process.Refresh();
var cpuPerRun = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / Runs;
Array.Sort(times);

var configuration = typeof(SlotFinder).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration;
Console.WriteLine($"slot finder: {request.Pupils.Count} pupils, {RealisticSchool.Teachers} teachers, {request.WindowStart:yyyy-MM-dd}..{request.WindowEnd:yyyy-MM-dd}, {configuration} build, {Environment.ProcessorCount} cores");
Console.WriteLine($"{Runs} runs after {WarmUp} warm-up, wall clock: median {times[Runs / 2]:F1} ms, p99 {times[(int)Math.Ceiling(Runs * 0.99) - 1]:F1} ms, min {times[0]:F1} ms, max {times[^1]:F1} ms");
Console.WriteLine($"process CPU time per run (all threads): {cpuPerRun:F1} ms");
Console.WriteLine($"placed {assignment!.Meetings.Count}, unplaced {assignment.Unplaced.Count}, starting outside 09:00-15:00 {assignment.Meetings.Count(m => m.Slot.LocalStart.Hour < 9 || m.Slot.LocalStart.Hour >= 15)}");
foreach (var reason in assignment.Unplaced.GroupBy(u => u.Reason).OrderBy(g => g.Key))
{
    Console.WriteLine($"  unplaced, {reason.Key}: {reason.Count()}");
}
if (File.Exists("/proc/loadavg"))
{
    Console.WriteLine($"load average while running: {File.ReadAllText("/proc/loadavg").Trim()}");
}
if (configuration != "Release")
{
    Console.WriteLine("warning: not a Release build; run with -c Release for the figure");
}
