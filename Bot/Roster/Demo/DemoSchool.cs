using Bogus;
using SendPlans.Bot.Roster.Import;
using SendPlans.Bot.Terms;
using SendPlans.Infrastructure.BotFramework;

namespace SendPlans.Bot.Roster.Demo;

/// <summary>How big a synthetic school to make; the defaults are the demo school of seed 002.</summary>
public sealed record DemoSchoolOptions
{
    public string SchoolId { get; init; } = DemoSchool.Id;
    public int Seed { get; init; } = 2026;
    public int PupilCount { get; init; } = 260;
    public double SecondContactRate { get; init; } = 0.4;
    public int FormsOfEntry { get; init; } = 2;
}

/// <summary>A synthetic school: settings, the year's terms, the roster, and a stand-in alert channel per year group.</summary>
public sealed record DemoSchoolData(
    SchoolSettings Settings,
    IReadOnlyList<Term> Terms,
    RosterSnapshot Roster,
    IReadOnlyDictionary<YearGroup, ConversationReference> AlertChannels);

/// <summary>
/// The demo school: a two-form-entry primary (N1 to Y6) with 260 pupils on the SEN register,
/// made by Bogus from a fixed seed, so every run makes the same school. Every name, email and
/// phone number is made up: emails use example.com/.org and mobiles the 07700 900xxx range
/// Ofcom keeps for drama.
/// </summary>
public static class DemoSchool
{
    public const string Id = "demo";
    public const string Name = "Oakfield Primary School (demo)";

    /// <summary>The Agents Playground's built-in users (its default user is Alex Wilber).</summary>
    public static class PlaygroundUsers
    {
        public const string AlexWilber = "00000000-0000-0000-0000-0000000000020";
        public const string MeganBowen = "00000000-0000-0000-0000-0000000000021";
        public const string AdeleVance = "00000000-0000-0000-0000-0000000000022";
        public const string IsaiahLanger = "00000000-0000-0000-0000-0000000000023";
        public const string PattiFernandez = "00000000-0000-0000-0000-0000000000024";
        public const string LynneRobbins = "00000000-0000-0000-0000-0000000000025";
    }

    /// <summary>The Playground's connector; its team "team-id" has a General channel of the same id.</summary>
    public const string PlaygroundServiceUrl = "http://localhost:56150/_connector";

    private static readonly YearGroup[] Years = [YearGroup.N1, YearGroup.N2, YearGroup.Reception, .. Enumerable.Range(1, 6).Select(YearGroup.Year)];

    // SEN support rises through primary; nursery registers are small.
    private static readonly float[] YearWeights = [8, 12, 20, 30, 34, 36, 38, 40, 42];

    // Roughly the national primary mix: SLCN, SEMH, ASD, MLD and SPLD lead.
    private static readonly NeedCode[] Needs = [NeedCode.SLCN, NeedCode.SEMH, NeedCode.ASD, NeedCode.MLD, NeedCode.SPLD, NeedCode.OTH, NeedCode.PD, NeedCode.SLD, NeedCode.HI, NeedCode.NSA, NeedCode.VI, NeedCode.PMLD, NeedCode.MSI];
    private static readonly float[] NeedWeights = [26, 20, 16, 13, 9, 4, 3, 2, 2, 2, 1.5f, 1, 0.5f];

    private static readonly string[] OtherLanguages = ["Polish", "Urdu", "Romanian", "Bengali", "Arabic", "Somali", "Punjabi", "Portuguese", "Lithuanian", "Tamil"];

    public static DemoSchoolData Generate(DemoSchoolOptions? options = null)
    {
        options ??= new DemoSchoolOptions();
        var faker = new Faker("en_GB") { Random = new Randomizer(options.Seed) };
        var schoolId = options.SchoolId;

        var classes = Years.ToDictionary(y => y, y => ClassesOf(y, options.FormsOfEntry));
        var pupils = MakePupils(faker, schoolId, options, classes);
        var contacts = MakeContacts(faker, schoolId, options, pupils);
        var staff = MakeStaff(faker, schoolId, classes);
        var channels = Years.ToDictionary(y => y, y => PlaceholderChannel(y));

        return new DemoSchoolData(
            new SchoolSettings(schoolId, options.SchoolId == Id ? Name : $"Synthetic school {schoolId}")
            {
                Contact = "01632 960000 (school office), office@oakfield.example.org", // Ofcom's drama range and a reserved domain
            },
            Terms2026To27(schoolId),
            new RosterSnapshot(schoolId, pupils, contacts, staff),
            channels);
    }

