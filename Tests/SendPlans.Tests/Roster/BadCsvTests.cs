using SendPlans.Bot.Roster.Import;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Roster;

/// <summary>
/// The corpus of bad roster files in BadCsv/: each, imported with good samples for the other
/// files, gives exactly one problem naming its file, line and reason.
/// </summary>
public sealed class BadCsvTests
{
    public static TheoryData<string, int, string> Corpus() => new()
    {
        { "pupils-bad-check-letter.csv", 3, "UPN E823204124002: the UPN's check letter is wrong (it should be D)" },
        { "pupils-unknown-year.csv", 3, "'14' is not a year group: use N1, N2, R or 1 to 13" },
        { "pupils-sen-status-n.csv", 3, "SEN status 'N' means no special educational need" },
        { "pupils-unknown-sen-status.csv", 3, "'S' is not a SEN status: use K (SEN support) or E (EHC plan)" },
        { "pupils-unknown-need.csv", 3, "'DYS' is not a primary need code" },
        { "pupils-duplicate-upn.csv", 4, "UPN P823204124001 appears more than once (first on line 2)" },
        { "pupils-missing-column.csv", 1, "the required column 'Legal Surname' is missing" },
        { "pupils-semicolons.csv", 1, "the columns are separated by semicolons (;), not commas" },
        { "pupils-tabs.csv", 1, "the columns are separated by tabs, not commas" },
        { "pupils-windows-1252.csv", 3, "the file is not UTF-8 text" },
        { "pupils-utf16.csv", 0, "the file is saved as UTF-16" },
        { "pupils-extra-field.csv", 3, "this line has 8 values but the header has 7 columns" },
        { "pupils-stray-quote.csv", 3, "a quote (\") is out of place" },
        { "pupils-bad-class.csv", 3, "'R/B' is not a registration group name" },
        { "pupils-empty.csv", 0, "the file is empty" },
        { "inventory.csv", 1, "this is not a roster file I know" },
        { "contacts-unknown-pupil.csv", 3, "this contact is for UPN L823204126001, which is not in the pupils file (pupils.csv)" },
        { "contacts-bad-email.csv", 3, "'dad@example' is not an email address" },
        { "contacts-unreachable.csv", 3, "the contact has neither an email address nor a mobile number" },
        { "contacts-bad-parental-responsibility.csv", 3, "'Maybe' is not a valid Parental Responsibility value: use Y or N" },
        { "contacts-duplicate-priority.csv", 3, "UPN P823204124001 has two contacts with priority 1 (the other is on line 2)" },
        { "contacts-bad-mobile.csv", 3, "'12345' is not a phone number" },
        { "staff-unknown-role.csv", 2, "'Headteacher' is not a role: use Teacher, TA, YearLead, SENCo, SLT or Admin" },
        { "staff-bad-entra-id.csv", 2, "'not-a-guid' is not an Entra object ID" },
        { "staff-bad-email.csv", 2, "'sam.okafor@oakfield' is not an email address" },
        { "staff-year-lead-without-years.csv", 2, "a year lead needs the year groups they lead" },
        { "staff-teacher-and-teaching-assistant.csv", 2, "Tom Ellis is listed as both a teacher and a teaching assistant: give them one of the two" },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Validate_BadFile_GivesItsMessage(string file, int line, string message)
    {
        var problems = Check(WithSamples(file));

        problems.Should().ContainSingle().Which.Should().Be(
            problems.Single() with { File = file, Line = line }, because: string.Join("; ", problems));
        problems.Single().Reason.Should().Contain(message);
    }

    [Fact]
    public void Corpus_EveryFile_HasACase()
    {
        var files = Directory.GetFiles(RosterFiles.BadFolder).Select(Path.GetFileName);

        files.Should().BeEquivalentTo(Corpus().Select(row => (string)row[0]));
    }

    [Fact]
    public void Validate_Samples_NoProblems() => Check(RosterFiles.Samples()).Should().BeEmpty();

    [Fact]
    public void Validate_ManyBadRows_ReportsEveryOne()
    {
        var pupils = RosterFiles.Text("pupils.csv",
            "UPN,Legal Forename,Legal Surname,Year,Reg Group,SEN Status,Primary Need",
            "E823204124002,Oliver,Nwosu,R,RB,E,ASD",
            "P823204124001,Amelia,Hartley,15,RA,K,SLCN",
            "D823204123001,Isla,Kowalska,1,1A,X,MLD");

        var problems = Check([pupils]);

        problems.Select(p => p.Line).Should().Equal(2, 3, 4);
    }

    [Fact]
    public void Validate_HeaderAliasesAndYearSpellings_Accepted()
    {
        var pupils = RosterFiles.Text("export.csv",
            "Unique Pupil Number,Forename,Surname,NC Year,Registration Group,SEN Provision,SEN Primary Need",
            "P823204124001,Amelia,Hartley,Reception,RA,k,slcn",
            "D823204123001,Isla,Kowalska,Year 1,1A,K,MLD");

        var (files, problems) = RosterCsv.Read([pupils]);
        var (snapshot, invalid) = RosterValidator.Validate("s", files, []);

        problems.Should().BeEmpty();
        invalid.Should().BeEmpty();
        snapshot!.Pupils!.Select(p => p.YearGroup.Code).Should().Equal("R", "1");
    }

    [Fact]
    public void Read_Utf8WithBom_Accepted()
    {
        var bytes = System.Text.Encoding.UTF8.GetPreamble().Concat(File.ReadAllBytes(Path.Combine(RosterFiles.SamplesFolder, "pupils.csv"))).ToArray();

        var (files, problems) = RosterCsv.Read([new RosterFileInput("pupils.csv", bytes)]);

        problems.Should().BeEmpty();
        files.Single().Rows.Should().HaveCount(9);
    }

    /// <summary>The bad file with good samples of the other kinds (a bad pupils file goes without contacts, which name the sample pupils).</summary>
    private static IReadOnlyList<RosterFileInput> WithSamples(string badFile)
    {
        string[] others = badFile.Split('-')[0] switch
        {
            "pupils" => ["staff.csv"],
            "contacts" => ["pupils.csv", "staff.csv"],
            "staff" => ["pupils.csv", "contacts.csv"],
            _ => ["pupils.csv", "contacts.csv", "staff.csv"],
        };
        return [.. others.Select(RosterFiles.Sample), RosterFiles.Bad(badFile)];
    }

    private static IReadOnlyList<ImportProblem> Check(IReadOnlyList<RosterFileInput> inputs)
    {
        var (files, problems) = RosterCsv.Read(inputs);
        if (problems.Count > 0)
        {
            return problems;
        }
        return RosterValidator.Validate("s", files, []).Problems;
    }
}
