using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SendPlans.Bot.DataProtection;
using SendPlans.Bot.Plans;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Roster.Import;
using SendPlans.Bot.Views;
using SendPlans.Cards.Plans;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Views;

/// <summary>The teacher's plan card in Teams: targets saved through Action.Execute, views beside them.</summary>
public sealed class PlanCardTests(ViewsSchool school) : IClassFixture<ViewsSchool>
{
    private const string TomEllis = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a03"; // teaches RA, Amelia's class
    private const string PriyaShah = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a02"; // teaches 3A, Freya's class
    private const string Freya = "G823204121001"; // Year 3: key stage 2
    private const string JoBarker = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a06"; // admin: reads the roster, not plans

    [Fact]
    public async Task SavePlan_TwoTargetsByTheClassTeacher_StoredVersionedAndCardShowsMissingViews()
    {
        var body = await school.InvokeAsync("plan/save", TomEllis, new JsonObject
        {
            ["upn"] = ViewsSchool.Oliver, ["term"] = "2026-27-spring",
            ["target0"] = "Oliver will wait for his turn in a game.", ["area0"] = "Social", ["help0"] = "Turn-taking games twice a week.", ["know0"] = "He waits in 4 of 5 games.",
            ["target1"] = "Oliver will use his words when cross.", ["area1"] = "Feelings", ["help1"] = "A feelings fan on his table.", ["know1"] = "He names the feeling most times.",
        });

        // Oliver is in RB, not Tom's class: refused.
        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.error");

        body = await school.InvokeAsync("plan/save", TomEllis, new JsonObject
        {
            ["upn"] = ViewsSchool.Amelia, ["term"] = "2026-27-spring",
            ["target0"] = "Amelia will point to a picture to ask for help.", ["area0"] = "Talking", ["help0"] = "A help card.", ["know0"] = "She uses it most days.",
            ["target1"] = "Amelia will sit with the group for story time.", ["area1"] = "Attention", ["help1"] = "A wobble cushion at story time.", ["know1"] = "She stays for the whole story.",
        });

        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.card.adaptive");
        var card = body["value"]!.ToJsonString();
        card.Should().Contain("Targets saved.").And.Contain("Not given yet.").And.Contain("Not captured yet.");
        var plan = await school.Bot.Services.GetRequiredService<RosterStore>().GetPlanAsync(ViewsSchool.System, ViewsSchool.School, "2026-27-spring", ViewsSchool.Amelia, default);
        plan!.Targets.Should().HaveCount(2);
        plan.Targets[0].AreaOfNeed.Should().Be("Talking");
        plan.Targets[0].HowWeKnow.Should().Be("She uses it most days.");
        plan.Targets[1].HowSchoolHelps.Should().Be("A wobble cushion at story time.");
        plan.Revision.Should().Be(1);
    }

    [Fact]
    public async Task SavePlan_EditTargetsOfExistingPlan_RevisionTwoAndOtherTermsUntouched()
    {
        const string term = "2027-28-autumn";
        var store = school.Bot.Services.GetRequiredService<RosterStore>();
        await school.InvokeAsync("plan/save", TomEllis, Targets(term, "Amelia will ask for help with a card.", "Amelia will sit for a story."));
        var otherTerm = await store.GetPlanAsync(ViewsSchool.System, ViewsSchool.School, school.Past.Id, ViewsSchool.Amelia, default);
        (await store.GetPlanAsync(ViewsSchool.System, ViewsSchool.School, term, ViewsSchool.Amelia, default))!.Revision.Should().Be(1);

        var body = await school.InvokeAsync("plan/save", TomEllis, Targets(term, "Amelia will ask for help with a card.", "Amelia will sit for a whole story.", "Amelia will line up with a friend."));

        body["value"]!.ToJsonString().Should().Contain("Targets saved.");
        var edited = await store.GetPlanAsync(ViewsSchool.System, ViewsSchool.School, term, ViewsSchool.Amelia, default);
        edited!.Revision.Should().Be(2);
        edited.Targets.Select(t => t.Text).Should().Equal("Amelia will ask for help with a card.", "Amelia will sit for a whole story.", "Amelia will line up with a friend.");
        (await store.GetPlanAsync(ViewsSchool.System, ViewsSchool.School, school.Past.Id, ViewsSchool.Amelia, default)).Should().BeEquivalentTo(otherTerm, "another term's plan is its own version");
    }

