using System.Text;
using SendPlans.Bot.Roster;
using SendPlans.Cards.Plans;

namespace SendPlans.Bot.AfterMeeting;

/// <summary>What the teacher sent from the "Record what we agreed" card, cleaned.</summary>
public sealed record AgreedInput(IReadOnlyList<string> Targets, string Notes);

/// <summary>
/// The rules for recording what was agreed: 2 to 4 targets, each and the notes within their
/// length, refused whole rather than cut, and a new version only when the words change.
/// </summary>
public static class AgreedRules
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
}
