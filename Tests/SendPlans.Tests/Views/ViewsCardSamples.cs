using System.Globalization;
using System.Text.Json.Nodes;
using SendPlans.Cards.Model;
using SendPlans.Cards.Plans;
using SendPlans.Cards.Views;

namespace SendPlans.Tests.Views;

/// <summary>The views cards with realistic data; CardSamples lists them with every other card.</summary>
public static class ViewsCardSamples
{
    public static IReadOnlyList<ParentViewsTarget> Targets { get; } =
    [
        new("Reading", "Sam will read a short book with a grown-up and talk about it.", "Sam reads with Mrs Shah three times a week.", "Sam can tell us what happened in the book."),
        new("Talking and listening", "Sam will ask for help with words, not by leaving the room.", "We use a help card on Sam's desk.", "Sam uses the card most days."),
        new("Feelings", "Sam will tell an adult when he feels upset.", "Sam has a calm corner and a daily check-in.", "Fewer times out of class each week."),
    ];

    public static IReadOnlyDictionary<string, string> Answers { get; } = new Dictionary<string, string>
    {
        ["agree0"] = "yes",
        ["comment0"] = "He likes books about animals.",
        ["agree1"] = "notSure",
        ["agree2"] = "yes",
        ["goingWell"] = "He sleeps better and likes to help cook.",
        ["worries"] = "Break times. He says other children leave him out.",
        ["workOn"] = "Making friends.",
        ["language"] = "Polish",
        ["interpreter"] = "true",
        ["hardTimes"] = "Mornings before 10",
        ["emailConsent"] = "true",
    };

    public static ParentAgreedInput Agreed { get; } = new(
        ["Sam will read a short book with a grown-up and talk about it.", "Sam will play a game with two friends at break, with an adult close by.", "Sam will tell an adult when he feels upset."],
        "We talked about break times. Mrs Shah, our SENCo, will set up a games club on Tuesdays and Thursdays. At home, you will read with Sam for ten minutes most days. We will talk again in February.");

    public static ParentViewsCardInput Input(IReadOnlyDictionary<string, string>? answers = null, bool canChange = true) =>
        new("Sam", new DateOnly(2026, 12, 11), Targets, answers ?? new Dictionary<string, string>(),
            new JsonObject { ["link"] = "sample" }, canChange, CultureInfo.GetCultureInfo("en-GB"));

    public static IReadOnlyList<(string Name, AdaptiveCard Card)> All { get; } =
    [
        ("parent-views", ParentViewsCards.Views(Input())),
        ("parent-views-answered", ParentViewsCards.Views(Input(Answers))),
        ("parent-views-closed", ParentViewsCards.Views(Input(Answers, canChange: false))),
        ("parent-views-thanks", ParentViewsCards.Thanks(Input(Answers))),
        ("parent-views-agreed", ParentViewsCards.Views(Input(Answers, canChange: false) with { Agreed = Agreed })),
        ("plan-teacher", PlanCards.Plan(new PlanCardInput("Sam Carter", "Year 3", "2026-27-autumn",
            [.. Targets.Select(t => new PlanTargetInput(t.AreaOfNeed, t.Target, t.HowSchoolHelps, t.HowWeKnow))],
            [new("Mother", [("Target 1", "yes: He likes books about animals."), ("Worries", "Break times."), ("Interpreter", "true")]), new("Father", null) { FillInData = new JsonObject { ["link"] = "sample" }, AskedNote = "We emailed the link on 4 November and a reminder on 9 November." }],
            [("What I'm good at", "Drawing dinosaurs"), ("What I find hard", "Writing long bits")],
            new JsonObject { ["upn"] = "A123", ["term"] = "2026-27-autumn" }, "Targets saved.") { RefreshFor = "29:1a2b3c4d-teacher" })),
        ("plan-teacher-agreed", PlanCards.Plan(new PlanCardInput("Sam Carter", "Year 3", "2026-27-autumn",
            [.. Agreed.Targets.Select((t, i) => new PlanTargetInput(Targets[i].AreaOfNeed, t, Targets[i].HowSchoolHelps, Targets[i].HowWeKnow))],
            [new("Mother", [("Worries", "Break times."), ("Work on", "Making friends."), ("Notes by email", "true")])],
            [("What I'm good at", "Drawing dinosaurs")],
            new JsonObject { ["upn"] = "A123", ["term"] = "2026-27-autumn" }, "What we agreed is saved (version 1). Emailed to 1 parent.")
        {
            Agreed = new AgreedSummary(Agreed.Targets, Agreed.Notes, "25 November 2026", 1),
            CanRecordAgreed = true,
        })),
        ("plan-agreed-record", AgreedCards.Record(new AgreedCardInput("Sam Carter", "2026-27-autumn", [.. Targets.Select(t => t.Target)], null,
            [new AgreedRecipient("Mother", ByEmail: true), new AgreedRecipient("Father", ByEmail: false)],
            new JsonObject { ["upn"] = "A123", ["term"] = "2026-27-autumn" }))),
        ("plan-teacher-nothing-yet", PlanCards.Plan(new PlanCardInput("Sam Carter", "Year 3", "2026-27-autumn", [], [], null,
            new JsonObject { ["upn"] = "A123", ["term"] = "2026-27-autumn" }))),
        ("pupil-voice-early-years", PupilVoiceCards.EarlyYears(new PupilVoiceCardInput("Amelia", new Dictionary<string, string> { ["q-class"] = "happy" },
            new JsonObject { ["upn"] = "A123", ["term"] = "2026-27-autumn" }), SendPlans.Bot.Plans.QuestionBank.Default.Asked)),
        ("pupil-voice-older", PupilVoiceCards.Older(new PupilVoiceCardInput("Sam", new Dictionary<string, string> { ["goodAt"] = "Drawing dinosaurs" },
            new JsonObject { ["upn"] = "A123", ["term"] = "2026-27-autumn" }))),
        ("question-bank", QuestionBankCards.Bank(new QuestionBankCardInput(
            [.. SendPlans.Bot.Plans.QuestionBank.Default.Questions.Select(q => new QuestionBankRow(q.Id, q.Text,
                q.Answers == SendPlans.Bot.Plans.PictureAnswers.Faces ? "happy, okay, sad" : "yes, sometimes, no", q.Asked))],
            [("Faces", "Faces: happy, okay, sad"), ("YesSometimesNo", "Thumbs: yes, sometimes, no")], 3, 5, 120,
            new JsonObject { ["revision"] = 2 }, "Saved. The pupil voice card now asks the ticked questions."))),
    ];
}
