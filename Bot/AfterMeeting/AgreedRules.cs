using System.Text;
using System.Text.RegularExpressions;
using SendPlans.Bot.Roster;
using SendPlans.Cards.Plans;
using SendPlans.Cards.Views;

namespace SendPlans.Bot.AfterMeeting;

/// <summary>What the teacher sent from the "Record what we agreed" card, cleaned.</summary>
public sealed record AgreedInput(IReadOnlyList<string> Targets, string Notes);

/// <summary>
/// The rules for recording what was agreed: 2 to 4 targets, each and the notes within their
/// length, refused whole rather than cut, and a new version only when the words change.
/// </summary>
public static partial class AgreedRules
{
    /// <summary>The cleaned input, or the error code and a plain refusal.</summary>
    public static (AgreedInput? Input, string? Code, string? Problem) Parse(Func<string, string?> field)
    {
        var targets = Enumerable.Range(0, PlanFields.Slots).Select(i => Clean(field(AgreedFields.Target(i)))).Where(t => t.Length > 0).ToList();
        var notes = Clean(field(AgreedFields.Notes));
        if (targets.Count is < Plan.MinTargets or > Plan.MaxTargets)
        {
            return (null, "TooFewTargets", $"Write the {Plan.MinTargets} to {Plan.MaxTargets} targets you agreed. Nothing was saved.");
        }
        var tooLong = targets.FindIndex(t => t.Length > AgreedNotes.MaxTargetLength);
        if (tooLong >= 0)
        {
            return (null, "TargetTooLong", $"Target {tooLong + 1} is longer than {AgreedNotes.MaxTargetLength} characters. Make it shorter; nothing was saved.");
        }
        if (notes.Length > AgreedNotes.MaxNotesLength)
        {
            return (null, "NotesTooLong", $"The notes are longer than {AgreedNotes.MaxNotesLength} characters ({notes.Length}). Keep them short; nothing was saved.");
        }
        return (new AgreedInput(targets, notes), null, null);
    }

    /// <summary>
    /// The plan with the agreement recorded: the same plan when the words are unchanged (so a
    /// retried save writes nothing and mails nothing new); otherwise the next version, the plan's
    /// targets set to the agreed words (keeping each target's other parts) and the plan agreed.
    /// </summary>
    public static Plan Apply(Plan plan, AgreedInput input, DateTimeOffset now)
    {
        if (plan.Agreed is { } stored && stored.SameContent(input.Targets, input.Notes))
        {
            return plan;
        }
        var targets = input.Targets.Select((text, i) => i < plan.Targets.Count ? plan.Targets[i] with { Text = text } : new PlanTarget(text)).ToList();
        return plan with
        {
            Targets = targets,
            Status = plan.Status == PlanStatus.Reviewed ? PlanStatus.Reviewed : PlanStatus.Agreed,
            Agreed = new AgreedNotes(input.Targets, input.Notes, (plan.Agreed?.Revision ?? 0) + 1, now),
        };
    }

    /// <summary>
    /// The all-capitals words (2 to 6 letters, maybe with a number: SALT, OT, KS3) the glossary does
    /// not explain, once each, in the order written: parents may not know them.
    /// </summary>
    public static IReadOnlyList<string> Unexplained(AgreedInput input) =>
        [.. input.Targets.Append(input.Notes).SelectMany(t => Capitals().Matches(t)).Select(m => m.Value)
            .Distinct(StringComparer.Ordinal).Where(w => !EverydayCapitals.Contains(w) && ParentViewsText.GlossaryTermsIn(w).Count == 0)];

    /// <summary>Capitals every parent knows, which the teacher is not asked to explain.</summary>
    private static readonly HashSet<string> EverydayCapitals = new(StringComparer.Ordinal) { "OK", "PE", "TV", "GP", "NHS", "UK", "AM", "PM" };

    /// <summary>What the teacher is told after saving when parents may not know some words: the save is not refused.</summary>
    public static string PlainWordsHint(AgreedInput input) => Unexplained(input) switch
    {
        [] => "",
        [var one] => $" Parents may not know {one}: please say what it means in the notes.",
        var many => $" Parents may not know {string.Join(", ", many)}: please say what they mean in the notes.",
    };

    /// <summary>Trimmed, line ends made \n, other control characters dropped.</summary>
    private static string Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }
        var clean = new StringBuilder(text.Length);
        foreach (var ch in text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n'))
        {
            if (ch == '\n' || !char.IsControl(ch))
            {
                clean.Append(ch);
            }
        }
        return clean.ToString().Trim();
    }

    [GeneratedRegex(@"(?<![\p{L}\p{N}])[A-Z]{2,6}[0-9]*(?![\p{L}\p{N}])")]
    private static partial Regex Capitals();
}
