using System.Text.Json.Nodes;
using SendPlans.Cards.Model;

namespace SendPlans.Cards.Booking;

/// <summary>One pupil's line on the proposal card.</summary>
/// <param name="Key">The pupil's key the actions carry back (not shown).</param>
/// <param name="State">Proposed, ParentChoosing, LeftOut, Booked or Unplaced.</param>
/// <param name="Alternatives">Other times the teacher may pick: (title, value).</param>
public sealed record ProposalRow(
    string Key,
    string Pupil,
    string Parent,
    string When,
    string State,
    IReadOnlyList<string> Flags,
    IReadOnlyList<(string Title, string Value)> Alternatives,
    string? Note);

public sealed record ProposalCardInput(string TermId, string Heading, string Intro, IReadOnlyList<ProposalRow> Rows, string? Notice);

/// <summary>One meeting on a list (my meetings, this morning's list, unbooked pupils).</summary>
public sealed record MeetingRow(
    string Key,
    string When,
    string Pupil,
    string Detail,
    string? JoinUrl,
    string? ViewsUrl,
    IReadOnlyList<(string Title, string Value)> Alternatives);

public sealed record MeetingListCardInput(string TermId, string Heading, string Intro, IReadOnlyList<MeetingRow> Rows, string? Notice);

/// <summary>The cards of booking the termly plan meetings.</summary>
public static class BookingCards
{
    public const string BookAllVerb = "booking.bookAll";
    public const string ChangeSlotVerb = "booking.changeSlot";
    public const string LeaveOutVerb = "booking.leaveOut";
    public const string ParentChoosesVerb = "booking.parentChooses";
    public const string RescheduleVerb = "meetings.reschedule";
    public const string CancelVerb = "meetings.cancel";

    /// <summary>The proposal: one slot per pupil, with the teacher's choices, and Book all.</summary>
    public static AdaptiveCard Proposal(ProposalCardInput input)
    {
        var body = new List<CardElement> { TextBlock.Heading(input.Heading), new TextBlock(input.Intro) };
        if (input.Notice is not null)
        {
            body.Add(new TextBlock(input.Notice) { Color = TextColor.Attention, Id = "notice" });
        }
        foreach (var row in input.Rows)
        {
            body.Add(PupilBlock(input.TermId, row));
        }
        var bookable = input.Rows.Any(r => r.State is "Proposed" or "ParentChoosing");
        return new AdaptiveCard
        {
            Body = body,
            Actions = bookable
                ? [new ExecuteAction(BookAllVerb) { Title = "Book all", Style = "positive", Data = Data(input.TermId, null) }]
                : null,
            FallbackText = "Your proposed plan meetings. Open Teams to book them.",
        };
    }

    /// <summary>After Book all, and while it runs: each pupil's true state.</summary>
    public static AdaptiveCard BookingResult(ProposalCardInput input, bool canRetry)
    {
        var body = new List<CardElement> { TextBlock.Heading(input.Heading), new TextBlock(input.Intro) { Id = "summary" } };
        if (input.Notice is not null)
        {
            body.Add(new TextBlock(input.Notice) { Color = TextColor.Attention, Id = "notice" });
        }
        body.Add(new Table(
            [new TableColumn(3), new TableColumn(3), new TableColumn(3)],
            [
                Row(Bold("Pupil"), Bold("When"), Bold("State")),
                .. input.Rows.Select(r => Row(Plain(r.Pupil), Plain(r.When), Plain(r.Note ?? r.State))),
            ])
        { Id = "meetings" });
        return new AdaptiveCard
        {
            Body = body,
            Actions = canRetry ? [new ExecuteAction(BookAllVerb) { Title = "Try again", Data = Data(input.TermId, null) }] : null,
            FallbackText = input.Intro,
        };
    }

    /// <summary>The teacher's upcoming meetings, each with Reschedule and Cancel.</summary>
    public static AdaptiveCard MyMeetings(MeetingListCardInput input)
    {
        var body = new List<CardElement> { TextBlock.Heading(input.Heading), new TextBlock(input.Intro) };
        if (input.Notice is not null)
        {
            body.Add(new TextBlock(input.Notice) { Color = TextColor.Good, Id = "notice" });
        }
        foreach (var row in input.Rows)
        {
            var actions = new List<CardAction>();
            if (row.JoinUrl is not null)
            {
                actions.Add(new OpenUrlAction(row.JoinUrl) { Title = "Join" });
            }
            if (row.Alternatives.Count > 0)
            {
                actions.Add(new ShowCardAction(new AdaptiveCard
                {
                    MsTeams = null,
                    Body =
                    [
                        new ChoiceSetInput([.. row.Alternatives.Select(a => new Choice(a.Title, a.Value))])
                        {
                            Id = $"slot-{row.Key}", Label = "New time", IsRequired = true, ErrorMessage = "Choose a time.", Value = row.Alternatives[0].Value,
                        },
                    ],
                    Actions = [new ExecuteAction(RescheduleVerb) { Title = "Move the meeting", Data = Data(input.TermId, row.Key), AssociatedInputs = "auto" }],
                }) { Title = "Reschedule" });
            }
            actions.Add(new ShowCardAction(new AdaptiveCard
            {
                MsTeams = null,
                Body =
                [
                    new TextInput { Id = $"reason-{row.Key}", Label = "A short note for the parent (optional)", MaxLength = 300, IsMultiline = true },
                ],
                Actions = [new ExecuteAction(CancelVerb) { Title = "Cancel the meeting", Style = "destructive", Data = Data(input.TermId, row.Key), AssociatedInputs = "auto" }],
            }) { Title = "Cancel" });
            body.Add(new Container(
            [
                new TextBlock($"{row.When} · {row.Pupil}") { Weight = TextWeight.Bolder },
                TextBlock.Subtle(row.Detail),
                new ActionSet(actions),
            ]) { Separator = true, Spacing = Spacing.Medium, Id = $"meeting-{row.Key}" });
        }
        return new AdaptiveCard
        {
            Body = body,
            FallbackText = "Your upcoming plan meetings.",
        };
    }

