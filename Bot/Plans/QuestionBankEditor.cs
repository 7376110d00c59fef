using System.Text.Json.Nodes;
using SendPlans.Bot.Roster;
using SendPlans.Cards.Model;
using SendPlans.Cards.Plans;
using SendPlans.Infrastructure.BotFramework;

namespace SendPlans.Bot.Plans;

/// <summary>
/// "question bank": the SENCo chooses which questions the early years pupil voice card asks,
/// and adds new ones. Other staff are told who can change them.
/// </summary>
public sealed class QuestionBankEditor(StaffDirectory staff, QuestionBankStore banks, ILogger<QuestionBankEditor> logger)
{
    private const string RevisionField = "revision";

    private static readonly IReadOnlyList<(string Value, string Title)> AnswerKinds =
    [
        (nameof(PictureAnswers.Faces), "Faces: happy, okay, sad"),
        (nameof(PictureAnswers.YesSometimesNo), "Thumbs: yes, sometimes, no"),
    ];

    public async Task ShowAsync(TurnContext context, CancellationToken cancellationToken)
    {
        var member = await staff.FindByEntraIdAsync(context.Activity.From?.AadObjectId, cancellationToken);
        if (member is null || !member.Is(StaffRole.SENCo))
        {
            await context.SendActivityAsync("Only the SENCo can change the questions for young children. Ask them if you would like a question added.", cancellationToken);
            return;
        }
        await context.SendCardAsync(Card(await banks.GetAsync(member.SchoolId, cancellationToken), null).ToJsonNode(), cancellationToken);
    }

    public async Task<InvokeResponse> SaveAsync(TurnContext context, AdaptiveCardAction action, CancellationToken cancellationToken)
    {
        var member = await staff.FindByEntraIdAsync(context.Activity.From?.AadObjectId, cancellationToken);
        if (member is null || !member.Is(StaffRole.SENCo))
        {
            return InvokeResponse.Error(403, "NotAllowed", "Only the SENCo can change the questions for young children.");
        }
        var asked = action.Data.Where(p => p.Key.StartsWith(QuestionBankFields.Ask(""), StringComparison.Ordinal) && action.GetString(p.Key) == "true")
            .Select(p => p.Key[QuestionBankFields.Ask("").Length..]).ToHashSet(StringComparer.Ordinal);
        var text = action.GetString(QuestionBankFields.NewText) is { } t && QuestionBank.Normalise(t) is { Length: > 0 } n ? n : null;
        var kind = Enum.TryParse<PictureAnswers>(action.GetString(QuestionBankFields.NewAnswers), out var k) && Enum.IsDefined(k) ? k : PictureAnswers.Faces;
        var seen = action.Data[RevisionField] is JsonValue r && r.TryGetValue<int>(out var revision) ? revision : -1;
        var (bank, problem) = await banks.ChangeAsync(member.SchoolId, member.EntraObjectId, new QuestionBankChange(seen, asked, text, kind), cancellationToken);
        if (problem is not null)
        {
            Log.QuestionBankRefused(logger, member.SchoolId);
            return InvokeResponse.Error(400, "QuestionBankRefused", $"{problem} Nothing has changed.");
        }
        Log.QuestionBankSaved(logger, member.SchoolId, bank.Revision, bank.Questions.Count(q => q.Asked));
        return InvokeResponse.Card(Card(bank, "Saved. The pupil voice card now asks the ticked questions.").ToJsonNode());
    }

    private static AdaptiveCard Card(QuestionBank bank, string? notice) => QuestionBankCards.Bank(new QuestionBankCardInput(
        [.. bank.Questions.Select(q => new QuestionBankRow(q.Id, q.Text, string.Join(", ", QuestionBank.Choices(q.Answers).Select(c => c.Word.ToLowerInvariant())), q.Asked))],
        AnswerKinds, QuestionBank.MinAsked, QuestionBank.MaxAsked, QuestionBank.MaxTextLength, new JsonObject { [RevisionField] = bank.Revision }, notice));
}
