using Microsoft.Extensions.Options;
using SendPlans.Infrastructure.Calendars;

namespace SendPlans.Tests.Calendars;

/// <summary>Batch packing and calendar settings: plain rules, no I/O.</summary>
public sealed class BatchPlannerTests
{
    [Fact]
    public void Plan_SixMailboxesOfTen_ThreeFullBatches()
    {
        var pending = Items(("a", 10), ("b", 10), ("c", 10), ("d", 10), ("e", 10), ("f", 10));
        var sizes = new List<int>();

        while (pending.Count > 0)
        {
            var batch = BatchPlanner.Plan(pending, i => i.Mailbox, 20, _ => 4);
            batch.GroupBy(i => i.Mailbox).Should().OnlyContain(g => g.Count() <= 4);
            sizes.Add(batch.Count);
            pending = [.. pending.Except(batch)];
        }

        sizes.Should().Equal(20, 20, 20);
    }

    [Fact]
    public void Plan_OneMailbox_AtMostItsFreeSlots()
    {
        var batch = BatchPlanner.Plan(Items(("a", 10)), i => i.Mailbox, 20, _ => 4);

        batch.Should().HaveCount(4);
    }

    [Fact]
    public void Plan_MailboxBusyElsewhere_OnlyItsRemainingSlots()
    {
        var batch = BatchPlanner.Plan(Items(("a", 10), ("b", 10)), i => i.Mailbox, 20, m => m == "a" ? 1 : 4);

        batch.Count(i => i.Mailbox == "a").Should().Be(1);
        batch.Count(i => i.Mailbox == "b").Should().Be(4);
    }

    [Fact]
    public void Plan_WithinAMailbox_KeepsTheOrderGiven()
    {
        var items = Items(("a", 6));

        var batch = BatchPlanner.Plan(items, i => i.Mailbox, 20, _ => 4);

        batch.Select(i => i.Number).Should().Equal(0, 1, 2, 3);
    }

    [Theory]
    [InlineData("https://graph.microsoft.com/v1.0", null)]
    [InlineData("http://127.0.0.1:5000/v1.0/", null)]
    [InlineData("https://graph.microsoft.com", "Graph:BaseUrl must end in /v1.0")]
    [InlineData("https://proxy.example/graph/v1.0", "Graph:BaseUrl must end in /v1.0")]
    [InlineData("graph", "Graph:BaseUrl must be an absolute URL")]
    public void Validate_GraphBaseUrl_NamesTheKeyWhenWrong(string baseUrl, string? message)
    {
        var result = Validate(new GraphOptions { TenantId = "t", ClientId = "c", ClientSecret = "s", BaseUrl = baseUrl });

        if (message is null)
        {
            result.Succeeded.Should().BeTrue(result.FailureMessage);
        }
        else
        {
            result.FailureMessage.Should().Contain(message);
        }
    }

    [Fact]
    public void Validate_GraphBatchOver20_Refused() =>
        Validate(new GraphOptions { TenantId = "t", ClientId = "c", ClientSecret = "s", MaxBatchSize = 21 })
            .FailureMessage.Should().Contain("Graph:MaxBatchSize");

    [Fact]
    public void Validate_LocalWithBadPublicBaseUrl_NamesTheKey() =>
        new CalendarOptionsValidator(Options.Create(new GraphOptions()))
            .Validate(null, new CalendarOptions { PublicBaseUrl = "not a url" })
            .FailureMessage.Should().Contain("Calendar:PublicBaseUrl");

    private static ValidateOptionsResult Validate(GraphOptions graph) =>
        new CalendarOptionsValidator(Options.Create(graph)).Validate(null, new CalendarOptions { Provider = CalendarProviderKind.Graph });

    private sealed record Item(string Mailbox, int Number);

    private static List<Item> Items(params (string Mailbox, int Count)[] groups) =>
        [.. groups.SelectMany(g => Enumerable.Range(0, g.Count).Select(n => new Item(g.Mailbox, n)))];
}
