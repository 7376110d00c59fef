using SendPlans.Bot.Roster;

namespace SendPlans.Tests.Roster;

public sealed class YearGroupTests
{
    [Theory]
    [InlineData("N1", "N1", KeyStage.EYFS)]
    [InlineData("nursery 2", "N2", KeyStage.EYFS)]
    [InlineData("R", "R", KeyStage.EYFS)]
    [InlineData("Reception", "R", KeyStage.EYFS)]
    [InlineData("1", "1", KeyStage.KS1)]
    [InlineData("Y2", "2", KeyStage.KS1)]
    [InlineData("Year 3", "3", KeyStage.KS2)]
    [InlineData("6", "6", KeyStage.KS2)]
    [InlineData("7", "7", KeyStage.KS3)]
    [InlineData("9", "9", KeyStage.KS3)]
    [InlineData("10", "10", KeyStage.KS4)]
    [InlineData("11", "11", KeyStage.KS4)]
    [InlineData("12", "12", KeyStage.KS5)]
    [InlineData("year13", "13", KeyStage.KS5)]
    public void TryParse_KnownSpelling_GivesCodeAndKeyStage(string text, string code, KeyStage keyStage)
    {
        YearGroup.TryParse(text, out var year).Should().BeTrue();

        year.Code.Should().Be(code);
        year.KeyStage.Should().Be(keyStage);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("14")]
    [InlineData("Y0")]
    [InlineData("N3")]
    [InlineData("03")]
    [InlineData("")]
    [InlineData("Year")]
    public void TryParse_NotAYearGroup_IsFalse(string text) => YearGroup.TryParse(text, out _).Should().BeFalse();

    [Fact]
    public void All_InOrder_RunsN1ToThirteen() =>
        YearGroup.All.Select(y => y.Code).Should().Equal("N1", "N2", "R", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13");
}
