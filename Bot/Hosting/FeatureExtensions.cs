using SendPlans.Bot.AfterMeeting;
using SendPlans.Bot.Attendance;
using SendPlans.Bot.Booking;
using SendPlans.Bot.Conversation;
using SendPlans.Bot.ParentLinks;
using SendPlans.Bot.Plans;
using SendPlans.Bot.Reports;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Views;

namespace SendPlans.Bot.Hosting;

public static class FeatureExtensions
{
    /// <summary>Every feature's services, once: the host and the year simulation's own host build the same bot.</summary>
    public static WebApplicationBuilder AddSendPlansFeatures(this WebApplicationBuilder builder)
    {
        builder.AddBotHosting();
        builder.AddConversation();
        builder.AddParentLinks();
        builder.AddRoster();
        builder.AddBooking();
        builder.AddViews();
        builder.AddPlans();
        builder.AddAfterMeeting();
        builder.AddAttendance();
        builder.AddReports();
        return builder;
    }
}
