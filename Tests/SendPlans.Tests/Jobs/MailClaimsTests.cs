using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SendPlans.Infrastructure.Mail;
using SendPlans.Infrastructure.Storage;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Jobs;

/// <summary>The one set of send-once rules every parent mail uses, on Azurite with a fake clock.</summary>
public sealed class MailClaimsTests : IAsyncLifetime
{
    private const string School = "school-1";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
    private TableClient _table = null!;

    public async Task InitializeAsync()
    {
        var storage = new TableStorage(Options.Create(new StorageOptions { ConnectionString = await Azurite.ConnectionStringAsync(), TablePrefix = Azurite.NewPrefix() }));
        _table = await storage.GetTableAsync("Claims");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>One claimer: an instance, with the shared clock.</summary>
    private MailClaims Claims() => new(_table, _time, NullLogger.Instance);

    [Fact]
    public async Task ClaimAsync_TwoClaimersAtOnce_OneWins()
    {
        var results = await Task.WhenAll(Claims().ClaimAsync(School, "k", "msg-1", null, default), Claims().ClaimAsync(School, "k", "msg-1", null, default));

        results.Count(r => r.Won).Should().Be(1);
        results.Single(r => !r.Won).Outcome.Should().Be(MailClaimOutcome.HeldElsewhere);
        var row = (await _table.GetEntityAsync<TableEntity>(School, "k")).Value;
        row.GetString("State").Should().Be("sending");
        row.GetString("MessageId").Should().Be("msg-1");
        row.GetDateTimeOffset("ClaimedAt").Should().Be(_time.GetUtcNow());
    }

    [Fact]
    public async Task SendOnceAsync_AlreadySent_NeverSentAgainEvenLongAfter()
    {
        var sends = 0;
        (await Claims().SendOnceAsync(School, "k", "msg-1", new Dictionary<string, object> { ["Upn"] = "U1" }, (_, _) => { sends++; return Task.CompletedTask; }, default))
            .Should().Be(MailClaimOutcome.Won);

        _time.Advance(TimeSpan.FromDays(30));
        var again = await Claims().SendOnceAsync(School, "k", "msg-1", null, (_, _) => { sends++; return Task.CompletedTask; }, default);

        again.Should().Be(MailClaimOutcome.AlreadySent);
        sends.Should().Be(1);
        var row = (await _table.GetEntityAsync<TableEntity>(School, "k")).Value;
        MailClaims.IsSent(row).Should().BeTrue();
        row.GetString("Upn").Should().Be("U1", "erasure finds the row by its pupil");
        row.GetDateTimeOffset("SentAt").Should().Be(_time.GetUtcNow() - TimeSpan.FromDays(30));
    }

    [Fact]
    public async Task SendOnceAsync_SendFails_ClaimReleasedAndTheNextClaimWins()
    {
        var failing = () => Claims().SendOnceAsync(School, "k", "msg-1", null, (_, _) => throw new HttpRequestException("mail server down"), default);
        await failing.Should().ThrowAsync<HttpRequestException>();

        (await _table.GetEntityIfExistsAsync<TableEntity>(School, "k")).HasValue.Should().BeFalse("a failed send gives its claim back");
        string? sentWith = null;
        (await Claims().SendOnceAsync(School, "k", "msg-1", null, (id, _) => { sentWith = id; return Task.CompletedTask; }, default))
            .Should().Be(MailClaimOutcome.Won, "no stale period to wait for: the claim was released");
        sentWith.Should().Be("msg-1");
    }

    [Fact]
    public async Task ClaimAsync_FreshClaimOfAnother_NotTakenOver()
    {
        (await Claims().ClaimAsync(School, "k", "msg-1", null, default)).Won.Should().BeTrue();

        _time.Advance(MailClaims.StaleAfter - TimeSpan.FromSeconds(1));
        var second = await Claims().ClaimAsync(School, "k", "msg-1", null, default);

        second.Outcome.Should().Be(MailClaimOutcome.HeldElsewhere);
    }

    [Fact]
    public async Task ClaimAsync_StaleClaimTwoClaimersAtOnce_ExactlyOneTakesItOverWithTheSameMessageId()
    {
        (await Claims().ClaimAsync(School, "k", "msg-of-the-dead-process", null, default)).Won.Should().BeTrue();
        _time.Advance(MailClaims.StaleAfter + TimeSpan.FromSeconds(1));

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Claims().ClaimAsync(School, "k", "msg-new", null, default)));

        var winner = results.Should().ContainSingle(r => r.Won).Subject;
        winner.TookOver.Should().BeTrue();
        winner.MessageId.Should().Be("msg-of-the-dead-process", "the resend keeps the id so the outbox can recognise it");
        results.Where(r => !r.Won).Should().OnlyContain(r => r.Outcome == MailClaimOutcome.HeldElsewhere);
        var row = (await _table.GetEntityAsync<TableEntity>(School, "k")).Value;
        row.GetDateTimeOffset("ClaimedAt").Should().Be(_time.GetUtcNow(), "the taken-over claim is fresh again");
        (await Claims().ClaimAsync(School, "k", "msg-new", null, default)).Outcome.Should().Be(MailClaimOutcome.HeldElsewhere);
    }

    [Fact]
    public async Task MarkSentAsync_ClaimTakenOverMeanwhile_RowStillEndsSent()
    {
        var slow = await Claims().ClaimAsync(School, "k", "msg-1", null, default);
        _time.Advance(MailClaims.StaleAfter + TimeSpan.FromSeconds(1));
        var other = await Claims().ClaimAsync(School, "k", "msg-1", null, default);
        other.TookOver.Should().BeTrue();

        await Claims().MarkSentAsync(slow, default);
        await Claims().ReleaseAsync(other, default);

        MailClaims.IsSent((await _table.GetEntityAsync<TableEntity>(School, "k")).Value).Should().BeTrue("the slow send did go, and a release with an old ETag changes nothing");
        (await Claims().ClaimAsync(School, "k", "msg-1", null, default)).Outcome.Should().Be(MailClaimOutcome.AlreadySent);
    }

    [Theory]
    [InlineData("claimed", true)] // the views link job's old shape: a send that failed, retried on the next pass
    [InlineData("sending", false)] // the agreed notes' old shape, the same as a claim now
    [InlineData("sent", false)]
    public async Task ClaimAsync_RowInAnOldShape_MeansWhatItMeantBefore(string state, bool claimable)
    {
        await _table.AddEntityAsync(new TableEntity(School, "k") { ["State"] = state, ["Upn"] = "U1", ["ClaimedAt"] = _time.GetUtcNow() });

        var claim = await Claims().ClaimAsync(School, "k", "msg-1", null, default);

        claim.Won.Should().Be(claimable);
        if (state == "sent")
        {
            claim.Outcome.Should().Be(MailClaimOutcome.AlreadySent);
        }
    }
}
