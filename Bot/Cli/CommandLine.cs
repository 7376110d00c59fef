using System.Globalization;
using Azure;
using SendPlans.Bot.DataProtection;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Roster.Demo;
using SendPlans.Bot.Roster.Import;

namespace SendPlans.Bot.Cli;

/// <summary>
/// The bot's one-off commands, run with the host's services but without starting the host:
/// <c>import</c> (a school's roster files), <c>seed-demo</c> (the demo school, when absent),
/// <c>erase</c> (one pupil) and <c>simulate-year</c> (a year of meetings on accelerated time).
/// </summary>
public sealed class CommandLine(IServiceProvider services, TextWriter output, TextWriter error)
{
    public const int Ok = 0;
    public const int Invalid = 1;
    public const int Usage = 2;
    public const int Unavailable = 3;

    public static IReadOnlySet<string> Commands { get; } = new HashSet<string>(StringComparer.Ordinal) { "import", "seed-demo", "erase", "simulate-year" };

    public const string UsageText = """
        Usage:
          dotnet run --project Bot -- import --school <id> [--dry-run] <pupils.csv> [contacts.csv] [staff.csv]
          dotnet run --project Bot -- seed-demo
          dotnet run --project Bot -- erase --school <id> --upn <UPN> --confirm
          dotnet run --project Bot -- simulate-year [--school <id>] [--seed <n>] [--miss-probability 0.1] [--follow-up-success 0.8] [--no-response-probability 0.05]
                                            [--needs-changes-probability 0.2] [--pupils 260] [--terms 3]

        import     checks the roster files and, when every row is good, makes the school's roster match them.
                   --dry-run shows what would be added, changed and removed, and writes nothing.
        seed-demo  stores the demo school (id 'demo') unless it is there already.
        erase      removes every record of one pupil (roster, contacts, plans, and each feature's records),
                   for an erasure request. It cannot be undone, so it asks for --confirm.
        simulate-year  simulates a school year of plan meetings on the demo school (260 pupils, 3 terms) on
                   accelerated time, in tables of its own that it drops afterwards, and prints the dashboard's
                   figures per term and year group, the alert latency, the "no response" alerts, weekly digests
                   and SLT moderation, and the invariants. Exit code 1 when an invariant is broken.
                   docs/attendance.md says what is simulated.

        Exit codes: 0 done, 1 the files have problems (the report lists them) or a simulation broke an
        invariant, 2 usage, 3 storage unavailable.
        The file format is in docs/roster-import.md.
        """;

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        try
        {
            return args[0] switch
            {
                "import" => await ImportAsync(args[1..], cancellationToken),
                "seed-demo" when args.Length == 1 => await SeedDemoAsync(cancellationToken),
                "erase" => await EraseAsync(args[1..], cancellationToken),
                "simulate-year" => await SimulateYearAsync(args[1..], cancellationToken),
                _ => UsageError($"'{string.Join(' ', args)}' is not a command I know."),
            };
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException or AggregateException)
        {
            await error.WriteLineAsync($"Storage could not be reached ({e.GetType().Name}: {e.Message.Split('\n')[0]}). Is Azurite running? scripts/run.sh starts it.");
            return Unavailable;
        }
    }

    private async Task<int> ImportAsync(string[] args, CancellationToken cancellationToken)
    {
        string? school = null;
        var dryRun = false;
        var paths = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--school" when i + 1 < args.Length:
                    school = args[++i];
                    break;
                case "--dry-run":
                    dryRun = true;
                    break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    return UsageError($"Unknown option {option}.");
                default:
                    paths.Add(Resolve(args[i]));
                    break;
            }
        }
        if (string.IsNullOrWhiteSpace(school) || !SchoolIds.IsValid(school))
        {
            return UsageError("--school <id> is required: letters, digits and hyphens, up to 40 characters.");
        }
        if (paths.Count is 0 or > 3)
        {
            return UsageError("Give one to three roster files: pupils, contacts and staff.");
        }
        var missing = paths.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            return UsageError($"No such file: {string.Join(", ", missing)}.");
        }
        var files = new List<RosterFileInput>();
        foreach (var path in paths)
        {
            files.Add(new RosterFileInput(Path.GetFileName(path), await File.ReadAllBytesAsync(path, cancellationToken)));
        }
        var importer = services.GetRequiredService<RosterImporter>();
        var report = await importer.ImportAsync(school, files, dryRun, cancellationToken);
        await output.WriteAsync(report.ToText());
        return report.Succeeded ? Ok : Invalid;
    }

    /// <summary>
    /// `dotnet run --project Bot` starts a web project in its own folder, so a relative path is
    /// also tried from the shell's folder (PWD), where the person typing it meant it.
    /// </summary>
    internal static string Resolve(string path)
    {
        if (Path.IsPathRooted(path) || File.Exists(path))
        {
            return path;
        }
        var shell = Environment.GetEnvironmentVariable("PWD");
        return shell is { Length: > 0 } && File.Exists(Path.Combine(shell, path)) ? Path.Combine(shell, path) : path;
    }

    private async Task<int> EraseAsync(string[] args, CancellationToken cancellationToken)
    {
        string? school = null, upn = null;
        var confirmed = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--school" when i + 1 < args.Length:
                    school = args[++i];
                    break;
                case "--upn" when i + 1 < args.Length:
                    upn = args[++i].Trim().ToUpperInvariant();
                    break;
                case "--confirm":
                    confirmed = true;
                    break;
                default:
                    return UsageError($"Unknown argument {args[i]}.");
            }
        }
        if (string.IsNullOrWhiteSpace(school) || !SchoolIds.IsValid(school))
        {
            return UsageError("--school <id> is required: letters, digits and hyphens, up to 40 characters.");
        }
        if (upn is null || !Upn.IsValid(upn))
        {
            return UsageError("--upn <UPN> is required: the pupil's 13-character unique pupil number.");
        }
        if (!confirmed)
        {
            return UsageError("Erasure cannot be undone: add --confirm to go ahead.");
        }
        var rows = await services.GetRequiredService<PupilErasure>().EraseAsync(RosterReader.System("erasure request (command line)"), school, upn, cancellationToken);
        await output.WriteLineAsync(rows == 0
            ? "No records of that pupil were found; the request is recorded in the audit."
            : $"Erased {rows} record(s) of that pupil. The audit keeps a pseudonymous note of the erasure.");
        return Ok;
    }

    private async Task<int> SimulateYearAsync(string[] args, CancellationToken cancellationToken)
    {
        var settings = new Simulation.SimulationSettings();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--school" when value is not null && SchoolIds.IsValid(value):
                    settings = settings with { SchoolId = value };
                    break;
                case "--seed" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed):
                    settings = settings with { Seed = seed };
                    break;
                case "--miss-probability" when Probability(value) is { } miss:
                    settings = settings with { MissProbability = miss };
                    break;
                case "--follow-up-success" when Probability(value) is { } success:
                    settings = settings with { FollowUpSuccess = success };
                    break;
                case "--no-response-probability" when Probability(value) is { } silent && silent <= 0.5:
                    settings = settings with { NoResponseProbability = silent };
                    break;
                case "--needs-changes-probability" when Probability(value) is { } changes:
                    settings = settings with { NeedsChangesProbability = changes };
                    break;
                case "--pupils" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pupils) && pupils is >= 1 and <= 5000:
                    settings = settings with { Pupils = pupils };
                    break;
                case "--terms" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var terms) && terms is >= 1 and <= 3:
                    settings = settings with { Terms = terms };
                    break;
                default:
                    return UsageError($"Bad or unknown argument {args[i]}{(value is null ? "" : " " + value)}: --school takes an id, --seed a whole number, the probabilities 0 to 1 (--no-response-probability at most 0.5: as many again give views without choosing a time), --pupils 1 to 5000, --terms 1 to 3.");
            }
            i++;
        }
        var result = await Simulation.YearSimulation.RunAsync(settings, services.GetRequiredService<IConfiguration>(), cancellationToken);
        await output.WriteAsync(Simulation.SimulationReport.ToText(result));
        return result.Violations.Count == 0 ? Ok : Invalid;

        static double? Probability(string? text) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 1 ? p : null;
    }

    private async Task<int> SeedDemoAsync(CancellationToken cancellationToken)
    {
        var seeded = await services.GetRequiredService<DemoSchoolSeeder>().SeedIfEmptyAsync(cancellationToken);
        // Busy times are seeded every time (once each): a store seeded before they existed gets them too.
        if (services.GetService<Booking.DemoBusyTimes>() is { } busy)
        {
            await busy.SeedAsync(cancellationToken);
        }
        await output.WriteLineAsync(seeded
            ? $"Seeded the demo school '{DemoSchool.Id}': {DemoSchool.Name}."
            : $"The demo school '{DemoSchool.Id}' is already in the store; nothing changed.");
        return Ok;
    }

    private int UsageError(string message)
    {
        error.WriteLine(message);
        error.WriteLine();
        error.WriteLine(UsageText);
        return Usage;
    }
}

public static class SchoolIds
{
    /// <summary>A school id is a partition key: short, and free of the characters keys forbid.</summary>
    public static bool IsValid(string id) =>
        id.Length is >= 1 and <= 40 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