    /// <summary>
    /// 2026-27, a typical English local-authority calendar. The autumn meetings run after
    /// half-term, once baseline assessments are in; spring and summer in weeks 2 to 5.
    /// </summary>
    public static IReadOnlyList<Term> Terms2026To27(string schoolId) =>
    [
        new(schoolId, "2026-27", TermName.Autumn,
            new(2026, 9, 3), new(2026, 12, 18), new(2026, 10, 26), new(2026, 10, 30),
            [new(new(2026, 9, 3), ClosureKind.Inset), new(new(2026, 11, 27), ClosureKind.Inset)],
            new(2026, 11, 2), new(2026, 12, 4), new(2026, 12, 11)),
        new(schoolId, "2026-27", TermName.Spring,
            new(2027, 1, 5), new(2027, 3, 26), new(2027, 2, 15), new(2027, 2, 19),
            [new(new(2027, 1, 5), ClosureKind.Inset)],
            new(2027, 1, 11), new(2027, 2, 5), new(2027, 2, 12)),
        new(schoolId, "2026-27", TermName.Summer,
            new(2027, 4, 12), new(2027, 7, 21), new(2027, 5, 31), new(2027, 6, 4),
            [new(new(2027, 5, 3), ClosureKind.Closure), new(new(2027, 6, 7), ClosureKind.Inset)],
            new(2027, 4, 19), new(2027, 5, 14), new(2027, 5, 21)),
    ];

    /// <summary>Stands in until the bot is added to the year team's channel: the Playground's General channel.</summary>
    public static ConversationReference PlaceholderChannel(YearGroup year) => new()
    {
        ChannelId = "msteams",
        ServiceUrl = PlaygroundServiceUrl,
        Conversation = new ConversationAccount { Id = "team-id", ConversationType = "channel", Name = $"{year.DisplayName} team (placeholder)" },
    };

    /// <summary>One nursery class each; otherwise a class per form of entry: RA, RB, 1A, 1B, ...</summary>
    private static List<string> ClassesOf(YearGroup year, int forms) =>
        year.Order < 0 || forms == 1 ? [year.Code]
        : [.. Enumerable.Range(0, forms).Select(i => $"{year.Code}{(char)('A' + i)}")];

    private static List<Pupil> MakePupils(Faker faker, string schoolId, DemoSchoolOptions options, Dictionary<YearGroup, List<string>> classes)
    {
        var total = YearWeights.Sum();
        var perYear = YearWeights.Select(w => (int)Math.Floor(options.PupilCount * w / total)).ToArray();
        for (var i = perYear.Length - 1; perYear.Sum() < options.PupilCount; i = (i + perYear.Length - 1) % perYear.Length)
        {
            perYear[i]++;
        }
        var pupils = new List<Pupil>(options.PupilCount);
        for (var y = 0; y < Years.Length; y++)
        {
            var year = Years[y];
            for (var n = 0; n < perYear[y]; n++)
            {
                var female = faker.Random.Bool(0.4f); // boys are identified with SEN more often
                var need = year.KeyStage == KeyStage.EYFS && faker.Random.Bool(0.5f)
                    ? NeedCode.SLCN
                    : Weighted(faker, Needs, NeedWeights);
                var status = faker.Random.Bool(need is NeedCode.SLD or NeedCode.PMLD or NeedCode.MSI ? 0.8f : 0.17f) ? SenStatus.E : SenStatus.K;
                // LA 823, establishment 2041, the year the UPN was allocated (their first year), a serial.
                var allocated = 2026 - Math.Max(0, year.Order + 2);
                var upn = Upn.Create($"8232041{allocated % 100:00}{n:000}");
                var className = classes[year][n % classes[year].Count];
                pupils.Add(new Pupil(schoolId, upn,
                    faker.Name.FirstName(female ? Bogus.DataSets.Name.Gender.Female : Bogus.DataSets.Name.Gender.Male),
                    faker.Name.LastName(), year, className, status, need));
            }
        }
        return pupils;
    }

    private static List<Contact> MakeContacts(Faker faker, string schoolId, DemoSchoolOptions options, List<Pupil> pupils)
    {
        var contacts = new List<Contact>();
        foreach (var pupil in pupils)
        {
            var language = faker.Random.Bool(0.14f) ? faker.PickRandom(OtherLanguages) : "English";
            var interpreter = language != "English" && faker.Random.Bool(0.55f);
            var first = Weighted(faker, ["Mother", "Father", "Carer", "Grandmother", "Foster carer"], [68f, 22f, 4f, 4f, 2f]);
            contacts.Add(MakeContact(faker, schoolId, pupil, 1, first, language, interpreter));
            if (faker.Random.Bool((float)options.SecondContactRate))
            {
                var second = first == "Father"
                    ? Weighted(faker, ["Mother", "Stepmother", "Grandmother"], [80f, 10f, 10f])
                    : Weighted(faker, ["Father", "Stepfather", "Grandfather", "Aunt"], [70f, 12f, 12f, 6f]);
                contacts.Add(MakeContact(faker, schoolId, pupil, 2, second, language, interpreter && faker.Random.Bool(0.7f)));
            }
        }
        return contacts;
    }

