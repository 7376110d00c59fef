using System.Text.Json.Nodes;
using SendPlans.Cards.Model;

namespace SendPlans.Cards.Conversation;

/// <summary>A thing the bot can do, as the help card lists it.</summary>
public sealed record CommandHelp(string Command, string Description);

public sealed record HelpCardInput(string? FirstName, string RoleDescription, IReadOnlyList<CommandHelp> Commands, bool IsKnownStaff);

public sealed record WelcomeCardInput(string? SchoolName, bool IsChannel);

public static class ConversationCards
{
    /// <summary>What the bot can do for this user's role, with a button per command.</summary>
    public static AdaptiveCard Help(HelpCardInput input)
    {
        var greeting = string.IsNullOrWhiteSpace(input.FirstName) ? "Hello." : $"Hello {input.FirstName}.";
        var body = new List<CardElement>
        {
            TextBlock.Heading("What I can do for you"),
            new TextBlock($"{greeting} {input.RoleDescription}"),
        };
        if (!input.IsKnownStaff)
        {
            body.Add(new TextBlock("I could not find you on the school's staff list. Ask your school's admin to add you, then type help again.")
            {
                Color = TextColor.Attention,
            });
        }
        body.Add(new FactSet([.. input.Commands.Select(c => new Fact(c.Command, c.Description))]) { Id = "commands" });
        return new AdaptiveCard
        {
            Body = body,
            Actions = [.. input.Commands.Take(5).Select(c => ImBack(c.Command))],
            FallbackText = "Type help to see what I can do.",
        };
    }

    /// <summary>Sent once, when the bot is added to a chat or a team.</summary>
    public static AdaptiveCard Welcome(WelcomeCardInput input)
    {
        var school = string.IsNullOrWhiteSpace(input.SchoolName) ? "your school" : input.SchoolName;
        var body = new List<CardElement>
        {
            TextBlock.Heading("Welcome to SendPlans"),
            new TextBlock($"I help {school} run the termly plan meetings with parents of pupils who get extra help with their learning."),
            new TextBlock(input.IsChannel
                ? "In this channel I will post alerts when a parent misses a plan meeting or does not reply, so the year lead can follow up."
                : "I find meeting times in your calendar, invite parents, collect their views and tell you who still needs a meeting."),
        };
        return new AdaptiveCard
        {
            Body = body,
            Actions = [ImBack("help", "See what I can do")],
            FallbackText = "Welcome to SendPlans. Type help to see what I can do.",
        };
    }

    /// <summary>A button that sends its text back to the bot as if the user had typed it.</summary>
    private static SubmitAction ImBack(string command, string? title = null) => new()
    {
        Title = title ?? Capitalise(command),
        Data = new JsonObject { ["msteams"] = new JsonObject { ["type"] = "imBack", ["value"] = command } },
    };

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
