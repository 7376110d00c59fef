using SendPlans.Bot.AfterMeeting;
using SendPlans.Bot.Attendance;
using SendPlans.Bot.Booking;
using SendPlans.Bot.Cli;
using SendPlans.Bot.Conversation;
using SendPlans.Bot.Hosting;
using SendPlans.Bot.ParentLinks;
using SendPlans.Bot.Plans;
using SendPlans.Bot.Reports;
using SendPlans.Bot.Roster;
using SendPlans.Bot.Views;

var builder = WebApplication.CreateBuilder(args);

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
builder.AddCommandLine(args);

var app = builder.Build();

if (await app.RunCommandAsync(args))
{
    return;
}

app.MapBotEndpoints();
app.MapBooking();
app.MapViews();
app.MapReports();

app.Run();

public partial class Program;
