using System.Text.Json.Nodes;
using SendPlans.Cards.Model;

namespace SendPlans.Cards.Plans;

/// <summary>A question in the bank as the SENCo sees it: its words, its answers and whether the card asks it.</summary>
public sealed record QuestionBankRow(string Id, string Text, string Answers, bool Asked);

/// <summary>The SENCo's question bank card: the questions, the answer kinds a new question may use, and a notice.</summary>
public sealed record QuestionBankCardInput(
    IReadOnlyList<QuestionBankRow> Questions,
    IReadOnlyList<(string Value, string Title)> AnswerKinds,
    int MinAsked,
    int MaxAsked,
    int MaxTextLength,
    JsonObject ActionData,
    string? Notice = null);

/// <summary>The input ids of the question bank card.</summary>
public static class QuestionBankFields
{
    public const string SaveVerb = "bank/save";
    public const string NewText = "newQuestion";
    public const string NewAnswers = "newAnswers";

    public static string Ask(string questionId) => $"ask-{questionId}";
}

/// <summary>The pupil voice questions for young children, which the SENCo manages.</summary>
public static class QuestionBankCards
{
    public static AdaptiveCard Bank(QuestionBankCardInput input)
    {
        var body = new List<CardElement>
        {
            TextBlock.Heading("Questions for young children"),
            TextBlock.Subtle($"The pupil voice card for Reception, Year 1 and Year 2 asks the questions ticked here. Tick {input.MinAsked} to {input.MaxAsked}."),
        };
        if (input.Notice is not null)
        {
            body.Add(new TextBlock(input.Notice) { Color = TextColor.Good, Weight = TextWeight.Bolder });
        }
        foreach (var q in input.Questions)
        {
            body.Add(new ToggleInput($"Ask this. The child answers: {q.Answers}")
            {
                Id = QuestionBankFields.Ask(q.Id),
                Label = q.Text,
                Value = q.Asked ? "true" : "false",
                ValueOn = "true",
                ValueOff = "false",
                Wrap = true,
                Spacing = Spacing.Medium,
            });
        }
        body.Add(new TextBlock("Add a question") { Weight = TextWeight.Bolder, Spacing = Spacing.Large, Separator = true });
        body.Add(new TextInput
        {
            Id = QuestionBankFields.NewText,
            Label = "The question, as you would read it to the child",
            Placeholder = "For example: How do you feel at lunchtime?",
            MaxLength = input.MaxTextLength,
        });
        body.Add(new ChoiceSetInput([.. input.AnswerKinds.Select(k => new Choice(k.Title, k.Value))])
        {
            Id = QuestionBankFields.NewAnswers,
            Label = "The child answers with",
            Value = input.AnswerKinds.Count > 0 ? input.AnswerKinds[0].Value : null,
        });
        return new AdaptiveCard
        {
            Body = body,
            Actions = [new ExecuteAction(QuestionBankFields.SaveVerb) { Data = (JsonObject)input.ActionData.DeepClone(), Title = "Save the questions", AssociatedInputs = "auto", Style = "positive" }],
            FallbackText = "Questions for young children",
        };
    }
}
