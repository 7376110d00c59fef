using SendPlans.Bot.Roster;

namespace SendPlans.Bot.Conversation;

/// <summary>
/// A command a feature offers, for the help card and the manifest's command list. Roles empty
/// means everyone may use it.
/// </summary>
public sealed record BotCommand(string Command, string Description, params StaffRole[] Roles)
{
    public bool IsFor(StaffMember? member) =>
        Roles.Length == 0 || (member is not null && Roles.Any(member.Is));
}

public sealed class CommandCatalogue(IEnumerable<BotCommand> commands)
{
    public IReadOnlyList<BotCommand> All { get; } = [.. commands];

    public IReadOnlyList<BotCommand> For(StaffMember? member) => [.. All.Where(c => c.IsFor(member))];
}
