using SendPlans.Bot.Booking;
using SendPlans.Infrastructure.Calendars;

namespace SendPlans.Tests.Booking;

/// <summary>What the teacher is asked to pass on when no admin could be told in Teams.</summary>
public sealed class AdminNotReachedTextTests
{
    [Fact]
    public void AdminNotReached_SignInFailedTwoAdmins_NamesBothAndTheSignIn()
    {
        var text = BookingText.AdminNotReached(["Jo Barker", "Ali Khan"], CalendarFailure.SignInFailed());

        text.Should().Contain("could not reach your school's admins in Teams").And.Contain("Please tell Jo Barker or Ali Khan")
            .And.Contain("could not sign in");
        text.Should().NotContain("Graph:").And.NotContain("ClientSecret");
    }

    [Fact]
    public void AdminNotReached_PermissionMissingNoAdmin_NamesThePermissionForTheItAdmin()
    {
        var text = BookingText.AdminNotReached([], CalendarFailure.PermissionMissing("Calendars.ReadWrite", "create events"));

        text.Should().Contain("Please tell your school's IT admin that the bot's calendar permission Calendars.ReadWrite is missing");
    }
}
