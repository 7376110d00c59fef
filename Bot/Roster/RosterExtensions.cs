using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SendPlans.Bot.Conversation;
using SendPlans.Bot.DataProtection;
using SendPlans.Bot.Hosting;
using SendPlans.Bot.Roster.Demo;
using SendPlans.Bot.Roster.Import;
using SendPlans.Bot.Terms;
using SendPlans.Infrastructure.BotFramework;

namespace SendPlans.Bot.Roster;

public static partial class RosterExtensions
{
    /// <summary>The school's data: roster and term stores, the import (CLI and Teams) and the demo school.</summary>
    public static WebApplicationBuilder AddRoster(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddMemoryCache();
        services.TryAddSingleton<StaffDirectory>();
        services.AddPupilDataProtection();
        services.AddSingleton<RosterStore>();
        services.AddSingleton<SchoolCalendarStore>();
        services.AddSingleton<RosterImporter>();
        services.AddSingleton<DemoSchoolSeeder>();
        services.AddScoped<TeamsRosterImport>();
        services.AddSingleton<OfficeContact>();
        services.AddSingleton(new BotCommand("office contact", "See, or (admin) change, how parents whose link no longer works can reach the school office."));
        services.AddSingleton(new BotCommand("import roster", "Send me the pupils, contacts and staff CSV files to update the roster; add 'dry run' to preview.", StaffRole.Admin));
        services.AddBotRoutes(router => router
            .OnMessage(TeamsFileDownloader.HasFiles, (context, ct) => Handler(context).HandleFilesAsync(context, ct))
            .OnMessage(ImportPattern(), (context, ct) => Handler(context).ExplainAsync(context, ct))
            .OnMessage(OfficeContact.Pattern(), (context, ct) => context.Services.GetRequiredService<OfficeContact>().HandleAsync(context, ct)));
        return builder;
    }

    private static TeamsRosterImport Handler(TurnContext context) => context.Services.GetRequiredService<TeamsRosterImport>();

    [GeneratedRegex(@"^(import( the)? roster|roster import)$", RegexOptions.IgnoreCase)]
    private static partial Regex ImportPattern();
}