    [Fact]
    public async Task SavePlan_OneTarget_CardAsksForTwoKeepsItAndSavesNothing()
    {
        var body = await school.InvokeAsync("plan/save", TomEllis, Targets("2026-27-summer", "Only one"));

        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.card.adaptive");
        Problem(body).Should().Contain("2 to 4").And.Contain("Nothing was saved.");
        TypedValues(body).Should().Contain("Only one");
        body["value"]!["refresh"].Should().BeNull("a refresh would put the stored targets back over what was typed");
        (await school.Bot.Services.GetRequiredService<RosterStore>().GetPlanAsync(ViewsSchool.System, ViewsSchool.School, "2026-27-summer", ViewsSchool.Amelia, default))
            .Should().BeNull();
    }

    [Fact]
    public async Task SavePlan_TargetsMissingParts_CardNamesEachTargetAndPartKeepsTheTextAndSavesNothing()
    {
        var store = school.Bot.Services.GetRequiredService<RosterStore>();
        var before = await store.GetPlanAsync(ViewsSchool.System, ViewsSchool.School, school.Open.Id, ViewsSchool.Amelia, default);
        var data = Targets(school.Open.Id, "Amelia will ask for help with a card.", "Amelia will sit for a story.");
        data["target2"] = "Amelia will line up with a friend.";
        data["help2"] = "A line-up buddy.";
        data["area3"] = "Social";
        data["know1"] = "  ";

        var body = await school.InvokeAsync("plan/save", TomEllis, data);

        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.card.adaptive");
        Problem(body).Should().Be("Target 2 needs how we'll know it's achieved. "
            + "Target 3 needs the area of need and how we'll know it's achieved. "
            + "Target 4 needs the target in plain words, how school will help and how we'll know it's achieved. "
            + "Each target needs all four parts; clear a target you don't want. Nothing was saved.");
        TypedValues(body).Should().ContainInOrder("Amelia will ask for help with a card.", "Amelia will sit for a story.", "Amelia will line up with a friend.", "A line-up buddy.", "Social");
        body["value"]!["refresh"].Should().BeNull("a refresh would put the stored targets back over what was typed");
        (await store.GetPlanAsync(ViewsSchool.System, ViewsSchool.School, school.Open.Id, ViewsSchool.Amelia, default))
            .Should().BeEquivalentTo(before, "nothing is written: same targets, revision and ETag");
    }

    [Fact]
    public async Task SavePlan_PartLongerThanTheCardAllows_CardSaysWhichKeepsTheTextAndSavesNothing()
    {
        const string term = "2028-29-spring";
        var longHelp = new string('h', PlanFields.PartLength + 1);
        var data = Targets(term, "Amelia will ask for help with a card.", "Amelia will sit for a story.");
        data["help1"] = longHelp;
        data["target0"] = new string('t', PlanFields.PartLength + 1);

        var body = await school.InvokeAsync("plan/save", TomEllis, (JsonObject)data.DeepClone());

        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.card.adaptive");
        Problem(body).Should().Be("In target 1, the target in plain words is longer than 500 characters. In target 2, how school will help is longer than 500 characters. "
            + "Shorten them and save again. Nothing was saved.");
        TypedValues(body).Should().Contain(longHelp, "what was typed comes back whole");
        body["value"]!["refresh"].Should().BeNull();
        (await school.Bot.Services.GetRequiredService<RosterStore>().GetPlanAsync(ViewsSchool.System, ViewsSchool.School, term, ViewsSchool.Amelia, default)).Should().BeNull();

        data["help1"] = longHelp[..PlanFields.PartLength];
        data["target0"] = "Amelia will ask for help with a card.";
        (await school.InvokeAsync("plan/save", TomEllis, data))["value"]!.ToJsonString().Should().Contain("Targets saved.", "500 characters is allowed");
    }

