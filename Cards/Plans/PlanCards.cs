using System.Text.Json.Nodes;
using SendPlans.Cards.Model;

namespace SendPlans.Cards.Plans;

/// <summary>A target as the teacher writes it.</summary>
public sealed record PlanTargetInput(string AreaOfNeed, string Target, string HowSchoolHelps, string HowWeKnow)
{
    /// <summary>Nothing typed in any of the four parts: an unused slot.</summary>
    public bool IsBlank => AreaOfNeed.Length == 0 && Target.Length == 0 && HowSchoolHelps.Length == 0 && HowWeKnow.Length == 0;
}

/// <summary>One parent's views as the plan card shows them; null answers mean not given yet.</summary>
public sealed record ParentViewsSummary(string Relationship, IReadOnlyList<(string Question, string Answer)>? Answers)
{
    /// <summary>The data of a "fill in for them" button (views/edit), for staff on the phone with the parent; null hides it.</summary>
    public JsonObject? FillInData { get; init; }

    /// <summary>How the parent was asked: "We emailed the link on 4 December." or "No email address: …"; null shows nothing.</summary>
    public string? AskedNote { get; init; }
}

/// <summary>What the teacher's plan card shows before the meeting.</summary>
public sealed record PlanCardInput(
    string PupilName,
    string YearGroup,
    string TermName,
    IReadOnlyList<PlanTargetInput> Targets,
    IReadOnlyList<ParentViewsSummary> ParentViews,
    IReadOnlyList<(string Question, string Answer)>? PupilVoice,
    JsonObject ActionData,
    string? Notice = null)
{
    /// <summary>What was agreed at the meeting, once recorded.</summary>
    public AgreedSummary? Agreed { get; init; }

    /// <summary>True once the meeting has started: shows "Record what we agreed".</summary>
    public bool CanRecordAgreed { get; init; }

    /// <summary>The Teams user id (29:…) of the member of staff the card is for: Teams asks for a fresh card (plan/refresh) when they open the chat. Null: no refresh.</summary>
    public string? RefreshFor { get; init; }

    /// <summary>False for a teaching assistant: the targets are shown, not editable, and there is no "Save targets".</summary>
    public bool CanChangeTargets { get; init; } = true;

    /// <summary>Why the targets were not saved, shown at the top; the targets then hold what was typed.</summary>
    public string? Problem { get; init; }
}

/// <summary>The input ids of the plan card.</summary>
public static class PlanFields
{
    public const string SaveVerb = "plan/save";
    public const string VoiceVerb = "voice/open";

    /// <summary>The card's refresh: the latest parents' views and pupil's voice each time the teacher opens the chat.</summary>
    public const string RefreshVerb = "plan/refresh";

    /// <summary>Opens the parent views card itself (the same verb the thank-you card's "Change my answers" uses).</summary>
    public const string FillInVerb = "views/edit";
    public const int Slots = 4;

    /// <summary>The most characters each part of a target may have, on the card and on the server.</summary>
    public const int PartLength = 500;

    public static string Area(int i) => $"area{i}";
    public static string Target(int i) => $"target{i}";
    public static string Help(int i) => $"help{i}";
    public static string Know(int i) => $"know{i}";
}

