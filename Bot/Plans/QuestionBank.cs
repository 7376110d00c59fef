using SendPlans.Cards.Plans;

namespace SendPlans.Bot.Plans;

/// <summary>
/// The early years and key stage 1 questions. This default bank ships with the bot; the
/// card asks four of them (the issue allows 3 to 5).
/// </summary>
public static class QuestionBank
{
    private static readonly IReadOnlyList<(string, string)> Faces = [("😀", "Happy"), ("😐", "Okay"), ("🙁", "Sad")];

    public static IReadOnlyList<PictureQuestion> Default { get; } =
    [
        new("q-class", "How do you feel in class?", Faces),
        new("q-play", "How do you feel at playtime?", Faces),
        new("q-help", "Do grown-ups help you when it is hard?", [("👍", "Yes"), ("🤷", "Sometimes"), ("👎", "No")]),
        new("q-friends", "Do you have friends to play with?", [("👍", "Yes"), ("🤷", "Sometimes"), ("👎", "No")]),
    ];
}
