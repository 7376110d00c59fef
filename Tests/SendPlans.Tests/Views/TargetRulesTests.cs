using SendPlans.Bot.Plans;
using SendPlans.Bot.Roster;
using SendPlans.Cards.Plans;

namespace SendPlans.Tests.Views;

/// <summary>The plan card's target rules, with no I/O.</summary>
public sealed class TargetRulesTests
{
    private static readonly PlanTargetInput Whole = new("Reading", "Read a short book with an adult.", "Reading with Mrs Shah.", "She can retell it.");
    private static readonly PlanTargetInput Blank = new("", "", "", "");

    [Fact]
    public void Parse_BlankSlotBetweenWholeTargets_IgnoredAndOrderKept()
    {
        var (targets, problem) = TargetRules.Parse([Whole, Blank, Whole with { Target = "Ask for help with a card." }, Blank]);

        problem.Should().BeNull();
        targets!.Select(t => t.Text).Should().Equal("Read a short book with an adult.", "Ask for help with a card.");
        targets![0].Should().Be(new PlanTarget("Read a short book with an adult.") { AreaOfNeed = "Reading", HowSchoolHelps = "Reading with Mrs Shah.", HowWeKnow = "She can retell it." });
    }

    [Fact]
    public void Parse_OnlyAnAreaTyped_RefusedNotDropped()
    {
        var (targets, problem) = TargetRules.Parse([Whole, Whole, Blank with { AreaOfNeed = "Social" }, Blank]);

        targets.Should().BeNull();
        problem.Should().StartWith("Target 3 needs the target in plain words, how school will help and how we'll know it's achieved.");
    }

    [Fact]
    public void Parse_OnePartOverTheLimit_RefusedNamingIt()
    {
        var (targets, problem) = TargetRules.Parse([Whole, Whole with { HowWeKnow = new string('k', PlanFields.PartLength + 1) }, Blank, Blank]);
        var (atLimit, _) = TargetRules.Parse([Whole, Whole with { HowWeKnow = new string('k', PlanFields.PartLength) }, Blank, Blank]);

        targets.Should().BeNull();
        problem.Should().Be("In target 2, how we'll know it's achieved is longer than 500 characters. Shorten it and save again. Nothing was saved.");
        atLimit.Should().HaveCount(2);
    }

    [Fact]
    public void Typed_MissingFields_EveryCardSlotAsBlankText()
    {
        var typed = TargetRules.Typed(id => id == PlanFields.Help(1) ? "A help card." : null);

        typed.Should().HaveCount(PlanFields.Slots);
        typed[1].Should().Be(Blank with { HowSchoolHelps = "A help card." });
        typed.Count(t => t.IsBlank).Should().Be(3);
    }
}
