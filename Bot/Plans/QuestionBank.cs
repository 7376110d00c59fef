using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using SendPlans.Cards.Plans;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Bot.Plans;

/// <summary>The answers a young child picks from: faces, or yes / sometimes / no.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PictureAnswers>))]
public enum PictureAnswers
{
    Faces,
    YesSometimesNo,
}

/// <summary>
/// One question in a school's bank. Questions are never deleted, only no longer asked, so a
/// pupil's earlier answers keep their question.
/// </summary>
public sealed record BankQuestion(string Id, string Text, PictureAnswers Answers, bool Asked)
{
    public PictureQuestion ToPictureQuestion() => new(Id, Text, QuestionBank.Choices(Answers));
}

/// <summary>A school's early years and key stage 1 questions, and which of them the pupil voice card asks.</summary>
public sealed record QuestionBank(IReadOnlyList<BankQuestion> Questions)
{
    public const int MinAsked = 3;
    public const int MaxAsked = 5;
    public const int MaxQuestions = 30;
    public const int MaxTextLength = 120;

    public int Revision { get; init; }

    /// <summary>The bank every school starts with: four questions asked, two more to choose from.</summary>
    public static QuestionBank Default { get; } = new(
    [
        new("q-class", "How do you feel in class?", PictureAnswers.Faces, true),
        new("q-play", "How do you feel at playtime?", PictureAnswers.Faces, true),
        new("q-help", "Do grown-ups help you when it is hard?", PictureAnswers.YesSometimesNo, true),
        new("q-friends", "Do you have friends to play with?", PictureAnswers.YesSometimesNo, true),
        new("q-school", "How do you feel when you come to school?", PictureAnswers.Faces, false),
        new("q-noise", "Is it too noisy for you in class?", PictureAnswers.YesSometimesNo, false),
    ]);

    public IReadOnlyList<PictureQuestion> Asked => [.. Questions.Where(q => q.Asked).Select(q => q.ToPictureQuestion())];

    public BankQuestion? Find(string id) => Questions.FirstOrDefault(q => q.Id == id);

    public static IReadOnlyList<(string Emoji, string Word)> Choices(PictureAnswers answers) => answers switch
    {
        PictureAnswers.Faces => [("😀", "Happy"), ("😐", "Okay"), ("🙁", "Sad")],
        _ => [("👍", "Yes"), ("🤷", "Sometimes"), ("👎", "No")],
    };

    /// <summary>A new question's id: from its text, so adding the same question twice adds it once.</summary>
    public static string NewId(string text) => "q-" + TableKeys.Hash(Normalise(text).ToLowerInvariant())[..10];

    public static string Normalise(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>A SENCo's change to the bank: which questions are asked, and perhaps one new question.</summary>
/// <param name="SeenRevision">The bank's revision on the card the SENCo changed: a bank changed since is not overwritten.</param>
public sealed record QuestionBankChange(int SeenRevision, IReadOnlySet<string> Asked, string? NewText, PictureAnswers NewAnswers)
{
    /// <summary>Why this change cannot be made to the bank, or null when it can.</summary>
    public string? Problem(QuestionBank bank)
    {
        if (SeenRevision != bank.Revision || Asked.Any(id => bank.Find(id) is null))
        {
            return "Someone changed the questions while you had them open. Here they are as they are now: make your change again.";
        }
        if (NewText is { } text)
        {
            if (text.Length > QuestionBank.MaxTextLength)
            {
                return $"The new question is {text.Length} characters; keep it to {QuestionBank.MaxTextLength}, short enough to read out to a young child.";
            }
            if (text.Any(char.IsControl) || text.IndexOfAny(['<', '>']) >= 0)
            {
                return "Write the new question as plain text, without < or >.";
            }
            if (bank.Find(QuestionBank.NewId(text)) is null && bank.Questions.Count >= QuestionBank.MaxQuestions)
            {
                return $"The bank holds {QuestionBank.MaxQuestions} questions already. Untick one you do not need instead of adding more.";
            }
        }
        var count = Apply(bank).Questions.Count(q => q.Asked);
        return count is < QuestionBank.MinAsked or > QuestionBank.MaxAsked
            ? $"Tick {QuestionBank.MinAsked} to {QuestionBank.MaxAsked} questions to ask (you chose {count}): enough to hear the child, few enough for them to stay with it."
            : null;
    }

    /// <summary>The bank after this change. A new question is asked; one already there is asked again.</summary>
    public QuestionBank Apply(QuestionBank bank)
    {
        var newId = NewText is { } text ? QuestionBank.NewId(text) : null;
        var questions = bank.Questions.Select(q => q with { Asked = Asked.Contains(q.Id) || q.Id == newId }).ToList();
        if (newId is not null && bank.Find(newId) is null)
        {
            questions.Add(new BankQuestion(newId, QuestionBank.Normalise(NewText!), NewAnswers, true));
        }
        return bank with { Questions = questions };
    }
}

/// <summary>Each school's question bank: one row, changed with its ETag, the default until a SENCo changes it.</summary>
public sealed class QuestionBankStore(TableStorage storage, TimeProvider time)
{
    public const string Table = "QuestionBanks";
    private const string RowKey = "bank";

    public async Task<QuestionBank> GetAsync(string schoolId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(schoolId, RowKey, cancellationToken: cancellationToken);
        return row.HasValue ? ToBank(row.Value!) : QuestionBank.Default;
    }

    /// <summary>
    /// Applies the change to the stored bank, re-applied on a concurrent change so two SENCos
    /// saving at once both count. Returns the bank as stored, or the problem and nothing written.
    /// </summary>
    public async Task<(QuestionBank Bank, string? Problem)> ChangeAsync(string schoolId, string changedBy, QuestionBankChange change, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(Table, cancellationToken);
        await table.AddIfAbsentAsync(ToEntity(schoolId, QuestionBank.Default, "default"), cancellationToken);
        string? problem = null;
        var row = await table.UpdateOptimisticAsync(schoolId, RowKey, e =>
        {
            var stored = ToBank(e);
            problem = change.Problem(stored);
            if (problem is not null)
            {
                return null;
            }
            var changed = change.Apply(stored);
            return Json(changed) == Json(stored) ? null : ToEntity(schoolId, changed with { Revision = stored.Revision + 1 }, changedBy);
        }, null, cancellationToken);
        return (ToBank(row!), problem);
    }

    private TableEntity ToEntity(string schoolId, QuestionBank bank, string changedBy) => new(schoolId, RowKey)
    {
        ["Questions"] = Json(bank),
        ["Revision"] = bank.Revision,
        ["ChangedAt"] = time.GetUtcNow(),
        ["ChangedBy"] = changedBy,
    };

    private static string Json(QuestionBank bank) => JsonSerializer.Serialize(bank.Questions, PlansJsonContext.Default.IReadOnlyListBankQuestion);

    private static QuestionBank ToBank(TableEntity e) =>
        new(JsonSerializer.Deserialize(e.GetString("Questions") ?? "[]", PlansJsonContext.Default.IReadOnlyListBankQuestion) ?? [])
        {
            Revision = e.GetInt32("Revision") ?? 0,
        };
}

[JsonSerializable(typeof(IReadOnlyList<BankQuestion>))]
internal sealed partial class PlansJsonContext : JsonSerializerContext;
