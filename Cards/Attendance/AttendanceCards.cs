using System.Text.Json.Nodes;
using SendPlans.Cards.Model;

namespace SendPlans.Cards.Attendance;

/// <summary>One line of a follow-up's history: when, who, what.</summary>
public sealed record FollowUpHistoryLine(string When, string Who, string What);

/// <summary>
/// What the year lead's alert shows: only what a year lead may see of a pupil in their year
/// (name, class, teacher, what happened, earlier misses, interpreter, how the parent prefers contact).
/// </summary>
public sealed record FollowUpAlertInput(
    string SchoolId,
    string FollowUpId,
    string PupilName,
    string ClassName,
    string TeacherName,
    string WhatHappened,
    int EarlierMisses,
    bool InterpreterNeeded,
    string? Language,
    string ContactPreference,
    string State,
    string? ClaimedBy,
    bool IsFinal,
    IReadOnlyList<FollowUpHistoryLine> History);

/// <summary>The one-tap question to the teacher after a meeting the report could not settle.</summary>
public sealed record AttendanceQuestionInput(string SchoolId, string MeetingId, string PupilName, string When, string Why, string? Answer);

/// <summary>A week in one year group (or the whole school, for SLT).</summary>
public sealed record DigestInput(
    string Title,
    string Week,
    int Held,
    int Missed,
    int NotYetKnown,
    int ViewsOutstanding,
    int DaysToDeadline,
    IReadOnlyList<DigestFollowUpLine> OpenFollowUps);

/// <summary>One open follow-up: the pupil and class, who has it (or nobody), and whether it is overdue.</summary>
public sealed record DigestFollowUpLine(string Pupil, string State, string? Who, int DaysOpen, bool Overdue);

/// <summary>A sampled plan for an SLT reviewer; <paramref name="Outcome"/> is set once reviewed.</summary>
public sealed record ModerationInput(string SchoolId, string TermId, string Upn, string PupilName, string ClassName, IReadOnlyList<string> Targets, string? Outcome);

public static class AttendanceCards
{
    public const string ApproveVerb = "moderation.approve";
    public const string NeedsChangesVerb = "moderation.changes";

    public const string ClaimVerb = "followup.claim";
    public const string RebookVerb = "followup.rebook";

    /// <summary>The day and time the year lead agreed with the parent, if they did: optional, sent with the rebook.</summary>
    public const string RebookDayInput = "rebookDay";
    public const string RebookTimeInput = "rebookTime";
    public const string DeclineVerb = "followup.decline";
    public const string CouldNotReachVerb = "followup.unreached";
    public const string AttendanceVerb = "attendance.answer";

    /// <summary>The answers a teacher can give, in the order shown: value and label.</summary>
    public static IReadOnlyList<(string Value, string Title)> AttendanceAnswers { get; } =
    [
        ("Attended", "Attended"),
        ("DidNotAttend", "Did not attend"),
        ("RearrangedByParent", "Rearranged by parent"),
        ("CancelledBySchool", "Cancelled by school"),
    ];

