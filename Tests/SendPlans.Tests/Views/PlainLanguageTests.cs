using System.Text.RegularExpressions;
using SendPlans.Bot.Booking;
using SendPlans.Cards.Views;
using SendPlans.Tests.Cards;

namespace SendPlans.Tests.Views;

public sealed partial class PlainLanguageTests
{
    public const double MinimumReadingEase = 70;

    /// <summary>
    /// Every resource file the bot and the cards hold, read from the assemblies themselves: a new
    /// Parent*Text.resx is tested without being listed here. Staff text stays in code.
    /// </summary>
    public static IReadOnlyList<ParentStrings> ParentFacing { get; } =
        [.. new[] { typeof(ParentViewsText).Assembly, typeof(ParentBookingText).Assembly }
            .SelectMany(a => a.GetManifestResourceNames().Where(n => n.EndsWith(".resources", StringComparison.Ordinal))
                .Select(n => new ParentStrings(n[..^".resources".Length], a)))];

    private static IEnumerable<(string Key, string Text)> AllStrings() =>
        ParentFacing.SelectMany(f => f.All().Select(s => ($"{f.Name}:{s.Key}", s.Text)));

    [Fact]
    public void ParentFacing_ViewsAndBooking_BothReadFromTheAssemblies()
    {
        ParentFacing.Select(f => f.Name).Should().Contain([ParentViewsText.Strings.Name, ParentBookingText.Strings.Name]);
        ParentBookingText.Strings.All().Should().Contain(("PageSend", "Send my answer"));
    }

    [Fact]
    public void FleschReadingEase_EveryParentFacingString_AtLeast70()
    {
        var hard = AllStrings()
            .Select(s => (s.Key, Score: Readability.FleschReadingEase(s.Text.Replace("{0}", "Sam").Replace("{1}", "read a short book").Replace("{2}", "Monday"))))
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
    public void CultureFor_NoStringsInThatLanguage_English(string? roster)
    {
        ParentFacing.Should().NotBeEmpty();
        ParentFacing.Should().AllSatisfy(f => f.CultureFor(roster).Should().Be(ParentStrings.English, "only English strings ship; a school adds {0}.{{culture}}.resx for more", f.Name));
    }

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

    [Theory]
    [InlineData("The SENCo and the SEND team.", "SEND,SENCo")]
    [InlineData("SEN support, then SEN support again.", "SEN")]
    [InlineData("Send it to the Sencos. SENDING. ASSP", "")]
    [InlineData("Ask the SENCO about KS1 (an EHCP?)", "SENCo,EHCP,KS1")]
    [InlineData("SSP-style: the SENCo's plan", "SENCo,SSP")]
    public void GlossaryTermsIn_Text_WholeWordsCaseSensitiveOnceEachInGlossaryOrder(string text, string expected) =>
        string.Join(",", ParentViewsText.GlossaryTermsIn(text)).Should().Be(expected);

    [Fact]
    public void GlossaryTermsIn_SeveralTexts_EachTermOnce() =>
        ParentViewsText.GlossaryTermsIn("The EHCP.", "An EHCP and the SSP.").Should().Equal("SSP", "EHCP");

    [Fact]
    public void Glossary_EveryAcronymInParentStringsAndCards_Explained()
    {
        var parentCards = CardSamples.All.Where(s => s.Name.StartsWith("parent-", StringComparison.Ordinal)).Select(s => s.Card.ToJson());
        var texts = AllStrings().Select(s => s.Text).Concat(parentCards);

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
