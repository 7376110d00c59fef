using System.Globalization;
using SendPlans.Cards.Model;

namespace SendPlans.Cards.Reports;

/// <summary>
/// The whole-school figures of the term dashboard, already counted. Percentages are null when there is nothing to divide by.
/// <see cref="VoiceNotShown"/>: why pupil voice is left out for this reader (an admin does not read plans), or null to show it.
/// </summary>
public sealed record DashboardSummaryInput(
    string SchoolName,
    string TermTitle,
    int Pupils,
    int Booked,
    int Held,
    int Missed,
    int FollowedUp,
    int FollowUpsOpen,
    double? AttendancePercent,
    double GoalPercent,
    double? ViewsPercent,
    double? VoicePercent,
    string DashboardUrl)
{
    public string? VoiceNotShown { get; init; }

    /// <summary>How many staff the bot cannot reach in Teams and what to do, or null when it reaches everyone.</summary>
    public string? Unreachable { get; init; }
}

public static class ReportCards
{
    /// <summary>The summary card of the term dashboard, with a button to the page and its charts per year group.</summary>
    public static AdaptiveCard DashboardSummary(DashboardSummaryInput input)
    {
        var attendance = Percent(input.AttendancePercent);
        var belowGoal = input.AttendancePercent is { } a && a < input.GoalPercent;
        return new AdaptiveCard
        {
            Body =
            [
                TextBlock.Heading($"{input.SchoolName}: term dashboard"),
                TextBlock.Subtle(input.TermTitle),
                new FactSet(
                [
                    new Fact("Pupils on the SEN register", Count(input.Pupils)),
                    new Fact("Meetings booked", Count(input.Booked)),
                    new Fact("Held (parent attended)", Count(input.Held)),
                    new Fact("Missed", Count(input.Missed)),
                    new Fact("Followed up", $"{Count(input.FollowedUp)} ({Count(input.FollowUpsOpen)} still open)"),
                    new Fact("Parents' views returned", Percent(input.ViewsPercent)),
                    new Fact("Pupil voice captured", input.VoiceNotShown is null ? Percent(input.VoicePercent) : "not shown"),
                ]) { Id = "figures" },
                new TextBlock($"Attendance {attendance} against a goal of {input.GoalPercent.ToString("0.#", CultureInfo.InvariantCulture)}%.")
                {
                    Weight = TextWeight.Bolder,
                    Separator = true,
                    Color = input.AttendancePercent is null ? null : belowGoal ? TextColor.Attention : TextColor.Good,
                    Id = "attendance",
                },
                .. input.VoiceNotShown is { } why ? [TextBlock.Subtle(why) with { Id = "voice-not-shown" }] : Array.Empty<CardElement>(),
                .. input.Unreachable is { } unreachable ? [new TextBlock(unreachable) { Color = TextColor.Attention, Id = "unreachable" }] : Array.Empty<CardElement>(),
            ],
            Actions = [new OpenUrlAction(input.DashboardUrl) { Title = "Open the dashboard" }],
            FallbackText = $"{input.SchoolName} term dashboard: {input.Booked} booked, {input.Held} held, {input.Missed} missed, attendance {attendance}.",
        };
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Percent(double? p) => p is { } v ? v.ToString("0.#", CultureInfo.InvariantCulture) + "%" : "none yet";
}