    [Fact]
    public async Task PickVoice_QuickTapsOnDifferentQuestionsWithNoPlanYet_EveryAnswerStoredAndEachCardShowsWhatWasStored()
    {
        var picks = new Dictionary<string, string> { ["q-class"] = "happy", ["q-play"] = "sad", ["q-help"] = "yes", ["q-friends"] = "sometimes" };

        // A few terms without a plan, so the taps meet at the plan's creation more than once.
        foreach (var term in new[] { "2028-29-autumn", "2028-29-summer", "2029-30-autumn", "2029-30-spring", "2029-30-summer" })
        {
            var cards = await Task.WhenAll(picks.Select(p => Task.Run(() =>
                school.InvokeAsync("voice/pick", TomEllis, new JsonObject { ["upn"] = ViewsSchool.Amelia, ["term"] = term, ["question"] = p.Key, ["answer"] = p.Value }))));

            var stored = (await school.Bot.Services.GetRequiredService<RosterStore>().GetPlanAsync(ViewsSchool.System, ViewsSchool.School, term, ViewsSchool.Amelia, default))!.PupilVoice;
            stored.Should().BeEquivalentTo(picks, "no tap is lost to another tap creating the plan at the same moment");
            foreach (var (pick, card) in picks.Zip(cards))
            {
                var marked = Marked(card["value"]!);
                marked.Should().Contain(pick.Key, pick.Value);
                marked.Should().OnlyContain(m => stored![m.Key] == m.Value, "a card marks only answers that were stored");
            }
        }
    }

    [Fact]
    public async Task SaveVoice_EarlyYearsAnswerNotOffered_ClearErrorAndNothingWritten()
    {
        var before = (await PlanAsync(ViewsSchool.Amelia))!;

        var body = await school.InvokeAsync("voice/save", TomEllis, new JsonObject
        {
            ["upn"] = ViewsSchool.Amelia, ["term"] = school.Open.Id, ["q-class"] = "happy", ["q-play"] = "ecstatic", ["adultNote"] = "A note that must not be saved alone.",
        });

        body["statusCode"]!.GetValue<int>().Should().Be(400);
        body["value"]!["message"]!.GetValue<string>().Should().Be("That is not one of the answers to \"How do you feel at playtime?\". Nothing has been saved.");
        var after = (await PlanAsync(ViewsSchool.Amelia))!;
        after.Revision.Should().Be(before.Revision);
        after.PupilVoice.Should().BeEquivalentTo(before.PupilVoice);
    }

    [Theory]
    [InlineData(TomEllis, ViewsSchool.Amelia, "adultNote", "The adult's note")]
    [InlineData(PriyaShah, Freya, "findHard", "The answer to \"What I find hard\"")]
    public async Task SaveVoice_TextLongerThanTheCardAllows_ClearErrorAndNothingWritten(string staff, string upn, string field, string named)
    {
        var before = await PlanAsync(upn);

        var body = await school.InvokeAsync("voice/save", staff, new JsonObject
        {
            ["upn"] = upn, ["term"] = school.Open.Id, ["goodAt"] = "Drawing maps.", [field] = new string('x', PupilVoiceFields.AnswerLength + 1),
        });

        body["statusCode"]!.GetValue<int>().Should().Be(400);
        body["value"]!["message"]!.GetValue<string>().Should().Be($"{named} is longer than 1000 characters. Shorten it and save again. Nothing has been saved.");
        (await PlanAsync(upn)).Should().BeEquivalentTo(before, "nothing is written");
    }

