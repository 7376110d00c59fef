using System.Globalization;
using System.Text;

namespace SendPlans.Bot.Simulation;

/// <summary>The simulation's figures as text: per term and year group, then the year and the invariants. No pupil data.</summary>
public static class SimulationReport
{
    public static string ToText(SimulationResult r)
    {
        var s = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        s.AppendLine(c, $"Simulated year of school '{r.Settings.SchoolId}': {r.Terms.Count} term(s), seed {r.Settings.Seed}, miss probability {r.Settings.MissProbability:0.###}, follow-up success {r.Settings.FollowUpSuccess:0.###}, " +
            $"no-response probability {r.Settings.NoResponseProbability:0.###}, needs-changes probability {r.Settings.NeedsChangesProbability:0.###}");
        s.AppendLine(c, $"Simulated clock {r.SimulatedFrom:yyyy-MM-dd} to {r.SimulatedTo:yyyy-MM-dd}; {r.Sweeps} sweeps; {r.Elapsed.TotalSeconds:0.0} s of wall time.");
        s.AppendLine("Alerts are counted as queued in the proactive outbox (no Teams connection). Attendance: before = first meetings, after = the dashboard's (a miss made good by the rebooked meeting counts as held).");
        foreach (var term in r.Terms)
        {
            s.AppendLine();
            s.AppendLine(term.Title);
            s.AppendLine("year group     pupils meetings before  after   alerts open claimed rebooked attended declined escalated latency median  max");
            foreach (var y in term.Years.Append(term.Total))
            {
                var f = y.Dashboard.FollowUps;
                s.AppendLine(c, $"{y.Name,-14} {y.Pupils,6} {y.Meetings,8} {Percent(y.AttendanceBefore),6} {Percent(y.AttendanceAfter),6} {y.Alerts,8} {f.Open,4} {f.Claimed,7} {f.Rebooked,8} {f.Attended,8} {f.Declined,8} {f.Escalated,9} {Minutes(y.Latency.Median),14} {Minutes(y.Latency.Max),4}");
            }
            s.AppendLine(c, $"No response by the deadline: {term.Silent} parent(s) neither chose a time nor gave views, {term.NoResponseAlerts} no-response alert(s); {term.ViewsOnly} gave views without choosing a time (no alert).");
            s.AppendLine(c, $"Weekly digest: {term.DigestsSent} queued over {term.DigestWeeks} week(s) (each year channel and each SLT member, once a week).");
            var m = term.Moderation;
            s.AppendLine(c, $"SLT moderation: {m.Sampled} of {term.AgreedPlans} agreed plans sampled, from {term.ClassesSampled} of the {term.ClassesWithPlans} classes with agreed plans; {m.Approved} approved, {m.NeedsChanges} needs changes, {m.Sampled - m.Approved - m.NeedsChanges} awaiting.");
        }
        s.AppendLine();
        s.AppendLine(c, $"The year: {r.Meetings} meetings (first and rebooked), {r.Missed} missed, {r.Alerts} alerts, {r.NoResponseAlerts} no-response alerts; {r.Rescheduled} meetings moved through booking's reschedule, {r.RebookedDirectly} in the store directly (past the term, or no free slot).");
        s.AppendLine(c, $"Alert latency (missed meeting's end to the alert queued): median {Minutes(r.Latency.Median)}, max {Minutes(r.Latency.Max)} over {r.Latency.Count} alerts; " +
            $"from a Teams report median {Minutes(r.ReportLatency.Median)}, max {Minutes(r.ReportLatency.Max)} ({r.ReportLatency.Count}); " +
            $"from the teacher's answer (in person) median {Minutes(r.TeacherLatency.Median)}, max {Minutes(r.TeacherLatency.Max)} ({r.TeacherLatency.Count}).");
        s.AppendLine(c, $"Recipients checked against the roster's access rule: {r.RecipientsChecked}.");
        if (r.Violations.Count == 0)
        {
            s.AppendLine("Invariants: all held (one alert per missed meeting, one no-response alert per parent who never answered and none for others, every alert final, " +
                "attendance after >= before, no alert to anyone who may not see the pupil, one digest per year channel and SLT member each week, " +
                "a moderation sample from every class with agreed plans, every sampled plan approved or needing changes).");
        }
        else
        {
            s.AppendLine(c, $"Invariants: {r.Violations.Count} broken:");
            foreach (var v in r.Violations.Take(50))
            {
                s.AppendLine("  " + v);
            }
        }
        return s.ToString();
    }

    private static string Percent(double? p) => p is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + "%" : "–";

    private static string Minutes(TimeSpan t) => t.TotalMinutes.ToString("0", CultureInfo.InvariantCulture) + "m";
}
