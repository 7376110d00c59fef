using System.Text.RegularExpressions;
using SendPlans.Cards.Views;
using SendPlans.Tests.Cards;

namespace SendPlans.Tests.Views;

public sealed partial class PlainLanguageTests
{
    public const double MinimumReadingEase = 70;

    [Fact]
    public void FleschReadingEase_EveryParentFacingString_AtLeast70()
    {
        var hard = ParentViewsText.Strings.All()
            .Select(s => (s.Key, Score: Readability.FleschReadingEase(s.Text.Replace("{0}", "Sam").Replace("{1}", "read a short book"))))
            .Where(s => s.Score < MinimumReadingEase)
            .Select(s => $"{s.Key}: {s.Score:F0}")
            .ToList();

        hard.Should().BeEmpty();
    }

    [Theory]
    [InlineData("Polish", "pl")]
    [InlineData("polski", "pl")]
    [InlineData("pl-PL", "pl")]
    [InlineData(" Welsh ", "cy")]
    [InlineData("cy", "cy")]
    [InlineData("Somali", "so")]
    public void Language_AsTheRosterWritesIt_ThatLanguage(string roster, string culture) =>
        ParentStrings.Language(roster)!.Name.Should().Be(culture);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Klingon")]
    public void Language_NotALanguage_Null(string? roster) => ParentStrings.Language(roster).Should().BeNull();

    [Theory]
    [InlineData("Polish")]
    [InlineData("English")]
    [InlineData(null)]
    public void CultureFor_NoStringsInThatLanguage_English(string? roster) =>
        ParentViewsText.CultureFor(roster).Should().Be(ParentViewsText.English, "only English strings ship; a school adds ParentViewsText.{culture}.resx for more");

    [Fact]
    public void FleschReadingEase_HardText_Below70()
    {
        // The measure itself must be able to fail.
        Readability.FleschReadingEase("Individualised educational provision necessitates multidisciplinary collaboration.").Should().BeLessThan(MinimumReadingEase);
        Readability.FleschReadingEase("We want to know what you think.").Should().BeGreaterThan(90);
    }

    [Theory]
    [InlineData("cat", 1)]
    [InlineData("reading", 2)]
    [InlineData("little", 2)]
    [InlineData("make", 1)]
    [InlineData("education", 4)]
    public void Syllables_CommonWords_Counted(string word, int expected) =>
        Readability.Syllables(word).Should().Be(expected);

    [Theory]
    [InlineData("SEN")]
    [InlineData("SENCo")]
    [InlineData("SSP")]
    [InlineData("EHCP")]
    [InlineData("EYFS")]
    public void Glossary_CommonAcronyms_Explained(string term)
    {
        ParentViewsText.GlossaryTerms.Should().Contain(term);
        ParentViewsText.Glossary(term).Should().StartWith(term + " ");
    }

    [Fact]
    public void Glossary_EveryAcronymInParentStringsAndCards_Explained()
    {
        var parentCards = CardSamples.All.Where(s => s.Name.StartsWith("parent-", StringComparison.Ordinal)).Select(s => s.Card.ToJson());
        var texts = ParentViewsText.Strings.All().Select(s => s.Text).Concat(parentCards);

        var unexplained = texts.SelectMany(t => Acronym().Matches(t).Select(m => m.Value))
            .Where(a => !ParentViewsText.GlossaryTerms.Contains(a))
            .Distinct()
            .ToList();

        unexplained.Should().BeEmpty();
    }

    // Two or more capitals, maybe a small letter (SENCo) or digit (KS1) at the end.
    [GeneratedRegex(@"\b[A-Z]{2,}(?:[a-z]|\d)?\b")]
    private static partial Regex Acronym();
}
