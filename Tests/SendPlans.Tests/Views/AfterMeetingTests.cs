using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using SendPlans.Bot.AfterMeeting;
using SendPlans.Bot.Booking;
using SendPlans.Bot.DataProtection;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Views;
using SendPlans.Cards.Views;
using SendPlans.Infrastructure.Calendars.Local;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Tests.Views;

/// <summary>What the fixtures below share: staff ids, card invokes through /api/messages, meetings and views.</summary>
internal static class AfterMeeting
{
    public const string TomEllis = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a03"; // teaches RA, Amelia's class
    public const string PriyaShah = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a02"; // teaches 3A
    public const string NadiaRahman = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a04"; // teaches RB, Oliver's class
    public const string GraceLee = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a05"; // SLT
    public const string AmeliasMother = "hartley.home@example.com";
    public const string OliversFather = "o.nwosu@example.org";

    /// <summary>A booked meeting whose slot started <paramref name="startsIn"/> from now (negative: already started).</summary>
    public static Task MeetingAsync(ViewsSchool school, string upn, string termId, string teacher, TimeSpan startsIn)
    {
        var start = DateTimeOffset.UtcNow + startsIn;
        return school.Bot.Services.GetRequiredService<MeetingStore>().CreateAsync(new MeetingRecord(ViewsSchool.School, termId, upn, teacher, "teacher@oakfield.example.org")
        {
            Status = MeetingStatus.Booked, Slot = new SlotTimes(start, start.AddMinutes(15)), EventId = $"event-{upn}-{termId}",
        }, default);
    }

    public static Task ViewsAsync(ViewsSchool school, string upn, string contactId, string termId, Dictionary<string, string> answers) =>
        school.Store.SaveAsync(new ParentViews(ViewsSchool.School, termId, upn, contactId, answers), default);

    public static Task<Plan?> PlanAsync(ViewsSchool school, string upn, string termId) =>
        school.Bot.Services.GetRequiredService<RosterStore>().GetPlanAsync(ViewsSchool.System, ViewsSchool.School, termId, upn, default);

    public static Task<IReadOnlyList<OutboxMessage>> MailAsync(ViewsSchool school, string to) =>
        school.Bot.Services.GetRequiredService<LocalOutbox>().ListAsync(to);

    public static JsonObject Agreed(string upn, string termId, string notes, params string[] targets)
    {
        var data = new JsonObject { ["upn"] = upn, ["term"] = termId, ["agreedNotes"] = notes };
        for (var i = 0; i < targets.Length; i++)
        {
            data[$"agreedTarget{i}"] = targets[i];
        }
        return data;
    }
}

