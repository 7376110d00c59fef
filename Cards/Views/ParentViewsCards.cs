using System.Globalization;
using System.Text.Json.Nodes;
using SendPlans.Cards.Model;

namespace SendPlans.Cards.Views;

/// <summary>One target as a parent sees it: the four parts of a small step target.</summary>
public sealed record ParentViewsTarget(string AreaOfNeed, string Target, string HowSchoolHelps, string HowWeKnow);

/// <summary>
/// What the parent views card needs. <paramref name="Answers"/> holds earlier answers by input
/// id (see <see cref="ParentViewsFields"/>); <paramref name="ActionData"/> goes back with the
/// Action.Execute so the bot knows whose views they are.
/// </summary>
public sealed record ParentViewsCardInput(
    string PupilFirstName,
    DateOnly AnswerBy,
    IReadOnlyList<ParentViewsTarget> Targets,
    IReadOnlyDictionary<string, string> Answers,
    JsonObject ActionData,
    bool CanChange,
    CultureInfo? Culture = null)
{
    /// <summary>What was agreed at the meeting, once the teacher has recorded it; shown read-only above the questions.</summary>
    public ParentAgreedInput? Agreed { get; init; }
}

/// <summary>The agreed targets and notes, in the teacher's plain words.</summary>
public sealed record ParentAgreedInput(IReadOnlyList<string> Targets, string Notes);

/// <summary>The input ids of the parent views card: the keys of the stored answers.</summary>
public static class ParentViewsFields
{
    public const string SubmitVerb = "views/submit";
    public const string EditVerb = "views/edit";
    public const string GoingWell = "goingWell";
    public const string Worries = "worries";
    public const string WorkOn = "workOn";
    public const string Language = "language";
    public const string Interpreter = "interpreter";
    public const string Access = "access";
    public const string HardTimes = "hardTimes";
    public const string EmailConsent = "emailConsent";
    public const string AgreeYes = "yes";
    public const string AgreeNotSure = "notSure";
    public const string AgreeNo = "no";
    public const int MaxTextLength = 2000;

    public static string Agree(int target) => $"agree{target}";

    public static string Comment(int target) => $"comment{target}";

    /// <summary>Every input id for a plan with this many targets.</summary>
    public static IReadOnlyList<string> All(int targets) =>
    [
        .. Enumerable.Range(0, targets).SelectMany(i => new[] { Agree(i), Comment(i) }),
        GoingWell, Worries, WorkOn, Language, Interpreter, Access, HardTimes, EmailConsent,
    ];
}

/// <summary>The parent's views on the plan: the same card in Teams and on the web form.</summary>
public static class ParentViewsCards
{
    public static AdaptiveCard Views(ParentViewsCardInput input)
    {
        var c = input.Culture;
        var body = new List<CardElement>
        {
            TextBlock.Heading(ParentViewsText.Format("Title", c, input.PupilFirstName)),
            new TextBlock(ParentViewsText.Get("Intro", c)),
            new TextBlock(ParentViewsText.Format("AnswerBy", c, input.AnswerBy.ToString("dddd d MMMM", c ?? CultureInfo.CurrentUICulture))) { Weight = TextWeight.Bolder },
        };
        if (input.Agreed is { } agreed)
        {
            body.Insert(1, Agreed(input.PupilFirstName, agreed, c));
        }
        for (var i = 0; i < input.Targets.Count; i++)
        {
            body.Add(TargetQuestions(i, input.Targets[i], input.Answers, c));
        }
        body.Add(Section("HomeHeading", c));
        body.Add(Text(ParentViewsFields.GoingWell, "GoingWellLabel", input.Answers, c));
        body.Add(Text(ParentViewsFields.Worries, "WorriesLabel", input.Answers, c));
        body.Add(Text(ParentViewsFields.WorkOn, "WorkOnLabel", input.Answers, c));
        body.Add(Section("PracticalHeading", c));
        body.Add(Text(ParentViewsFields.Language, "LanguageLabel", input.Answers, c, multiline: false));
        body.Add(Toggle(ParentViewsFields.Interpreter, "InterpreterLabel", input.Answers, c));
        body.Add(Text(ParentViewsFields.Access, "AccessLabel", input.Answers, c));
        body.Add(Text(ParentViewsFields.HardTimes, "HardTimesLabel", input.Answers, c, multiline: false));
        body.Add(Toggle(ParentViewsFields.EmailConsent, "EmailConsentLabel", input.Answers, c));

        List<CardAction> actions = [new ShowCardAction(Glossary(c)) { Title = ParentViewsText.Get("WordsButton", c) }];
        if (input.CanChange)
        {
            actions.Insert(0, new ExecuteAction(ParentViewsFields.SubmitVerb)
            {
                Title = ParentViewsText.Get("Send", c),
                Data = (JsonObject)input.ActionData.DeepClone(),
                AssociatedInputs = "auto",
                Style = "positive",
            });
        }
        else
        {
            body.Insert(1, new TextBlock(ParentViewsText.Get("Closed", c)) { Color = TextColor.Attention });
        }
        return new AdaptiveCard { Body = body, Actions = actions, FallbackText = ParentViewsText.Format("Title", c, input.PupilFirstName) };
    }

