using System.Globalization;
using SendPlans.Bot.Booking;
using SendPlans.Cards.Views;

namespace SendPlans.Tests.Booking;

/// <summary>The parent's invitation and reminder, as ParentBookingText.resx words them.</summary>
public sealed class ParentBookingTextTests
{
    // Tuesday 3 November 2026, 15:20 to 15:35 in London (GMT).
    private static readonly SlotTimes Slot = new(new DateTimeOffset(2026, 11, 3, 15, 20, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 3, 15, 35, 0, TimeSpan.Zero));

    [Fact]
    public void InviteHtml_English_WholeTextWithNameAndLinkEncoded()
    {
        var html = BookingText.InviteHtml("Oakfield Primary", "Amelia <b>", "Ms Patel", Slot, "Europe/London", "https://bot.example/booking/a&b", new DateOnly(2026, 12, 18), ParentStrings.English);

        html.Should().Be(
            "<p>Dear parent or carer,</p>" +
            "<p>We would like to meet you to talk about how Amelia &lt;b&gt; is getting on at school. " +
            "Together we will look at Amelia &lt;b&gt;&#39;s support plan and agree the next small steps. The meeting takes about 15 minutes.</p>" +
            "<p><strong>When:</strong> Tuesday 3 November 2026, 3:20pm to 3:35pm.</p>" +
            "<p><strong>Where:</strong> online, on Microsoft Teams. Use the Join link in this invitation. " +
            "You do not need a Teams account. The link opens in the web browser on your phone or computer.</p>" +
            "<p><strong>Is this time hard for you?</strong> You can choose another time, ask for an interpreter, or tell us you cannot come. " +
            "Use this link: <a href=\"https://bot.example/booking/a&amp;b\">choose a time or tell us what you need</a>. The link works until Friday 18 December.</p>" +
            "<p>Thank you.<br>Ms Patel<br>Oakfield Primary</p>");
    }

    [Fact]
    public void ReminderHtml_NoJoinLink_NoJoinLine()
    {
        var html = BookingText.ReminderHtml("Oakfield Primary", "Amelia", Slot, "Europe/London", null, "https://bot.example/booking/x", ParentStrings.English);

        html.Should().Be(
            "<p>Dear parent or carer,</p>" +
            "<p>This is a reminder of your meeting about Amelia&#39;s support plan.</p>" +
            "<p><strong>When:</strong> Tuesday 3 November 2026, 3:20pm to 3:35pm.</p>" +
            "<p>If you cannot come, please <a href=\"https://bot.example/booking/x\">tell us or choose another time</a>.</p>" +
            "<p>Thank you.<br>Oakfield Primary</p>");
    }

    [Fact]
    public void ReminderHtml_JoinLink_LinkAndNoAccountNeeded()
    {
        var html = BookingText.ReminderHtml("Oakfield Primary", "Amelia", Slot, "Europe/London", "https://teams.example/join?a=1&b=2", "https://bot.example/booking/x", ParentStrings.English);

        html.Should().Contain("<p><strong>Join:</strong> <a href=\"https://teams.example/join?a=1&amp;b=2\">join the meeting on Teams</a>. You do not need a Teams account.</p>");
    }

    [Fact]
    public void Long_NoLanguage_EnglishDayDateAndTwelveHourClock() =>
        BookingText.Long(Slot, "Europe/London").Should().Be("Tuesday 3 November 2026, 3:20pm to 3:35pm");

    [Fact]
    public void Long_AnotherLanguage_ItsOwnDayMonthAndClock() =>
        BookingText.Long(Slot, "Europe/London", CultureInfo.GetCultureInfo("pl")).Should().StartWith("wtorek 3 listopada 2026, 15:20").And.EndWith("15:35");
}