/// <summary>After the meeting: the teacher records what was agreed; parents who asked get it by email once; the form shows it.</summary>
public sealed class AfterMeetingTests(ViewsSchool school) : IClassFixture<ViewsSchool>
{
    [Fact]
    public async Task RecordAgreed_ClassTeacherAfterTheMeetingSavedTwiceAndAtOnce_StoredVersionedAndConsentingParentMailedOnce()
    {
        var term = school.Open.Id;
        await AfterMeeting.ViewsAsync(school, ViewsSchool.Amelia, "1", term, new() { ["emailConsent"] = "true", ["workOn"] = "Talking" });
        await AfterMeeting.MeetingAsync(school, ViewsSchool.Amelia, term, AfterMeeting.TomEllis, TimeSpan.FromMinutes(-30));

        var open = await school.InvokeAsync("agreed/open", AfterMeeting.TomEllis, new JsonObject { ["upn"] = ViewsSchool.Amelia, ["term"] = term });
        var form = open["value"]!.ToJsonString();
        form.Should().Contain("Agreed target 1").And.Contain("Amelia will ask for help with a picture card.", "the plan's targets are the starting point")
            .And.Contain("The mother asked for the notes by email").And.Contain("The father can read them with their views link");

        var data = AfterMeeting.Agreed(ViewsSchool.Amelia, term, "We talked about asking for help.\r\nMr Ellis will make a new help card.",
            "Amelia will point to her help card when she is stuck.", "Amelia will read a short book with an adult.");
        var first = await school.InvokeAsync("agreed/save", AfterMeeting.TomEllis, (JsonObject)data.DeepClone());
        // A retried save, and two saves at the same moment (two instances): nothing more is written or mailed.
        await school.InvokeAsync("agreed/save", AfterMeeting.TomEllis, (JsonObject)data.DeepClone());
        await Task.WhenAll(
            school.InvokeAsync("agreed/save", AfterMeeting.TomEllis, (JsonObject)data.DeepClone()),
            school.InvokeAsync("agreed/save", AfterMeeting.TomEllis, (JsonObject)data.DeepClone()));

        var card = first["value"]!.ToJsonString();
        card.Should().Contain("What we agreed is saved (version 1). Emailed to 1 parent.").And.Contain("Change what we agreed").And.Contain("agreed/open");
        var plan = await AfterMeeting.PlanAsync(school, ViewsSchool.Amelia, term);
        plan!.Agreed!.Revision.Should().Be(1);
        plan.Agreed.Targets.Should().Equal("Amelia will point to her help card when she is stuck.", "Amelia will read a short book with an adult.");
        plan.Agreed.Notes.Should().Be("We talked about asking for help.\nMr Ellis will make a new help card.");
        plan.Status.Should().Be(PlanStatus.Agreed);
        plan.Targets[0].Text.Should().Be("Amelia will point to her help card when she is stuck.");
        plan.Targets[0].AreaOfNeed.Should().Be("Talking", "the target's other parts stay");
        var mail = await AfterMeeting.MailAsync(school, AfterMeeting.AmeliasMother);
        mail.Should().ContainSingle();
        mail[0].Subject.Should().Be("What we agreed about Amelia");
        mail[0].HtmlBody.Should().Contain("Dear parent or carer,").And.Contain("<li>Amelia will point to her help card when she is stuck.</li>")
            .And.Contain("We talked about asking for help.<br>Mr Ellis will make a new help card.");
        var audit = await school.Bot.Services.GetRequiredService<PlanAudit>().ForPupilAsync(ViewsSchool.School, ViewsSchool.Amelia, default);
        audit.Should().Contain(e => e.Action == PlanAuditAction.Change && e.Actor == "staff:" + AfterMeeting.TomEllis && e.TermId == term);

        data["agreedNotes"] = "We talked about asking for help. Mr Ellis will make a new help card by Friday.";
        var changed = await school.InvokeAsync("agreed/save", AfterMeeting.TomEllis, (JsonObject)data.DeepClone());
        await school.InvokeAsync("agreed/save", AfterMeeting.TomEllis, (JsonObject)data.DeepClone());

        changed["value"]!.ToJsonString().Should().Contain("(version 2). Emailed to 1 parent.");
        (await AfterMeeting.PlanAsync(school, ViewsSchool.Amelia, term))!.Agreed!.Revision.Should().Be(2);
        mail = await AfterMeeting.MailAsync(school, AfterMeeting.AmeliasMother);
        mail.Should().HaveCount(2, "a change of the words is sent once more, as an update");
        mail.Select(m => m.Subject).Should().Contain("New notes about Amelia");
    }

    [Fact]
    public async Task RecordAgreed_ParentWithoutEmailConsent_NotMailedAndTheFormShowsWhatWeAgreed()
    {
        var term = school.Open.Id;
        await AfterMeeting.ViewsAsync(school, ViewsSchool.Oliver, "1", term, new() { ["emailConsent"] = "false", ["worries"] = "Lunch" });
        await AfterMeeting.MeetingAsync(school, ViewsSchool.Oliver, term, AfterMeeting.NadiaRahman, TimeSpan.FromHours(-2));
        var link = await school.LinkAsync(ViewsSchool.Oliver, 1);
        using var http = school.Bot.CreateClient();
        (await http.GetStringAsync($"/views/{link}")).Should().NotContain("What we agreed");

        var body = await school.InvokeAsync("agreed/save", AfterMeeting.NadiaRahman, AfterMeeting.Agreed(ViewsSchool.Oliver, term,
            "Oliver will have lunch in the quiet room on Mondays.", "Oliver will wait for his turn in a game.", "Oliver will use his words when cross."));

        body["value"]!.ToJsonString().Should().Contain("What we agreed is saved (version 1).").And.NotContain("Emailed");
        (await AfterMeeting.MailAsync(school, AfterMeeting.OliversFather)).Should().BeEmpty();
        var page = await http.GetStringAsync($"/views/{link}");
        page.Should().Contain("What we agreed").And.Contain("Step 1: Oliver will wait for his turn in a game.")
            .And.Contain("Oliver will have lunch in the quiet room on Mondays.").And.Contain("\"id\":\"agreed\"");

        // The father asks for the notes by email afterwards (twice): he gets the current version once.
        for (var i = 0; i < 2; i++)
        {
            await school.InvokeAsync("views/submit", AfterMeeting.NadiaRahman, new JsonObject { ["link"] = link, ["emailConsent"] = "true", ["worries"] = "Lunch" });
        }
        var mail = await AfterMeeting.MailAsync(school, AfterMeeting.OliversFather);
        mail.Should().ContainSingle().Which.HtmlBody.Should().Contain("Oliver will have lunch in the quiet room on Mondays.");
    }