    private static Contact MakeContact(Faker faker, string schoolId, Pupil pupil, int priority, string relationship, string language, bool interpreter)
    {
        var responsibility = relationship is "Mother" or "Father" or "Carer"
            || (relationship == "Foster carer" ? false : faker.Random.Bool(0.25f));
        var phoneOnly = faker.Random.Bool(0.1f);
        var forename = relationship is "Mother" or "Stepmother" or "Grandmother" or "Aunt"
            ? faker.Name.FirstName(Bogus.DataSets.Name.Gender.Female)
            : faker.Name.FirstName(Bogus.DataSets.Name.Gender.Male);
        var surname = faker.Random.Bool(0.8f) ? pupil.LegalSurname : faker.Name.LastName();
        var email = phoneOnly ? null : faker.Internet.Email(forename, surname, faker.PickRandom("example.com", "example.org", "example.net")).ToLowerInvariant();
        var mobile = $"07700900{faker.Random.Number(0, 999):000}";
        return new Contact(schoolId, pupil.Upn, priority, relationship, responsibility, email, mobile, language, interpreter);
    }

    private static List<StaffRecord> MakeStaff(Faker faker, string schoolId, Dictionary<YearGroup, List<string>> classes)
    {
        var staff = new List<StaffRecord>();
        var allClasses = classes.OrderBy(c => c.Key.Order).SelectMany(c => c.Value).ToList();
        var email = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        StaffRecord Add(string? id, string name, StaffRole[] roles, string[] teaches, YearGroup[] leads)
        {
            var address = name.ToLowerInvariant().Replace(' ', '.').Replace("'", "", StringComparison.Ordinal) + "@oakfield.example.org";
            for (var n = 2; !email.Add(address); n++)
            {
                address = address.Replace("@", $"{n}@", StringComparison.Ordinal);
            }
            var record = new StaffRecord(new StaffMember(schoolId, id ?? faker.Random.Guid().ToString(), address, name, roles.ToHashSet(), teaches), leads);
            staff.Add(record);
            return record;
        }

        // The Playground's users, so a local run has a SENCo, teachers, year leads, SLT and an admin to
        // be. Their ids are not GUIDs, so only the demo school has them: other synthetic schools
        // must survive a round trip through the staff file, which wants real Entra ids.
        var playground = schoolId == Id;
        string? Playground(string id) => playground ? id : null;
        Add(Playground(PlaygroundUsers.AlexWilber), "Alex Wilber", [StaffRole.SENCo, StaffRole.Admin], [], []);
        Add(Playground(PlaygroundUsers.MeganBowen), "Megan Bowen", [StaffRole.Teacher, StaffRole.YearLead], [Pick(allClasses, "3A")], [YearGroup.Year(3), YearGroup.Year(4)]);
        Add(Playground(PlaygroundUsers.AdeleVance), "Adele Vance", [StaffRole.Teacher, StaffRole.YearLead], [Pick(allClasses, "RA")], [YearGroup.N1, YearGroup.N2, YearGroup.Reception]);
        Add(Playground(PlaygroundUsers.IsaiahLanger), "Isaiah Langer", [StaffRole.SLT], [], []);
        Add(Playground(PlaygroundUsers.PattiFernandez), "Patti Fernandez", [StaffRole.Teacher, StaffRole.YearLead], [Pick(allClasses, "6B")], [YearGroup.Year(5), YearGroup.Year(6)]);
        Add(Playground(PlaygroundUsers.LynneRobbins), "Lynne Robbins", [StaffRole.Admin], [], []);
        var taught = staff.SelectMany(s => s.Member.Classes).ToHashSet(StringComparer.Ordinal);

        var ks1Lead = true;
        foreach (var className in allClasses.Where(c => !taught.Contains(c)))
        {
            var isKs1 = className.StartsWith('1') || className.StartsWith('2');
            var leads = isKs1 && ks1Lead ? new[] { YearGroup.Year(1), YearGroup.Year(2) } : [];
            ks1Lead &= leads.Length == 0;
            Add(null, faker.Name.FullName(), leads.Length > 0 ? [StaffRole.Teacher, StaffRole.YearLead] : [StaffRole.Teacher], [className], leads);
        }
        // Job shares in two classes, an assistant SENCo, a teaching assistant, and the rest of the leadership team.
        Add(null, faker.Name.FullName(), [StaffRole.Teacher], [allClasses[^3]], []);
        Add(null, faker.Name.FullName(), [StaffRole.Teacher], [allClasses[^6]], []);
        Add(null, faker.Name.FullName(), [StaffRole.SENCo, StaffRole.Teacher], [], []);
        Add(null, faker.Name.FullName(), [StaffRole.SLT], [], []);
        Add(null, faker.Name.FullName(), [StaffRole.SLT, StaffRole.SENCo], [], []);
        Add(null, faker.Name.FullName(), [StaffRole.TeachingAssistant], [Pick(allClasses, "RA"), Pick(allClasses, "RB")], []);
        while (staff.Count < 30)
        {
            Add(null, faker.Name.FullName(), [StaffRole.Teacher], [], []); // intervention and PPA-cover teachers
        }
        return staff;
    }

    /// <summary>Bogus wants weights that add up to 1; these are written as easier-to-read shares.</summary>
    private static T Weighted<T>(Faker faker, T[] items, float[] shares)
    {
        var total = shares.Sum();
        return faker.Random.WeightedRandom(items, [.. shares.Select(s => s / total)]);
    }

    private static string Pick(List<string> classes, string wanted) => classes.Contains(wanted) ? wanted : classes[0];
}
