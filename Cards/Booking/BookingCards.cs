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
    IReadOnlyList<(string Title, string Value)> Alternatives,
    string? PlanCommand = null);

public sealed record MeetingListCardInput(string TermId, string Heading, string Intro, IReadOnlyList<MeetingRow> Rows, string? Notice);

/// <summary>Moving one booked meeting: its current time and the times it may move to.</summary>
/// <param name="Key">The pupil's key the Move action carries back with the time (not shown).</param>
/// <param name="Times">The times to choose from: (title, value); empty while looking or when none is free.</param>
/// <param name="Notice">Why the times are not fresh, or that none is left; null when all is well.</param>
public sealed record RescheduleCardInput(
    string TermId,
    string Key,
    string Pupil,
    string Detail,
    string Current,
    string Intro,
    IReadOnlyList<(string Title, string Value)> Times,
    string? Notice);

/// <summary>The cards of booking the termly plan meetings.</summary>
public static class BookingCards
{
    public const string BookAllVerb = "booking.bookAll";
    public const string ChangeSlotVerb = "booking.changeSlot";
    public const string LeaveOutVerb = "booking.leaveOut";
    public const string ParentChoosesVerb = "booking.parentChooses";
    public const string RescheduleVerb = "meetings.reschedule";
    public const string CancelVerb = "meetings.cancel";
    public const string RescheduleTimesVerb = "meetings.rescheduleTimes";

    /// <summary>Input ids the card actions send back.</summary>
    public const string SlotInput = "slot";
    public const string PupilInput = "pupil";
    public const string OfferPupilInput = "offerPupil";
    public const string ReasonInput = "reason";
    public const string MovePupilInput = "movePupil";

