using System.Net;
using System.Text.Json.Nodes;
using SendPlans.Cards.Views;
using static SendPlans.Tests.Views.ParentFormClient;

namespace SendPlans.Tests.Views;

/// <summary>The /views limit at a few requests a minute, on its own bot so no other test meets it.</summary>
public sealed class ViewsRateLimitTests : IAsyncLifetime
{
    private const int Limit = 5;
    private readonly ViewsSchool _school = new() { PermitsPerMinute = Limit };

    public Task InitializeAsync() => _school.InitializeAsync();

    public Task DisposeAsync() => _school.DisposeAsync();

    [Fact]
    public async Task Views_MoreRequestsThanTheLimit_FriendlyWaitPageAndEarlierAnswerKept()
    {
        var token = await _school.LinkAsync(ViewsSchool.Oliver, 1);
        using var phone = _school.Bot.CreateClient();
        var form = await OpenFormAsync(phone, token);
        // The send and the page it redirects to: three of the five requests.
        (await SendAsync(phone, token, form, new JsonObject { [ParentViewsFields.Worries] = "Mornings are hard." })).StatusCode.Should().Be(HttpStatusCode.OK);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Limit; i++)
        {
            statuses.Add((await phone.GetAsync($"/views/{token}")).StatusCode);
        }

        var refused = await SendAsync(phone, token, form, new JsonObject { [ParentViewsFields.Worries] = "Sent while refused." });
        var html = await refused.Content.ReadAsStringAsync();

        statuses.Should().Equal(HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests);
        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        refused.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        refused.Headers.RetryAfter!.Delta.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromMinutes(1));
        refused.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("script-src 'self'");
        html.Should().StartWith("<!doctype html><html lang=\"en-GB\">")
            .And.Contain("<h1>Please wait a minute</h1>").And.Contain("Any answers you sent before are safe.");
        html.Should().NotContain("Oliver").And.NotContain("<form");
        var stored = await _school.Store.GetAsync(ViewsSchool.School, _school.Open.Id, ViewsSchool.Oliver, "1", default);
        stored!.Answers[ParentViewsFields.Worries].Should().Be("Mornings are hard.", "the answer sent before the limit is kept, and the refused one changed nothing");
        stored.Revision.Should().Be(1);
    }
}
