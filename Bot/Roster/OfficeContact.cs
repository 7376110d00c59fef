using System.Text.RegularExpressions;
using SendPlans.Bot.Terms;
using SendPlans.Infrastructure.BotFramework;

namespace SendPlans.Bot.Roster;

/// <summary>
/// "office contact" shows how parents reach the school office; "office contact 01632 960123,
/// office@school.example" (an admin) changes it. Parents whose link has expired see it.
/// </summary>
public sealed partial class OfficeContact(StaffDirectory staff, SchoolCalendarStore calendars, ILogger<OfficeContact> logger)
{
    public const int MaxLength = 200;

    public async Task HandleAsync(TurnContext context, CancellationToken cancellationToken)
    {
        var member = await staff.FindByEntraIdAsync(context.Activity.From?.AadObjectId, cancellationToken);
        if (member is null)
        {
            await context.SendActivityAsync("I could not find you on the school's staff list. Ask your school's admin to add you, then try again.", cancellationToken);
            return;
        }
        var wanted = Pattern().Match(context.Activity.Text?.Trim() ?? "").Groups["contact"].Value.Trim();
        var settings = await calendars.GetSettingsAsync(member.SchoolId, cancellationToken);
        if (settings is null)
        {
            await context.SendActivityAsync("Your school is not set up yet, so there is no office contact to show or change. Ask your school's admin to import the roster first.", cancellationToken);
            return;
        }
        if (wanted.Length == 0)
        {
            await context.SendActivityAsync(settings.Contact is { Length: > 0 } current
                ? $"Parents whose link no longer works are told to contact the office: {current}. An admin can change it: write 'office contact' then the phone number and email."
                : "Parents whose link no longer works are not given an office contact yet. An admin can add one: write 'office contact' then the phone number and email.", cancellationToken);
            return;
        }
        if (!member.Is(StaffRole.Admin))
        {
            Log.OfficeContactRefused(logger, member.SchoolId, "not an admin");
            await context.SendActivityAsync("Only your school's admin can change the office contact. I have not changed it.", cancellationToken);
            return;
        }
        if (Problem(wanted) is { } problem)
        {
            Log.OfficeContactRefused(logger, member.SchoolId, "not a contact");
            await context.SendActivityAsync($"{problem} I have not changed it.", cancellationToken);
            return;
        }
        await calendars.UpdateSettingsAsync(member.SchoolId, s => s with { Contact = wanted }, cancellationToken);
        Log.OfficeContactChanged(logger, member.SchoolId);
        await context.SendActivityAsync($"Done. Parents whose link no longer works will now be told to contact the office: {wanted}", cancellationToken);
    }

    /// <summary>Why this text cannot be the office contact, or null when it can.</summary>
    public static string? Problem(string contact) =>
        contact.Length > MaxLength ? $"That is {contact.Length} characters; keep it to {MaxLength}, for example '01632 960123, office@school.example'."
        : contact.Any(char.IsControl) || contact.IndexOfAny(['<', '>']) >= 0 ? "Write the contact as plain text, without < or >."
        : !PhoneOrEmail().IsMatch(contact) ? "Write a phone number or an email address parents can use, for example '01632 960123, office@school.example'."
        : null;

    [GeneratedRegex(@"^(set\s+)?(the\s+)?(school\s+)?office\s+contact(\s+(to|is)\b)?[:\s]*(?<contact>.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    public static partial Regex Pattern();

    [GeneratedRegex(@"(\d[\d ]{5,}\d)|([^@\s]+@[^@\s]+\.[^@\s]+)")]
    private static partial Regex PhoneOrEmail();
}
