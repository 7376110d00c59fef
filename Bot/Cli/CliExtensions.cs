namespace SendPlans.Bot.Cli;

public static class CliExtensions
{
    /// <summary>A command run keeps the console for its report: only warnings and errors are logged.</summary>
    public static WebApplicationBuilder AddCommandLine(this WebApplicationBuilder builder, string[] args)
    {
        if (CommandLine.IsCommand(args))
        {
            // Configuration's log levels outrank SetMinimumLevel, so the override goes there.
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
        }
        return builder;
    }

    /// <summary>Runs a command given on the command line; false when there is none and the host should start.</summary>
    public static async Task<bool> RunCommandAsync(this WebApplication app, string[] args)
    {
        if (!CommandLine.IsCommand(args))
        {
            return false;
        }
        var commandLine = new CommandLine(app.Services, Console.Out, Console.Error);
        Environment.ExitCode = await commandLine.RunAsync(args, app.Lifetime.ApplicationStopping);
        return true;
    }
}