    [Fact]
    public async Task PlanFor_MeetingHasStarted_CardOffersWhatWeAgreed()
    {
        await AfterMeeting.MeetingAsync(school, ViewsSchool.Oliver, school.Open.Id, AfterMeeting.NadiaRahman, TimeSpan.FromHours(-2));
        var replies = await school.SayAsync(AfterMeeting.NadiaRahman, "plan for Oliver");

        var card = replies.Single(b => b["attachments"] is not null)["attachments"]![0]!["content"]!.ToJsonString();
        card.Should().Contain("What we agreed").And.Contain("\"verb\":\"agreed/open\"");
    }

    [Fact]
    public async Task RecordAgreed_TeacherOfAnotherClass_RefusedAndNothingWritten()
    {
        var term = school.Past.Id;
        await AfterMeeting.MeetingAsync(school, ViewsSchool.Amelia, term, AfterMeeting.TomEllis, TimeSpan.FromDays(-150));

        var open = await school.InvokeAsync("agreed/open", AfterMeeting.PriyaShah, new JsonObject { ["upn"] = ViewsSchool.Amelia, ["term"] = term });
        var save = await school.InvokeAsync("agreed/save", AfterMeeting.PriyaShah, AfterMeeting.Agreed(ViewsSchool.Amelia, term, "Notes", "One", "Two"));

        open["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.error");
        save["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.error");
        save["statusCode"]!.GetValue<int>().Should().Be(403);
        (await AfterMeeting.PlanAsync(school, ViewsSchool.Amelia, term))!.Agreed.Should().BeNull();
    }

    [Theory]
    [InlineData("one target", 1, 10, "TooFewTargets", "2 to 4")]
    [InlineData("notes but no targets", 0, 10, "TooFewTargets", "2 to 4")]
    [InlineData("notes too long", 2, 1001, "NotesTooLong", "longer than 1000")]
    [InlineData("a target too long", 2, 10, "TargetTooLong", "Target 2 is longer than 500")]
    public async Task RecordAgreed_BadInput_RefusedAndNothingWritten(string why, int targets, int notesLength, string code, string message)
    {
        var term = school.Past.Id;
        await AfterMeeting.MeetingAsync(school, ViewsSchool.Amelia, term, AfterMeeting.TomEllis, TimeSpan.FromDays(-150));
        var before = await AfterMeeting.PlanAsync(school, ViewsSchool.Amelia, term);
        var data = AfterMeeting.Agreed(ViewsSchool.Amelia, term, new string('n', notesLength), [.. Enumerable.Range(1, targets).Select(i => $"Target number {i}.")]);
        if (code == "TargetTooLong")
        {
            data["agreedTarget1"] = new string('t', 501);
        }

        var body = await school.InvokeAsync("agreed/save", AfterMeeting.TomEllis, data);

        body["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.error", why);
        body["value"]!["message"]!.GetValue<string>().Should().Contain(message).And.ContainEquivalentOf("nothing was saved");
        var after = await AfterMeeting.PlanAsync(school, ViewsSchool.Amelia, term);
        after!.Agreed.Should().BeNull();
        after.Revision.Should().Be(before!.Revision);
        after.ETag.Should().Be(before.ETag);
    }

    [Fact]
    public async Task RecordAgreed_BeforeTheMeetingStarts_RefusedAndNothingWritten()
    {
        var term = school.Past.Id;
        await AfterMeeting.MeetingAsync(school, ViewsSchool.Oliver, term, AfterMeeting.NadiaRahman, TimeSpan.FromDays(2));

        var body = await school.InvokeAsync("agreed/save", AfterMeeting.NadiaRahman, AfterMeeting.Agreed(ViewsSchool.Oliver, term, "", "One step.", "Two steps."));

        body["value"]!["message"]!.GetValue<string>().Should().Contain("once the plan meeting has started");
        (await AfterMeeting.PlanAsync(school, ViewsSchool.Oliver, term)).Should().BeNull();
    }
}

