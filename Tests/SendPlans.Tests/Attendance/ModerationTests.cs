using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SendPlans.Bot.DataProtection;
using Microsoft.Extensions.Time.Testing;
using SendPlans.Bot.Attendance;
using SendPlans.Bot.Roster;
using SendPlans.Cards.Attendance;
using SendPlans.Infrastructure.BotFramework;
using SendPlans.Infrastructure.BotFramework.Proactive;
using SendPlans.Infrastructure.Storage;
using SendPlans.Tests.Support;
using static SendPlans.Tests.Booking.BookingSchool;

namespace SendPlans.Tests.Attendance;

/// <summary>SLT moderation after the deadline: the sample, the cards, and the outcome through /api/messages.</summary>
public sealed class ModerationTests : IAsyncLifetime
{
    private const string Freya = "G823204121001";
    private const string PriyaId = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a02";
    private const string SltId = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a05";
    private readonly CapturingLoggerProvider _logs = new();
    private BotFactory _bot = null!;

    private IServiceProvider Services => _bot.Services;

    public async Task InitializeAsync()
    {
        _bot = await BotFactory.StartAsync(settings: new() { ["Attendance:RunJobs"] = "false" }, services: s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(_logs));
        await SeedAsync(Services);
        await Services.GetRequiredService<TrustedServiceUrls>().TrustAsync(_bot.Connector.ServiceUrl, default);
        await RememberChatAsync(Services, _bot, School, SltId);
        await RememberChatAsync(Services, _bot, School, PriyaId);
        var roster = Services.GetRequiredService<RosterStore>();
        foreach (var pupil in await roster.GetPupilsAsync(RosterReader.System("test"), School, false, default))
        {
            await roster.CreatePlanAsync(RosterReader.System("test"), new Plan(School, pupil.Upn, TermId, PlanStatus.Agreed,
                [new PlanTarget($"{pupil.LegalForename} will read a short sentence aloud."), new PlanTarget($"{pupil.LegalForename} will ask for help with a card.")]), default);
        }
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public void Pick_TenPercentOfTwentyInFourClasses_OnePerClassAndStable()
    {
        var plans = Enumerable.Range(0, 20).Select(i => ($"U{i:00}", $"C{i % 4}")).ToList();

        var picked = ModerationSample.Pick(plans, 10, "oak|term");

        picked.Select(p => p.ClassName).Distinct().Should().HaveCount(4, "at least one per class, more than 10% asks");
        picked.Should().HaveCount(4);
        ModerationSample.Pick(plans, 10, "oak|term").Should().Equal(picked, "the same term picks the same plans");
        ModerationSample.Pick(plans, 50, "oak|term").Should().HaveCount(10);
    }

    [Fact]
    public async Task StartDue_AfterTheDeadlineRunTwice_EachSampledPlanToSltOnce()
    {
        var deadline = CurrentTerm().Deadline.ToDateTime(new TimeOnly(12, 0));

        (await Start(deadline)).Should().Be(0);
        var first = await Start(deadline.AddDays(1));
        var audited = await AuditedReadsAsync();
        (await Start(deadline.AddDays(2))).Should().Be(0);
        (await AuditedReadsAsync()).Should().Be(audited, "once the sample went out, later sweeps do not read every plan again");

        var items = await Services.GetRequiredService<ModerationService>().ForTermAsync(School, TermId, default);
        items.Select(i => i.ClassName).Distinct().Should().HaveCount(items.Count, "nine pupils in nine classes at 10%: one from each class");
        items.Should().HaveCount(9);
        first.Should().Be(9, "one card per sampled plan to the one SLT member");
    }

    [Fact]
    public async Task NeedsChanges_ThroughApiMessages_CommentRequiredThenSentToTheTeacherAndOutcomeKept()
    {
        await Start(CurrentTerm().Deadline.ToDateTime(new TimeOnly(12, 0)).AddDays(1));
        var data = new JsonObject { ["school"] = School, ["term"] = TermId, ["pupil"] = Freya };

        var refused = await InvokeAsSltAsync(AttendanceCards.NeedsChangesVerb, data);
        var asPriya = await InvokeAsync(PriyaId, AttendanceCards.ApproveVerb, (JsonObject)data.DeepClone());
        var done = await InvokeAsSltAsync(AttendanceCards.NeedsChangesVerb, new JsonObject { ["school"] = School, ["term"] = TermId, ["pupil"] = Freya, ["comment"] = "Make the reading target measurable." });
        var again = await InvokeAsSltAsync(AttendanceCards.ApproveVerb, (JsonObject)data.DeepClone());

        refused["value"]!.GetValue<string>().Should().Contain("comment");
        asPriya["value"]!.GetValue<string>().Should().Contain("Only SLT");
        Texts(done["value"]).Should().Contain("Recorded: needs changes.");
        again["value"]!.GetValue<string>().Should().Contain("already recorded");
        var item = (await Services.GetRequiredService<ModerationService>().ForTermAsync(School, TermId, default)).Single(i => i.Upn == Freya);
        item.Outcome.Should().Be(ModerationOutcome.NeedsChanges);
        item.By.Should().Be("Grace Lee");
        await Services.GetRequiredService<OutboxDispatcher>().DispatchOnceAsync(default);
        var toTeacher = _bot.Connector.Requests.Where(r => r.Path.Contains($"personal-{PriyaId}", StringComparison.Ordinal)).Select(r => r.Body!["text"]?.GetValue<string>()).ToList();
        toTeacher.Should().ContainSingle(t => t != null && t.Contains("Make the reading target measurable.", StringComparison.Ordinal));
        SentTo(SltId).Should().NotContain(t => t.Contains("pass it on", StringComparison.Ordinal), "the teacher was reached");
    }

    [Fact]
    public async Task NeedsChanges_TeachersWithNoChat_ReviewerToldInTheSameTurnToPassItOn()
    {
        // A teaching assistant in Amelia's class cannot change targets, so the comment is not for them.
        var staff = await Services.GetRequiredService<TableStorage>().GetTableAsync(StaffDirectory.StaffTable);
        await staff.UpsertEntityAsync(new Azure.Data.Tables.TableEntity(School, RosterFiles.TeachingAssistantId) { ["Email"] = "kim.webb@oakfield.example.org", ["DisplayName"] = "Kim Webb", ["Roles"] = "TeachingAssistant", ["Classes"] = "RA" });
        await Start(CurrentTerm().Deadline.ToDateTime(new TimeOnly(12, 0)).AddDays(1));

        var done = await InvokeAsSltAsync(AttendanceCards.NeedsChangesVerb, new JsonObject { ["school"] = School, ["term"] = TermId, ["pupil"] = Amelia, ["comment"] = "Add a target for lunchtimes." });

        Texts(done["value"]).Should().Contain("Recorded: needs changes.");
        SentTo(SltId).Should().ContainSingle(t => t.Contains("I could not send your comment to ", StringComparison.Ordinal)).Which
            .Should().ContainAll("Terry Teacher", "Tom Ellis", "Please pass it on, and ask them to open the bot in Teams once.").And.NotContain("Kim Webb");
        _logs.Lines.Should().Contain(l => l.Contains("Moderation comment in school oak reached none of 2 recipients", StringComparison.Ordinal));
        _logs.Lines.Should().NotContain(l => l.Contains("lunchtimes", StringComparison.Ordinal) || l.Contains("Tom Ellis", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartDue_SltWithNoChat_AdminToldThenCardsSentOnceTheyOpenTheBot()
    {
        var chats = await Services.GetRequiredService<Infrastructure.Storage.TableStorage>().GetTableAsync(Bot.Booking.StaffChats.Table);
        await chats.DeleteEntityAsync(School, SltId);
        await RememberChatAsync(Services, _bot, School, AdminId);
        var after = CurrentTerm().Deadline.ToDateTime(new TimeOnly(12, 0)).AddDays(1);

        var first = await Start(after);
        await Services.GetRequiredService<OutboxDispatcher>().DispatchOnceAsync(default);
        await RememberChatAsync(Services, _bot, School, SltId);
        var late = await Start(after.AddDays(1));
        var again = await Start(after.AddDays(2));

        first.Should().Be(0, "the only SLT member has no chat with the bot");
        SentTo(AdminId).Should().ContainSingle().Which.Should().Contain("could not be sent to Grace Lee (SLT)").And.Contain("open the bot in Teams once");
        late.Should().Be(9, "once Grace has a chat, the sample goes to her");
        again.Should().Be(0);
        _logs.Lines.Should().Contain(l => l.Contains("Moderation sample in school oak: 1 of 1 SLT members have no personal chat", StringComparison.Ordinal));
    }

    /// <summary>The texts the fake Connector received for one person's personal chat.</summary>
    private List<string> SentTo(string entraId) =>
        [.. _bot.Connector.Requests.Where(r => r.Path.Contains($"personal-{entraId}", StringComparison.Ordinal))
            .Select(r => r.Body?["text"]?.GetValue<string>()).OfType<string>()];

    /// <summary>How many plan reads the moderation job has left in the plan audit, over the school's pupils.</summary>
    private async Task<int> AuditedReadsAsync()
    {
        var audit = Services.GetRequiredService<PlanAudit>();
        var reads = 0;
        foreach (var pupil in await Services.GetRequiredService<RosterStore>().GetPupilsAsync(RosterReader.System("test"), School, includeArchived: false, default))
        {
            reads += (await audit.ForPupilAsync(School, pupil.Upn, default)).Count(e => e.Actor == "system:moderation");
        }
        return reads;
    }

    private Task<int> Start(DateTime localNoon) =>
        ActivatorUtilities.CreateInstance<ModerationService>(Services, (TimeProvider)new FakeTimeProvider(new DateTimeOffset(localNoon, TimeSpan.Zero))).StartDueAsync(default);

    private Task<JsonNode> InvokeAsSltAsync(string verb, JsonObject data) => InvokeAsync(SltId, verb, data);

    private async Task<JsonNode> InvokeAsync(string entraId, string verb, JsonObject data)
    {
        var activity = Invoke(_bot, verb, data);
        activity["from"] = new JsonObject { ["id"] = $"29:{entraId}", ["aadObjectId"] = entraId };
        // Each person presses in their own personal chat (the one RememberChatAsync saved): a 1:1 chat belongs to one user.
        activity["conversation"] = new JsonObject { ["id"] = $"a:personal-{entraId}", ["conversationType"] = "personal", ["tenantId"] = "tenant-1" };
        var response = await _bot.PostActivityAsync(activity);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