    /// <summary>"Thank you — here is what you told us": what replaces the card in Teams after a submit.</summary>
    public static AdaptiveCard Thanks(ParentViewsCardInput input)
    {
        var c = input.Culture;
        var facts = new List<Fact>();
        for (var i = 0; i < input.Targets.Count; i++)
        {
            var agree = input.Answers.GetValueOrDefault(ParentViewsFields.Agree(i)) switch
            {
                ParentViewsFields.AgreeYes => ParentViewsText.Get("AgreeYes", c),
                ParentViewsFields.AgreeNotSure => ParentViewsText.Get("AgreeNotSure", c),
                ParentViewsFields.AgreeNo => ParentViewsText.Get("AgreeNo", c),
                _ => ParentViewsText.Get("NoAnswer", c),
            };
            var comment = input.Answers.GetValueOrDefault(ParentViewsFields.Comment(i));
            facts.Add(new Fact(ParentViewsText.Format("TargetHeading", c, i + 1, input.Targets[i].Target), string.IsNullOrWhiteSpace(comment) ? agree : $"{agree}. {comment}"));
        }
        facts.Add(Answer(ParentViewsFields.GoingWell, "GoingWellLabel", input.Answers, c));
        facts.Add(Answer(ParentViewsFields.Worries, "WorriesLabel", input.Answers, c));
        facts.Add(Answer(ParentViewsFields.WorkOn, "WorkOnLabel", input.Answers, c));
        facts.Add(Answer(ParentViewsFields.Language, "LanguageLabel", input.Answers, c));
        facts.Add(YesNo(ParentViewsFields.Interpreter, "InterpreterLabel", input.Answers, c));
        facts.Add(Answer(ParentViewsFields.Access, "AccessLabel", input.Answers, c));
        facts.Add(Answer(ParentViewsFields.HardTimes, "HardTimesLabel", input.Answers, c));
        facts.Add(YesNo(ParentViewsFields.EmailConsent, "EmailConsentLabel", input.Answers, c));

        var date = input.AnswerBy.ToString("dddd d MMMM", c ?? CultureInfo.CurrentUICulture);
        return new AdaptiveCard
        {
            Body =
            [
                TextBlock.Heading(ParentViewsText.Get("ThanksTitle", c)),
                new TextBlock(input.CanChange ? ParentViewsText.Format("ThanksChange", c, date) : ParentViewsText.Get("ThanksClosed", c)),
                new FactSet(facts),
            ],
            Actions = input.CanChange
                ? [new ExecuteAction(ParentViewsFields.EditVerb) { Title = ParentViewsText.Get("ChangeButton", c), Data = (JsonObject)input.ActionData.DeepClone() }]
                : null,
            FallbackText = ParentViewsText.Get("ThanksTitle", c),
        };
    }

