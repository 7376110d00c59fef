using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SendPlans.Bot.DataProtection;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Roster.Demo;
using SendPlans.Infrastructure.Jobs;
using SendPlans.Infrastructure.Storage;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.DataProtection;

public sealed class AuditAndErasureTests : IAsyncLifetime
{
    private const string Term = "2026-27-autumn";
    private static readonly RosterReader System = RosterReader.System("test");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
    private RosterServices _roster = null!;

    public async Task InitializeAsync()
    {
        _roster = await RosterServices.StartAsync(_time);
        (await _roster.Importer.ImportAsync("oak", RosterFiles.Samples(), dryRun: false, default)).Problems.Should().BeEmpty();
    }

    public async Task DisposeAsync() => await _roster.DisposeAsync();

    [Fact]
    public async Task Audit_PlanReadAndChanged_RecordsWhoAndWhenButNotTheContent()
    {
        var tom = (await _roster.NewDirectory().FindByEntraIdAsync("3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a03", default))!;
        var asTom = RosterReader.For(tom, "plan card");
        await _roster.Store.CreatePlanAsync(asTom, new Plan("oak", "P823204124001", Term, PlanStatus.Draft, [new PlanTarget("Ask for help with a picture card")]), default);
        _time.Advance(TimeSpan.FromMinutes(5));
        await _roster.Store.GetPlanAsync(asTom, "oak", Term, "P823204124001", default);
        await _roster.Store.UpdatePlanAsync(asTom, "oak", Term, "P823204124001", p => p with { Targets = [.. p.Targets, new PlanTarget("Line up calmly")] }, default);

        var audit = _roster.Services.GetRequiredService<PlanAudit>();
        var entries = await audit.ForPupilAsync("oak", "P823204124001", default);

        entries.Select(e => e.Action).Should().BeEquivalentTo([PlanAuditAction.Create, PlanAuditAction.Read, PlanAuditAction.Change]);
        entries.Should().OnlyContain(e => e.Actor == $"staff:{tom.EntraObjectId}");
        entries.Should().Contain(e => e.Action == PlanAuditAction.Read && e.At == new DateTimeOffset(2026, 11, 25, 9, 5, 0, TimeSpan.Zero));
        var rows = await AllRowsAsync();
        rows.Where(r => r.Table.EndsWith(PlanAudit.Table, StringComparison.Ordinal)).SelectMany(r => r.Values)
            .Should().NotContain(v => v.Contains("picture card") || v.Contains("Line up") || v.Contains("P823204124001") || v.Contains("Amelia"));
    }

    [Fact]
    public async Task GetPlan_NoPlanForThePupil_NullAndTheAttemptAudited()
    {
        var plan = await _roster.Store.GetPlanAsync(System, "oak", Term, "P823204124001", default);

        plan.Should().BeNull();
        var entries = await _roster.Services.GetRequiredService<PlanAudit>().ForPupilAsync("oak", "P823204124001", default);
        entries.Should().ContainSingle().Which.Action.Should().Be(PlanAuditAction.Read, "a read is audited as it is made, before it is known to find a plan");
    }