    /// <summary>A list with no actions per row: this morning's meetings, or pupils still unbooked before the deadline.</summary>
    public static AdaptiveCard MeetingList(MeetingListCardInput input, string? command)
    {
        var body = new List<CardElement> { TextBlock.Heading(input.Heading), new TextBlock(input.Intro) };
        foreach (var row in input.Rows)
        {
            var items = new List<CardElement>
            {
                new TextBlock(row.When.Length > 0 ? $"{row.When} · {row.Pupil}" : row.Pupil) { Weight = TextWeight.Bolder },
                TextBlock.Subtle(row.Detail),
            };
            var links = new List<CardAction>();
            if (row.JoinUrl is not null)
            {
                links.Add(new OpenUrlAction(row.JoinUrl) { Title = "Join the meeting" });
            }
            if (row.ViewsUrl is not null)
            {
                links.Add(new OpenUrlAction(row.ViewsUrl) { Title = "Parent's and pupil's views" });
            }
            if (links.Count > 0)
            {
                items.Add(new ActionSet(links));
            }
            body.Add(new Container(items) { Separator = true, Id = $"row-{row.Key}" });
        }
        return new AdaptiveCard
        {
            Body = body,
            Actions = command is null ? null : [ImBack(command)],
            FallbackText = input.Intro,
        };
    }

    private static Container PupilBlock(string termId, ProposalRow row)
    {
        var items = new List<CardElement>
        {
            new ColumnSet(
            [
                new Column([new TextBlock(row.Pupil) { Weight = TextWeight.Bolder }, TextBlock.Subtle(row.Parent)]) { Width = "stretch" },
                new Column([new TextBlock(row.When) { HorizontalAlignment = HorizontalAlignment.Right }]) { Width = "auto" },
            ]),
        };
        if (row.Flags.Count > 0)
        {
            items.Add(new TextBlock(string.Join(" · ", row.Flags)) { Color = TextColor.Warning, Size = TextSize.Small });
        }
        if (row.Note is not null)
        {
            items.Add(new TextBlock(row.Note) { Size = TextSize.Small, IsSubtle = true });
        }
        var actions = new List<CardAction>();
        if (row.State is "Proposed" or "ParentChoosing" && row.Alternatives.Count > 0)
        {
            actions.Add(new ShowCardAction(new AdaptiveCard
            {
                MsTeams = null,
                Body =
                [
                    new ChoiceSetInput([.. row.Alternatives.Select(a => new Choice(a.Title, a.Value))])
                    {
                        Id = $"slot-{row.Key}", Label = "Another time", IsRequired = true, ErrorMessage = "Choose a time.", Value = row.Alternatives[0].Value,
                    },
                ],
                Actions = [new ExecuteAction(ChangeSlotVerb) { Title = "Use this time", Data = Data(termId, row.Key), AssociatedInputs = "auto" }],
            }) { Title = "Change time" });
        }
        if (row.State is "Proposed" or "ParentChoosing" or "Unplaced")
        {
            actions.Add(new ShowCardAction(new AdaptiveCard
            {
                MsTeams = null,
                Body =
                [
                    new TextInput
                    {
                        Id = $"reason-{row.Key}", Label = "Why leave this pupil out this time?", IsRequired = true,
                        ErrorMessage = "Give a short reason.", MaxLength = 200, Placeholder = "For example: meeting already held with the SENCo",
                    },
                ],
                Actions = [new ExecuteAction(LeaveOutVerb) { Title = "Leave out", Data = Data(termId, row.Key), AssociatedInputs = "auto" }],
            }) { Title = "Leave out" });
        }
        if (row.State == "Proposed")
        {
            actions.Add(new ExecuteAction(ParentChoosesVerb) { Title = "Let the parent choose", Data = Data(termId, row.Key) });
        }
        if (actions.Count > 0)
        {
            items.Add(new ActionSet(actions));
        }
        return new Container(items) { Separator = true, Spacing = Spacing.Medium, Id = $"pupil-{row.Key}" };
    }

    private static JsonObject Data(string termId, string? key)
    {
        var data = new JsonObject { ["term"] = termId };
        if (key is not null)
        {
            data["pupil"] = key;
        }
        return data;
    }

    private static SubmitAction ImBack(string command) => new()
    {
        Title = char.ToUpperInvariant(command[0]) + command[1..],
        Data = new JsonObject { ["msteams"] = new JsonObject { ["type"] = "imBack", ["value"] = command } },
    };

    private static TableRow Row(params TableCell[] cells) => new(cells);

    private static TableCell Bold(string text) => new([new TextBlock(text) { Weight = TextWeight.Bolder }]);

    private static TableCell Plain(string text) => new([new TextBlock(text)]);
}