/// <summary>The plan for the teacher: targets to write or edit, and the parent's and pupil's views beside them.</summary>
public static class PlanCards
{
    public static AdaptiveCard Plan(PlanCardInput input)
    {
        var body = new List<CardElement>
        {
            TextBlock.Heading($"Plan for {input.PupilName}"),
            TextBlock.Subtle($"{input.YearGroup} · {input.TermName} term"),
        };
        if (input.Problem is not null)
        {
            body.Add(new TextBlock(input.Problem) { Color = TextColor.Attention, Weight = TextWeight.Bolder, Id = "problem" });
        }
        if (input.Notice is not null)
        {
            body.Add(new TextBlock(input.Notice) { Color = TextColor.Good, Weight = TextWeight.Bolder });
        }
        body.Add(Section("Parents' views"));
        if (input.ParentViews.Count == 0)
        {
            body.Add(Missing("No contact with parental responsibility."));
        }
        foreach (var parent in input.ParentViews)
        {
            body.Add(new TextBlock(parent.Relationship) { Weight = TextWeight.Bolder });
            body.Add(parent.Answers is { Count: > 0 } answers ? Facts(answers) : Missing("Not given yet."));
            if (parent.Answers is not { Count: > 0 } && parent.AskedNote is { } asked)
            {
                body.Add(TextBlock.Subtle(asked));
            }
            if (parent.FillInData is { } fillIn)
            {
                body.Add(new ActionSet([new ExecuteAction(PlanFields.FillInVerb) { Title = $"Fill in with the {parent.Relationship.ToLowerInvariant()} (phone call)", Data = (JsonObject)fillIn.DeepClone() }]));
            }
        }
        body.Add(Section("Pupil's voice"));
        body.Add(input.PupilVoice is { Count: > 0 } voice ? Facts(voice) : Missing("Not captured yet."));
        if (input.Agreed is not null || input.CanRecordAgreed)
        {
            body.Add(Section("What we agreed"));
            if (input.Agreed is { } agreed)
            {
                body.Add(TextBlock.Subtle($"Recorded {agreed.RecordedOn} (version {agreed.Revision}). Parents who asked for email are sent each version once."));
                body.AddRange(agreed.Targets.Select((t, i) => new TextBlock($"{i + 1}. {t}") { Spacing = Spacing.Small }));
                if (!string.IsNullOrEmpty(agreed.Notes))
                {
                    body.Add(new TextBlock("Notes") { Weight = TextWeight.Bolder, Spacing = Spacing.Medium });
                    body.Add(new TextBlock(agreed.Notes));
                }
            }
            else
            {
                body.Add(Missing("Not recorded yet. After the meeting, write down what you agreed: parents who asked get it by email."));
            }
            if (input.CanRecordAgreed)
            {
                body.Add(new ActionSet([new ExecuteAction(AgreedFields.OpenVerb)
                {
                    Title = input.Agreed is null ? "Record what we agreed" : "Change what we agreed",
                    Data = (JsonObject)input.ActionData.DeepClone(),
                    AssociatedInputs = "none",
                }]));
            }
        }
        body.Add(Section($"Targets ({input.Targets.Count(t => !t.IsBlank)} of 2 to 4)"));
        if (input.CanChangeTargets)
        {
            body.AddRange(Enumerable.Range(0, PlanFields.Slots).Select(i => TargetInputs(i, i < input.Targets.Count ? input.Targets[i] : null)));
        }
        else
        {
            body.Add(input.Targets.Count == 0 ? Missing("Not written yet.") : TextBlock.Subtle("The class teacher writes the targets."));
            body.AddRange(input.Targets.Select((t, i) => Slot(
                new TextBlock($"Target {i + 1}: {t.Target}") { Weight = TextWeight.Bolder },
                Facts([("Area of need", t.AreaOfNeed), ("How school will help", t.HowSchoolHelps), ("How we'll know it's achieved", t.HowWeKnow)]))));
        }
        return new AdaptiveCard
        {
            Body = body,
            Actions =
            [
                .. input.CanChangeTargets
                    ? [new ExecuteAction(PlanFields.SaveVerb) { Title = "Save targets", Data = (JsonObject)input.ActionData.DeepClone(), AssociatedInputs = "auto", Style = "positive" }]
                    : Array.Empty<ExecuteAction>(),
                new ExecuteAction(PlanFields.VoiceVerb) { Title = "Capture pupil's voice", Data = (JsonObject)input.ActionData.DeepClone(), AssociatedInputs = "none" },
            ],
            Refresh = input.RefreshFor is { } user
                ? new CardRefresh { Action = new ExecuteAction(PlanFields.RefreshVerb) { Title = "Refresh", Data = (JsonObject)input.ActionData.DeepClone() }, UserIds = [user] }
                : null,
            FallbackText = $"Plan for {input.PupilName}",
        };
    }

    private static Container TargetInputs(int i, PlanTargetInput? t) => Slot(
        new TextBlock($"Target {i + 1}") { Weight = TextWeight.Bolder },
        Text(PlanFields.Target(i), "The target in plain words", t?.Target),
        Text(PlanFields.Area(i), "Area of need", t?.AreaOfNeed),
        Text(PlanFields.Help(i), "How school will help", t?.HowSchoolHelps),
        Text(PlanFields.Know(i), "How we'll know it's achieved", t?.HowWeKnow));

    private static Container Slot(params CardElement[] items) => new(items) { Style = ContainerStyle.Emphasis, Spacing = Spacing.Medium };

    private static TextBlock Section(string text) =>
        new(text) { Size = TextSize.Medium, Weight = TextWeight.Bolder, Separator = true, Spacing = Spacing.Large };

    private static TextBlock Missing(string text) => new(text) { Color = TextColor.Attention };

    private static FactSet Facts(IReadOnlyList<(string Question, string Answer)> answers) =>
        new([.. answers.Select(a => new Fact(a.Question, a.Answer))]);

    private static TextInput Text(string id, string label, string? value) =>
        new() { Id = id, Label = label, Value = value, MaxLength = PlanFields.PartLength };
}
