using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Roster.Import;
using SendPlans.Infrastructure.Storage;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Roster;

/// <summary>The import against Azurite: samples in, re-import idempotent, dry run, leavers, returners.</summary>
public sealed class RosterImportTests : IAsyncLifetime
{
    private static readonly RosterReader Reader = RosterReader.System("test");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
    private RosterServices _roster = null!;

    public async Task InitializeAsync() => _roster = await RosterServices.StartAsync(_time);

    public async Task DisposeAsync() => await _roster.DisposeAsync();

    [Fact]
    public async Task ImportAsync_Samples_StoresEveryRecord()
    {
        var report = await _roster.Importer.ImportAsync("oak", RosterFiles.Samples(), dryRun: false, default);

        report.Problems.Should().BeEmpty();
        report.Counts.Select(c => (c.Kind, c.Added)).Should().Equal((RosterFileKind.Pupils, 9), (RosterFileKind.Contacts, 12), (RosterFileKind.Staff, 6));
        (await _roster.Store.GetPupilsAsync(Reader, "oak", false, default)).Should().HaveCount(9);
        (await _roster.Store.GetPupilsWithContactsAsync(Reader, "oak", false, default)).SelectMany(p => p.Contacts).Should().HaveCount(12);

        var ra = await _roster.Store.GetClassAsync(Reader, "oak", "RA", default);
        var amelia = ra.Pupils.Should().ContainSingle().Subject;
        amelia.Pupil.KeyStage.Should().Be(KeyStage.EYFS);
        amelia.Contacts.Select(c => (c.Relationship, c.Email, c.Mobile)).Should().Equal(
            ("Mother", "hartley.home@example.com", "07700900101"),
            ("Father", null, "07700900102"));

        var admin = await _roster.NewDirectory().FindByEntraIdAsync("3F6D2A1E-8C4B-4E7A-9D21-5B0C7E9F1A06", default);
        admin!.SchoolId.Should().Be("oak");
        admin.Is(StaffRole.Admin).Should().BeTrue();

        var years = await _roster.Store.GetYearGroupsAsync(Reader, "oak", default);
        years.Single(y => y.YearGroup.Code == "3").YearLeadEntraIds.Should().Equal("3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a02");
        years.Single(y => y.YearGroup.Code == "R").Classes.Should().Equal("RA", "RB");
    }

    [Fact]
    public async Task ImportAsync_SameFilesTwice_SecondWritesNothing()
    {
        await _roster.Importer.ImportAsync("oak", RosterFiles.Samples(), false, default);
        var before = await AllRowsAsync();

        var again = await _roster.Importer.ImportAsync("oak", RosterFiles.Samples(), false, default);

        again.Changes.Should().BeEmpty();
        again.Counts.Should().OnlyContain(c => c.Added == 0 && c.Changed == 0 && c.Archived == 0);
        (await AllRowsAsync()).Should().BeEquivalentTo(before, "no row is rewritten: every ETag is the same");
    }

