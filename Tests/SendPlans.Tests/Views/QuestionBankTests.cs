using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SendPlans.Bot.Plans;
using SendPlans.Bot.Roster;

namespace SendPlans.Tests.Views;

/// <summary>The SENCo's question bank, through /api/messages on Azurite, and the pupil voice card that uses it.</summary>
public sealed class QuestionBankTests(ViewsSchool school) : IClassFixture<ViewsSchool>
{
    private const string SamOkafor = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a01"; // SENCo
    private const string TomEllis = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a03"; // teaches RA, Amelia's class

    private QuestionBankStore Banks => school.Bot.Services.GetRequiredService<QuestionBankStore>();

    /// <summary>What the card sends: every question's toggle as the SENCo left it, and the card's own data.</summary>
    private static JsonObject Save(QuestionBank bank, IEnumerable<string> asked, string? newQuestion = null, string? answers = null)
    {
        var data = new JsonObject { ["revision"] = bank.Revision };
        var ticked = asked.ToHashSet();
        foreach (var q in bank.Questions)
        {
            data[$"ask-{q.Id}"] = ticked.Contains(q.Id) ? "true" : "false";
        }
        if (newQuestion is not null)
        {
            data["newQuestion"] = newQuestion;
            data["newAnswers"] = answers ?? "Faces";
        }
        return data;
    }

    [Fact]
    public async Task QuestionBank_SencoAddsAQuestionAndDropsOne_PupilVoiceCardAsksTheNewSet()
    {
        var shown = (await school.SayAsync(SamOkafor, "question bank")).Single();
        shown.ToJsonString().Should().Contain("Questions for young children").And.Contain("Is it too noisy for you in class?");
        var bank = await Banks.GetAsync(ViewsSchool.School, default);

        var body = await school.InvokeAsync("bank/save", SamOkafor,
            Save(bank, ["q-class", "q-help", "q-friends"], "  How do you feel   at lunchtime? ", "Faces"));

        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.card.adaptive");
        body["value"]!.ToJsonString().Should().Contain("Saved.");
        var stored = await Banks.GetAsync(ViewsSchool.School, default);
        stored.Revision.Should().Be(bank.Revision + 1);
        stored.Asked.Select(q => q.Text).Should().Equal(
            "How do you feel in class?", "Do grown-ups help you when it is hard?", "Do you have friends to play with?", "How do you feel at lunchtime?");
        stored.Find("q-play")!.Asked.Should().BeFalse("it is no longer asked, but kept for earlier answers");

        var voice = (await school.InvokeAsync("voice/open", TomEllis, new JsonObject { ["upn"] = ViewsSchool.Amelia, ["term"] = school.Open.Id }))["value"]!.ToJsonString();
        voice.Should().Contain("How do you feel at lunchtime?").And.NotContain("How do you feel at playtime?");

        var lunch = stored.Asked.Single(q => q.Text == "How do you feel at lunchtime?").Id;
        var saved = await school.InvokeAsync("voice/save", TomEllis, new JsonObject { ["upn"] = ViewsSchool.Amelia, ["term"] = school.Open.Id, [lunch] = "okay" });
        saved["value"]!.ToJsonString().Should().Contain("How do you feel at lunchtime?").And.Contain("okay");
    }

    [Theory]
    [InlineData(2, null, "Tick 3 to 5")]
    [InlineData(6, null, "Tick 3 to 5")]
    [InlineData(5, "How do you feel at home time?", "Tick 3 to 5")]
    [InlineData(3, "<b>Do you like maths?</b>", "without < or >")]
    [InlineData(3, "Do you like it when the whole class goes outside to the big field for a long run and then comes back in to sit down quietly on the carpet together?", "keep it to 120")]
    public async Task QuestionBank_BadChange_ClearMessageAndNothingWritten(int ticked, string? newQuestion, string expected)
    {
        var before = await Banks.GetAsync(ViewsSchool.School, default);

        var body = await school.InvokeAsync("bank/save", SamOkafor, Save(before, before.Questions.Take(ticked).Select(q => q.Id), newQuestion));

        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.error");
        body["value"]!["message"]!.GetValue<string>().Should().Contain(expected).And.Contain("Nothing has changed.");
        (await Banks.GetAsync(ViewsSchool.School, default)).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task QuestionBank_CardOpenWhileAnotherSencoSaved_RefusedNotOverwritten()
    {
        var opened = await Banks.GetAsync(ViewsSchool.School, default);
        var first = await school.InvokeAsync("bank/save", SamOkafor, Save(opened, opened.Questions.Where(q => q.Asked).Select(q => q.Id), "Do you like story time?"));
        first["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.card.adaptive");
        var afterFirst = await Banks.GetAsync(ViewsSchool.School, default);

        var stale = await school.InvokeAsync("bank/save", SamOkafor, Save(opened, ["q-class", "q-play", "q-help"]));

        stale["value"]!["message"]!.GetValue<string>().Should().Contain("Someone changed the questions");
        (await Banks.GetAsync(ViewsSchool.School, default)).Should().BeEquivalentTo(afterFirst);
    }

    [Fact]
    public async Task QuestionBank_Teacher_ToldOnlyTheSencoCanChangeIt()
    {
        var before = await Banks.GetAsync(ViewsSchool.School, default);

        (await school.SayAsync(TomEllis, "question bank")).Single()["text"]!.GetValue<string>().Should().Contain("Only the SENCo");
        var body = await school.InvokeAsync("bank/save", TomEllis, Save(before, ["q-class", "q-play", "q-help"]));

        body["statusCode"]!.GetValue<int>().Should().Be(403);
        (await Banks.GetAsync(ViewsSchool.School, default)).Should().BeEquivalentTo(before);
    }

    [Fact]
    public void Apply_SameNewQuestionTwiceInAnotherCase_AddedOnce()
    {
        var once = new QuestionBankChange(0, new HashSet<string> { "q-class", "q-play" }, "Do you like PE?", PictureAnswers.YesSometimesNo).Apply(QuestionBank.Default);
        var twice = new QuestionBankChange(0, new HashSet<string> { "q-class", "q-play" }, "do you like  pe?", PictureAnswers.Faces).Apply(once);

        twice.Questions.Should().HaveCount(QuestionBank.Default.Questions.Count + 1);
        twice.Asked.Should().HaveCount(3);
    }
}
