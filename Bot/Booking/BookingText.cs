using System.Globalization;
using System.Net;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Terms;
using SendPlans.Cards.Views;
using SendPlans.Infrastructure.Calendars;

namespace SendPlans.Bot.Booking;

/// <summary>How times and invitations read: short sentences, British dates, no acronyms; the parent's words are in ParentBookingText.resx.</summary>
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

    /// <summary>"Tuesday 3 November 2026, 3:20pm to 3:35pm", in <paramref name="language"/> (English when not given).</summary>
    public static string Long(SlotTimes slot, string timeZone, CultureInfo? language = null)
    {
        language ??= British;
        var start = Local(slot.Start, timeZone);
        var end = Local(slot.End, timeZone);
        return Parent.Format("When", language, start.ToString("dddd d MMMM yyyy", language), Clock(start, language), Clock(end, language));
    }

    /// <summary>"3pm", "3:20pm" in English; the language's own short time ("15:20") in any other.</summary>
    public static string Clock(DateTime time, CultureInfo? language = null) =>
        language is not null && language.TwoLetterISOLanguageName != British.TwoLetterISOLanguageName ? time.ToString("t", language)
        : (time.Minute == 0 ? time.ToString("%h", British) : time.ToString("h:mm", British)) + (time.Hour < 12 ? "am" : "pm");

    public static string Date(DateOnly date, CultureInfo? language = null) => date.ToString("dddd d MMMM", language ?? British);

    public static string PupilName(Pupil pupil) => $"{pupil.LegalForename} {pupil.LegalSurname}";

    /// <summary>The invitation's own text; the calendar adds the join link and the time above it.</summary>
    public static string InviteHtml(string schoolName, string pupilFirstName, string teacherName, SlotTimes slot, string timeZone, string choiceUrl, DateOnly linkValidUntil, CultureInfo language)
    {
        var minutes = (int)(slot.End - slot.Start).TotalMinutes;
        return
            $"<p>{E(Parent.Get("MailHello", language))}</p>" +
            $"<p>{Parent.Html("InviteIntro", language, E(pupilFirstName), minutes)}</p>" +
            $"<p><strong>{E(Parent.Get("WhenLabel", language))}</strong> {E(Long(slot, timeZone, language))}.</p>" +
            $"<p><strong>{E(Parent.Get("InviteWhereLabel", language))}</strong> {E(Parent.Get("InviteWhere", language))}</p>" +
            $"<p><strong>{E(Parent.Get("InviteHardLabel", language))}</strong> " +
            $"{Parent.Html("InviteChoices", language, Link(choiceUrl, Parent.Get("InviteChoicesLink", language)), E(Date(linkValidUntil, language)))}</p>" +
            $"<p>{E(Parent.Get("MailThanks", language))}<br>{E(teacherName)}<br>{E(schoolName)}</p>";
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
    public static string ReminderHtml(string schoolName, string pupilFirstName, SlotTimes slot, string timeZone, string? joinUrl, string choiceUrl, CultureInfo language) =>
        $"<p>{E(Parent.Get("MailHello", language))}</p>" +
        $"<p>{Parent.Html("ReminderIntro", language, E(pupilFirstName))}</p>" +
        $"<p><strong>{E(Parent.Get("WhenLabel", language))}</strong> {E(Long(slot, timeZone, language))}.</p>" +
        (joinUrl is null ? "" : $"<p><strong>{E(Parent.Get("ReminderJoinLabel", language))}</strong> {Parent.Html("ReminderJoin", language, Link(joinUrl, Parent.Get("ReminderJoinLink", language)))}</p>") +
        $"<p>{Parent.Html("ReminderCannotCome", language, Link(choiceUrl, Parent.Get("ReminderCannotComeLink", language)))}</p>" +
        $"<p>{E(Parent.Get("MailThanks", language))}<br>{E(schoolName)}</p>";

    private static ParentStrings Parent => ParentBookingText.Strings;

    /// <summary>A link with <paramref name="text"/> as its words; both are encoded here.</summary>
    internal static string Link(string url, string text) => $"<a href=\"{E(url)}\">{E(text)}</a>";

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
