using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Identity.Client;
using SendPlans.Infrastructure.BotFramework;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.BotFramework;

/// <summary>The Connector token: reused while fresh, asked for once by concurrent turns, never used near expiry.</summary>
public sealed class BotTokenProviderTests
{
    private readonly FakeTokenEndpoint _entra = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private MsalBotTokenProvider Provider() => new(
        Options.Create(new BotOptions { AppId = BotFactory.AppId, AppPassword = "test-only-password" }),
        new HandlerHttpClientFactory(_entra),
        _time);

    [Fact]
    public async Task GetToken_ManyTurns_AsksEntraOnce()
    {
        var provider = Provider();

        for (var i = 0; i < 50; i++)
        {
            (await provider.GetTokenAsync(CancellationToken.None)).Should().Be(FakeTokenEndpoint.AccessToken);
        }

        _entra.Requests.Should().Be(1);
    }

    [Fact]
    public async Task GetToken_ConcurrentFirstTurns_ShareOneRequest()
    {
        var provider = Provider();

        var tokens = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => provider.GetTokenAsync(CancellationToken.None))));

        tokens.Should().AllBe(FakeTokenEndpoint.AccessToken);
        _entra.Requests.Should().Be(1);
    }

    [Fact]
    public async Task GetToken_ShortLivedTokens_AreNeverReused()
    {
        // A token that expires within the refresh margin is replaced at once: each turn asks MSAL,
        // which (treating such a token as expired) asks Entra again.
        _entra.ExpiresInSeconds = 240;
        var provider = Provider();

        await provider.GetTokenAsync(CancellationToken.None);
        await provider.GetTokenAsync(CancellationToken.None);

        _entra.Requests.Should().Be(2);
    }

    private sealed class HandlerHttpClientFactory(HttpMessageHandler handler) : IMsalHttpClientFactory
    {
        public HttpClient GetHttpClient() => new(handler, disposeHandler: false);
    }
}
