using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Views;

namespace SendPlans.Tests.Views;

/// <summary>The teacher's plan card in Teams: targets saved through Action.Execute, views beside them.</summary>
public sealed class PlanCardTests(ViewsSchool school) : IClassFixture<ViewsSchool>
{
    private const string TomEllis = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a03"; // teaches RA, Amelia's class
    private const string PriyaShah = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a02"; // teaches 3A

    [Fact]
    public async Task SavePlan_TwoTargetsByTheClassTeacher_StoredVersionedAndCardShowsMissingViews()
    {
        var body = await school.InvokeAsync("plan/save", TomEllis, new JsonObject
        {
            ["upn"] = ViewsSchool.Oliver, ["term"] = "2026-27-spring",
            ["target0"] = "Oliver will wait for his turn in a game.", ["area0"] = "Social", ["help0"] = "Turn-taking games twice a week.", ["know0"] = "He waits in 4 of 5 games.",
            ["target1"] = "Oliver will use his words when cross.", ["area1"] = "Feelings",
        });

        // Oliver is in RB, not Tom's class: refused.
        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.error");

        body = await school.InvokeAsync("plan/save", TomEllis, new JsonObject
        {
            ["upn"] = ViewsSchool.Amelia, ["term"] = "2026-27-spring",
            ["target0"] = "Amelia will point to a picture to ask for help.", ["area0"] = "Talking", ["help0"] = "A help card.", ["know0"] = "She uses it most days.",
            ["target1"] = "Amelia will sit with the group for story time.", ["area1"] = "Attention",
        });

        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.card.adaptive");
        var card = body["value"]!.ToJsonString();
        card.Should().Contain("Targets saved.").And.Contain("Not given yet.").And.Contain("Not captured yet.");
        var plan = await school.Bot.Services.GetRequiredService<RosterStore>().GetPlanAsync(ViewsSchool.System, ViewsSchool.School, "2026-27-spring", ViewsSchool.Amelia, default);
        plan!.Targets.Should().HaveCount(2);
        plan.Targets[0].AreaOfNeed.Should().Be("Talking");
        plan.Targets[0].HowWeKnow.Should().Be("She uses it most days.");
        plan.Revision.Should().Be(1);
    }

    [Fact]
    public async Task SavePlan_OneTarget_ErrorAsksForTwo()
    {
        var body = await school.InvokeAsync("plan/save", TomEllis, new JsonObject { ["upn"] = ViewsSchool.Amelia, ["term"] = "2026-27-summer", ["target0"] = "Only one" });

        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.error");
        body["value"]!["message"]!.GetValue<string>().Should().Contain("2 to 4");
    }

    [Fact]
    public async Task SaveVoice_EarlyYearsPupil_StoredWithThePlanAndShownOnTheCard()
    {
        var open = await school.InvokeAsync("voice/open", TomEllis, new JsonObject { ["upn"] = ViewsSchool.Amelia, ["term"] = school.Open.Id });
        open["value"]!.ToJsonString().Should().Contain("How do you feel in class?");

        var body = await school.InvokeAsync("voice/save", TomEllis, new JsonObject
        {
            ["upn"] = ViewsSchool.Amelia, ["term"] = school.Open.Id, ["q-class"] = "happy", ["q-play"] = "sad", ["adultNote"] = "Pointed at sad for playtime twice.", ["smuggled"] = "x",
        });

        body["value"]!.ToJsonString().Should().Contain("Pupil\\u0027s voice saved.").And.Contain("Pointed at sad for playtime twice.");
        var plan = await school.Bot.Services.GetRequiredService<RosterStore>().GetPlanAsync(ViewsSchool.System, ViewsSchool.School, school.Open.Id, ViewsSchool.Amelia, default);
        plan!.PupilVoice.Should().BeEquivalentTo(new Dictionary<string, string> { ["q-class"] = "happy", ["q-play"] = "sad", ["adultNote"] = "Pointed at sad for playtime twice." });
        plan.Targets.Should().HaveCount(2, "the voice does not touch the targets");
    }

    [Fact]
    public async Task PlanCard_ParentViewsGiven_ShownBesideTargets()
    {
        await school.Store.SaveAsync(new ParentViews(ViewsSchool.School, school.Open.Id, ViewsSchool.Amelia, "1",
            new Dictionary<string, string> { ["agree0"] = "yes", ["worries"] = "Playtime" }), default);

        var body = await school.InvokeAsync("voice/save", TomEllis, new JsonObject { ["upn"] = ViewsSchool.Amelia, ["term"] = school.Open.Id, ["q-class"] = "okay" });

        var card = body["value"]!.ToJsonString();
        card.Should().Contain("Mother").And.Contain("Playtime");
    }