    [Fact]
    public async Task SaveVoice_EarlyYearsPupil_StoredWithThePlanAndShownOnTheCard()
    {
        var open = await school.InvokeAsync("voice/open", TomEllis, new JsonObject { ["upn"] = ViewsSchool.Amelia, ["term"] = school.Open.Id });
        open["value"]!.ToJsonString().Should().Contain("How do you feel in class?");

        var before = (await PlanAsync(ViewsSchool.Amelia))!.PupilVoice;

        var body = await school.InvokeAsync("voice/save", TomEllis, new JsonObject
        {
            ["upn"] = ViewsSchool.Amelia, ["term"] = school.Open.Id, ["q-class"] = "happy", ["q-play"] = "sad", ["adultNote"] = "Pointed at sad for playtime twice.", ["smuggled"] = "x",
        });

        body["value"]!.ToJsonString().Should().Contain("Pupil\\u0027s voice saved.").And.Contain("Pointed at sad for playtime twice.");
        var plan = await PlanAsync(ViewsSchool.Amelia);
        // Answers tapped earlier (by other tests of this class) stay: a card posted before taps existed still sends its answers with Save.
        plan!.PupilVoice.Should().BeEquivalentTo(new Dictionary<string, string>(before ?? new Dictionary<string, string>())
        {
            ["q-class"] = "happy", ["q-play"] = "sad", ["adultNote"] = "Pointed at sad for playtime twice.",
        });
        plan.Targets.Should().HaveCount(2, "the voice does not touch the targets");
    }

    [Fact]
    public async Task PickVoice_ChildTapsAPicture_AnswerStoredAndCardComesBackWithItMarked()
    {
        var before = (await PlanAsync(ViewsSchool.Amelia))!;

        var body = await school.InvokeAsync("voice/pick", TomEllis, new JsonObject
        {
            ["upn"] = ViewsSchool.Amelia, ["term"] = school.Open.Id, ["question"] = "q-help", ["answer"] = "sometimes", ["adultNote"] = "Typed, not saved yet.",
        });

        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.card.adaptive");
        var card = body["value"]!;
        card.ToJsonString().Should().NotContain("Input.ChoiceSet");
        var help = Choices(card, "q-help");
        help.Select(c => c["selectAction"]!["data"]!["answer"]!.GetValue<string>()).Should().Equal("yes", "sometimes", "no");
        help.Should().OnlyContain(c => c["selectAction"]!["verb"]!.GetValue<string>() == "voice/pick" && c["selectAction"]!["data"]!["upn"]!.GetValue<string>() == ViewsSchool.Amelia);
        var boxes = help.Select(c => c["items"]![0]!).ToList();
        boxes.Select(b => b["style"]!.GetValue<string>()).Should().Equal("Emphasis", "Good", "Emphasis");
        boxes.Select(b => b["items"]![1]!["text"]!.GetValue<string>()).Should().Equal("Yes", "✓ Sometimes", "No");
        boxes.Select(b => b["items"]![0]!["text"]!.GetValue<string>()).Should().Equal(["👍\uFE0F", "🤷\uFE0F", "👎\uFE0F"], "asked for as colour pictures, not text symbols");
        boxes.Should().OnlyContain(b => b["minHeight"]!.GetValue<string>() == "90px" && b["items"]![0]!["size"]!.GetValue<string>() == "ExtraLarge");
        card["body"]!.AsArray().Single(e => e!["id"]?.GetValue<string>() == "adultNote")!["value"]!.GetValue<string>().Should().Be("Typed, not saved yet.", "the note typed before the tap is not lost");

        var picked = (await PlanAsync(ViewsSchool.Amelia))!;
        picked.PupilVoice.Should().BeEquivalentTo(new Dictionary<string, string>(before.PupilVoice ?? new Dictionary<string, string>()) { ["q-help"] = "sometimes" },
            "the tap stores that one answer, not the unsaved note");
        picked.Revision.Should().Be(before.Revision + 1);

        // Save sends only the note: the tapped answer stays.
        await school.InvokeAsync("voice/save", TomEllis, new JsonObject { ["upn"] = ViewsSchool.Amelia, ["term"] = school.Open.Id, ["adultNote"] = "Said grown-ups help sometimes." });

        (await PlanAsync(ViewsSchool.Amelia))!.PupilVoice.Should().Contain("q-help", "sometimes").And.Contain("adultNote", "Said grown-ups help sometimes.");
    }

