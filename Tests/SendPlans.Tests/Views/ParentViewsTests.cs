using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SendPlans.Bot.DataProtection;
using SendPlans.Bot.ParentLinks;
using SendPlans.Bot.Views;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Views;

public sealed class ParentViewsTests(ViewsSchool school) : IClassFixture<ViewsSchool>
{
    [Fact]
    public async Task CreateLink_ContactWithoutParentalResponsibility_Null()
    {
        var grandmother = await school.ContactAsync("T823204122001", 2);

        grandmother.ParentalResponsibility.Should().BeFalse();
        school.Service.CreateLink(grandmother, school.Open).Should().BeNull();
    }

    [Fact]
    public async Task CreateLink_ParentWithResponsibility_BoundToSchoolPupilContactTermAndExpiresAWeekAfterDeadline()
    {
        var token = await school.LinkAsync();

        var link = school.Tokens.Read(token, ParentLinkPurpose.Views).Link!;

        link.Should().Be(new ParentLink(ParentLinkPurpose.Views, ViewsSchool.School, ViewsSchool.Amelia, "1", school.Open.Id,
            new DateTimeOffset(2026, 12, 19, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task Get_TamperedWrongPurposeOrWrongSchoolToken_FriendlyPageWithGeneralTextAndNoData()
    {
        var good = await school.LinkAsync();
        var tampered = Tokens.Tampered(good);
        var wrongSchool = school.Tokens.Create(new ParentLink(ParentLinkPurpose.Views, "elm", ViewsSchool.Amelia, "1", school.Open.Id, DateTimeOffset.UtcNow.AddDays(1)));
        var bookingLink = school.Tokens.Create(new ParentLink(ParentLinkPurpose.Booking, ViewsSchool.School, ViewsSchool.Amelia, "1", school.Open.Id, DateTimeOffset.UtcNow.AddDays(1)));
        using var http = school.Bot.CreateClient();

        foreach (var token in new[] { tampered, wrongSchool, bookingLink, "not-a-token" })
        {
            var response = await http.GetAsync($"/views/{token}");
            var html = await response.Content.ReadAsStringAsync();

            response.StatusCode.Should().Be(HttpStatusCode.NotFound);
            response.Headers.CacheControl!.NoStore.Should().BeTrue();
            html.Should().Contain("Sorry, this link does not work").And.Contain("Please phone or email your child&#39;s school office");
            html.Should().NotContain(ViewsSchool.OfficeContact, "only a genuine link may name its school")
                .And.NotContain(ViewsSchool.SchoolName).And.NotContain("too old");
            html.Should().NotContain("Amelia").And.NotContain("picture card").And.NotContain("card-json");
        }
    }

    [Fact]
    public async Task Get_ExpiredToken_FriendlyPageWithTheSchoolsContactAndNoData()
    {
        var expired = school.Tokens.Create(new ParentLink(ParentLinkPurpose.Views, ViewsSchool.School, ViewsSchool.Amelia, "1", school.Open.Id, DateTimeOffset.UtcNow.AddMinutes(-1)));
        using var http = school.Bot.CreateClient();

        var response = await http.GetAsync($"/views/{expired}");
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        html.Should().Contain("Sorry, this link does not work").And.Contain("This link is too old to use now.")
            .And.Contain($"You can reach {ViewsSchool.SchoolName} on {ViewsSchool.OfficeContact}.");
        html.Should().NotContain("Amelia").And.NotContain("picture card").And.NotContain("card-json").And.NotContain("<form");
    }

    [Fact]
    public async Task Get_SignedLinkWhosePupilIsGone_FriendlyPageWithTheSchoolsContact()
    {
        var gone = school.Tokens.Create(new ParentLink(ParentLinkPurpose.Views, ViewsSchool.School, "G000000000404", "1", school.Open.Id, DateTimeOffset.UtcNow.AddDays(1)));
        using var http = school.Bot.CreateClient();

        var response = await http.GetAsync($"/views/{gone}");
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        html.Should().Contain("The link may be old").And.Contain($"You can reach {ViewsSchool.SchoolName} on {ViewsSchool.OfficeContact}.");
        html.Should().NotContain("card-json").And.NotContain("<form");
    }

    [Fact]
    public async Task Get_SignedLink_PageWithCardAndRendererFromOwnOrigin()
    {
        using var http = school.Bot.CreateClient();

        var response = await http.GetAsync($"/views/{await school.LinkAsync()}");
        var html = await response.Content.ReadAsStringAsync();
        var script = await http.GetAsync("/views/assets/adaptivecards.min.js");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        html.Should().Contain("Your views on Amelia").And.Contain("src=\"/views/assets/adaptivecards.min.js\"").And.NotContain("https://");
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("script-src 'self'");
        script.StatusCode.Should().Be(HttpStatusCode.OK);
        (await script.Content.ReadAsStringAsync()).Length.Should().BeGreaterThan(100_000);
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_FormShownAgainAsAWarningAndNothingStored()
    {
        var contact = await school.ContactAsync(ViewsSchool.Oliver, 1);
        var token = school.Service.CreateLink(contact, school.Open)!;
        using var http = school.Bot.CreateClient();

        var response = await http.PostAsync($"/views/{token}", new FormUrlEncodedContent([new("answers", """{"worries":"forged"}""")]));
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        html.Should().Contain("your answers were not saved").And.Contain("name=\"answers\"").And.Contain("role=\"alert\"");
        (await school.Store.GetAsync(ViewsSchool.School, school.Open.Id, ViewsSchool.Oliver, "1", default)).Should().BeNull();
    }

    [Fact]
    public async Task Post_NotAFormBody_RejectedAndNothingStored()
    {
        var contact = await school.ContactAsync(ViewsSchool.Oliver, 1);
        var token = school.Service.CreateLink(contact, school.Open)!;
        using var http = school.Bot.CreateClient();

        var response = await http.PostAsync($"/views/{token}", new StringContent("""{"worries":"forged"}""", System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await school.Store.GetAsync(ViewsSchool.School, school.Open.Id, ViewsSchool.Oliver, "1", default)).Should().BeNull();
    }

    [Fact]
    public async Task Save_SameAnswersTwice_WrittenOnce()
    {
        var views = new ParentViews(ViewsSchool.School, "2026-27-spring", "X000000000001", "1", new Dictionary<string, string> { ["worries"] = "Sleep" });

        var first = await school.Store.SaveAsync(views, default);
        var second = await school.Store.SaveAsync(views, default);

        first.Changed.Should().BeTrue();
        second.Changed.Should().BeFalse();
        second.Views.Revision.Should().Be(1);
    }

    [Fact]
    public async Task Save_FiftyPupilsConcurrently_NoneLost()
    {
        var upns = Enumerable.Range(0, 50).Select(i => $"C{i:D12}").ToList();

        await Task.WhenAll(upns.Select(upn => school.Store.SaveAsync(
            new ParentViews(ViewsSchool.School, "2026-27-summer", upn, "1", new Dictionary<string, string> { ["goingWell"] = "Going well for " + upn }), default)));

        foreach (var upn in upns)
        {
            var stored = await school.Store.GetAsync(ViewsSchool.School, "2026-27-summer", upn, "1", default);
            stored!.Answers["goingWell"].Should().Be("Going well for " + upn);
        }
    }

    [Fact]
    public async Task Save_OnePupilConcurrentChanges_LastWriterWinsWithEveryRevisionCounted()
    {
        var writes = Enumerable.Range(0, 10).Select(i => school.Store.SaveAsync(
            new ParentViews(ViewsSchool.School, "2026-27-summer", "R000000000001", "1", new Dictionary<string, string> { ["worries"] = $"answer {i}" }), default));

        await Task.WhenAll(writes);

        (await school.Store.GetAsync(ViewsSchool.School, "2026-27-summer", "R000000000001", "1", default))!.Revision.Should().Be(10);
    }

    [Fact]
    public async Task ActionExecute_ViewsSubmit_StoresAndReturnsThankYouCard()
    {
        var token = await school.LinkAsync(priority: 2);
        var activity = school.Bot.Activity("invoke", text: null);
        activity["name"] = "adaptiveCard/action";
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject
            {
                ["type"] = "Action.Execute",
                ["verb"] = "views/submit",
                ["data"] = new JsonObject { ["link"] = token, ["agree0"] = "no", ["comment0"] = "She finds the card babyish.", ["emailConsent"] = "true", ["smuggled"] = "dropped" },
            },
            ["trigger"] = "manual",
        };

        var response = await school.Bot.PostActivityAsync(activity);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.card.adaptive");
        body["value"]!["body"]![0]!["text"]!.GetValue<string>().Should().Be("Thank you. Here is what you told us.");
        body["value"]!.ToJsonString().Should().Contain("She finds the card babyish.");
        var stored = await school.Store.GetAsync(ViewsSchool.School, school.Open.Id, ViewsSchool.Amelia, "2", default);
        stored!.Answers.Should().BeEquivalentTo(new Dictionary<string, string> { ["agree0"] = "no", ["comment0"] = "She finds the card babyish.", ["emailConsent"] = "true" });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ActionExecute_TamperedLink_ErrorAndNothingStored(bool madeUp)
    {
        // A made-up link, or one character changed in a real one for Oliver's mother (who has no views stored).
        var good = await school.LinkAsync(ViewsSchool.Oliver, 1);
        var link = madeUp ? "forged" : Tokens.Tampered(good);
        var before = await school.Store.ForTermAsync(ViewsSchool.School, school.Open.Id, default);
        var activity = school.Bot.Activity("invoke", text: null);
        activity["name"] = "adaptiveCard/action";
        activity["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = "views/submit", ["data"] = new JsonObject { ["link"] = link, ["worries"] = "tampered" } } };

        var body = JsonNode.Parse(await (await school.Bot.PostActivityAsync(activity)).Content.ReadAsStringAsync())!;

        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.error");
        (await school.Store.GetAsync(ViewsSchool.School, school.Open.Id, ViewsSchool.Oliver, "1", default)).Should().BeNull();
        (await school.Store.ForTermAsync(ViewsSchool.School, school.Open.Id, default)).Should().BeEquivalentTo(before, "no row was added or changed");
    }

    [Fact]
    public async Task Submit_AfterTheDeadlineInTheLinksLastWeek_RefusedAndPageSaysSo()
    {
        // The week after the deadline: the link still opens, read-only.
        var token = school.Tokens.Create(new ParentLink(ParentLinkPurpose.Views, ViewsSchool.School, ViewsSchool.Amelia, "1", school.Past.Id, DateTimeOffset.UtcNow.AddDays(3)));
        var subject = (await school.Service.FindAsync(school.Tokens.Read(token, ParentLinkPurpose.Views).Link!, default))!;
        using var http = school.Bot.CreateClient();

        var stored = await school.Service.SubmitAsync(subject, new JsonObject { ["worries"] = "late" }, default);
        var html = await (await http.GetAsync($"/views/{token}")).Content.ReadAsStringAsync();

        subject.CanChange.Should().BeFalse();
        stored.Should().BeNull();
        html.Should().Contain("The date to answer has passed").And.NotContain("views/submit");
        (await school.Store.GetAsync(ViewsSchool.School, school.Past.Id, ViewsSchool.Amelia, "1", default)).Should().BeNull();
    }

    [Fact]
    public async Task Erase_PupilWithParentViews_ViewsGone()
    {
        await school.Store.SaveAsync(new ParentViews(ViewsSchool.School, "2024-25-spring", "E000000000001", "1", new Dictionary<string, string> { ["worries"] = "x" }), default);

        var erased = await school.Bot.Services.GetRequiredService<PupilErasure>().EraseAsync(ViewsSchool.System, ViewsSchool.School, "E000000000001", default);

        erased.Should().Be(1);
        (await school.Store.GetAsync(ViewsSchool.School, "2024-25-spring", "E000000000001", "1", default)).Should().BeNull();
    }
}