    [Fact]
    public async Task FillIn_StaffOnThePhoneWithAParent_OpensTheParentCardAndSubmitsForThem()
    {
        var plan = await school.InvokeAsync("voice/save", TomEllis, new JsonObject { ["upn"] = ViewsSchool.Amelia, ["term"] = school.Open.Id, ["q-friends"] = "yes" });
        var fillIn = plan["value"]!["body"]!.AsArray().First(e => e!["type"]!.GetValue<string>() == "ActionSet")!["actions"]![0]!;
        fillIn["verb"]!.GetValue<string>().Should().Be("views/edit");
        var data = (JsonObject)fillIn["data"]!.DeepClone();

        var card = await school.InvokeAsync("views/edit", TomEllis, (JsonObject)data.DeepClone());
        card["value"]!["body"]![0]!["text"]!.GetValue<string>().Should().StartWith("Your views on Amelia");
        data["worries"] = "Said on the phone: mornings are hard.";
        var thanks = await school.InvokeAsync("views/submit", TomEllis, data);

        thanks["value"]!.ToJsonString().Should().Contain("Said on the phone: mornings are hard.");
    }

    [Fact]
    public async Task SavePlan_TeacherOfAnotherClass_Refused()
    {
        var body = await school.InvokeAsync("plan/save", PriyaShah, new JsonObject { ["upn"] = ViewsSchool.Amelia, ["term"] = school.Open.Id, ["target0"] = "a", ["target1"] = "b" });

        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.error");
    }

    [Fact]
    public async Task PlanCard_SentThenSaved_RefreshesForTheTeacherAlone()
    {
        var sent = (await school.SayAsync(TomEllis, "plan for Amelia")).Single(b => b["attachments"] is not null)["attachments"]![0]!["content"]!;
        var saved = (await school.InvokeAsync("voice/save", TomEllis, new JsonObject { ["upn"] = ViewsSchool.Amelia, ["term"] = school.Open.Id, ["q-class"] = "happy" }))["value"]!;

        foreach (var card in new[] { sent, saved })
        {
            var refresh = card["refresh"]!;
            refresh["action"]!["type"]!.GetValue<string>().Should().Be("Action.Execute");
            refresh["action"]!["verb"]!.GetValue<string>().Should().Be("plan/refresh");
            refresh["action"]!["data"]!["upn"]!.GetValue<string>().Should().Be(ViewsSchool.Amelia);
            refresh["userIds"]!.AsArray().Select(u => u!.GetValue<string>()).Should().Equal("29:user-1");
        }
    }

    [Fact]
    public async Task RefreshPlan_ParentGaveViewsSinceTheCardWasSent_CardShowsThemAndKeepsRefreshing()
    {
        var sent = (await school.SayAsync(TomEllis, "plan for Amelia")).Single(b => b["attachments"] is not null)["attachments"]![0]!["content"]!;
        await school.Store.SaveAsync(new ParentViews(ViewsSchool.School, school.Open.Id, ViewsSchool.Amelia, "1",
            new Dictionary<string, string> { ["worries"] = "Sleeping badly since the new baby came." }), default);

        var body = await school.InvokeAsync("plan/refresh", TomEllis, (JsonObject)sent["refresh"]!["action"]!["data"]!.DeepClone());

        sent.ToJsonString().Should().NotContain("Sleeping badly");
        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.card.adaptive");
        body["value"]!.ToJsonString().Should().Contain("Sleeping badly since the new baby came.");
        body["value"]!["refresh"]!["action"]!["verb"]!.GetValue<string>().Should().Be("plan/refresh");
    }

    [Fact]
    public async Task RefreshPlan_TeacherOfAnotherClass_RefusedWithoutThePlan()
    {
        var body = await school.InvokeAsync("plan/refresh", PriyaShah, new JsonObject { ["upn"] = ViewsSchool.Amelia, ["term"] = school.Open.Id });

        body["statusCode"]!.GetValue<int>().Should().Be(403);
        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.error");
        body.ToJsonString().Should().NotContain("Amelia");
    }
}