/// <summary>The teacher's words reach parents as typed, with what their acronyms mean; the teacher is told of words the glossary does not explain. Its own school, so the mailbox is this class's.</summary>
public sealed class PlainNotesTests(ViewsSchool school) : IClassFixture<ViewsSchool>
{
    [Fact]
    public async Task RecordAgreed_WordsUseAcronyms_StoredAsTypedMailExplainsGlossaryOnesOnceAndTeacherAskedAboutTheRest()
    {
        var term = school.Open.Id;
        await AfterMeeting.ViewsAsync(school, ViewsSchool.Amelia, "1", term, new() { ["emailConsent"] = "true" });
        await AfterMeeting.MeetingAsync(school, ViewsSchool.Amelia, term, AfterMeeting.TomEllis, TimeSpan.FromMinutes(-30));
        const string notes = "The SENCo will ask the council about an EHCP. The SENCo will tell you what they say.\nSend us a message if you have a question.";
        string[] targets = ["Amelia will do her SALT games each morning.", "Amelia will use her EHCP help card in class, as OT and SALT showed us."];

        var body = await school.InvokeAsync("agreed/save", AfterMeeting.TomEllis, AfterMeeting.Agreed(ViewsSchool.Amelia, term, notes, targets));

        body["value"]!.ToJsonString().Should().Contain("What we agreed is saved (version 1). Emailed to 1 parent. Parents may not know SALT, OT: please say what they mean in the notes.",
            "saved, not refused; SENCo and EHCP are in the glossary, so only SALT and OT are named, once each");
        var agreed = (await AfterMeeting.PlanAsync(school, ViewsSchool.Amelia, term))!.Agreed!;
        agreed.Notes.Should().Be(notes);
        agreed.Targets.Should().Equal(targets);
        var html = (await AfterMeeting.MailAsync(school, AfterMeeting.AmeliasMother)).Should().ContainSingle().Which.HtmlBody;
        html.Should().Contain("The SENCo will ask the council about an EHCP. The SENCo will tell you what they say.<br>Send us a message if you have a question.", "the teacher's words are unchanged");
        var words = html.IndexOf("<p>Words we used:</p><ul>", StringComparison.Ordinal);
        words.Should().BeGreaterThan(html.IndexOf("Send us a message", StringComparison.Ordinal), "the list comes after the notes");
        html[words..].Should().StartWith($"<p>Words we used:</p><ul><li>{ParentViewsText.Glossary("SENCo")}</li><li>{ParentViewsText.Glossary("EHCP")}</li></ul>",
            "each term once, though the words use it more than once; SEN is not found inside SENCo, nor SEND in \"Send\"");
        html.Should().NotContain(ParentViewsText.Glossary("SEN")).And.NotContain(ParentViewsText.Glossary("SEND"));
    }

    [Fact]
    public async Task RecordAgreed_NoAcronymsTheGlossaryLacks_NoQuestionAndTheFormExplainsTheGlossaryOnes()
    {
        var term = school.Open.Id;
        await AfterMeeting.MeetingAsync(school, ViewsSchool.Oliver, term, AfterMeeting.NadiaRahman, TimeSpan.FromHours(-1));

        var body = await school.InvokeAsync("agreed/save", AfterMeeting.NadiaRahman, AfterMeeting.Agreed(ViewsSchool.Oliver, term,
            "Oliver will see the SENCo on Mondays.", "Oliver will wait for his turn in a game.", "Oliver will use his words when cross."));

        body["value"]!.ToJsonString().Should().Contain("What we agreed is saved (version 1).").And.NotContain("Parents may not know");
        using var http = school.Bot.CreateClient();
        var page = await http.GetStringAsync($"/views/{await school.LinkAsync(ViewsSchool.Oliver, 1)}");
        var json = page[(page.IndexOf("id=\"card-json\">", StringComparison.Ordinal) + "id=\"card-json\">".Length)..];
        var card = JsonNode.Parse(json[..json.IndexOf("</script>", StringComparison.Ordinal)])!;
        var agreed = card["body"]!.AsArray().Single(e => e!["id"]?.GetValue<string>() == "agreed")!["items"]!.AsArray()
            .Select(i => i!["text"]!.GetValue<string>()).ToList();
        agreed.Should().ContainInOrder("Notes from the meeting", "Oliver will see the SENCo on Mondays.", "Words we used:", ParentViewsText.Glossary("SENCo"));
        agreed[^1].Should().Be(ParentViewsText.Glossary("SENCo"), "the only term used, last");
        agreed.Should().NotContain(ParentViewsText.Glossary("SEN"));
    }
}

