using SendPlans.Bot.Roster.Import;
using SendPlans.Bot.Terms;

namespace SendPlans.Bot.Roster.Demo;

/// <summary>
/// Puts the demo school in the store when it is not there yet. The settings row is written
/// last and marks the school as seeded, so a run that stopped half way simply runs again.
/// </summary>
public sealed class DemoSchoolSeeder(SchoolCalendarStore calendar, RosterImporter importer, RosterStore store, ILogger<DemoSchoolSeeder> logger)
{
    /// <summary>True when it seeded; false when the demo school was already there.</summary>
    public async Task<bool> SeedIfEmptyAsync(CancellationToken cancellationToken)
    {
        if (await calendar.GetSettingsAsync(DemoSchool.Id, cancellationToken) is not null)
        {
            Log.DemoAlreadySeeded(logger, DemoSchool.Id);
            return false;
        }
        var demo = DemoSchool.Generate();
        var report = await importer.ApplyAsync(demo.Roster, dryRun: false, cancellationToken);
        if (!report.Succeeded)
        {
            throw new InvalidOperationException("The demo school could not be stored: " + string.Join("; ", report.Problems));
        }
        await calendar.CreateTermsAsync(demo.Terms, cancellationToken);
        foreach (var (year, channel) in demo.AlertChannels)
        {
            await store.UpdateYearGroupAsync(DemoSchool.Id, year,
                y => y.AlertChannel is null ? y with { AlertChannel = channel, AlertChannelIsPlaceholder = true } : y,
                cancellationToken);
        }
        await calendar.CreateSettingsAsync(demo.Settings, cancellationToken);
        Log.DemoSeeded(logger, DemoSchool.Id, demo.Roster.Pupils!.Count, demo.Roster.Contacts!.Count, demo.Roster.Staff!.Count);
        return true;
    }
}