    [Fact]
    public async Task PickVoice_TeacherOfAnotherClass_RefusedAndNothingWritten()
    {
        var before = (await PlanAsync(ViewsSchool.Amelia))!;

        var body = await school.InvokeAsync("voice/pick", PriyaShah, new JsonObject { ["upn"] = ViewsSchool.Amelia, ["term"] = school.Open.Id, ["question"] = "q-class", ["answer"] = "sad" });

        body["statusCode"]!.GetValue<int>().Should().Be(403);
        var after = (await PlanAsync(ViewsSchool.Amelia))!;
        after.Revision.Should().Be(before.Revision);
        after.PupilVoice.Should().BeEquivalentTo(before.PupilVoice);
    }

    [Theory]
    [InlineData("q-class", "ecstatic", "not one of the answers to \"How do you feel in class?\"")]
    [InlineData("q-class", "yes", "not one of the answers")]
    [InlineData("q-class", null, "not one of the answers")]
    [InlineData("q-unknown", "happy", "not in the school's question bank")]
    [InlineData(null, "happy", "not in the school's question bank")]
    public async Task PickVoice_UnknownQuestionOrAnswer_ClearErrorAndNothingWritten(string? question, string? answer, string expected)
    {
        var before = (await PlanAsync(ViewsSchool.Amelia))!;

        var body = await school.InvokeAsync("voice/pick", TomEllis, new JsonObject { ["upn"] = ViewsSchool.Amelia, ["term"] = school.Open.Id, ["question"] = question, ["answer"] = answer });

        body["statusCode"]!.GetValue<int>().Should().Be(400);
        body["value"]!["message"]!.GetValue<string>().Should().Contain(expected).And.EndWith("Nothing has been saved.");
        var after = (await PlanAsync(ViewsSchool.Amelia))!;
        after.Revision.Should().Be(before.Revision);
        after.PupilVoice.Should().BeEquivalentTo(before.PupilVoice);
    }

