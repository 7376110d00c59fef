using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using SendPlans.Infrastructure.Storage;

namespace SendPlans.Bot.ParentLinks;

public static class ParentLinksExtensions
{
    /// <summary>Data Protection with its key ring in Azure Tables (shared by every instance), and the link tokens.</summary>
    public static WebApplicationBuilder AddParentLinks(this WebApplicationBuilder builder)
    {
        builder.Services.AddDataProtection().SetApplicationName("SendPlans.Bot");
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new TableXmlRepository(sp.GetRequiredService<TableStorage>())));
        builder.Services.AddSingleton<ParentLinkTokens>();
        return builder;
    }
}
