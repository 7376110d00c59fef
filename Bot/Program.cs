using SendPlans.Bot.Conversation;
using SendPlans.Bot.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddBotHosting();
builder.AddConversation();

var app = builder.Build();

app.MapBotEndpoints();

app.Run();

public partial class Program;
