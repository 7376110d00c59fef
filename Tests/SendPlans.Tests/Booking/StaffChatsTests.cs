using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using SendPlans.Bot.Attendance;
using SendPlans.Bot.Booking;
using SendPlans.Bot.Reports;
using SendPlans.Bot.Roster;
using SendPlans.Infrastructure.BotFramework;
using SendPlans.Infrastructure.BotFramework.Proactive;
using SendPlans.Infrastructure.Storage;
using SendPlans.Tests.Support;
using static SendPlans.Tests.Booking.BookingSchool;

namespace SendPlans.Tests.Booking;

/// <summary>
/// Staff personal chats saved by the turn pipeline itself, through POST /api/messages with real
/// JWTs and Azurite: whatever a member of staff says in a 1:1 chat makes them reachable later.
/// </summary>
public sealed class StaffChatsTests : IAsyncLifetime
{
    private const string Freya = "G823204121001";
    private const string PriyaId = "3f6d2a1e-8c4b-4e7a-9d21-5b0c7e9f1a02";
    private const string SencoChat = "a:senco-personal-chat";
    private BotFactory _bot = null!;

    private StaffChats Chats => _bot.Services.GetRequiredService<StaffChats>();

    public async Task InitializeAsync()
    {
        _bot = await BotFactory.StartAsync(settings: new() { ["Attendance:RunJobs"] = "false" });
        await SeedAsync(_bot.Services);
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Help_SencoOnlySaidHelpInPersonalChat_LaterGetsTheFollowUpAlertThere()
    {
        await SayAsAsync(SencoId, SencoChat, "personal", "help");

        var item = await _bot.Services.GetRequiredService<FollowUpAlerts>().RaiseAsync(
            new FollowUpRequest(School, "meeting-freya-1", TermId, Freya, PriyaId, FollowUpReason.Missed, DateTimeOffset.UtcNow.AddHours(-1)), default);
        var before = _bot.Connector.Requests.Count;
        var count = await DispatchAsync(_bot.Services);
        var sent = (await _bot.Connector.WaitForAsync(before + count)).Skip(before).ToList();

        item.Should().NotBeNull();
        var alert = sent.Should().ContainSingle("Year 3 has no channel, so the alert goes to the SENCo; the admin never chatted").Subject;
        alert.Path.Should().Contain(SencoChat);
        Texts(alert.Body!["attachments"]![0]!["content"]).Should().Contain("Follow up: Freya O'Connor");
    }

    [Fact]
    public async Task Help_InChannelConversation_NotSavedAsPersonalChat()
    {
        await SayAsAsync(SencoId, "19:year3-alerts@thread.tacv2", "channel", "help");
        await SayAsAsync(SencoId, "19:group-chat-1@thread.v2", "groupChat", "help");

        (await Chats.FindAsync(School, SencoId, default)).Should().BeNull();
        (await Chats.SendAsync(School, SencoId, "test-no-chat", null, "hello", default)).Should().BeFalse();
    }

    [Fact]
    public async Task Help_ServiceUrlChanged_StoredReferenceUpdated()
    {
        await SayAsAsync(SencoId, SencoChat, "personal", "help");
        var first = await Chats.FindAsync(School, SencoId, default);
        // The same fake Connector under another serviceUrl, as when Teams moves a tenant to another region.
        var moved = _bot.Connector.ServiceUrl.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

        await SayAsAsync(SencoId, SencoChat, "personal", "help", moved);

        first!.ServiceUrl.Should().Be(_bot.Connector.ServiceUrl);
        var second = await Chats.FindAsync(School, SencoId, default);
        second!.ServiceUrl.Should().Be(moved);
        second.Conversation.Id.Should().Be(SencoChat);
    }

    [Fact]
    public async Task Help_SameChatTwice_SavedOnceByThisInstance()
    {
        await SayAsAsync(SencoId, SencoChat, "personal", "help");
        var table = await _bot.Services.GetRequiredService<TableStorage>().GetTableAsync(StaffChats.Table);
        await table.DeleteEntityAsync(School, SencoId);

        await SayAsAsync(SencoId, SencoChat, "personal", "help");

        (await table.GetEntityIfExistsAsync<TableEntity>(School, SencoId)).HasValue
            .Should().BeFalse("a repeat turn from the same chat costs no storage write");
    }

    [Fact]
    public async Task Help_PersonOnNoStaffList_NothingSaved()
    {
        const string stranger = "9a9a9a9a-0000-0000-0000-000000000001";

        await SayAsAsync(stranger, "a:stranger-chat", "personal", "help");

        var table = await _bot.Services.GetRequiredService<TableStorage>().GetTableAsync(StaffChats.Table);
        (await table.QueryAllAsync(TableClient.CreateQueryFilter($"RowKey eq {stranger}"), null, default)).Should().BeEmpty();
    }

    [Fact]
    public async Task Install_BeforeTheyWereOnTheStaffList_ReachedThroughTheInstallRecord()
    {
        const string newcomer = "9a9a9a9a-0000-0000-0000-000000000002";
        var install = _bot.Activity("conversationUpdate", text: null);
        install["from"] = new JsonObject { ["id"] = "29:newcomer", ["aadObjectId"] = newcomer };
        install["conversation"] = new JsonObject { ["id"] = "a:newcomer-installed", ["conversationType"] = "personal", ["tenantId"] = "tenant-1" };
        install["membersAdded"] = new JsonArray(new JsonObject { ["id"] = "28:" + BotFactory.AppId });
        (await _bot.PostActivityAsync(install)).StatusCode.Should().Be(HttpStatusCode.OK);
        await AddToStaffListAsync(newcomer);

        var queued = await Chats.SendAsync(School, newcomer, "test-install-only", null, "hello", default);
        var before = _bot.Connector.Requests.Count;
        var count = await DispatchAsync(_bot.Services);

        queued.Should().BeTrue();
        (await _bot.Connector.WaitForAsync(before + count)).Skip(before).Should().ContainSingle()
            .Which.Path.Should().Contain("a:newcomer-installed");
    }

    [Theory]
    [InlineData(403)]
    [InlineData(404)]
    public async Task Alert_RefusedForGoodByTheConnector_ChatGoneEverywhereAndOnTheDashboard(int status)
    {
        await SayAsAsync(SencoId, SencoChat, "personal", "help");
        (await Chats.SendAsync(School, SencoId, "test-refused", null, "hello", default)).Should().BeTrue();
        _bot.Connector.FailNext(status);

        (await DispatchAsync(_bot.Services)).Should().Be(0);

        (await _bot.Services.GetRequiredService<ConversationReferenceStore>().IsRemovedAsync(SencoChat, default)).Should().BeTrue();
        (await Chats.FindAsync(School, SencoId, default)).Should().BeNull();
        (await Chats.DeliverAsync(School, SencoId, "test-next-day", null, "hello again", default)).Should().Be(StaffReach.NoChat, "tomorrow's alert must not go to the dead chat");
        (await Chats.SendAsync(School, SencoId, "test-send", null, "hello again", default)).Should().BeFalse();
        (await Chats.ReachAsync(School, SencoId, "test-reach", "hello again", default)).Should().Be(StaffReach.NoChat);
        (await Chats.UnreachableAsync(School, default)).Should().Contain(m => m.EntraObjectId == SencoId);
        var senco = await SencoNameAsync();
        (await DashboardAsync()).Unreachable.Should().Contain(s => s.Name == senco, "the dashboard's \"cannot be reached\" line lists them");
    }

    [Fact]
    public async Task Help_AfterTheConnectorRefusedTheirChat_ReachableAgain()
    {
        await SayAsAsync(SencoId, SencoChat, "personal", "help");
        await Chats.SendAsync(School, SencoId, "test-refused", null, "hello", default);
        _bot.Connector.FailNext(403);
        await DispatchAsync(_bot.Services);
        (await Chats.FindAsync(School, SencoId, default)).Should().BeNull();

        await SayAsAsync(SencoId, SencoChat, "personal", "help");

        (await _bot.Services.GetRequiredService<ConversationReferenceStore>().IsRemovedAsync(SencoChat, default)).Should().BeFalse();
        (await Chats.DeliverAsync(School, SencoId, "test-after-help", null, "hello again", default)).Should().Be(StaffReach.Queued);
        (await Chats.UnreachableAsync(School, default)).Should().NotContain(m => m.EntraObjectId == SencoId);
        var senco = await SencoNameAsync();
        (await DashboardAsync()).Unreachable.Should().NotContain(s => s.Name == senco);
        var before = _bot.Connector.Requests.Count;
        var count = await DispatchAsync(_bot.Services);
        (await _bot.Connector.WaitForAsync(before + count)).Skip(before).Should().ContainSingle().Which.Path.Should().Contain(SencoChat);
    }

    [Fact]
    public async Task Install_AfterTheConnectorRefusedTheirChat_ReachableAgain()
    {
        await SayAsAsync(SencoId, SencoChat, "personal", "help");
        await Chats.SendAsync(School, SencoId, "test-refused", null, "hello", default);
        _bot.Connector.FailNext(404);
        await DispatchAsync(_bot.Services);
        (await Chats.FindAsync(School, SencoId, default)).Should().BeNull();
        var install = _bot.Activity("conversationUpdate", text: null);
        install["from"] = new JsonObject { ["id"] = $"29:{SencoId}", ["aadObjectId"] = SencoId };
        install["conversation"] = new JsonObject { ["id"] = SencoChat, ["conversationType"] = "personal", ["tenantId"] = "tenant-1" };
        install["membersAdded"] = new JsonArray(new JsonObject { ["id"] = "28:" + BotFactory.AppId });

        (await _bot.PostActivityAsync(install)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await Chats.DeliverAsync(School, SencoId, "test-after-install", null, "hello again", default)).Should().Be(StaffReach.Queued);
        (await Chats.UnreachableAsync(School, default)).Should().NotContain(m => m.EntraObjectId == SencoId);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    public async Task Alert_ThrottledOrServerError_ChatNotMarkedGone(int status)
    {
        await SayAsAsync(SencoId, SencoChat, "personal", "help");
        await Chats.SendAsync(School, SencoId, "test-passing", null, "hello", default);
        for (var i = 0; i < 5; i++)
        {
            _bot.Connector.FailNext(status, retryAfter: "0"); // more than the HTTP client's own retries
        }

        (await DispatchAsync(_bot.Services)).Should().Be(0);

        (await _bot.Services.GetRequiredService<ProactiveOutbox>().FindAsync("test-passing", default))!.Status.Should().Be(OutboxStatus.Pending, "tried again later");
        (await _bot.Services.GetRequiredService<ConversationReferenceStore>().IsRemovedAsync(SencoChat, default)).Should().BeFalse();
        (await Chats.DeliverAsync(School, SencoId, "test-next", null, "hello again", default)).Should().Be(StaffReach.Queued);
        (await Chats.UnreachableAsync(School, default)).Should().NotContain(m => m.EntraObjectId == SencoId);
    }

    private async Task<TermDashboardFigures> DashboardAsync() =>
        (await _bot.Services.GetRequiredService<TermDashboard>().ForSchoolAsync(RosterReader.System("test"), School, default))!;

    private async Task<string> SencoNameAsync() =>
        (await _bot.Services.GetRequiredService<StaffDirectory>().FindByEntraIdAsync(SencoId, default))!.DisplayName;

    private async Task SayAsAsync(string entraId, string conversationId, string conversationType, string text, string? serviceUrl = null)
    {
        var before = _bot.Connector.Requests.Count;
        var activity = _bot.Activity(text: text);
        activity["from"] = new JsonObject { ["id"] = $"29:{entraId}", ["aadObjectId"] = entraId };
        activity["conversation"] = new JsonObject { ["id"] = conversationId, ["conversationType"] = conversationType, ["tenantId"] = "tenant-1" };
        if (serviceUrl is not null)
        {
            activity["serviceUrl"] = serviceUrl;
        }
        (await _bot.PostActivityAsync(activity)).StatusCode.Should().Be(HttpStatusCode.OK);
        await _bot.Connector.WaitForAsync(before + 1);
    }

    private async Task AddToStaffListAsync(string entraId)
    {
        var storage = _bot.Services.GetRequiredService<TableStorage>();
        var staff = await storage.GetTableAsync(StaffDirectory.StaffTable);
        await staff.UpsertEntityAsync(new TableEntity(School, entraId) { ["Roles"] = "Teacher", ["DisplayName"] = "Nia New", ["Classes"] = "" });
        var index = await storage.GetTableAsync(StaffDirectory.IndexTable);
        await index.UpsertEntityAsync(new TableEntity(entraId, "school") { ["SchoolId"] = School });
    }
}
