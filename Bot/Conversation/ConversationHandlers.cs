using SendPlans.Bot.Roster;
using SendPlans.Cards.Conversation;
using SendPlans.Infrastructure.BotFramework;

namespace SendPlans.Bot.Conversation;

/// <summary>The first conversation: help, anything not understood, and the welcome on install.</summary>
public sealed class ConversationHandlers(
    StaffDirectory staff,
    CommandCatalogue catalogue,
    ConversationReferenceStore references,
    ILogger<ConversationHandlers> logger)
{
    public async Task HelpAsync(TurnContext context, CancellationToken cancellationToken)
    {
        var member = await staff.FindByEntraIdAsync(context.Activity.From?.AadObjectId, cancellationToken);
        var card = ConversationCards.Help(new HelpCardInput(
            member?.FirstName,
            DescribeRoles(member),
            [.. catalogue.For(member).Select(c => new CommandHelp(c.Command, c.Description))],
            IsKnownStaff: member is not null));
        await context.SendCardAsync(card.ToJsonNode(), cancellationToken);
    }

    public async Task NotUnderstoodAsync(TurnContext context, CancellationToken cancellationToken)
    {
        if (context.Text.Length > 0)
        {
            await context.SendActivityAsync("Sorry, I didn't understand that. Here is what I can do.", cancellationToken);
        }
        await HelpAsync(context, cancellationToken);
    }

    /// <summary>When the bot is among the members added: remember the conversation and say hello.</summary>
    public async Task MembersAddedAsync(TurnContext context, CancellationToken cancellationToken)
    {
        var activity = context.Activity;
        var botId = activity.Recipient?.Id;
        if (botId is null || activity.MembersAdded?.Any(m => m.Id == botId) != true)
        {
            return;
        }
        await references.SaveAsync(activity.GetConversationReference(), cancellationToken);
        Log.BotInstalled(logger, activity.Conversation?.ConversationType ?? "personal");
        var isChannel = activity.ChannelData?.Team is not null || activity.Conversation?.ConversationType == "channel";
        await context.SendCardAsync(ConversationCards.Welcome(new WelcomeCardInput(null, isChannel)).ToJsonNode(), cancellationToken);
    }

    /// <summary>installationUpdate "add" keeps the reference fresh; the welcome comes with conversationUpdate.</summary>
    public async Task InstallationUpdateAsync(TurnContext context, CancellationToken cancellationToken)
    {
        var action = context.Activity.Action ?? "";
        if (action.StartsWith("add", StringComparison.OrdinalIgnoreCase))
        {
            await references.SaveAsync(context.Activity.GetConversationReference(), cancellationToken);
        }
        else if (action.StartsWith("remove", StringComparison.OrdinalIgnoreCase))
        {
            await references.MarkRemovedAsync(context.Activity.Conversation?.Id ?? "", cancellationToken);
            Log.BotRemoved(logger);
        }
    }

    private static string DescribeRoles(StaffMember? member)
    {
        if (member is null || member.Roles.Count == 0)
        {
            return "I help schools run the termly plan meetings with parents.";
        }
        var names = member.Roles.Order().Select(r => r switch
        {
            StaffRole.Teacher => "a teacher",
            StaffRole.YearLead => "a year lead",
            StaffRole.SENCo => "the special needs coordinator (SENCo)",
            StaffRole.SLT => "on the senior leadership team",
            StaffRole.Admin => "a school admin",
            StaffRole.TeachingAssistant => "a teaching assistant",
            _ => r.ToString(),
        });
        return $"You are {string.Join(" and ", names)}.";
    }
}
