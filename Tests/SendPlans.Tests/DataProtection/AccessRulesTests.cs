using SendPlans.Bot.AfterMeeting;
using SendPlans.Bot.Reports;
using SendPlans.Bot.Roster;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.DataProtection;

/// <summary>
/// Who may read what, as a table of role × record, through the store's real read paths on
/// Azurite with the sample roster (docs/samples): Tom teaches RA; Nadia teaches RB and 1A;
/// Priya teaches 3A and leads years 3 and 4; Sam is SENCo; Grace is SLT; Jo is an admin; Kim
/// (added here) is a teaching assistant in RA and 1A.
/// </summary>
public sealed class AccessRulesTests : IAsyncLifetime
{
    private const string Tom = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a03";
    private const string Nadia = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a04";
    private const string Priya = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a02";
    private const string Sam = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a01";
    private const string Grace = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a05";
    private const string Jo = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a06";
    private const string Kim = RosterFiles.TeachingAssistantId;
    private const string Amelia = "P823204124001"; // RA, Reception
    private const string Oliver = "D823204124002"; // RB, Reception
    private const string Freya = "G823204121001";  // 3A, Year 3
    private const string Leo = "W823204120001";    // 4A, Year 4
    private const string Jacob = "J823204119001";  // 5A, Year 5
    private const string Term = "2026-27-autumn";

    private RosterServices _roster = null!;

    public async Task InitializeAsync()
    {
        _roster = await RosterServices.StartAsync();
        var report = await _roster.Importer.ImportAsync("oak", [RosterFiles.Sample("pupils.csv"), RosterFiles.Sample("contacts.csv"), RosterFiles.StaffWithTeachingAssistant()], dryRun: false, default);
        report.Problems.Should().BeEmpty();
        foreach (var upn in new[] { Amelia, Oliver, Freya, Leo, Jacob })
        {
            await _roster.Store.CreatePlanAsync(RosterReader.System("test"), new Plan("oak", upn, Term, PlanStatus.Draft, [new PlanTarget("Read ten words")]), default);
        }
    }

    public async Task DisposeAsync() => await _roster.DisposeAsync();

    public static TheoryData<string, string, string, bool> Table() => new()
    {
        // who, what, which, may read
        { Tom, "pupil", Amelia, true },
        { Tom, "plan", Amelia, true },
        { Tom, "pupil", Oliver, false },
        { Tom, "plan", Leo, false },
        { Tom, "class", "RA", true },
        { Tom, "class", "RB", false },
        { Tom, "year", "R", false },
        { Tom, "school", "", false },
        { Tom, "school plans", "", false },
        { Nadia, "pupil", Oliver, true },
        { Nadia, "class", "1A", true },
        { Nadia, "pupil", Amelia, false },
        { Priya, "pupil", Freya, true },
        { Priya, "plan", Leo, true },
        { Priya, "class", "4B", true },
        { Priya, "year", "4", true },
        { Priya, "year", "5", false },
        { Priya, "pupil", Jacob, false },
        { Priya, "plan", Amelia, false },
        { Priya, "school", "", false },
        { Sam, "pupil", Jacob, true },
        { Sam, "plan", Amelia, true },
        { Sam, "school", "", true },
        { Sam, "school plans", "", true },
        { Grace, "plan", Leo, true },
        { Grace, "school plans", "", true },
        { Jo, "pupil", Amelia, true },
        { Jo, "class", "RB", true },
        { Jo, "school", "", true },
        { Jo, "plan", Amelia, false },
        { Jo, "school plans", "", false },
        { Kim, "pupil", Amelia, true },
        { Kim, "plan", Amelia, true },
        { Kim, "class", "1A", true },
        { Kim, "plan", Oliver, false },
        { Kim, "class", "RB", false },
        { Kim, "year", "R", false },
        { Kim, "school", "", false },
        { Kim, "school plans", "", false },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public async Task Read_RoleAndRecord_AllowedOnlyWhereTheRulesSay(string staffId, string what, string which, bool allowed)
    {
        var staff = (await _roster.NewDirectory().FindByEntraIdAsync(staffId, default))!;
        var reader = RosterReader.For(staff, "test");
        var store = _roster.Store;

        Func<Task> read = what switch
        {
            "pupil" => () => store.GetPupilAsync(reader, "oak", which, default),
            "plan" => () => store.GetPlanAsync(reader, "oak", Term, which, default),
            "class" => () => store.GetClassAsync(reader, "oak", which, default),
            "year" => () => store.GetYearGroupPupilsAsync(reader, "oak", YearGroup.Parse(which), default),
            "school" => () => store.GetPupilsAsync(reader, "oak", false, default),
            "school plans" => () => store.GetPlansAsync(reader, "oak", Term, default),
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };

        if (allowed)
        {
            await read.Should().NotThrowAsync();
        }
        else
        {
            await read.Should().ThrowAsync<RosterAccessDeniedException>();
        }
    }

    [Theory]
    [InlineData(Jo, Amelia)]
    [InlineData(Tom, Oliver)]
    public async Task WritePlan_StaffWhoMayNotReadIt_RefusedAndNothingWritten(string staffId, string upn)
    {
        var by = RosterReader.For((await _roster.NewDirectory().FindByEntraIdAsync(staffId, default))!, "test");
        var system = RosterReader.System("test");
        var store = _roster.Store;
        var before = await store.GetPlanAsync(system, "oak", Term, upn, default);

        var update = () => store.UpdatePlanAsync(by, "oak", Term, upn, p => p with { Targets = [new PlanTarget("Changed")] }, default);
        var create = () => store.CreatePlanAsync(by, new Plan("oak", upn, "2026-27-spring", PlanStatus.Draft, [new PlanTarget("New")]), default);

        await update.Should().ThrowAsync<RosterAccessDeniedException>();
        await create.Should().ThrowAsync<RosterAccessDeniedException>();
        (await store.GetPlanAsync(system, "oak", Term, upn, default)).Should().BeEquivalentTo(before);
        (await store.GetPlanAsync(system, "oak", "2026-27-spring", upn, default)).Should().BeNull();
    }

    [Fact]
    public async Task MaySee_TeachingAssistant_NoDashboardOrSummary()
    {
        var kim = (await _roster.NewDirectory().FindByEntraIdAsync(Kim, default))!;

        kim.Roles.Should().Equal(StaffRole.TeachingAssistant);
        DashboardAccess.MaySee(kim, "oak").Should().BeFalse();
        DashboardAccess.MaySee(kim, "oak", YouSaidWeDidReport.Roles).Should().BeFalse();
    }

    [Fact]
    public async Task Read_SencoOfAnotherSchool_Denied()
    {
        var sam = (await _roster.NewDirectory().FindByEntraIdAsync(Sam, default))!;
        var elsewhere = sam with { SchoolId = "elm" };

        var read = () => _roster.Store.GetPupilAsync(RosterReader.For(elsewhere, "test"), "oak", Amelia, default);

        await read.Should().ThrowAsync<RosterAccessDeniedException>();
    }
}
