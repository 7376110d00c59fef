using System.Globalization;
using System.Net;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Terms;
using SendPlans.Infrastructure.Calendars;

namespace SendPlans.Bot.Booking;

/// <summary>How times and invitations read: short sentences, British dates, no acronyms.</summary>
public static class BookingText
{
    private static readonly CultureInfo British = CultureInfo.GetCultureInfo("en-GB");

    public static DateTime Local(DateTimeOffset instant, string timeZone) => SchoolClock.Local(instant, timeZone);

    public static TimeZoneInfo Zone(string timeZone) => SchoolClock.Zone(timeZone);

    /// <summary>"Tue 3 Nov, 15:20–15:35".</summary>
    public static string Short(SlotTimes slot, string timeZone)
    {
        var start = Local(slot.Start, timeZone);
        var end = Local(slot.End, timeZone);
        return $"{start.ToString("ddd d MMM, HH:mm", British)}–{end.ToString("HH:mm", British)}";
    }

    /// <summary>"Tuesday 3 November 2026, 3:20pm to 3:35pm".</summary>
    public static string Long(SlotTimes slot, string timeZone)
    {
        var start = Local(slot.Start, timeZone);
        var end = Local(slot.End, timeZone);
        return $"{start.ToString("dddd d MMMM yyyy", British)}, {Clock(start)} to {Clock(end)}";
    }

    public static string Clock(DateTime time) =>
        (time.Minute == 0 ? time.ToString("%h", British) : time.ToString("h:mm", British)) + (time.Hour < 12 ? "am" : "pm");

    public static string Date(DateOnly date) => date.ToString("dddd d MMMM", British);

    public static string PupilName(Pupil pupil) => $"{pupil.LegalForename} {pupil.LegalSurname}";

    /// <summary>The invitation's own text; the calendar adds the join link and the time above it.</summary>
    public static string InviteHtml(string schoolName, string pupilFirstName, string teacherName, SlotTimes slot, string timeZone, string choiceUrl, DateOnly linkValidUntil)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var minutes = (int)(slot.End - slot.Start).TotalMinutes;
        return
            "<p>Dear parent or carer,</p>" +
            $"<p>We would like to meet you to talk about how {E(pupilFirstName)} is getting on at school. " +
            $"Together we will look at {E(pupilFirstName)}'s support plan and agree the next small steps. The meeting takes about {minutes} minutes.</p>" +
            $"<p><strong>When:</strong> {E(Long(slot, timeZone))}.</p>" +
            "<p><strong>Where:</strong> online, on Microsoft Teams. Use the Join link in this invitation. " +
            "You do not need a Teams account. The link opens in the web browser on your phone or computer.</p>" +
            "<p><strong>Is this time hard for you?</strong> You can choose another time, ask for an interpreter, or tell us you cannot come. " +
            $"Use this link: <a href=\"{E(choiceUrl)}\">choose a time or tell us what you need</a>. The link works until {E(Date(linkValidUntil))}.</p>" +
            $"<p>Thank you.<br>{E(teacherName)}<br>{E(schoolName)}</p>";
    }

    /// <summary>
    /// The teacher's sentence when no admin could be told in Teams: what to pass on, and to whom.
    /// Names the permission (something to pass on, not a fault of theirs); no codes, no stack.
    /// </summary>
    public static string AdminNotReached(IReadOnlyList<string> adminNames, CalendarFailure failure)
    {
        var who = adminNames.Count switch
        {
            0 => "your school's IT admin",
            1 => adminNames[0],
            _ => string.Join(", ", adminNames.Take(adminNames.Count - 1)) + " or " + adminNames[^1],
        };
        var what = failure.Kind == CalendarFailureKind.SignInFailed
            ? "the bot could not sign in to Microsoft 365 to use the calendars (its client secret may have expired)"
            : $"the bot's calendar permission {failure.Permission ?? "in Microsoft 365"} is missing (it needs admin consent)";
        var reach = adminNames.Count switch
        {
            0 => "Your school has no admin set up in the bot, so I could not tell anyone.",
            1 => "I could not reach your school's admin in Teams.",
            _ => "I could not reach your school's admins in Teams.",
        };
        return $"The school's calendar connection is not set up yet, so I could not book. {reach} Please tell {who} that {what}. Then try again.";
    }

    /// <summary>The reminder before the meeting.</summary>
    public static string ReminderHtml(string schoolName, string pupilFirstName, SlotTimes slot, string timeZone, string? joinUrl, string choiceUrl)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        return
            "<p>Dear parent or carer,</p>" +
            $"<p>This is a reminder of your meeting about {E(pupilFirstName)}'s support plan.</p>" +
            $"<p><strong>When:</strong> {E(Long(slot, timeZone))}.</p>" +
            (joinUrl is null ? "" : $"<p><strong>Join:</strong> <a href=\"{E(joinUrl)}\">join the meeting on Teams</a>. You do not need a Teams account.</p>") +
            $"<p>If you cannot come, please <a href=\"{E(choiceUrl)}\">tell us or choose another time</a>.</p>" +
            $"<p>Thank you.<br>{E(schoolName)}</p>";
    }
}
