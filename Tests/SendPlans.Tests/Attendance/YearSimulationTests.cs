using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SendPlans.Bot.Attendance;
using SendPlans.Bot.Booking;
using SendPlans.Bot.Cli;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Simulation;
using SendPlans.Bot.Views;
using SendPlans.Infrastructure.Storage;
using SendPlans.Tests.Support;

namespace SendPlans.Tests.Attendance;

/// <summary>
/// One simulated term of a smaller demo school (60 pupils; a parent misses 3 times in 10 and
/// half the follow-ups bring them in; 1 in 10 never answers and as many give views without choosing
/// a time; SLT ask for changes to 3 plans in 10), run once for the class, read before its tables go:
/// what the follow-ups became, what the outbox holds, whom each alert reached, who never answered,
/// the digests and the moderation sample.
/// </summary>
public sealed class SmallSchoolTerm : IAsyncLifetime
{
    public static readonly SimulationSettings Settings = new()
    {
        Pupils = 60, Terms = 1, Seed = 11, MissProbability = 0.3, FollowUpSuccess = 0.5, NoResponseProbability = 0.1, NeedsChangesProbability = 0.3,
    };

    public SimulationResult Result { get; private set; } = null!;
    public IReadOnlyList<FollowUpItem> Items { get; private set; } = [];
    public TimeSpan AlertWithin { get; private set; }

    /// <summary>Each alert's recipient and whether the roster's access rule (asked directly) lets them read that pupil.</summary>
    public List<(string ItemId, string Recipient, string How, bool MayRead)> Reached { get; } = [];

    /// <summary>Each channel alert's conversation, and the channel of its pupil's year group.</summary>
    public List<(string Posted, string Expected)> Channels { get; } = [];

    /// <summary>Staff the rule refuses for some alert's pupil: the check above is not vacuous.</summary>
    public int Refusals { get; private set; }

    /// <summary>From the stores: pupils whose meeting still waits for the parent to choose, with and without any parent's views.</summary>
    public HashSet<string> NeverChoseNoViews { get; } = new(StringComparer.Ordinal);
    public HashSet<string> NeverChoseWithViews { get; } = new(StringComparer.Ordinal);

    /// <summary>Each simulated digest week's expected outbox keys (year channels and SLT) and whether each is queued.</summary>
    public List<(string Week, string Key, bool Queued)> DigestKeys { get; } = [];

    /// <summary>Outbox rows whose card is a weekly digest, counted by their content rather than their keys.</summary>
    public int DigestCards { get; private set; }

    public IReadOnlyList<ModerationItem> Sample { get; private set; } = [];

    /// <summary>Classes with a plan agreed by the time moderation started (from the "started" row).</summary>
    public IReadOnlySet<string> ClassesWithPlansAtStart { get; private set; } = new HashSet<string>();

    public int SltCount { get; private set; }
    /// <summary>Each sampled plan: its card queued to every SLT member, and whether its comment (if any) was queued to every teacher of the class.</summary>
    public List<(ModerationOutcome Outcome, bool CardToEverySlt, bool CommentToEveryTeacher)> Moderated { get; } = [];

    /// <summary>The simulation's tables that are still there after it finished.</summary>
    public IReadOnlyList<string> TablesLeft { get; private set; } = [];

