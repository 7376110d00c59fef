using SendPlans.Bot.Roster;
using SendPlans.Bot.Roster.Demo;
using SendPlans.Bot.Roster.Import;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Roster;

public sealed class DemoSchoolTests
{
    private static readonly DemoSchoolData Demo = DemoSchool.Generate();
    private static IReadOnlyList<Pupil> Pupils => Demo.Roster.Pupils!;
    private static IReadOnlyList<Contact> Contacts => Demo.Roster.Contacts!;
    private static IReadOnlyList<StaffRecord> Staff => Demo.Roster.Staff!;

    [Fact]
    public void Generate_Twice_SameSchool()
    {
        var again = DemoSchool.Generate();

        Bytes(again).Should().Equal(Bytes(Demo));

        static byte[] Bytes(DemoSchoolData d) => [.. RosterCsvExport.ToFiles(d.Roster).SelectMany(f => f.Content)];
    }

    [Fact]
    public void Generate_Pupils_260OnTheSenRegisterFromN1ToY6()
    {
        Pupils.Should().HaveCount(260);
        Pupils.Select(p => p.Upn).Should().OnlyHaveUniqueItems().And.OnlyContain(u => Upn.IsValid(u));
        Pupils.Select(p => p.YearGroup.Code).Distinct().Should().BeEquivalentTo(["N1", "N2", "R", "1", "2", "3", "4", "5", "6"]);
        Pupils.Count(p => p.SenStatus == SenStatus.E).Should().BeInRange(30, 75, "about a fifth have an EHC plan");
    }

    [Fact]
    public void Generate_Needs_RealisticMix()
    {
        var commonest = Pupils.GroupBy(p => p.PrimaryNeed).OrderByDescending(g => g.Count()).Take(5).Select(g => g.Key);

        commonest.Should().BeEquivalentTo([NeedCode.SLCN, NeedCode.SEMH, NeedCode.ASD, NeedCode.MLD, NeedCode.SPLD]);
        Pupils.Select(p => p.PrimaryNeed).Distinct().Should().HaveCountGreaterThan(8);
    }

    [Fact]
    public void Generate_Contacts_MixOfCircumstances()
    {
        var second = Contacts.Count(c => c.Priority == 2) / 260.0;

        second.Should().BeInRange(0.35, 0.45, "about 40% have a second contact");
        Contacts.Where(c => c.Priority == 1).Select(c => c.Upn).Should().BeEquivalentTo(Pupils.Select(p => p.Upn));
        Contacts.Count(c => c.InterpreterNeeded).Should().BeGreaterThan(5);
        Contacts.Count(c => c.Email is null && c.Mobile is not null).Should().BeGreaterThan(10, "some have only a phone");
        Contacts.Count(c => !c.ParentalResponsibility).Should().BeGreaterThan(5);
        Contacts.Should().OnlyContain(c => c.Email == null || c.Email.EndsWith(".example.com") || c.Email.EndsWith("@example.com") || c.Email.EndsWith("@example.org") || c.Email.EndsWith("@example.net"));
        Contacts.Should().OnlyContain(c => c.Mobile!.StartsWith("07700900"), "Ofcom's drama range");
    }

    [Fact]
    public void Generate_Staff_AboutThirtyWithLeadsAndASenco()
    {
        Staff.Should().HaveCount(30);
        var classes = Pupils.Select(p => p.ClassName).Distinct();
        classes.Should().OnlyContain(c => Staff.Any(s => s.Member.Is(StaffRole.Teacher) && s.Member.Classes.Contains(c)), "every class has a teacher");
        Staff.SelectMany(s => s.YearGroupsLed).Distinct().Should().HaveCount(9, "every year group has a lead");
        Staff.Should().Contain(s => s.Member.Is(StaffRole.SENCo)).And.Contain(s => s.Member.Is(StaffRole.SLT)).And.Contain(s => s.Member.Is(StaffRole.Admin));
        Staff.Should().Contain(s => s.Member.Roles.SetEquals(new[] { StaffRole.TeachingAssistant }) && s.Member.Classes.Count > 0, "a teaching assistant in a class");
        var alex = Staff.Single(s => s.Member.EntraObjectId == DemoSchool.PlaygroundUsers.AlexWilber).Member;
        alex.Is(StaffRole.SENCo).Should().BeTrue("the Playground's default user sees the SENCo's commands");
    }

    [Fact]
    public void Generate_TermsAndChannels_ForTheYear()
    {
        Demo.Terms.Select(t => t.Id).Should().Equal("2026-27-autumn", "2026-27-spring", "2026-27-summer");
        Demo.Terms.SelectMany(t => t.Problems()).Should().BeEmpty();
        Demo.AlertChannels.Should().HaveCount(9);
        Demo.Settings.Problems().Should().BeEmpty();
    }

    [Fact]
    public void Generate_OtherSchool_SurvivesTheImportFormat()
    {
        var other = DemoSchool.Generate(new DemoSchoolOptions { SchoolId = "synthetic", Seed = 7 });

        var (files, problems) = RosterCsv.Read(RosterCsvExport.ToFiles(other.Roster));
        var (snapshot, invalid) = RosterValidator.Validate("synthetic", files, []);

        problems.Should().BeEmpty();
        invalid.Should().BeEmpty();
        snapshot!.Pupils.Should().BeEquivalentTo(other.Roster.Pupils);
        snapshot.Contacts.Should().HaveCount(other.Roster.Contacts!.Count);
    }

    [Fact]
    public async Task SeedIfEmptyAsync_Twice_SeedsOnce()
    {
        await using var roster = await RosterServices.StartAsync();

        (await roster.Seeder.SeedIfEmptyAsync(default)).Should().BeTrue();
        (await roster.Seeder.SeedIfEmptyAsync(default)).Should().BeFalse();

        var reader = RosterReader.System("test");
        (await roster.Store.GetPupilsAsync(reader, "demo", false, default)).Should().HaveCount(260);
        (await roster.Store.GetPupilsWithContactsAsync(reader, "demo", false, default)).SelectMany(p => p.Contacts).Should().HaveCount(Contacts.Count);
        var years = await roster.Store.GetYearGroupsAsync(reader, "demo", default);
        years.Should().HaveCount(9).And.OnlyContain(y => y.AlertChannelIsPlaceholder && y.AlertChannel!.ServiceUrl == DemoSchool.PlaygroundServiceUrl);
        (await roster.Calendar.GetSettingsAsync("demo", default))!.Name.Should().Be(DemoSchool.Name);
        (await roster.Calendar.GetTermsAsync("demo", "2026-27", default)).Should().HaveCount(3);
        var alex = await roster.NewDirectory().FindByEntraIdAsync(DemoSchool.PlaygroundUsers.AlexWilber, default);
        alex!.Is(StaffRole.SENCo).Should().BeTrue();
    }
}