    /// <summary>
    /// "What we agreed": read-only, above the questions, so a parent without email can read it with
    /// the form link. The teacher's words as typed, then what any glossary acronym in them means.
    /// </summary>
    private static Container Agreed(string pupil, ParentAgreedInput agreed, CultureInfo? c)
    {
        var items = new List<CardElement>
        {
            new TextBlock(ParentViewsText.Get("AgreedHeading", c)) { Size = TextSize.Medium, Weight = TextWeight.Bolder, Style = "heading" },
            new TextBlock(ParentViewsText.Format("AgreedIntro", c, pupil)),
        };
        items.AddRange(agreed.Targets.Select((t, i) => new TextBlock(ParentViewsText.Format("AgreedStep", c, i + 1, t))));
        if (!string.IsNullOrWhiteSpace(agreed.Notes))
        {
            items.Add(new TextBlock(ParentViewsText.Get("AgreedNotesHeading", c)) { Weight = TextWeight.Bolder, Spacing = Spacing.Medium });
            items.Add(new TextBlock(agreed.Notes));
        }
        var terms = ParentViewsText.GlossaryTermsIn([.. agreed.Targets, agreed.Notes]);
        if (terms.Count > 0)
        {
            items.Add(new TextBlock(ParentViewsText.Get("AgreedWords", c)) { Weight = TextWeight.Bolder, Spacing = Spacing.Medium });
            items.AddRange(terms.Select(t => new TextBlock(ParentViewsText.Glossary(t, c))));
        }
        return new Container(items) { Id = "agreed", Style = ContainerStyle.Good, Spacing = Spacing.Large };
    }

    private static Container TargetQuestions(int i, ParentViewsTarget target, IReadOnlyDictionary<string, string> answers, CultureInfo? c) =>
        new([
            new TextBlock(ParentViewsText.Format("TargetHeading", c, i + 1, target.Target)) { Weight = TextWeight.Bolder, Size = TextSize.Medium },
            new FactSet([
                new Fact(ParentViewsText.Get("TargetArea", c), target.AreaOfNeed),
                new Fact(ParentViewsText.Get("TargetHelp", c), target.HowSchoolHelps),
                new Fact(ParentViewsText.Get("TargetKnow", c), target.HowWeKnow),
            ]),
            new ChoiceSetInput([
                new Choice(ParentViewsText.Get("AgreeYes", c), ParentViewsFields.AgreeYes),
                new Choice(ParentViewsText.Get("AgreeNotSure", c), ParentViewsFields.AgreeNotSure),
                new Choice(ParentViewsText.Get("AgreeNo", c), ParentViewsFields.AgreeNo),
            ])
            {
                Id = ParentViewsFields.Agree(i),
                Label = ParentViewsText.Get("AgreeLabel", c),
                Style = "expanded",
                Value = answers.GetValueOrDefault(ParentViewsFields.Agree(i)),
            },
            Text(ParentViewsFields.Comment(i), "CommentLabel", answers, c),
        ])
        { Style = ContainerStyle.Emphasis, Spacing = Spacing.Large };

    private static TextBlock Section(string key, CultureInfo? c) =>
        new(ParentViewsText.Get(key, c)) { Size = TextSize.Medium, Weight = TextWeight.Bolder, Style = "heading", Spacing = Spacing.Large, Separator = true };

    private static TextInput Text(string id, string labelKey, IReadOnlyDictionary<string, string> answers, CultureInfo? c, bool multiline = true) => new()
    {
        Id = id,
        Label = ParentViewsText.Get(labelKey, c),
        IsMultiline = multiline ? true : null,
        MaxLength = ParentViewsFields.MaxTextLength,
        Value = answers.GetValueOrDefault(id),
    };

    private static ToggleInput Toggle(string id, string labelKey, IReadOnlyDictionary<string, string> answers, CultureInfo? c) =>
        new(ParentViewsText.Get(labelKey, c))
        {
            Id = id,
            ValueOn = "true",
            ValueOff = "false",
            Wrap = true,
            Value = answers.GetValueOrDefault(id) == "true" ? "true" : "false",
        };

    private static Fact Answer(string id, string labelKey, IReadOnlyDictionary<string, string> answers, CultureInfo? c) =>
        new(ParentViewsText.Get(labelKey, c), answers.GetValueOrDefault(id) is { Length: > 0 } v ? v : ParentViewsText.Get("NoAnswer", c));

    private static Fact YesNo(string id, string labelKey, IReadOnlyDictionary<string, string> answers, CultureInfo? c) =>
        new(ParentViewsText.Get(labelKey, c), ParentViewsText.Get(answers.GetValueOrDefault(id) == "true" ? "AgreeYes" : "AgreeNo", c));

    private static AdaptiveCard Glossary(CultureInfo? c) => new()
    {
        MsTeams = null,
        Body =
        [
            new TextBlock(ParentViewsText.Get("WordsHeading", c)) { Weight = TextWeight.Bolder },
            new FactSet([.. ParentViewsText.GlossaryTerms.Select(t => new Fact(t, ParentViewsText.Glossary(t, c)))]),
        ],
    };
}