    public static async Task<IConfiguration> StorageAsync() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Storage:ConnectionString"] = await Azurite.ConnectionStringAsync(),
        ["Storage:TablePrefix"] = Azurite.NewPrefix(),
    }).Build();

    public async Task InitializeAsync()
    {
        var storage = await StorageAsync();
        Result = await YearSimulation.RunAsync(Settings, storage, default, InspectAsync);
        var service = new TableServiceClient(storage["Storage:ConnectionString"]);
        TablesLeft = [.. service.Query().Select(t => t.Name).Where(n => n.StartsWith(_prefix, StringComparison.Ordinal))];
    }

    private string _prefix = "";

    private async Task InspectAsync(IServiceProvider services, SimulationResult result)
    {
        _prefix = services.GetRequiredService<IOptions<StorageOptions>>().Value.TablePrefix;
        var options = services.GetRequiredService<IOptions<AttendanceOptions>>().Value;
        AlertWithin = options.SweepInterval + options.ReportDelay;
        var school = result.Settings.SchoolId;
        Items = await services.GetRequiredService<FollowUpStore>().ForSchoolAsync(school, default);
        var staff = await services.GetRequiredService<StaffDirectory>().ForSchoolAsync(school, default);
        var years = await services.GetRequiredService<RosterStore>().GetYearGroupsAsync(RosterReader.System("test"), school, default);
        var access = services.GetRequiredService<IRosterAccess>();
        var outbox = await services.GetRequiredService<TableStorage>().GetTableAsync("ProactiveOutbox");
        var rows = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        await foreach (var row in outbox.QueryAsync<TableEntity>())
        {
            rows[row.RowKey] = row;
        }

        async Task<bool> MayReadAsync(StaffMember member, FollowUpItem item)
        {
            try
            {
                await access.EnsureCanReadAsync(RosterReader.For(member, "test"), new RosterScope.OnePupil(school, item.Upn), RosterData.Roster, default);
                return true;
            }
            catch (RosterAccessDeniedException)
            {
                return false;
            }
        }

        var termId = result.Terms[0].TermId;
        var views = services.GetRequiredService<ParentViewsStore>();
        foreach (var meeting in (await services.GetRequiredService<MeetingStore>().ForTermAsync(school, termId, default)).Where(m => m.Status == MeetingStatus.ParentChoosing))
        {
            ((await views.GetForPupilAsync(school, termId, meeting.Upn, default)).Count == 0 ? NeverChoseNoViews : NeverChoseWithViews).Add(meeting.Upn);
        }

        // Fridays from the first simulated day (2 November 2026) to the end of the autumn term.
        var slts = staff.Where(s => s.Is(StaffRole.SLT)).ToList();
        SltCount = slts.Count;
        for (var friday = new DateOnly(2026, 11, 6); friday <= new DateOnly(2026, 12, 18); friday = friday.AddDays(7))
        {
            var week = $"2026-W{System.Globalization.ISOWeek.GetWeekOfYear(friday.ToDateTime(TimeOnly.MinValue)):00}";
            foreach (var key in years.Where(y => y.AlertChannel is not null).Select(y => $"digest|{school}|{y.YearGroup.Code}|{week}")
                .Concat(slts.Select(m => $"digest|{school}|slt|{m.EntraObjectId}|{week}")))
            {
                DigestKeys.Add((week, key, rows.ContainsKey(TableKeys.Hash(key))));
            }
        }
        DigestCards = rows.Values.Count(r => r.GetString("Activity")?.Contains("plan meetings this week", StringComparison.Ordinal) == true);

        Sample = await services.GetRequiredService<ModerationService>().ForTermAsync(school, termId, default);
        var moderation = await services.GetRequiredService<TableStorage>().GetTableAsync(ModerationService.Table);
        var startedAt = (await moderation.GetEntityAsync<TableEntity>($"{school}|started", termId)).Value.GetDateTimeOffset("StartedAt")!.Value;
        var roster = services.GetRequiredService<RosterStore>();
        var pupils = (await roster.GetPupilsAsync(RosterReader.System("test"), school, false, default)).ToDictionary(p => p.Upn);
        ClassesWithPlansAtStart = (await roster.GetPlansAsync(RosterReader.System("test"), school, termId, default))
            .Where(p => p.Agreed is { } agreed && agreed.RecordedAt <= startedAt).Select(p => pupils[p.Upn].ClassName).ToHashSet(StringComparer.Ordinal);
        foreach (var item in Sample)
        {
            Moderated.Add((item.Outcome,
                slts.All(m => rows.ContainsKey(TableKeys.Hash($"moderation|{school}|{termId}|{item.Upn}|{m.EntraObjectId}"))),
                staff.Where(m => m.Classes.Contains(item.ClassName)).All(m => m.Is(StaffRole.Teacher) == rows.ContainsKey(TableKeys.Hash($"moderation-comment|{school}|{termId}|{item.Upn}|{m.EntraObjectId}")))));
        }

        foreach (var item in Items)
        {
            if (rows.TryGetValue(TableKeys.Hash($"followup|{school}|{item.Id}|channel"), out var post))
            {
                var year = years.Single(y => y.YearGroup.Code == item.YearGroup);
                Channels.Add((post.GetString("ConversationId") ?? "", year.AlertChannel!.Conversation.Id!));
                foreach (var lead in staff.Where(s => year.YearLeadEntraIds.Contains(s.EntraObjectId)))
                {
                    Reached.Add((item.Id, lead.EntraObjectId, "channel", await MayReadAsync(lead, item)));
                }
            }
            foreach (var member in staff)
            {
                foreach (var (key, how) in new[] { ($"followup|{school}|{item.Id}|senco|{member.EntraObjectId}", "senco"), ($"followup-escalated|{school}|{item.Id}|{member.EntraObjectId}", "escalated") })
                {
                    if (rows.ContainsKey(TableKeys.Hash(key)))
                    {
                        Reached.Add((item.Id, member.EntraObjectId, how, await MayReadAsync(member, item)));
                    }
                }
                if (!await MayReadAsync(member, item))
                {
                    Refusals++;
                }
            }
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>The year simulation's invariants (issue 7) on the real services and Azurite, and its command.</summary>
public sealed class YearSimulationTests(SmallSchoolTerm term) : IClassFixture<SmallSchoolTerm>
{
    private SimulationResult Result => term.Result;

    [Fact]
    public void RunAsync_SmallSchoolTerm_NoInvariantBroken()
    {
        Result.Violations.Should().BeEmpty();
        Result.Missed.Should().BeGreaterThan(5, "with a 30% miss rate the term must have misses to check");
    }

    [Fact]
    public void RunAsync_SmallSchoolTerm_EveryMissedMeetingHasExactlyOneAlert()
    {
        var missed = term.Items.Where(i => i.Reason == FollowUpReason.Missed).ToList();

        Result.Alerts.Should().Be(Result.Missed);
        missed.Should().HaveCount(Result.Missed);
        missed.Select(i => i.MeetingId).Should().OnlyHaveUniqueItems();
        term.Channels.Should().HaveCount(term.Items.Count, "each alert (missed meeting or no response) is queued once, in its year's channel");
    }

    [Fact]
    public void RunAsync_SmallSchoolTerm_OneNoResponseAlertPerParentWhoNeverAnswered()
    {
        var noResponse = term.Items.Where(i => i.Reason == FollowUpReason.NoResponse).ToList();
        var simulated = Result.Terms.Single();

        term.NeverChoseNoViews.Should().NotBeEmpty("1 parent in 10 never answers");
        term.NeverChoseWithViews.Should().NotBeEmpty("as many give views without choosing a time, and must not be alerted");
        noResponse.Select(i => i.Upn).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(term.NeverChoseNoViews);
        simulated.Silent.Should().Be(term.NeverChoseNoViews.Count);
        simulated.ViewsOnly.Should().Be(term.NeverChoseWithViews.Count);
        simulated.NoResponseAlerts.Should().Be(noResponse.Count);
        Result.NoResponseAlerts.Should().Be(noResponse.Count);
        noResponse.Should().OnlyContain(i => i.IsFinal);
    }

    [Fact]
    public void RunAsync_SmallSchoolTerm_OneDigestPerYearChannelAndSltMemberEachWeek()
    {
        var simulated = Result.Terms.Single();
        var perWeek = term.DigestKeys.Count / 7;

        term.DigestKeys.Select(k => k.Week).Distinct().Should().HaveCount(7, "seven Fridays from 6 November to 18 December");
        term.DigestKeys.Should().OnlyContain(k => k.Queued);
        term.SltCount.Should().BeGreaterThan(0);
        simulated.DigestWeeks.Should().Be(7);
        simulated.DigestsSent.Should().Be(term.DigestKeys.Count);
        term.DigestCards.Should().Be(term.DigestKeys.Count, "nothing but the one digest per channel and SLT member each week");
        perWeek.Should().BeGreaterThan(term.SltCount);
    }

    [Fact]
    public void RunAsync_SmallSchoolTerm_ModerationSamplesEveryClassWithPlansAndEveryPlanIsDecided()
    {
        var simulated = Result.Terms.Single();

        term.ClassesWithPlansAtStart.Should().NotBeEmpty();
        term.Sample.Select(m => m.ClassName).Should().Contain(term.ClassesWithPlansAtStart, "at least one plan from every class with agreed plans");
        term.Sample.Should().OnlyContain(m => m.Outcome == ModerationOutcome.Approved || m.Outcome == ModerationOutcome.NeedsChanges);
        term.Sample.Select(m => m.Outcome).Distinct().Should().HaveCount(2, "SLT ask for changes to 3 plans in 10");
        term.Moderated.Should().OnlyContain(m => m.CardToEverySlt);
        term.Moderated.Where(m => m.Outcome == ModerationOutcome.NeedsChanges).Should().NotBeEmpty().And.OnlyContain(m => m.CommentToEveryTeacher);
        simulated.Moderation.Sampled.Should().Be(term.Sample.Count);
        simulated.Moderation.Approved.Should().Be(term.Sample.Count(m => m.Outcome == ModerationOutcome.Approved));
        simulated.Moderation.NeedsChanges.Should().Be(term.Sample.Count(m => m.Outcome == ModerationOutcome.NeedsChanges));
    }

    [Fact]
    public void RunAsync_SmallSchoolTerm_EveryAlertEndsFinalOrEscalated()
    {
        term.Items.Should().OnlyContain(i => i.IsFinal);
        term.Items.Select(i => i.State).Distinct().Should().BeEquivalentTo([FollowUpState.Attended, FollowUpState.Declined, FollowUpState.Escalated],
            "half the follow-ups succeed, and the rest are declined or escalated");
        term.Items.Where(i => i.State == FollowUpState.Escalated).Should().OnlyContain(i => i.History.Any(h => h.Action == FollowUpAction.CouldNotReach));
    }

    [Fact]
    public void RunAsync_SmallSchoolTerm_AttendanceAfterFollowUpAtLeastBefore()
    {
        var simulated = Result.Terms.Should().ContainSingle().Subject;

        foreach (var year in simulated.Years.Where(y => y.AttendanceBefore is not null))
        {
            year.AttendanceAfter.Should().BeGreaterThanOrEqualTo(year.AttendanceBefore!.Value, year.Name);
        }
        simulated.Total.AttendanceAfter.Should().BeGreaterThan(simulated.Total.AttendanceBefore!.Value, "some rebooked meetings were attended");
        simulated.Total.Dashboard.Pupils.Should().Be(60);
        simulated.Total.Dashboard.FollowUps.Total.Should().Be(Result.Alerts + Result.NoResponseAlerts);
    }

    [Fact]
    public void RunAsync_SmallSchoolTerm_NoAlertReachesAnyoneWhoMayNotSeeThePupil()
    {
        term.Reached.Should().NotBeEmpty();
        term.Reached.Should().OnlyContain(r => r.MayRead);
        term.Reached.Should().Contain(r => r.How == "escalated", "escalations went to the SENCo and SLT");
        term.Channels.Should().OnlyContain(c => c.Posted == c.Expected, "an alert goes to its own pupil's year channel only");
        term.Refusals.Should().BeGreaterThan(0, "the rule refuses someone (a year lead of another year, a teacher of another class), so the check means something");
    }

    [Fact]
    public void RunAsync_SmallSchoolTerm_AlertsFromReportsWithinSweepIntervalPlusReportDelay()
    {
        Result.ReportLatency.Count.Should().BeGreaterThan(0);
        Result.ReportLatency.Max.Should().BeLessThanOrEqualTo(term.AlertWithin);
        Result.Latency.Median.Should().BeGreaterThan(TimeSpan.Zero);
    }

    [Fact]
    public void RunAsync_SmallSchoolTerm_RebookedMeetingsMovedThroughBookingsReschedule()
    {
        Result.Rescheduled.Should().BeGreaterThan(0);
        Result.RebookedDirectly.Should().Be(0, "inside the term the teacher finds a free slot and booking moves the event");
        Result.Meetings.Should().Be(60 - term.NeverChoseNoViews.Count - term.NeverChoseWithViews.Count + Result.Rescheduled, "a parent who never chose a time has no meeting to come to");
    }

    [Fact]
    public void RunAsync_Finished_DropsItsOwnTables()
    {
        term.TablesLeft.Should().BeEmpty("a simulation runs under a table prefix of its own and leaves nothing behind");
    }

    [Fact]
    public async Task RunAsync_SameSeedTwice_SameFigures()
    {
        var settings = SmallSchoolTerm.Settings with { Pupils = 30 };

        var first = await YearSimulation.RunAsync(settings, await SmallSchoolTerm.StorageAsync(), default);
        var second = await YearSimulation.RunAsync(settings, await SmallSchoolTerm.StorageAsync(), default);

        second.Terms.Should().BeEquivalentTo(first.Terms);
        second.Latency.Should().Be(first.Latency);
        second.Missed.Should().Be(first.Missed);
        second.NoResponseAlerts.Should().Be(first.NoResponseAlerts);
    }

    [Fact]
    public async Task CommandLine_SimulateYear_Exit0WithFiguresPerTermAndYearGroup()
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var services = new ServiceCollection().AddSingleton(await SmallSchoolTerm.StorageAsync()).BuildServiceProvider();

        var exit = await new CommandLine(services, output, error).RunAsync(["simulate-year", "--pupils", "20", "--terms", "1", "--seed", "3", "--miss-probability", "0.2", "--follow-up-success", "0.5"], default);

        exit.Should().Be(CommandLine.Ok, error.ToString());
        output.ToString().Should().Contain("Autumn term 2026-27").And.Contain("Whole school").And.Contain("Alert latency").And.Contain("No response by the deadline")
            .And.Contain("Weekly digest").And.Contain("SLT moderation").And.Contain("Invariants: all held");
    }

    [Theory]
    [InlineData("simulate-year", "--miss-probability", "2")]
    [InlineData("simulate-year", "--terms", "4")]
    [InlineData("simulate-year", "--no-response-probability", "0.6")]
    [InlineData("simulate-year", "--needs-changes-probability", "-1")]
    [InlineData("simulate-year", "--school", "a/b")]
    [InlineData("simulate-year", "--fast")]
    public async Task CommandLine_SimulateYearBadOption_Exit2WithUsage(params string[] args)
    {
        var error = new StringWriter();

        var exit = await new CommandLine(new ServiceCollection().BuildServiceProvider(), new StringWriter(), error).RunAsync(args, default);

        exit.Should().Be(CommandLine.Usage);
        error.ToString().Should().Contain("simulate-year [--school <id>]");
    }
}
