using SendPlans.Bot.Roster;

namespace SendPlans.Bot.DataProtection;

public static class DataProtectionExtensions
{
    /// <summary>Role-based access in front of every pupil read, the plan audit, erasure and retention.</summary>
    public static IServiceCollection AddPupilDataProtection(this IServiceCollection services)
    {
        services.AddSingleton<RoleBasedAccess>();
        services.AddSingleton<IRosterAccess>(sp => sp.GetRequiredService<RoleBasedAccess>());
        services.AddSingleton<PlanAudit>();
        services.AddSingleton<IPupilDataEraser, RosterPupilEraser>();
        services.AddSingleton<PupilErasure>();
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section)
            .Validate(o => o.KeepAfterLeaving > TimeSpan.Zero, "Retention:KeepAfterLeaving must be more than zero.")
            .Validate(o => o.RunEvery >= TimeSpan.FromMinutes(1), "Retention:RunEvery must be at least a minute.")
            .ValidateOnStart();
        services.AddSingleton<RetentionJob>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionJob>());
        return services;
    }
}
