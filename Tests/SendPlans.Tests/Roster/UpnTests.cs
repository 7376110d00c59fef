using SendPlans.Bot.Roster;

namespace SendPlans.Tests.Roster;

public sealed class UpnTests
{
    // Body 801200001001, weights 2..13: 8*2 + 0*3 + 1*4 + 2*5 + 0*6 + 0*7 + 0*8 + 0*9 + 1*10 + 0*11 + 0*12 + 1*13
    // = 16 + 4 + 10 + 10 + 13 = 53; 53 mod 23 = 7; the 8th letter of ABCDEFGHJKLMNPQRTUVWXYZ is H.
    private const string KnownGood = "H801200001001";

    // A temporary UPN ends in a letter, counted as its place in the same table (A = 0):
    // 53 - 1*13 + 0*13 = 40; 40 mod 23 = 17, which is U.
    private const string KnownGoodTemporary = "U80120000100A";

    [Theory]
    [InlineData(KnownGood)]
    [InlineData(KnownGoodTemporary)]
    [InlineData("P823204124001")]
    [InlineData(" h801200001001 ")]
    public void Problem_ValidUpn_IsNull(string upn) => Upn.Problem(upn).Should().BeNull();

    [Fact]
    public void CheckLetterFor_KnownBody_IsH() => Upn.CheckLetterFor("801200001001").Should().Be('H');

    [Theory]
    [InlineData("A801200001001", "check letter is wrong (it should be H)")]
    [InlineData("H801200001002", "check letter is wrong")]
    [InlineData("H80120000100", "a UPN has 13 characters; this one has 12")]
    [InlineData("H8012000010011", "this one has 14")]
    [InlineData("H8012000X1001", "characters 2 to 12 of a UPN must be digits")]
    [InlineData("U80120000100I", "character 13 a digit or a letter other than I, O or S")]
    [InlineData("", "the UPN is missing")]
    public void Problem_BadUpn_SaysWhy(string upn, string reason) => Upn.Problem(upn).Should().Contain(reason);

    [Fact]
    public void CheckLetter_Always_NeverIOrS()
    {
        var letters = Enumerable.Range(0, 5000).Select(i => Upn.CheckLetterFor($"82320412{i:0000}")!.Value).ToHashSet();

        letters.Should().NotContain(['I', 'O', 'S']);
        letters.Should().HaveCount(23, "every remainder mod 23 turns up over 5,000 serials");
    }

    [Fact]
    public void Create_AnyBody_IsValid() => Upn.IsValid(Upn.Create("823204119042")).Should().BeTrue();
}