    public static AdaptiveCard FollowUpAlert(FollowUpAlertInput input)
    {
        var body = new List<CardElement>
        {
            TextBlock.Heading($"Follow up: {input.PupilName}"),
            new TextBlock(input.WhatHappened) { Color = input.IsFinal ? null : TextColor.Attention },
            new FactSet(
            [
                new Fact("Class", input.ClassName),
                new Fact("Teacher", input.TeacherName),
                new Fact("Earlier misses", input.EarlierMisses == 0 ? "None this year" : input.EarlierMisses.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Fact("Interpreter", input.InterpreterNeeded ? $"Needed ({input.Language ?? "language not given"})" : "Not needed"),
                new Fact("Contact", input.ContactPreference),
                new Fact("Status", input.ClaimedBy is null ? input.State : $"{input.State} · {input.ClaimedBy} has it"),
            ]) { Id = "facts" },
        };
        if (input.History.Count > 0)
        {
            body.Add(new TextBlock("History") { Weight = TextWeight.Bolder, Separator = true });
            body.AddRange(input.History.Select(h => new TextBlock($"{h.When} · {h.Who}: {h.What}") { Size = TextSize.Small, Spacing = Spacing.None, Wrap = true }));
        }
        var data = Data(input.SchoolId, input.FollowUpId);
        var actions = new List<CardAction>();
        if (!input.IsFinal && input.ClaimedBy is null)
        {
            actions.Add(new ExecuteAction(ClaimVerb) { Title = "I'll follow up", Style = "positive", Data = data });
        }
        if (!input.IsFinal)
        {
            actions.AddRange(
        [
            new ShowCardAction(new AdaptiveCard
            {
                MsTeams = null,
                Body =
                [
                    new TextBlock("If you agreed a new time with the parent, say when: the teacher is asked to move the meeting to it."),
                    new DateInput { Id = RebookDayInput, Label = "Day the parent can come (optional)" },
                    new TimeInput { Id = RebookTimeInput, Label = "Time (optional)" },
                ],
                Actions = [new ExecuteAction(RebookVerb) { Title = "Ask the teacher to rebook", Data = data, AssociatedInputs = "auto" }],
            }) { Title = "Contacted — rebook" },
            new ShowCardAction(new AdaptiveCard
            {
                MsTeams = null,
                Body = [new TextInput { Id = "reason", Label = "Why did the parent decline?", IsMultiline = true, IsRequired = true, ErrorMessage = "Say why, in a few words.", MaxLength = 500 }],
                Actions = [new ExecuteAction(DeclineVerb) { Title = "Record the decline", Data = data, AssociatedInputs = "auto" }],
            }) { Title = "Contacted — declined" },
            new ExecuteAction(CouldNotReachVerb) { Title = "Could not reach", Data = data },
        ]);
        }
        return new AdaptiveCard
        {
            Body = body,
            Actions = actions.Count > 0 ? actions : null,
            FallbackText = $"Follow up needed for a pupil in {input.ClassName}. Open Teams to see it.",
        };
    }

    public static AdaptiveCard AttendanceQuestion(AttendanceQuestionInput input)
    {
        var body = new List<CardElement>
        {
            TextBlock.Heading($"Did the parent attend? {input.PupilName}"),
            TextBlock.Subtle(input.When),
            new TextBlock(input.Why) { Wrap = true },
        };
        if (input.Answer is not null)
        {
            body.Add(new TextBlock($"Recorded: {input.Answer}. Thank you.") { Weight = TextWeight.Bolder, Color = TextColor.Good });
        }
        return new AdaptiveCard
        {
            Body = body,
            Actions = input.Answer is not null ? null :
                [.. AttendanceAnswers.Select(a => new ExecuteAction(AttendanceVerb)
                {
                    Title = a.Title,
                    Data = new JsonObject { ["school"] = input.SchoolId, ["meeting"] = input.MeetingId, ["answer"] = a.Value },
                })],
            FallbackText = "Did the parent attend the plan meeting? Open Teams to answer.",
        };
    }

    /// <summary>The weekly minutes of seed 002, automated: held, missed, open follow-ups and who has them.</summary>
    public static AdaptiveCard WeeklyDigest(DigestInput input)
    {
        var body = new List<CardElement>
        {
            TextBlock.Heading(input.Title),
            TextBlock.Subtle(input.Week),
            new FactSet(
            [
                new Fact("Meetings held", input.Held.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Fact("Missed", input.Missed.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Fact("Waiting for the teacher's answer", input.NotYetKnown.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Fact("Parents' views outstanding", input.ViewsOutstanding.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Fact("Days to the deadline", input.DaysToDeadline < 0 ? "Passed" : input.DaysToDeadline.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ]) { Id = "week" },
            new TextBlock(input.OpenFollowUps.Count == 0 ? "No open follow-ups." : $"Open follow-ups ({input.OpenFollowUps.Count})") { Weight = TextWeight.Bolder, Separator = true, Id = "followups" },
        };
        // Only "Overdue" stands out, so the line stays easy to read.
        body.AddRange(input.OpenFollowUps.OrderByDescending(f => f.Overdue).ThenByDescending(f => f.DaysOpen).Take(MaxDigestRows).Select(f => new RichTextBlock(
        [
            .. f.Overdue ? [new TextRun("Overdue") { Size = TextSize.Small, Weight = TextWeight.Bolder, Color = TextColor.Attention }, new TextRun(" · ") { Size = TextSize.Small }] : Array.Empty<TextRun>(),
            new TextRun($"{f.Pupil}: {f.State}, {(f.Who is null ? "nobody has it yet" : $"{f.Who} has it")} ({f.DaysOpen} day{(f.DaysOpen == 1 ? "" : "s")})") { Size = TextSize.Small },
        ]) { Spacing = Spacing.None }));
        if (input.OpenFollowUps.Count > MaxDigestRows)
        {
            body.Add(TextBlock.Subtle($"and {input.OpenFollowUps.Count - MaxDigestRows} more"));
        }
        return new AdaptiveCard { Body = body, FallbackText = $"{input.Title}: {input.Held} held, {input.Missed} missed, {input.OpenFollowUps.Count} open follow-ups." };
    }

    /// <summary>SLT moderation of one sampled plan: Approved, or Needs changes with a comment for the teacher.</summary>
    public static AdaptiveCard Moderation(ModerationInput input)
    {
        var body = new List<CardElement>
        {
            TextBlock.Heading($"Moderate: {input.PupilName}'s plan"),
            TextBlock.Subtle($"Class {input.ClassName} · sampled for moderation after the deadline"),
        };
        body.AddRange(input.Targets.Select((t, i) => new TextBlock($"{i + 1}. {t}") { Spacing = Spacing.Small }));
        if (input.Outcome is not null)
        {
            body.Add(new TextBlock($"Recorded: {input.Outcome}.") { Weight = TextWeight.Bolder, Color = TextColor.Good, Separator = true });
        }
        var data = new JsonObject { ["school"] = input.SchoolId, ["term"] = input.TermId, ["pupil"] = input.Upn };
        return new AdaptiveCard
        {
            Body = body,
            Actions = input.Outcome is not null ? null :
            [
                new ExecuteAction(ApproveVerb) { Title = "Approved", Style = "positive", Data = data },
                new ShowCardAction(new AdaptiveCard
                {
                    MsTeams = null,
                    Body = [new TextInput { Id = "comment", Label = "What should the teacher change?", IsMultiline = true, IsRequired = true, ErrorMessage = "Write a comment for the teacher.", MaxLength = 1000 }],
                    Actions = [new ExecuteAction(NeedsChangesVerb) { Title = "Send to the teacher", Data = (JsonObject)data.DeepClone(), AssociatedInputs = "auto" }],
                }) { Title = "Needs changes" },
            ],
            FallbackText = "A plan to moderate. Open Teams to review it.",
        };
    }

    /// <summary>Rows in a digest; the rest are counted.</summary>
    public const int MaxDigestRows = 25;

    private static JsonObject Data(string schoolId, string followUpId) => new() { ["school"] = schoolId, ["item"] = followUpId };
}
