using System.Text.Json.Nodes;
using SendPlans.Cards.Model;

namespace SendPlans.Cards.Plans;

/// <summary>Who hears about the agreed notes, as the record card tells the teacher.</summary>
public sealed record AgreedRecipient(string Relationship, bool ByEmail);

/// <summary>What the "Record what we agreed" card needs: the targets to start from (the agreed ones, or the plan's) and the notes.</summary>
public sealed record AgreedCardInput(
    string PupilName,
    string TermName,
    IReadOnlyList<string> Targets,
    string? Notes,
    IReadOnlyList<AgreedRecipient> Parents,
    JsonObject ActionData,
    int? RecordedRevision = null);

/// <summary>What was agreed, as the plan card shows it once recorded.</summary>
public sealed record AgreedSummary(IReadOnlyList<string> Targets, string Notes, string RecordedOn, int Revision);

/// <summary>The input ids and verbs of the agreed-notes card.</summary>
public static class AgreedFields
{
    public const string OpenVerb = "agreed/open";
    public const string SaveVerb = "agreed/save";
    public const string Notes = "agreedNotes";
    public const int TargetLength = 500;
    public const int NotesLength = 1000;

    public static string Target(int i) => $"agreedTarget{i}";
}

/// <summary>After the meeting: the teacher writes down the agreed targets and short notes for the parents.</summary>
public static class AgreedCards
{
    public static AdaptiveCard Record(AgreedCardInput input)
    {
        var body = new List<CardElement>
        {
            TextBlock.Heading($"What we agreed: {input.PupilName}"),
            TextBlock.Subtle($"{input.TermName} term" + (input.RecordedRevision is { } r ? $" · recorded, version {r}" : "")),
            new TextBlock("Write the 2 to 4 targets you agreed at the meeting and a few short notes. Use plain words: the parents get exactly this text."),
        };
        for (var i = 0; i < PlanFields.Slots; i++)
        {
            body.Add(new TextInput
            {
                Id = AgreedFields.Target(i),
                Label = $"Agreed target {i + 1}",
                Value = i < input.Targets.Count ? input.Targets[i] : null,
                MaxLength = AgreedFields.TargetLength,
                IsMultiline = true,
            });
        }
        body.Add(new TextInput
        {
            Id = AgreedFields.Notes,
            Label = "Short notes for the parents (what we talked about, who does what next)",
            Value = input.Notes,
            MaxLength = AgreedFields.NotesLength,
            IsMultiline = true,
        });
        var emailed = input.Parents.Where(p => p.ByEmail).Select(p => p.Relationship.ToLowerInvariant()).ToList();
        var formOnly = input.Parents.Where(p => !p.ByEmail).Select(p => p.Relationship.ToLowerInvariant()).ToList();
        body.Add(new TextBlock(
            (emailed.Count > 0 ? $"The {string.Join(" and the ", emailed)} asked for the notes by email and will get them once (again only if you change them). " : "No parent asked for the notes by email. ")
            + (formOnly.Count > 0 ? $"The {string.Join(" and the ", formOnly)} can read them with their views link." : ""))
        { IsSubtle = true, Separator = true, Spacing = Spacing.Medium });
        return new AdaptiveCard
        {
            Body = body,
            Actions = [new ExecuteAction(AgreedFields.SaveVerb) { Title = "Save and share with parents", Data = (JsonObject)input.ActionData.DeepClone(), AssociatedInputs = "auto", Style = "positive" }],
            FallbackText = $"What we agreed: {input.PupilName}",
        };
    }
}
