using Microsoft.Extensions.Options;
using SendPlans.Infrastructure.BotFramework;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Bot.Hosting;

/// <summary>
/// Checks the bot's settings at start, so a bad deployment fails at boot with the key to fix
/// rather than at the first message.
/// </summary>
public sealed class BotOptionsValidator(IConfiguration configuration) : IValidateOptions<BotOptions>
{
    public ValidateOptionsResult Validate(string? name, BotOptions options)
    {
        var failures = new List<string>();
        if (!options.AuthenticationEnabled)
        {
            var open = ListeningAddresses.FromConfiguration(configuration).Where(a => !ListeningAddresses.IsLoopback(a)).ToList();
            if (open.Count > 0)
            {
                failures.Add($"Bot:AppId is required. Authentication can be off (dev mode) only when every listening address is loopback, but the host would listen on {string.Join(", ", open)}.");
            }
        }
        else
        {
            if (string.IsNullOrWhiteSpace(options.AppPassword) && string.IsNullOrWhiteSpace(options.CertificatePath))
            {
                failures.Add("Bot:AppPassword or Bot:CertificatePath is required when Bot:AppId is set.");
            }
            if (!string.IsNullOrWhiteSpace(options.CertificatePath) && !File.Exists(options.CertificatePath))
            {
                failures.Add($"Bot:CertificatePath names a file that does not exist: {options.CertificatePath}.");
            }
        }
        CheckMetadataUrl(failures, "Bot:OpenIdMetadataUrl", options.OpenIdMetadataUrl);
        if (!string.IsNullOrWhiteSpace(options.TenantOpenIdMetadataUrl))
        {
            CheckMetadataUrl(failures, "Bot:TenantOpenIdMetadataUrl", options.TenantOpenIdMetadataUrl);
        }
        if (options.InvokeBudget <= TimeSpan.Zero || options.InvokeBudget > TimeSpan.FromSeconds(5))
        {
            failures.Add("Bot:InvokeBudget must be more than 0 and at most 5 seconds: Teams shows an error after 5.");
        }
        if (options.MetadataRefreshInterval < TimeSpan.Zero)
        {
            failures.Add("Bot:MetadataRefreshInterval must not be negative.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckMetadataUrl(List<string> failures, string key, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            failures.Add($"{key} must be an absolute URL.");
        }
        else if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
        {
            failures.Add($"{key} must use https; http is allowed only on a loopback host.");
        }
    }
}

public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
        string.IsNullOrWhiteSpace(options.ConnectionString)
            ? ValidateOptionsResult.Fail("Storage:ConnectionString must not be empty.")
            : ValidateOptionsResult.Success;
}