    [Fact]
    public async Task ImportAsync_DryRun_ListsChangesAndWritesNothing()
    {
        await _roster.Importer.ImportAsync("oak", RosterFiles.Samples(), false, default);
        var before = await AllRowsAsync();
        var pupils = NextYearPupils();

        var report = await _roster.Importer.ImportAsync("oak", [pupils], dryRun: true, default);

        report.DryRun.Should().BeTrue();
        report.Changes.Select(c => c.ToString()).Should().Contain([
            "+ pupil A823204125001 (year N2, class N2)",
            "~ pupil G823204121001: class 3A to 3B",
            "- pupil Y823204118001: removed (archived)",
            "- contact Y823204118001 #1: removed (archived)",
        ]);
        report.ToText().Should().Contain("1 would be removed (archived)");
        (await AllRowsAsync()).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task ImportAsync_Leaver_ArchivedNotDeleted()
    {
        await _roster.Importer.ImportAsync("oak", RosterFiles.Samples(), false, default);

        var report = await _roster.Importer.ImportAsync("oak", [NextYearPupils()], false, default);

        report.Succeeded.Should().BeTrue();
        var zara = await _roster.Store.GetPupilAsync(Reader, "oak", "Y823204118001", default);
        zara!.IsArchived.Should().BeTrue();
        zara.ArchivedAt.Should().Be(_time.GetUtcNow());
        (await _roster.Store.GetClassAsync(Reader, "oak", "6B", default)).Pupils.Should().BeEmpty();
        (await _roster.Store.GetContactsAsync(Reader, "oak", "Y823204118001", default)).Should().BeEmpty("a leaver's contacts leave with them");
        var kept = (await _roster.Store.GetPupilsWithContactsAsync(Reader, "oak", includeArchived: true, default)).Single(p => p.Pupil.Upn == "Y823204118001");
        kept.Contacts.Should().ContainSingle().Which.ArchivedAt.Should().Be(_time.GetUtcNow(), "archived with the pupil, in the same write");

        var freya = await _roster.Store.GetClassAsync(Reader, "oak", "3B", default);
        freya.Pupils.Should().ContainSingle().Which.Contacts.Should().ContainSingle("the contact follows the pupil to the new class");
    }

    [Fact]
    public async Task ImportAsync_LeaverComesBack_Restored()
    {
        await _roster.Importer.ImportAsync("oak", RosterFiles.Samples(), false, default);
        await _roster.Importer.ImportAsync("oak", [NextYearPupils()], false, default);

        var report = await _roster.Importer.ImportAsync("oak", RosterFiles.Samples(), false, default);

        report.Changes.Should().Contain(c => c.Change == ChangeKind.Returned && c.Key == "Y823204118001");
        (await _roster.Store.GetPupilAsync(Reader, "oak", "Y823204118001", default))!.IsArchived.Should().BeFalse();
        (await _roster.Store.GetContactsAsync(Reader, "oak", "Y823204118001", default)).Should().ContainSingle();
    }

    [Fact]
    public async Task ImportAsync_OneBadRow_ImportsNothing()
    {
        var contacts = RosterFiles.SampleWith("contacts.csv", ("K823204120002,1", "K823204120002,1,Mother,Y,m.brown@example,,English,N"));

        var report = await _roster.Importer.ImportAsync("oak", [RosterFiles.Sample("pupils.csv"), contacts, RosterFiles.Sample("staff.csv")], false, default);

        report.Problems.Should().ContainSingle().Which.ToString().Should().Be("contacts.csv line 10: 'm.brown@example' is not an email address");
        (await AllRowsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task ImportAsync_ContactChanged_KeepsWhatTheParentToldUs()
    {
        await _roster.Importer.ImportAsync("oak", RosterFiles.Samples(), false, default);
        await _roster.Store.UpdateContactAsync("oak", "W823204120001", 1, c => c with
        {
            AccessibilityNeeds = "Wheelchair user",
            PreferredChannel = PreferredChannel.Phone,
        }, default);
        var contacts = RosterFiles.SampleWith("contacts.csv", ("W823204120001,1", "W823204120001,1,Mother,Y,new.address@example.org,07700 900108,Somali,Y"));

        var report = await _roster.Importer.ImportAsync("oak", [contacts], false, default);

        report.Changes.Select(c => c.ToString()).Should().Equal("~ contact W823204120001 #1: email changed");
        var mother = (await _roster.Store.GetContactsAsync(Reader, "oak", "W823204120001", default)).Single();
        mother.Email.Should().Be("new.address@example.org");
        mother.AccessibilityNeeds.Should().Be("Wheelchair user");
        mother.PreferredChannel.Should().Be(PreferredChannel.Phone);
    }

    [Theory]
    [InlineData("TA")]
    [InlineData("Teaching assistant")]
    [InlineData("teachingassistant")]
    public async Task ImportAsync_TeachingAssistantRole_StoredWithTheirClasses(string role)
    {
        var report = await _roster.Importer.ImportAsync("oak", [RosterFiles.Sample("pupils.csv"), RosterFiles.StaffWithTeachingAssistant(role)], false, default);

        report.Problems.Should().BeEmpty();
        var kim = await _roster.NewDirectory().FindByEntraIdAsync(RosterFiles.TeachingAssistantId, default);
        kim!.Roles.Should().Equal(StaffRole.TeachingAssistant);
        kim.Classes.Should().Equal("RA", "1A");
    }

    [Theory]
    [InlineData("Teacher;TA")]
    [InlineData("HLTA;Class teacher;YearLead")]
    public async Task ImportAsync_TeacherAndTeachingAssistantInOneRow_RefusedWithTheLineAndImportsNothing(string roles)
    {
        var report = await _roster.Importer.ImportAsync("oak", [.. RosterFiles.Samples().Where(f => f.Name != "staff.csv"), RosterFiles.StaffWithTeachingAssistant(roles)], false, default);

        report.Problems.Select(p => p.ToString()).Should().Equal(
            "staff.csv line 8: Kim Webb is listed as both a teacher and a teaching assistant: give them one of the two");
        (await AllRowsAsync()).Should().BeEmpty();
        (await _roster.NewDirectory().FindByEntraIdAsync(RosterFiles.TeachingAssistantId, default)).Should().BeNull();
    }

    [Fact]
    public async Task ImportAsync_StaffLeaver_LosesAccessAtOnce()
    {
        await _roster.Importer.ImportAsync("oak", RosterFiles.Samples(), false, default);
        var staff = RosterFiles.SampleWith("staff.csv", ("tom.ellis", null));

        var report = await _roster.Importer.ImportAsync("oak", [staff], false, default);

        report.Changes.Select(c => c.ToString()).Should().Equal("- staff tom.ellis@oakfield.example.org: removed (archived)");
        (await _roster.NewDirectory().FindByEntraIdAsync("3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a03", default)).Should().BeNull();
    }

    [Fact]
    public async Task ImportAsync_StaffOfAnotherSchool_Refused()
    {
        await _roster.Importer.ImportAsync("oak", [RosterFiles.Sample("staff.csv")], false, default);

        var report = await _roster.Importer.ImportAsync("elm", [RosterFiles.Sample("staff.csv")], false, default);

        report.Succeeded.Should().BeFalse();
        report.Problems.Should().HaveCount(6).And.OnlyContain(p => p.Reason.Contains("already on the staff list of school 'oak'"));
        (await _roster.NewDirectory().FindByEntraIdAsync("3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a06", default))!.SchoolId.Should().Be("oak");
    }

    [Fact]
    public async Task ImportAsync_ContactsWithoutPupilsFile_CheckedAgainstStore()
    {
        await _roster.Importer.ImportAsync("oak", [RosterFiles.Sample("pupils.csv")], false, default);

        var ok = await _roster.Importer.ImportAsync("oak", [RosterFiles.Sample("contacts.csv")], false, default);
        var bad = await _roster.Importer.ImportAsync("oak", [RosterFiles.Bad("contacts-unknown-pupil.csv")], false, default);

        ok.Succeeded.Should().BeTrue();
        bad.Problems.Should().ContainSingle().Which.Reason.Should().Contain("which is not a current pupil on the roster");
    }

    /// <summary>A new year: Freya moves class, Zara (Y6) has left, a new nursery child joins.</summary>
    private static RosterFileInput NextYearPupils() => RosterFiles.SampleWith("pupils.csv",
        ("G823204121001", "G823204121001,Freya,O'Connor,3,3B,K,SPLD"),
        ("Y823204118001", null),
        ("A823204125001", "A823204125001,Ayaan,Khan,N2,N2,K,SLCN"));

    private async Task<List<(string Table, string Key, string ETag)>> AllRowsAsync()
    {
        var rows = new List<(string, string, string)>();
        foreach (var name in new[] { "Pupils", "YearGroups", "Staff", "StaffIndex" })
        {
            var table = await _roster.Storage.GetTableAsync(name, default);
            foreach (var e in await table.QueryAllAsync("", null, default))
            {
                rows.Add((name, $"{e.PartitionKey}/{e.RowKey}", e.ETag.ToString()));
            }
        }
        return rows;
    }
}
