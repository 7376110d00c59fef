using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SendPlans.Bot.Booking;
using SendPlans.Bot.DataProtection;
using SendPlans.Bot.Roster;
using SendPlans.Cards.Booking;
using SendPlans.Infrastructure.Calendars.Local;
using SendPlans.Infrastructure.Storage;
using SendPlans.Tests.Support;
using static SendPlans.Tests.Booking.BookingSchool;

namespace SendPlans.Tests.Booking;

/// <summary>Erasure reaches the meetings: after it, no table of the bot's own holds the pupil.</summary>
public sealed class MeetingErasureTests : IAsyncLifetime
{
    /// <summary>
    /// Stand-ins for what leaves the bot: the Local provider's calendars and mail (Exchange in
    /// production) and delivered Teams messages. Erasure does not reach into those.
    /// </summary>
    private static readonly string[] Delivered = [LocalCalendarProvider.EventsTable, LocalCalendarProvider.BusyTable, LocalOutbox.Table, "ProactiveOutbox"];

    private BotFactory _bot = null!;

    public async Task InitializeAsync()
    {
        _bot = await BotFactory.StartAsync(settings: new() { ["Booking:RunJobs"] = "false" });
        await SeedAsync(_bot.Services);
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Erase_PupilWithBookedMeeting_NoMeetingRowOrTraceLeft()
    {
        await SayAsync(_bot, "book my plan meetings");
        await BookAllAsync(_bot);
        var rows = await OwnRowsAsync();
        rows.Should().Contain(r => r.Table.EndsWith(MeetingStore.Table, StringComparison.Ordinal) && r.Values.Any(v => v.Contains(Amelia)), "the check must see the meeting first");

        await _bot.Services.GetRequiredService<PupilErasure>().EraseAsync(RosterReader.System("test"), School, Amelia, default);

        (await OwnRowsAsync()).SelectMany(r => r.Values).Should().NotContain(v => v.Contains(Amelia) || v.Contains("Hartley") || v.Contains("hartley.home@example.com"));
        (await _bot.Services.GetRequiredService<MeetingStore>().ForTeacherAsync(School, TermId, TeacherId, default)).Should().HaveCount(3);
    }

    private async Task<List<(string Table, List<string> Values)>> OwnRowsAsync()
    {
        var options = _bot.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var service = new TableServiceClient(options.ConnectionString);
        var result = new List<(string, List<string>)>();
        await foreach (var table in service.QueryAsync(t => t.Name.CompareTo(options.TablePrefix) >= 0 && t.Name.CompareTo(options.TablePrefix + "~") < 0))
        {
            if (Delivered.Any(d => table.Name == options.TablePrefix + d))
            {
                continue;
            }
            await foreach (var row in service.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                result.Add((table.Name, [row.PartitionKey, row.RowKey, .. row.Select(kv => kv.Value?.ToString() ?? "")]));
            }
        }
        return result;
    }
}
