using System.Diagnostics;
using SendPlans.Bot.Cli;
using SendPlans.Tests.Support;
using SendPlans.Bot.Roster;

namespace SendPlans.Tests.Roster;

public sealed class CommandLineTests : IAsyncLifetime
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private RosterServices _roster = null!;

    public async Task InitializeAsync() => _roster = await RosterServices.StartAsync();

    public async Task DisposeAsync() => await _roster.DisposeAsync();

    private Task<int> RunAsync(params string[] args) => new CommandLine(_roster.Services, _output, _error).RunAsync(args, default);

    private static string Sample(string name) => Path.Combine(RosterFiles.SamplesFolder, name);

    [Fact]
    public async Task Import_Samples_Exit0WithReport()
    {
        var exit = await RunAsync("import", "--school", "oak", Sample("pupils.csv"), Sample("contacts.csv"), Sample("staff.csv"));

        exit.Should().Be(CommandLine.Ok);
        _output.ToString().Should().Contain("Pupils: 9 added, 0 changed, 0 removed (archived), 0 unchanged");
    }

    [Fact]
    public async Task Import_DryRun_Exit0AndNothingStored()
    {
        var exit = await RunAsync("import", "--school", "oak", "--dry-run", Sample("pupils.csv"));

        exit.Should().Be(CommandLine.Ok);
        _output.ToString().Should().Contain("dry run, nothing written").And.Contain("9 would be added");
        (await _roster.Store.HasPupilsAsync("oak", default)).Should().BeFalse();
    }

    [Fact]
    public async Task Import_BadFile_Exit1WithEveryProblem()
    {
        var exit = await RunAsync("import", "--school", "oak", Path.Combine(RosterFiles.BadFolder, "pupils-unknown-year.csv"));

        exit.Should().Be(CommandLine.Invalid);
        _output.ToString().Should().Contain("Nothing was imported: 1 problem to fix first.")
            .And.Contain("pupils-unknown-year.csv line 3: '14' is not a year group");
    }

    [Theory]
    [InlineData("import", "pupils.csv")]
    [InlineData("import", "--school", "oak")]
    [InlineData("import", "--school", "o/ak", "pupils.csv")]
    [InlineData("import", "--school", "oak", "--force", "pupils.csv")]
    [InlineData("import", "--school", "oak", "no-such-file.csv")]
    [InlineData("seed-demo", "now")]
    public async Task Run_BadUsage_Exit2WithUsage(params string[] args)
    {
        var exit = await RunAsync(args);

        exit.Should().Be(CommandLine.Usage);
        _error.ToString().Should().Contain("Usage:");
    }

    [Fact]
    public async Task SeedDemo_Twice_Exit0AndSaysSo()
    {
        (await RunAsync("seed-demo")).Should().Be(CommandLine.Ok);
        (await RunAsync("seed-demo")).Should().Be(CommandLine.Ok);

        _output.ToString().Should().Contain("Seeded the demo school 'demo'").And.Contain("already in the store; nothing changed");
    }

    [Fact]
    public async Task Program_ImportCommand_RunsAndExits()
    {
        var bot = Path.Combine(AppContext.BaseDirectory, "SendPlans.Bot.dll");
        var start = new ProcessStartInfo("dotnet", ["exec", bot, "import", "--school", "cli", "--dry-run", Sample("pupils.csv")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["Storage__ConnectionString"] = await Azurite.ConnectionStringAsync();
        start.Environment["Storage__TablePrefix"] = Azurite.NewPrefix();
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        process.ExitCode.Should().Be(0, await process.StandardError.ReadToEndAsync());
        output.Should().StartWith("Roster import for school 'cli' - dry run, nothing written");
    }

    [Fact]
    public async Task Erase_WithConfirm_RemovesThePupil()
    {
        await RunAsync("import", "--school", "oak", Sample("pupils.csv"), Sample("contacts.csv"), Sample("staff.csv"));

        var exit = await RunAsync("erase", "--school", "oak", "--upn", "p823204124001", "--confirm");

        exit.Should().Be(CommandLine.Ok);
        _output.ToString().Should().Contain("Erased 1 record(s)");
        (await _roster.Store.GetPupilAsync(RosterReader.System("test"), "oak", "P823204124001", default)).Should().BeNull();
    }

    [Theory]
    [InlineData("erase", "--school", "oak", "--upn", "P823204124001")]
    [InlineData("erase", "--school", "oak", "--upn", "X823204124001", "--confirm")]
    [InlineData("erase", "--upn", "P823204124001", "--confirm")]
    public async Task Erase_UnconfirmedOrBadArguments_Exit2AndNothingErased(params string[] args)
    {
        await RunAsync("import", "--school", "oak", Sample("pupils.csv"), Sample("contacts.csv"), Sample("staff.csv"));

        var exit = await RunAsync(args);

        exit.Should().Be(CommandLine.Usage);
        (await _roster.Store.GetPupilAsync(RosterReader.System("test"), "oak", "P823204124001", default)).Should().NotBeNull();
    }
}