    [Fact]
    public async Task SaveVoice_KeyStage2Pupil_FourQuestionsOpenAndSaveInTheirOwnWords()
    {
        var open = await school.InvokeAsync("voice/open", PriyaShah, new JsonObject { ["upn"] = Freya, ["term"] = school.Open.Id });

        open["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.card.adaptive");
        open["value"]!["body"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "Input.Text").Select(e => e!["id"]!.GetValue<string>())
            .Should().Equal("goodAt", "findHard", "helpsMe", "myTarget");
        open["value"]!.ToJsonString().Should().Contain("Freya\\u0027s voice").And.NotContain("voice/pick");

        var body = await school.InvokeAsync("voice/save", PriyaShah, new JsonObject
        {
            ["upn"] = Freya, ["term"] = school.Open.Id, ["goodAt"] = "Drawing maps.", ["findHard"] = "Spelling tests.", ["helpsMe"] = "A word mat.",
            ["myTarget"] = "Learn my tricky words.", ["q-class"] = "happy",
        });

        body["value"]!.ToJsonString().Should().Contain("Pupil\\u0027s voice saved.").And.Contain("What I\\u0027m good at").And.Contain("Drawing maps.");
        (await PlanAsync(Freya))!.PupilVoice.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["goodAt"] = "Drawing maps.", ["findHard"] = "Spelling tests.", ["helpsMe"] = "A word mat.", ["myTarget"] = "Learn my tricky words.",
        });
        var pick = await school.InvokeAsync("voice/pick", PriyaShah, new JsonObject { ["upn"] = Freya, ["term"] = school.Open.Id, ["question"] = "q-class", ["answer"] = "happy" });
        pick["statusCode"]!.GetValue<int>().Should().Be(400, "an older pupil's card has no pictures to tap");
    }

    private Task<Plan?> PlanAsync(string upn) =>
        school.Bot.Services.GetRequiredService<RosterStore>().GetPlanAsync(ViewsSchool.System, ViewsSchool.School, school.Open.Id, upn, default);

    /// <summary>The picture choices of one question on the early years voice card: one column each.</summary>
    private static List<JsonNode> Choices(JsonNode card, string questionId) =>
    [
        .. card["body"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "ColumnSet")
            .SelectMany(e => e!["columns"]!.AsArray()).Where(c => c!["selectAction"]!["data"]!["question"]!.GetValue<string>() == questionId).Select(c => c!),
    ];

    /// <summary>The answers marked chosen (green and ticked) on the early years voice card, by question.</summary>
    private static Dictionary<string, string> Marked(JsonNode card) =>
        card["body"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "ColumnSet")
            .SelectMany(e => e!["columns"]!.AsArray()).Where(c => c!["items"]![0]!["style"]!.GetValue<string>() == "Good")
            .Select(c => c!["selectAction"]!["data"]!).ToDictionary(d => d["question"]!.GetValue<string>(), d => d["answer"]!.GetValue<string>());

    [Fact]
    public async Task PlanCard_ParentViewsGiven_ShownBesideTargets()
    {
        await school.Store.SaveAsync(new ParentViews(ViewsSchool.School, school.Open.Id, ViewsSchool.Amelia, "1",
            new Dictionary<string, string> { ["agree0"] = "yes", ["worries"] = "Playtime" }), default);

        var body = await school.InvokeAsync("voice/save", TomEllis, new JsonObject { ["upn"] = ViewsSchool.Amelia, ["term"] = school.Open.Id, ["q-class"] = "okay" });

        var card = body["value"]!.ToJsonString();
        card.Should().Contain("Mother").And.Contain("Playtime");
    }

    [Fact]
    public async Task FillIn_StaffOnThePhoneWithAParent_OpensTheParentCardAndSubmitsForThem()
    {
        var plan = await school.InvokeAsync("voice/save", TomEllis, new JsonObject { ["upn"] = ViewsSchool.Amelia, ["term"] = school.Open.Id, ["q-friends"] = "yes" });
        var fillIn = plan["value"]!["body"]!.AsArray().First(e => e!["type"]!.GetValue<string>() == "ActionSet")!["actions"]![0]!;
        fillIn["verb"]!.GetValue<string>().Should().Be("views/edit");
        var data = (JsonObject)fillIn["data"]!.DeepClone();

        var card = await school.InvokeAsync("views/edit", TomEllis, (JsonObject)data.DeepClone());
        card["value"]!["body"]![0]!["text"]!.GetValue<string>().Should().StartWith("Your views on Amelia");
        data["worries"] = "Said on the phone: mornings are hard.";
        var thanks = await school.InvokeAsync("views/submit", TomEllis, data);

        thanks["value"]!.ToJsonString().Should().Contain("Said on the phone: mornings are hard.");
    }

    [Fact]
    public async Task PlanFor_TeachingAssistantOfTheClass_ReadsThePlanAndCapturesTheVoiceThroughApiMessages()
    {
        var kim = await TeachingAssistantAsync();

        var replies = await school.SayAsync(kim, "plan for Amelia");

        var card = replies.Single()["attachments"]![0]!["content"]!;
        card.ToJsonString().Should().Contain("Amelia will ask for help with a picture card.").And.Contain("The class teacher writes the targets.")
            .And.NotContain("plan/save").And.NotContain("\"target0\"");
        card["actions"]!.AsArray().Select(a => a!["verb"]!.GetValue<string>()).Should().Equal("voice/open");
        var data = (JsonObject)card["actions"]![0]!["data"]!.DeepClone();
        (await school.InvokeAsync("voice/open", kim, (JsonObject)data.DeepClone()))["value"]!.ToJsonString().Should().Contain("How do you feel in class?");
        data["q-friends"] = "yes";
        data["adultNote"] = "Asked with Kim at snack time.";

        var saved = await school.InvokeAsync("voice/save", kim, data);

        saved["value"]!.ToJsonString().Should().Contain("Pupil\\u0027s voice saved.").And.Contain("Asked with Kim at snack time.");
        var plan = await school.Bot.Services.GetRequiredService<RosterStore>().GetPlanAsync(ViewsSchool.System, ViewsSchool.School, school.Open.Id, ViewsSchool.Amelia, default);
        plan!.PupilVoice.Should().Contain("adultNote", "Asked with Kim at snack time.");
    }

    [Fact]
    public async Task SavePlan_TeachingAssistant_RefusedWithAClearMessageAndNothingWritten()
    {
        var kim = await TeachingAssistantAsync();
        var store = school.Bot.Services.GetRequiredService<RosterStore>();
        var before = await store.GetPlanAsync(ViewsSchool.System, ViewsSchool.School, school.Past.Id, ViewsSchool.Amelia, default);

        var body = await school.InvokeAsync("plan/save", kim, Targets(school.Past.Id, "Amelia will ask for help with a card.", "Amelia will sit for a story."));
        var agreed = await school.InvokeAsync("agreed/save", kim, new JsonObject { ["upn"] = ViewsSchool.Amelia, ["term"] = school.Past.Id, [AgreedFields.Target(0)] = "One", [AgreedFields.Target(1)] = "Two" });

        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.error");
        body["value"]!["message"]!.GetValue<string>().Should().Be(PlansHandlers.TargetsNotForTeachingAssistants);
        agreed["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.error");
        agreed["value"]!["message"]!.GetValue<string>().Should().Contain("a teaching assistant cannot");
        (await store.GetPlanAsync(ViewsSchool.System, ViewsSchool.School, school.Past.Id, ViewsSchool.Amelia, default)).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task SavePlan_AdminWhoReadsNoPlans_RefusedAndNothingWritten()
    {
        var body = await school.InvokeAsync("plan/save", JoBarker, Targets("2027-28-spring", "Amelia will ask for help with a card.", "Amelia will sit for a story."));

        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.error");
        (await school.Bot.Services.GetRequiredService<RosterStore>().GetPlanAsync(ViewsSchool.System, ViewsSchool.School, "2027-28-spring", ViewsSchool.Amelia, default))
            .Should().BeNull();
    }

    [Theory]
    [InlineData("voice/open")]
    [InlineData("voice/pick")]
    [InlineData("voice/save")]
    [InlineData("plan/refresh")]
    public async Task PlanVerb_AdminWhoReadsNoPlans_RefusedWithAClearMessageNothingWrittenOrShown(string verb)
    {
        var before = (await PlanAsync(ViewsSchool.Amelia))!;

        var body = await school.InvokeAsync(verb, JoBarker, new JsonObject
        {
            ["upn"] = ViewsSchool.Amelia, ["term"] = school.Open.Id, ["question"] = "q-class", ["answer"] = "sad", ["q-play"] = "sad", ["adultNote"] = "Typed by the admin.",
        });

        body["statusCode"]!.GetValue<int>().Should().Be(403);
        body["value"]!["message"]!.GetValue<string>().Should().Contain("an admin reads the roster, not plans");
        body.ToJsonString().Should().NotContain("Amelia", "no card with the pupil or their voice comes back");
        var after = (await PlanAsync(ViewsSchool.Amelia))!;
        after.Revision.Should().Be(before.Revision);
        after.PupilVoice.Should().BeEquivalentTo(before.PupilVoice);
        (await school.Bot.Services.GetRequiredService<PlanAudit>().ForPupilAsync(ViewsSchool.School, ViewsSchool.Amelia, default))
            .Should().NotContain(e => e.Actor == $"staff:{JoBarker}", "the admin neither read nor changed the plan");
    }

    [Fact]
    public async Task SavePlan_TeacherOfAnotherClass_Refused()
    {
        var body = await school.InvokeAsync("plan/save", PriyaShah, Targets(school.Open.Id, "a", "b"));

        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.error");
    }

    [Fact]
    public async Task PlanCard_SentThenSavedByDifferentStaff_RefreshesForWhoeverOpenedOrSavedIt()
    {
        var kim = await TeachingAssistantAsync();
        var cards = new (string Staff, JsonNode Card)[]
        {
            (TomEllis, (await school.SayAsync(TomEllis, "plan for Amelia")).Single(b => b["attachments"] is not null)["attachments"]![0]!["content"]!),
            (TomEllis, (await school.InvokeAsync("voice/save", TomEllis, new JsonObject { ["upn"] = ViewsSchool.Amelia, ["term"] = school.Open.Id, ["q-class"] = "happy" }))["value"]!),
            (kim, (await school.SayAsync(kim, "plan for Amelia")).Single(b => b["attachments"] is not null)["attachments"]![0]!["content"]!),
            (kim, (await school.InvokeAsync("voice/save", kim, new JsonObject { ["upn"] = ViewsSchool.Amelia, ["term"] = school.Open.Id, ["q-class"] = "happy" }))["value"]!),
        };

        foreach (var (staff, card) in cards)
        {
            var refresh = card["refresh"]!;
            refresh["action"]!["type"]!.GetValue<string>().Should().Be("Action.Execute");
            refresh["action"]!["verb"]!.GetValue<string>().Should().Be("plan/refresh");
            refresh["action"]!["data"]!["upn"]!.GetValue<string>().Should().Be(ViewsSchool.Amelia);
            refresh["userIds"]!.AsArray().Select(u => u!.GetValue<string>()).Should().Equal([BotFactory.TeamsUserId(staff)], "the card refreshes for the one who has it open, no one else");
        }
    }

    [Fact]
    public async Task RefreshPlan_ParentGaveViewsSinceTheCardWasSent_CardShowsThemAndKeepsRefreshing()
    {
        var sent = (await school.SayAsync(TomEllis, "plan for Amelia")).Single(b => b["attachments"] is not null)["attachments"]![0]!["content"]!;
        await school.Store.SaveAsync(new ParentViews(ViewsSchool.School, school.Open.Id, ViewsSchool.Amelia, "1",
            new Dictionary<string, string> { ["worries"] = "Sleeping badly since the new baby came." }), default);

        var body = await school.InvokeAsync("plan/refresh", TomEllis, (JsonObject)sent["refresh"]!["action"]!["data"]!.DeepClone());

        sent.ToJsonString().Should().NotContain("Sleeping badly");
        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.card.adaptive");
        body["value"]!.ToJsonString().Should().Contain("Sleeping badly since the new baby came.");
        body["value"]!["refresh"]!["action"]!["verb"]!.GetValue<string>().Should().Be("plan/refresh");
    }

    [Fact]
    public async Task RefreshPlan_TeacherOfAnotherClass_RefusedWithoutThePlan()
    {
        var body = await school.InvokeAsync("plan/refresh", PriyaShah, new JsonObject { ["upn"] = ViewsSchool.Amelia, ["term"] = school.Open.Id });

        body["statusCode"]!.GetValue<int>().Should().Be(403);
        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.error");
        body.ToJsonString().Should().NotContain("Amelia");
    }

    /// <summary>Kim Webb, a teaching assistant in RA (Amelia's class) and 1A, imported from the staff file with the role "TA".</summary>
    private async Task<string> TeachingAssistantAsync()
    {
        var report = await school.Bot.Services.GetRequiredService<RosterImporter>().ImportAsync(ViewsSchool.School, [RosterFiles.StaffWithTeachingAssistant()], dryRun: false, default);
        report.Problems.Should().BeEmpty();
        return RosterFiles.TeachingAssistantId;
    }

    /// <summary>The plan card's save data for Amelia with each target written in full.</summary>
    private static JsonObject Targets(string term, params string[] targets)
    {
        var data = new JsonObject { ["upn"] = ViewsSchool.Amelia, ["term"] = term };
        for (var i = 0; i < targets.Length; i++)
        {
            data[$"target{i}"] = targets[i];
            data[$"area{i}"] = "Communication";
            data[$"help{i}"] = "Practice with an adult each day.";
            data[$"know{i}"] = "She does it most days.";
        }
        return data;
    }

    private static string Problem(JsonNode body) =>
        body["value"]!["body"]!.AsArray().Single(e => e!["id"]?.GetValue<string>() == "problem")!["text"]!.GetValue<string>();

    /// <summary>The values the card's text inputs come back with, in card order.</summary>
    private static IEnumerable<string> TypedValues(JsonNode body) =>
        body["value"]!["body"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "Container")
            .SelectMany(c => c!["items"]!.AsArray()).Select(i => i!["value"]?.GetValue<string>()).OfType<string>();
}