/// <summary>"You said, we did" for the SENCo and SLT, in its own school so the counts are exact.</summary>
public sealed class YouSaidWeDidTests(ViewsSchool school) : IClassFixture<ViewsSchool>
{
    [Fact]
    public async Task YouSaidWeDid_SltMember_CountsPerYearGroupAndWhatWasAgreedWithoutNames()
    {
        var term = school.Open.Id;
        await AfterMeeting.ViewsAsync(school, ViewsSchool.Amelia, "1", term, new() { ["worries"] = "Amelia is quiet at school.", ["workOn"] = "Help Amelia Hartley to talk to friends.", ["emailConsent"] = "true" });
        await AfterMeeting.ViewsAsync(school, ViewsSchool.Oliver, "1", term, new() { ["worries"] = "Lunch" });
        await AfterMeeting.ViewsAsync(school, "D823204123001", "1", term, new() { ["goingWell"] = "Reading" });
        await AfterMeeting.MeetingAsync(school, ViewsSchool.Amelia, term, AfterMeeting.TomEllis, TimeSpan.FromMinutes(-20));
        (await school.InvokeAsync("agreed/save", AfterMeeting.TomEllis, AfterMeeting.Agreed(ViewsSchool.Amelia, term, "",
            "Amelia will say hello to a friend each morning.", "Amelia will play with a friend at break.")))["type"]!.GetValue<string>().Should().Be("application/vnd.microsoft.card.adaptive");

        var sent = await school.SayAsync(AfterMeeting.GraceLee, "you said we did");

        var card = sent.Single(b => b["attachments"] is not null)["attachments"]![0]!["content"]!;
        var rows = card["body"]!.AsArray().Single(e => e!["id"]?.GetValue<string>() == "years")!["rows"]!.AsArray()
            .Select(r => string.Join("|", r!["cells"]!.AsArray().Select(c => c!["items"]![0]!["text"]!.GetValue<string>()))).ToList();
        rows[0].Should().Be("Year|Pupils|Views|Worries|Asked|Agreed");
        rows.Should().Contain("Reception|2|2|2|1|1").And.Contain("Year 1|1|1|0|0|0").And.Contain("Year 6|1|0|0|0|0");
        rows[^1].Should().Be("Whole school|9|3|2|1|1");
        var text = card.ToJsonString();
        text.Should().Contain("Help [name] [name] to talk to friends.").And.Contain("[name] will say hello to a friend each morning.");
        text.Should().NotContain("Amelia").And.NotContain("Hartley").And.NotContain("Oliver").And.NotContain("Lunch", "worries are counted, not quoted");

        // Erasure reaches the record of which notes were mailed.
        var tables = school.Bot.Services.GetRequiredService<TableStorage>();
        var claims = await tables.GetTableAsync(AgreedNotesMailer.Table, default);
        (await claims.QueryAllAsync(TableClient.CreateQueryFilter($"Upn eq {ViewsSchool.Amelia}"), null, default)).Should().ContainSingle();
        await school.Bot.Services.GetRequiredService<PupilErasure>().EraseAsync(ViewsSchool.System, ViewsSchool.School, ViewsSchool.Amelia, default);
        (await claims.QueryAllAsync(TableClient.CreateQueryFilter($"Upn eq {ViewsSchool.Amelia}"), null, default)).Should().BeEmpty();
    }

    [Theory]
    [InlineData("you said we did summer 2025-26")]
    [InlineData("You said, we did last term")]
    [InlineData("you said we did for the summer")]
    public async Task YouSaidWeDid_EarlierTermNamed_ThatTermsSummary(string text)
    {
        var sent = await school.SayAsync(AfterMeeting.GraceLee, text);

        var card = sent.Single(b => b["attachments"] is not null)["attachments"]![0]!["content"]!.ToJsonString();
        card.Should().Contain("Summer term 2025-26").And.NotContain("Autumn term 2026-27");
    }

    [Fact]
    public async Task YouSaidWeDid_TermNotSetUp_SaysWhichTermsThereAre()
    {
        var sent = await school.SayAsync(AfterMeeting.GraceLee, "you said we did winter 2031-32");

        var text = sent.Single()["text"]!.GetValue<string>();
        text.Should().Contain("I could not find the term \"winter 2031-32\"").And.Contain("summer 2025-26").And.Contain("autumn 2026-27");
    }

    [Theory]
    [InlineData(AfterMeeting.TomEllis)]
    [InlineData("3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a06")] // Jo Barker, admin: reads the roster, not plans
    public async Task YouSaidWeDid_TeacherOrAdmin_RefusedWithNoCard(string who)
    {
        var sent = await school.SayAsync(who, "You said, we did");

        sent.Should().ContainSingle(b => b["text"] != null && b["text"]!.GetValue<string>().Contains("for the SENCo and SLT", StringComparison.Ordinal));
        sent.Should().NotContain(b => b["attachments"] != null);
    }
}