    [Fact]
    public async Task Erase_OnePupil_NothingOfThemLeftInAnyTable()
    {
        var amelia = (await _roster.Store.GetPupilAsync(System, "oak", "P823204124001", default))!;
        var contacts = await _roster.Store.GetContactsAsync(System, "oak", "P823204124001", default);
        await _roster.Store.CreatePlanAsync(System, new Plan("oak", amelia.Upn, Term, PlanStatus.Draft, [new PlanTarget("Use a visual timetable")]), default);
        await _roster.Store.CreatePlanAsync(System, new Plan("oak", amelia.Upn, "2026-27-spring", PlanStatus.Draft, [new PlanTarget("Join in at carpet time")]), default);
        await _roster.Store.CreatePlanAsync(System, new Plan("oak", "D823204124002", Term, PlanStatus.Draft, [new PlanTarget("Oliver's own target")]), default);
        await _roster.Store.GetPlansAsync(System, "oak", Term, default);
        var traces = new[] { amelia.Upn, "Hartley", "hartley.home@example.com", "07700 900101", "07700 900102", "Use a visual timetable", "Join in at carpet time" };
        (await AllRowsAsync()).SelectMany(r => r.Values).Should().Contain(v => v.Contains(amelia.Upn), "the check must see the pupil before erasure");

        var erased = await _roster.Services.GetRequiredService<PupilErasure>().EraseAsync(RosterReader.System("erasure request"), "oak", amelia.Upn, default);

        erased.Should().Be(3, "the pupil row (with contacts) and two plans");
        var left = (await AllRowsAsync()).SelectMany(r => r.Values.Select(v => (r.Table, v))).ToList();
        foreach (var trace in traces)
        {
            left.Should().NotContain(x => x.v.Contains(trace, StringComparison.OrdinalIgnoreCase), $"'{trace}' must be gone");
        }
        contacts.Should().NotBeEmpty();
        (await _roster.Store.GetPupilAsync(System, "oak", "D823204124002", default)).Should().NotBeNull("other pupils stay");
        (await _roster.Store.GetPlanAsync(System, "oak", Term, "D823204124002", default)).Should().NotBeNull();
        (await _roster.Services.GetRequiredService<PlanAudit>().ForPupilAsync("oak", amelia.Upn, default))
            .Should().Contain(e => e.Action == PlanAuditAction.Erase, "the erasure itself is audited, by reference only");
    }

    [Fact]
    public async Task Retention_LeaverPastThePeriod_ErasedAndOthersKept()
    {
        // Noah leaves now; a year and a day later he is still kept, two years and a day later he is gone.
        var withoutNoah = RosterFiles.SampleWith("pupils.csv", ("T823204122001", null));
        var contacts = RosterFiles.SampleWith("contacts.csv", [.. Enumerable.Repeat(("T823204122001", (string?)null), File.ReadAllLines(Path.Combine(RosterFiles.SamplesFolder, "contacts.csv")).Count(l => l.StartsWith("T823204122001", StringComparison.Ordinal)))]);
        (await _roster.Importer.ImportAsync("oak", [withoutNoah, contacts, RosterFiles.Sample("staff.csv")], false, default)).Problems.Should().BeEmpty();
        var job = new RetentionJob(
            _roster.Storage,
            _roster.Services.GetRequiredService<PupilErasure>(),
            new TableLeases(_roster.Storage, _time),
            Options.Create(new RetentionOptions { KeepAfterLeaving = TimeSpan.FromDays(730) }),
            _time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<RetentionJob>.Instance);

        _time.Advance(TimeSpan.FromDays(366));
        var early = await job.RunOnceAsync(default);
        _time.Advance(TimeSpan.FromDays(365));
        var due = await job.RunOnceAsync(default);

        early.Should().Be(0);
        due.Should().Be(1);
        (await _roster.Store.GetPupilAsync(System, "oak", "T823204122001", default)).Should().BeNull();
        (await _roster.Store.GetPupilsAsync(System, "oak", includeArchived: true, default)).Should().HaveCount(8);
    }

    private async Task<List<(string Table, List<string> Values)>> AllRowsAsync()
    {
        var options = _roster.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var service = new TableServiceClient(options.ConnectionString);
        var result = new List<(string, List<string>)>();
        await foreach (var table in service.QueryAsync(t => t.Name.CompareTo(options.TablePrefix) >= 0 && t.Name.CompareTo(options.TablePrefix + "~") < 0))
        {
            await foreach (var row in service.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                result.Add((table.Name, [row.PartitionKey, row.RowKey, .. row.Select(kv => kv.Value?.ToString() ?? "")]));
            }
        }
        return result;
    }
}
