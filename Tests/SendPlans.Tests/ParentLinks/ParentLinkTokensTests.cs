using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SendPlans.Bot.ParentLinks;
using SendPlans.Infrastructure.Storage;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.ParentLinks;

public sealed class ParentLinkTokensTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
    private BotFactory _bot = null!;
    private ParentLinkTokens _tokens = null!;

    public async Task InitializeAsync()
    {
        _bot = await BotFactory.StartAsync();
        _tokens = new ParentLinkTokens(_bot.Services.GetRequiredService<IDataProtectionProvider>(), _time);
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private ParentLink Link(ParentLinkPurpose purpose = ParentLinkPurpose.Views) =>
        new(purpose, "demo", "pupil-17", "contact-2", "2026-autumn", _time.GetUtcNow().AddDays(30));

    [Fact]
    public void Read_TokenJustCreated_ReturnsTheLink()
    {
        var token = _tokens.Create(Link());

        var result = _tokens.Read(token, ParentLinkPurpose.Views);

        result.Problem.Should().Be(ParentLinkProblem.None);
        result.Link.Should().Be(Link());
        token.Should().NotContain("pupil-17", "the token is encrypted, not just signed");
    }

    [Fact]
    public void Read_OneCharacterChanged_Unreadable()
    {
        var token = _tokens.Create(Link());
        var tampered = Tokens.Tampered(token);

        _tokens.Read(tampered, ParentLinkPurpose.Views).Problem.Should().Be(ParentLinkProblem.Unreadable);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-base64-!!")]
    [InlineData("AAAA")]
    public void Read_Garbage_Unreadable(string token) =>
        _tokens.Read(token, ParentLinkPurpose.Views).Problem.Should().Be(ParentLinkProblem.Unreadable);

    [Fact]
    public void Read_AfterExpiry_Expired()
    {
        var token = _tokens.Create(Link());

        _time.Advance(TimeSpan.FromDays(30));

        _tokens.Read(token, ParentLinkPurpose.Views).Problem.Should().Be(ParentLinkProblem.Expired);
    }

    [Fact]
    public void Read_ViewsTokenUsedForBooking_Unreadable()
    {
        var token = _tokens.Create(Link(ParentLinkPurpose.Views));

        _tokens.Read(token, ParentLinkPurpose.Booking).Problem.Should().Be(ParentLinkProblem.Unreadable);
    }

    [Fact]
    public async Task Read_TokenFromAnotherInstance_ReadableBecauseKeysAreShared()
    {
        var token = _tokens.Create(Link());
        var prefix = _bot.Services.GetRequiredService<IOptions<StorageOptions>>().Value.TablePrefix;
        await using var other = await BotFactory.StartAsync(settings: new() { ["Storage:TablePrefix"] = prefix });
        var otherTokens = new ParentLinkTokens(other.Services.GetRequiredService<IDataProtectionProvider>(), _time);

        otherTokens.Read(token, ParentLinkPurpose.Views).Problem.Should().Be(ParentLinkProblem.None);
    }

    [Fact]
    public async Task Read_TokenFromADeploymentWithOtherKeys_Unreadable()
    {
        var token = _tokens.Create(Link());
        await using var other = await BotFactory.StartAsync();
        var otherTokens = new ParentLinkTokens(other.Services.GetRequiredService<IDataProtectionProvider>(), _time);

        otherTokens.Read(token, ParentLinkPurpose.Views).Problem.Should().Be(ParentLinkProblem.Unreadable);
    }
}
