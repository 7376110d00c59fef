using SendPlans.Bot.Conversation;
using SendPlans.Bot.Hosting;
using SendPlans.Bot.ParentLinks;

var builder = WebApplication.CreateBuilder(args);

builder.AddBotHosting();
builder.AddConversation();
builder.AddParentLinks();

var app = builder.Build();

app.MapBotEndpoints();

app.Run();

public partial class Program;
