using SendPlans.Bot.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Azure.Data.Tables;
using SendPlans.Bot.Roster;
using SendPlans.Infrastructure.Storage;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Roster;

/// <summary>The store's promises on Azurite: no lost update, conflicts surfaced, idempotent creates, one access check.</summary>
public sealed class RosterStoreTests : IAsyncLifetime
{
    private static readonly RosterReader Reader = RosterReader.System("test");
    private RosterServices _roster = null!;

    public async Task InitializeAsync()
    {
        _roster = await RosterServices.StartAsync();
        (await _roster.Importer.ImportAsync("oak", RosterFiles.Samples(), false, default)).Succeeded.Should().BeTrue();
    }

    public async Task DisposeAsync() => await _roster.DisposeAsync();

    [Fact]
    public async Task UpdateContactAsync_50Concurrent_EveryUpdateCounts()
    {
        var times = Enumerable.Range(0, 50).Select(i => new WeeklyTime((DayOfWeek)(1 + i % 5), new TimeOnly(7, 0).AddMinutes(i), new TimeOnly(8, 0).AddMinutes(i))).ToList();

        await Task.WhenAll(times.Select(t => Task.Run(() =>
            _roster.Store.UpdateContactAsync("oak", "P823204124001", 1, c => c with { HardToAttend = [.. c.HardToAttend, t] }, default))));

        var contact = (await _roster.Store.GetContactsAsync(Reader, "oak", "P823204124001", default)).First();
        contact.HardToAttend.Should().BeEquivalentTo(times, "no update is lost");
        (await _roster.Store.GetPupilAsync(Reader, "oak", "P823204124001", default))!.Revision.Should().Be(51, "created once, then changed 50 times");
    }

    [Fact]
    public async Task UpdateOptimisticAsync_AnotherWriterEveryTime_SurfacesConflictAndKeepsTheirWrite()
    {
        var table = await _roster.Storage.GetTableAsync("Pupils", default);
        var act = () => table.UpdateOptimisticAsync("oak", "P823204124001", current =>
        {
            // Someone else writes between our read and our write.
            var theirs = new TableEntity(current) { ["LegalForename"] = "Theirs" };
            table.UpdateEntity(theirs, current.ETag, TableUpdateMode.Replace);
            return new TableEntity(current) { ["LegalForename"] = "Ours" };
        }, new ConcurrencyRetry(3, TimeSpan.Zero), default);

        await act.Should().ThrowAsync<ConcurrencyConflictException>().Where(e => e.Attempts == 3);
        (await _roster.Store.GetPupilAsync(Reader, "oak", "P823204124001", default))!.LegalForename.Should().Be("Theirs");
    }

    [Fact]
    public async Task UpdatePupilAsync_NoChange_WritesNothing()
    {
        var before = await _roster.Store.GetPupilAsync(Reader, "oak", "P823204124001", default);

        var after = await _roster.Store.UpdatePupilAsync("oak", "P823204124001", p => p with { }, default);

        after!.ETag.Should().Be(before!.ETag);
        after.Revision.Should().Be(1);
    }

    [Fact]
    public async Task UpdatePupilAsync_Missing_ReturnsNull() =>
        (await _roster.Store.UpdatePupilAsync("oak", "H801200001001", p => p, default)).Should().BeNull();

    [Fact]
    public async Task CreatePlanAsync_Twice_KeepsTheFirst()
    {
        var plan = new Plan("oak", "P823204124001", "2026-27-autumn", PlanStatus.Draft, [new PlanTarget("Use two-word phrases at snack time")]);

        await _roster.Store.CreatePlanAsync(Reader, plan, default);
        var again = await _roster.Store.CreatePlanAsync(Reader, plan with { Targets = [new PlanTarget("Something else")] }, default);

        again.Targets.Should().ContainSingle().Which.Text.Should().Be("Use two-word phrases at snack time");
        (await _roster.Store.GetPlansAsync(Reader, "oak", "2026-27-autumn", default)).Should().ContainSingle();
    }

    [Fact]
    public async Task UpdatePlanAsync_FifthTarget_RefusedAndNotWritten()
    {
        var targets = Enumerable.Range(1, 4).Select(i => new PlanTarget($"Target {i}")).ToList();
        await _roster.Store.CreatePlanAsync(Reader, new Plan("oak", "P823204124001", "2026-27-autumn", PlanStatus.Agreed, targets), default);

        var act = () => _roster.Store.UpdatePlanAsync(Reader, "oak", "2026-27-autumn", "P823204124001", p => p with { Targets = [.. p.Targets, new PlanTarget("Five")] }, default);

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*at most 4 targets*");
        (await _roster.Store.GetPlanAsync(Reader, "oak", "2026-27-autumn", "P823204124001", default))!.Targets.Should().HaveCount(4);
    }

    [Fact]
    public async Task CreatePlanAsync_AgreedWithOneTarget_Refused()
    {
        var act = () => _roster.Store.CreatePlanAsync(Reader, new Plan("oak", "P823204124001", "2026-27-autumn", PlanStatus.Agreed, [new PlanTarget("Only one")]), default);

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*at least 2 targets*");
    }

    [Fact]
    public async Task GetClassAsync_StaffOfAnotherSchool_Denied()
    {
        var elsewhere = new StaffMember("elm", "0f8fad5b-d9cb-469f-a165-70867728950e", "t@example.org", "T", new HashSet<StaffRole> { StaffRole.SENCo }, []);

        var act = () => _roster.Store.GetClassAsync(RosterReader.For(elsewhere, "test"), "oak", "RA", default);

        await act.Should().ThrowAsync<RosterAccessDeniedException>();
    }

    [Fact]
    public async Task EveryRead_GoesThroughTheAccessCheck()
    {
        var access = new RecordingAccess();
        var store = new RosterStore(_roster.Storage, access, _roster.Services.GetRequiredService<PlanAudit>());

        await store.GetPupilAsync(Reader, "oak", "P823204124001", default);
        await store.GetContactsAsync(Reader, "oak", "P823204124001", default);
        await store.GetPupilWithContactsAsync(Reader, "oak", "P823204124001", default);
        await store.GetClassAsync(Reader, "oak", "RA", default);
        await store.GetPupilsAsync(Reader, "oak", false, default);
        await store.GetYearGroupPupilsAsync(Reader, "oak", YearGroup.Reception, default);
        await store.GetPupilsWithContactsAsync(Reader, "oak", false, default);
        await store.GetYearGroupsAsync(Reader, "oak", default);
        await store.GetPlanAsync(Reader, "oak", "2026-27-autumn", "P823204124001", default);
        await store.GetPlansAsync(Reader, "oak", "2026-27-autumn", default);
        await store.GetPupilsWithTargetsAsync(Reader, "oak", "2026-27-autumn", 2, default);
        await store.GetPlanStatusesAsync(Reader, "oak", "2026-27-autumn", default);

        var reads = typeof(RosterStore).GetMethods().Count(m => m.Name.StartsWith("Get", StringComparison.Ordinal) && m.DeclaringType == typeof(RosterStore));
        access.Scopes.Should().HaveCount(reads, "each public read asks once");
        access.Scopes.Should().Contain(new RosterScope.Class("oak", "RA"));
    }

    private sealed class RecordingAccess : IRosterAccess
    {
        public List<RosterScope> Scopes { get; } = [];

        public ValueTask EnsureCanReadAsync(RosterReader reader, RosterScope scope, RosterData data, CancellationToken cancellationToken)
        {
            Scopes.Add(scope);
            return ValueTask.CompletedTask;
        }
    }
}
