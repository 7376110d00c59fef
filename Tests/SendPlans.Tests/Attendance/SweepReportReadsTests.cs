using Microsoft.Extensions.DependencyInjection;
using SendPlans.Bot.Attendance;
using SendPlans.Bot.Booking;
using SendPlans.Bot.Simulation;
using SendPlans.Infrastructure.Calendars;

namespace SendPlans.Tests.Attendance;

/// <summary>
/// The sweep reads the due Teams reports a few at a time (a backlog is not three Graph round
/// trips per meeting in a row), on the real services and Azurite under their own tables.
/// </summary>
public sealed class SweepReportReadsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 18, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Sweep_TwelveReportsDue_ReadAtMostFourAtOnceAndAllSettled()
    {
        var reports = new SlowReports();
        await using var host = await HostWithMeetingsAsync(reports, 12);

        var counts = await host.Services.GetRequiredService<AttendanceService>().SweepAsync(default);

        counts.SettledByReport.Should().Be(12);
        reports.Reads.Should().Be(12);
        reports.MostAtOnce.Should().BeInRange(2, AttendanceService.ReportReaders);
    }

    [Fact]
    public async Task Sweep_AReadFailsOnce_ReadAgainInOrderAndSettled()
    {
        var reports = new SlowReports { FailFirst = 1 };
        await using var host = await HostWithMeetingsAsync(reports, 6);

        var counts = await host.Services.GetRequiredService<AttendanceService>().SweepAsync(default);

        counts.SettledByReport.Should().Be(6);
        reports.Reads.Should().Be(7, "the failed read is made once more");
    }

    [Fact]
    public async Task Sweep_AReadKeepsFailing_PassFailsAsBefore()
    {
        var reports = new SlowReports { FailFirst = int.MaxValue };
        await using var host = await HostWithMeetingsAsync(reports, 3);

        var sweep = () => host.Services.GetRequiredService<AttendanceService>().SweepAsync(default);

        await sweep.Should().ThrowAsync<HttpRequestException>();
    }

    private static async Task<SimulationHost> HostWithMeetingsAsync(SlowReports reports, int count)
    {
        var host = SimulationHost.Build(await SmallSchoolTerm.StorageAsync(), new SimulationClock(Now), services: s => s.AddSingleton<IMeetingAttendance>(reports));
        var meetings = host.Services.GetRequiredService<MeetingStore>();
        for (var i = 0; i < count; i++)
        {
            var start = Now.AddHours(-2).AddMinutes(i);
            await meetings.CreateAsync(new MeetingRecord("sweep", "2026-27-autumn", $"A82320412{i:0000}", "teacher", "teacher@oakfield.example.org")
            {
                Status = MeetingStatus.Booked,
                Slot = new SlotTimes(start, start.AddMinutes(15)),
                EventId = $"event-{i}",
                JoinUrl = $"https://teams.microsoft.com/l/meetup-join/sweep-{i}",
            }, default);
        }
        return host;
    }

    /// <summary>Reports that take 50 ms each (everyone attended) and count how many were read at once.</summary>
    private sealed class SlowReports : IMeetingAttendance
    {
        private int _running, _reads;

        public int FailFirst { get; init; }
        public int MostAtOnce { get; private set; }
        public int Reads => Volatile.Read(ref _reads);

        public async Task<MeetingAttendanceReport> GetAttendanceAsync(string organizer, string joinUrl, CancellationToken cancellationToken)
        {
            var read = Interlocked.Increment(ref _reads);
            var running = Interlocked.Increment(ref _running);
            lock (this)
            {
                MostAtOnce = Math.Max(MostAtOnce, running);
            }
            try
            {
                await Task.Delay(50, cancellationToken);
                return read <= FailFirst
                    ? throw new HttpRequestException("Graph is unavailable")
                    : new MeetingAttendanceReport(AttendanceReportStatus.Found, [new AttendeeRecord("teacher@oakfield.example.org", null, TimeSpan.FromMinutes(15))]);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }
}
