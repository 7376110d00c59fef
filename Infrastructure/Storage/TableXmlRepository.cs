using System.Xml.Linq;
using Azure.Data.Tables;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace SendPlans.Infrastructure.Storage;

/// <summary>
/// Keeps the ASP.NET Core Data Protection key ring in Azure Tables, so every instance signs
/// and reads parent links with the same keys and a restart does not void links already sent.
/// (The Azure Blob key store package is not available here; this is the same idea, small.)
/// </summary>
public sealed class TableXmlRepository(TableStorage storage) : IXmlRepository
{
    private const string Table = "DataProtectionKeys";
    private const string Partition = "keys";

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        // IXmlRepository is synchronous; it is called rarely (key ring refresh, about daily).
        var table = storage.GetTableAsync(Table).GetAwaiter().GetResult();
        return [.. table.Query<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"))
            .Select(e => XElement.Parse(e.GetString("Xml")!))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        var table = storage.GetTableAsync(Table).GetAwaiter().GetResult();
        var rowKey = string.IsNullOrWhiteSpace(friendlyName) ? Guid.NewGuid().ToString("N") : TableKeys.Hash(friendlyName);
        table.UpsertEntity(new TableEntity(Partition, rowKey) { ["Xml"] = element.ToString(SaveOptions.DisableFormatting) }, TableUpdateMode.Replace);
    }
}
