using System.Text.Json.Nodes;
using SendPlans.Cards.Model;

namespace SendPlans.Cards.Plans;

/// <summary>A question for a young child, answered with one of a few big emoji choices.</summary>
public sealed record PictureQuestion(string Id, string Text, IReadOnlyList<(string Emoji, string Word)> Choices)
{
    /// <summary>The answer stored for a choice: its word in lower case ("happy").</summary>
    public static string Answer(string word) => word.ToLowerInvariant();

    public bool Offers(string? answer) => Choices.Any(c => Answer(c.Word) == answer);
}

public sealed record PupilVoiceCardInput(string PupilFirstName, IReadOnlyDictionary<string, string> Answers, JsonObject ActionData);

/// <summary>The input ids of the pupil voice cards.</summary>
public static class PupilVoiceFields
{
    public const string SaveVerb = "voice/save";
    public const string PickVerb = "voice/pick";
    public const string Question = "question";
    public const string Answer = "answer";
    public const string AdultNote = "adultNote";
    public const string GoodAt = "goodAt";
    public const string FindHard = "findHard";
    public const string HelpsMe = "helpsMe";
    public const string MyTarget = "myTarget";

    /// <summary>The most characters a written answer or the adult's note may have, on the card and on the server.</summary>
    public const int AnswerLength = 1000;

    public static IReadOnlyList<(string Id, string Label)> Older { get; } =
    [
        (GoodAt, "What I'm good at"),
        (FindHard, "What I find hard"),
        (HelpsMe, "What helps me"),
        (MyTarget, "My target in my own words"),
    ];
}

/// <summary>The pupil's voice, captured in Teams by the teacher or a TA before the meeting.</summary>
public static class PupilVoiceCards
{
    /// <summary>
    /// Early years and key stage 1: each choice a big picture to tap on a tablet, with an adult
    /// beside the child. A tap (<see cref="PupilVoiceFields.PickVerb"/>) stores that answer and
    /// brings the card back with it marked.
    /// </summary>
    public static AdaptiveCard EarlyYears(PupilVoiceCardInput input, IReadOnlyList<PictureQuestion> questions)
    {
        var body = new List<CardElement>
        {
            TextBlock.Heading($"{input.PupilFirstName}'s voice"),
            TextBlock.Subtle("Read each question out and let the child tap a picture. Each tap is saved straight away; Save keeps your note."),
        };
        foreach (var q in questions)
        {
            body.Add(new TextBlock(q.Text) { Size = TextSize.ExtraLarge, Weight = TextWeight.Bolder, Spacing = Spacing.Large });
            var chosen = input.Answers.GetValueOrDefault(q.Id);
            body.Add(new ColumnSet([.. q.Choices.Select(c => Choice(q.Id, c, PictureQuestion.Answer(c.Word) == chosen, input.ActionData))]));
        }
        body.Add(new TextInput { Id = PupilVoiceFields.AdultNote, Label = "Adult's note (optional)", IsMultiline = true, MaxLength = PupilVoiceFields.AnswerLength, Value = input.Answers.GetValueOrDefault(PupilVoiceFields.AdultNote) });
        return Card(body, input);
    }

    private static Column Choice(string questionId, (string Emoji, string Word) choice, bool chosen, JsonObject actionData)
    {
        var data = (JsonObject)actionData.DeepClone();
        data[PupilVoiceFields.Question] = questionId;
        data[PupilVoiceFields.Answer] = PictureQuestion.Answer(choice.Word);
        return new Column(
        [
            new Container(
            [
                new TextBlock(AsPicture(choice.Emoji)) { Size = TextSize.ExtraLarge, HorizontalAlignment = HorizontalAlignment.Center },
                new TextBlock(chosen ? $"✓ {choice.Word}" : choice.Word) { HorizontalAlignment = HorizontalAlignment.Center, Weight = chosen ? TextWeight.Bolder : null },
            ])
            { Style = chosen ? ContainerStyle.Good : ContainerStyle.Emphasis, MinHeight = "90px" },
        ])
        {
            Width = "stretch",
            SelectAction = new ExecuteAction(PupilVoiceFields.PickVerb) { Title = choice.Word, Data = data },
        };
    }

    /// <summary>
    /// A lone emoji with the emoji presentation selector (U+FE0F), so a font that also draws it
    /// as a small black-and-white symbol (DejaVu Sans for 😀) gives way to a colour emoji font.
    /// </summary>
    private static string AsPicture(string emoji) =>
        emoji.EnumerateRunes().Count() == 1 ? emoji + "\uFE0F" : emoji;

    /// <summary>Key stage 2 and older: four questions in the pupil's own words.</summary>
    public static AdaptiveCard Older(PupilVoiceCardInput input)
    {
        var body = new List<CardElement> { TextBlock.Heading($"{input.PupilFirstName}'s voice"), TextBlock.Subtle("Write down what the pupil says, in their words.") };
        body.AddRange(PupilVoiceFields.Older.Select(f => new TextInput { Id = f.Id, Label = f.Label, IsMultiline = true, MaxLength = PupilVoiceFields.AnswerLength, Value = input.Answers.GetValueOrDefault(f.Id) }));
        return Card(body, input);
    }

    private static AdaptiveCard Card(List<CardElement> body, PupilVoiceCardInput input) => new()
    {
        Body = body,
        Actions = [new ExecuteAction(PupilVoiceFields.SaveVerb) { Title = "Save", Data = (JsonObject)input.ActionData.DeepClone(), AssociatedInputs = "auto", Style = "positive" }],
        FallbackText = $"{input.PupilFirstName}'s voice",
    };
}
