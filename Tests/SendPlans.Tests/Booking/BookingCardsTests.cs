using System.Text;
using SendPlans.Cards.Booking;

namespace SendPlans.Tests.Booking;

public sealed class BookingCardsTests
{
    /// <summary>Teams refuses a message over about 28 KB; a large class's proposal must fit.</summary>
    [Fact]
    public void Proposal_ClassOfTwentyPupils_UnderTeamsMessageSizeLimit()
    {
        var rows = Enumerable.Range(0, 20).Select(i => new ProposalRow(
            $"P8232041240{i:00}", $"Firstname{i} Longersurname-Hyphenated", "Mother and Father", "Wed 11 Nov, 15:20–15:35", "Proposed",
            ["Interpreter needed (Lithuanian)", "No email for the father", "Hard to attend: Any 09:00-15:00"],
            [("Thu 12 Nov, 08:15–08:30", "202611120815"), ("Fri 13 Nov, 12:00–12:15", "202611131200"), ("Mon 16 Nov, 15:40–15:55", "202611161540")],
            null)).ToList();

        var card = BookingCards.Proposal(new ProposalCardInput("2026-27-autumn", "Proposed plan meetings", new string('x', 250), rows, null));

        Encoding.UTF8.GetByteCount(card.ToJson()).Should().BeLessThan(28 * 1024);
    }

    [Fact]
    public void MyMeetings_TwentyMeetings_UnderTeamsMessageSizeLimit()
    {
        var rows = Enumerable.Range(0, 20).Select(i => new MeetingRow(
            $"P8232041240{i:00}", "Wed 11 Nov, 15:20–15:35", $"Firstname{i} Longersurname-Hyphenated", "Mother and Father · Interpreter needed (Lithuanian) · No email for the father",
            $"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{new string('a', 60)}%40thread.v2/0?context=%7b%22Tid%22%3a%22{Guid.NewGuid()}%22%7d", null,
            [("Thu 12 Nov, 08:15–08:30", "202611120815"), ("Fri 13 Nov, 12:00–12:15", "202611131200"), ("Mon 16 Nov, 15:40–15:55", "202611161540")])).ToList();

        var card = BookingCards.MyMeetings(new MeetingListCardInput("2026-27-autumn", "Your plan meetings", new string('x', 120), rows, null));

        Encoding.UTF8.GetByteCount(card.ToJson()).Should().BeLessThan(28 * 1024);
    }
}
