using SendPlans.Cards.Conversation;
using SendPlans.Cards.Model;
using SendPlans.Tests.Views;

namespace SendPlans.Tests.Cards;

/// <summary>
/// Every card the product sends, built with realistic data. A new card is not done until it
/// is listed here: the official renderer then parses it and Chromium draws it.
/// </summary>
public static class CardSamples
{
    public static IReadOnlyList<(string Name, AdaptiveCard Card)> All { get; } =
    [
        ("help-teacher", ConversationCards.Help(new HelpCardInput("Priya", "You are a teacher.",
            [new("help", "See what I can do for you."), new("book my plan meetings", "Find times for this term's plan meetings and invite parents."), new("my meetings", "See, move or cancel your upcoming plan meetings.")],
            IsKnownStaff: true))),
        ("help-unknown-user", ConversationCards.Help(new HelpCardInput(null, "I help schools run the termly plan meetings with parents.",
            [new("help", "See what I can do for you.")], IsKnownStaff: false))),
        ("welcome-personal", ConversationCards.Welcome(new WelcomeCardInput("Oakfield Primary", IsChannel: false))),
        ("welcome-channel", ConversationCards.Welcome(new WelcomeCardInput("Oakfield Primary", IsChannel: true))),
        .. ViewsCardSamples.All,
    ];
}
