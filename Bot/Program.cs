using SendPlans.Bot.Booking;
using SendPlans.Bot.Cli;
using SendPlans.Bot.Hosting;
using SendPlans.Bot.Reports;
using SendPlans.Bot.Views;

var builder = WebApplication.CreateBuilder(args);

builder.AddSendPlansFeatures();
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
