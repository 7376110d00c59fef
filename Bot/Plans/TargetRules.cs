using SendPlans.Bot.Booking;
using SendPlans.Bot.Roster;
using SendPlans.Cards.Plans;

namespace SendPlans.Bot.Plans;

/// <summary>
/// The rules for the targets the teacher writes on the plan card: a slot with anything typed
/// needs all four parts, each at most <see cref="PlanFields.PartLength"/> characters, blank slots
/// are ignored, and a plan has 2 to 4 targets. A refusal is whole: nothing is saved, and the card
/// keeps what was typed.
/// </summary>
public static class TargetRules
{
    private static readonly (Func<PlanTargetInput, string> Value, string Name)[] Parts =
    [
        (t => t.Target, "the target in plain words"),
        (t => t.AreaOfNeed, "the area of need"),
        (t => t.HowSchoolHelps, "how school will help"),
        (t => t.HowWeKnow, "how we'll know it's achieved"),
    ];

    /// <summary>Every slot of the card as typed, in card order, so a refused card shows each where it was.</summary>
    public static IReadOnlyList<PlanTargetInput> Typed(Func<string, string?> field) =>
    [
        .. Enumerable.Range(0, PlanFields.Slots).Select(i => new PlanTargetInput(
            field(PlanFields.Area(i)) ?? "", field(PlanFields.Target(i)) ?? "", field(PlanFields.Help(i)) ?? "", field(PlanFields.Know(i)) ?? "")),
    ];

    /// <summary>The targets to store, or a plain refusal naming each incomplete target and what it lacks, or each part too long.</summary>
    public static (IReadOnlyList<PlanTarget>? Targets, string? Problem) Parse(IReadOnlyList<PlanTargetInput> typed)
    {
        var incomplete = typed
            .Select((t, i) => (Number: i + 1, Missing: Parts.Where(p => p.Value(t).Length == 0).Select(p => p.Name).ToList()))
            .Where(t => t.Missing.Count is > 0 and < 4)
            .Select(t => $"Target {t.Number} needs {StaffChats.Names(t.Missing)}.")
            .ToList();
        if (incomplete.Count > 0)
        {
            return (null, $"{string.Join(" ", incomplete)} Each target needs all four parts; clear a target you don't want. Nothing was saved.");
        }
        var tooLong = typed
            .Select((t, i) => (Number: i + 1, Long: Parts.Where(p => p.Value(t).Length > PlanFields.PartLength).Select(p => p.Name).ToList()))
            .Where(t => t.Long.Count > 0)
            .ToList();
        if (tooLong.Count > 0)
        {
            var each = tooLong.Select(t => $"In target {t.Number}, {StaffChats.Names(t.Long)} {(t.Long.Count == 1 ? "is" : "are")} longer than {PlanFields.PartLength} characters.");
            return (null, $"{string.Join(" ", each)} Shorten {(tooLong.Sum(t => t.Long.Count) == 1 ? "it" : "them")} and save again. Nothing was saved.");
        }
        var targets = typed.Where(t => !t.IsBlank)
            .Select(t => new PlanTarget(t.Target) { AreaOfNeed = t.AreaOfNeed, HowSchoolHelps = t.HowSchoolHelps, HowWeKnow = t.HowWeKnow })
            .ToList();
        return targets.Count < Plan.MinTargets
            ? (null, $"A plan needs {Plan.MinTargets} to {Plan.MaxTargets} targets. Write at least {Plan.MinTargets}. Nothing was saved.")
            : (targets, null);
    }
}
