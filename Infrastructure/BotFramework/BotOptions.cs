namespace SendPlans.Infrastructure.BotFramework;

public sealed class BotOptions
{
    public const string Section = "Bot";
    public const string PublicOpenIdMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";
    public const string BotFrameworkIssuer = "https://api.botframework.com";
    public const string ConnectorScope = "https://api.botframework.com/.default";

    /// <summary>The bot's Microsoft App ID. Empty only in dev mode (loopback addresses only).</summary>
    public string? AppId { get; set; }

    public string? AppPassword { get; set; }

    /// <summary>A PFX or PEM file holding the bot's certificate, instead of a password.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>The tenant of a single-tenant bot.</summary>
    public string? TenantId { get; set; }

    public string OpenIdMetadataUrl { get; set; } = PublicOpenIdMetadataUrl;

    /// <summary>Metadata for the tenant's Entra ID issuer; derived from TenantId when empty.</summary>
    public string? TenantOpenIdMetadataUrl { get; set; }

    /// <summary>The shortest time between two key refreshes caused by an unknown key id.</summary>
    public TimeSpan MetadataRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an invoke may run before Teams gets an answer and the work goes on in the background.</summary>
    public TimeSpan InvokeBudget { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Where MSAL asks for tokens; Entra ID's public cloud by default.</summary>
    public string AuthorityHost { get; set; } = "https://login.microsoftonline.com";

    public bool AuthenticationEnabled => !string.IsNullOrWhiteSpace(AppId);

    public string? EffectiveTenantOpenIdMetadataUrl =>
        !string.IsNullOrWhiteSpace(TenantOpenIdMetadataUrl) ? TenantOpenIdMetadataUrl
        : string.IsNullOrWhiteSpace(TenantId) ? null
        : $"{AuthorityHost.TrimEnd('/')}/{TenantId}/v2.0/.well-known/openid-configuration";
}