    /// <summary>
    /// The proposal: one line per pupil, then the teacher's choices as card-level actions (change a
    /// time, leave a pupil out, let a parent choose) and Book all. Choices name the pupil in a list
    /// rather than repeating buttons on every line, so a class of 30 stays under Teams' 28 KB.
    /// </summary>
    public static AdaptiveCard Proposal(ProposalCardInput input)
    {
        var body = new List<CardElement> { TextBlock.Heading(input.Heading), new TextBlock(input.Intro) };
        if (input.Notice is not null)
        {
            body.Add(new TextBlock(input.Notice) { Color = TextColor.Attention, Id = "notice" });
        }
        foreach (var row in input.Rows)
        {
            body.Add(PupilBlock(row));
        }
        var open = input.Rows.Where(r => r.State is "Proposed" or "ParentChoosing").ToList();
        var actions = new List<CardAction>();
        if (open.Count > 0)
        {
            actions.Add(new ExecuteAction(BookAllVerb) { Title = "Book all", Style = "positive", Data = Data(input.TermId, null) });
        }
        var times = open.SelectMany(r => r.Alternatives.Select(a => new Choice($"{r.Pupil}: {a.Title}", $"{r.Key}|{a.Value}"))).ToList();
        if (times.Count > 0)
        {
            actions.Add(Choose("Change time", ChangeSlotVerb, input.TermId,
                new ChoiceSetInput(times) { Id = SlotInput, Label = "Pupil and new time", IsRequired = true, ErrorMessage = "Choose a time.", Value = times[0].Value }));
        }
        var canLeave = input.Rows.Where(r => r.State is "Proposed" or "ParentChoosing" or "Unplaced").ToList();
        if (canLeave.Count > 0)
        {
            actions.Add(Choose("Leave out", LeaveOutVerb, input.TermId,
                Pupils(canLeave),
                new TextInput
                {
                    Id = ReasonInput, Label = "Why leave this pupil out this time?", IsRequired = true,
                    ErrorMessage = "Give a short reason.", MaxLength = 200, Placeholder = "For example: meeting already held with the SENCo",
                }));
        }
        var canOffer = input.Rows.Where(r => r.State == "Proposed").ToList();
        if (canOffer.Count > 0)
        {
            actions.Add(Choose("Parent chooses", ParentChoosesVerb, input.TermId, Pupils(canOffer) with { Id = OfferPupilInput },
                TextBlock.Subtle("The parent is offered three times, at least one before or after the working day, and picks one from the link in the invitation.")));
        }
        return new AdaptiveCard
        {
            Body = body,
            Actions = actions.Count > 0 ? actions : null,
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

    /// <summary>The teacher's upcoming meetings, each with its join link; Reschedule and Cancel below, choosing the meeting from a list.</summary>
    public static AdaptiveCard MyMeetings(MeetingListCardInput input)
    {
        var body = new List<CardElement> { TextBlock.Heading(input.Heading), new TextBlock(input.Intro) };
        if (input.Notice is not null)
        {
            body.Add(new TextBlock(input.Notice) { Color = TextColor.Good, Id = "notice" });
        }
        foreach (var row in input.Rows)
        {
            var items = new List<CardElement>
            {
                new TextBlock($"{row.When} · {row.Pupil}") { Weight = TextWeight.Bolder },
                TextBlock.Subtle(row.Detail),
            };
            if (row.JoinUrl is not null)
            {
                items.Add(new ActionSet([new OpenUrlAction(row.JoinUrl) { Title = "Join" }]));
            }
            body.Add(new Container(items) { Separator = true, Spacing = Spacing.Medium, Id = $"meeting-{row.Key}" });
        }
        var actions = new List<CardAction>();
        if (input.Rows.Count > 0)
        {
            // The times are found when the meeting is picked, so they are free in the calendar now.
            actions.Add(new ShowCardAction(new AdaptiveCard
            {
                MsTeams = null,
                Body =
                [
                    new ChoiceSetInput([.. input.Rows.Select(r => new Choice($"{r.Pupil}: {r.When}", r.Key))])
                    {
                        Id = MovePupilInput, Label = "Meeting to move", IsRequired = true, ErrorMessage = "Choose a meeting.", Value = input.Rows[0].Key,
                    },
                ],
                Actions = [new ExecuteAction(RescheduleTimesVerb) { Title = "Find free times", Data = Data(input.TermId, null), AssociatedInputs = "auto" }],
            })
            { Title = "Reschedule" });
        }
        if (input.Rows.Count > 0)
        {
            actions.Add(Choose("Cancel a meeting", CancelVerb, input.TermId,
                new ChoiceSetInput([.. input.Rows.Select(r => new Choice($"{r.Pupil}: {r.When}", r.Key))])
                {
                    Id = PupilInput, Label = "Meeting", IsRequired = true, ErrorMessage = "Choose a meeting.", Value = input.Rows[0].Key,
                },
                new TextInput { Id = ReasonInput, Label = "A short note for the parent (optional)", MaxLength = 300, IsMultiline = true }));
        }
        return new AdaptiveCard
        {
            Body = body,
            Actions = actions.Count > 0 ? actions : null,
            FallbackText = "Your upcoming plan meetings.",
        };
    }

    /// <summary>
    /// One meeting to move: the time now, then the times it may move to (found in the teacher's
    /// calendar when the card was asked for) and Move. While the calendar is asked, and when no time
    /// is left, the card has no times and no Move.
    /// </summary>
    public static AdaptiveCard Reschedule(RescheduleCardInput input)
    {
        var body = new List<CardElement>
        {
            TextBlock.Heading("Move a plan meeting"),
            new TextBlock(input.Pupil) { Weight = TextWeight.Bolder, Spacing = Spacing.Medium },
            TextBlock.Subtle(input.Detail),
            new TextBlock($"Now: {input.Current}") { Id = "current" },
        };
        if (input.Notice is not null)
        {
            body.Add(new TextBlock(input.Notice) { Color = TextColor.Attention, Id = "notice" });
        }
        if (input.Intro.Length > 0)
        {
            body.Add(new TextBlock(input.Intro) { Id = "intro" });
        }
        var actions = new List<CardAction>();
        if (input.Times.Count > 0)
        {
            body.Add(new ChoiceSetInput([.. input.Times.Select(t => new Choice(t.Title, $"{input.Key}|{t.Value}"))])
            {
                Id = SlotInput, Label = "New time", Style = "expanded", IsRequired = true, ErrorMessage = "Choose a time.", Value = $"{input.Key}|{input.Times[0].Value}",
            });
            actions.Add(new ExecuteAction(RescheduleVerb) { Title = "Move the meeting", Style = "positive", Data = Data(input.TermId, null), AssociatedInputs = "auto" });
        }
        actions.Add(ImBack("my meetings"));
        return new AdaptiveCard
        {
            Body = body,
            Actions = actions,
            FallbackText = $"Move the plan meeting about {input.Pupil}. Open Teams to choose a time.",
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
            if (row.PlanCommand is not null)
            {
                // Sends "plan for <pupil>" as the teacher: the plan card, with the parent's views and the pupil's voice.
                links.Add(ImBack(row.PlanCommand) with { Title = "Plan and views" });
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

    private static Container PupilBlock(ProposalRow row)
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
        return new Container(items) { Separator = true, Id = $"pupil-{row.Key}" };
    }

    private static ChoiceSetInput Pupils(IReadOnlyList<ProposalRow> rows) =>
        new([.. rows.Select(r => new Choice(r.Pupil, r.Key))])
        {
            Id = PupilInput, Label = "Pupil", IsRequired = true, ErrorMessage = "Choose a pupil.", Value = rows[0].Key,
        };

    /// <summary>A button that opens the inputs under the card and sends them with the verb.</summary>
    private static ShowCardAction Choose(string title, string verb, string termId, params CardElement[] inputs) => new(new AdaptiveCard
    {
        MsTeams = null,
        Body = inputs,
        Actions = [new ExecuteAction(verb) { Title = title, Data = Data(termId, null), AssociatedInputs = "auto" }],
    })
    { Title = title };

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
