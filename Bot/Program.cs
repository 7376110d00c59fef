using SendPlans.Bot.Booking;
using SendPlans.Bot.Cli;
using SendPlans.Bot.Hosting;
using SendPlans.Bot.Reports;
using SendPlans.Bot.Views;

// The slim builder leaves out what the bot does not use (HTTP/3, IIS, host filtering, regex route
// constraints, the debug and event-source loggers); HTTPS endpoints in configuration still work.
// It saves memory in every instance (docs/benchmarks.md, RSS).
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseKestrelHttpsConfiguration();

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
