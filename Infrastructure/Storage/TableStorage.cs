using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace SendPlans.Infrastructure.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Azure Table Storage connection string; Azurite's well-known one by default.</summary>
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>Prefix for every table name, so several test runs or deployments can share one account.</summary>
    public string TablePrefix { get; set; } = "";
}

/// <summary>Hands out table clients, creating each table once per process on first use.</summary>
public sealed class TableStorage(IOptions<StorageOptions> options)
{
    private readonly TableServiceClient _service = new(options.Value.ConnectionString, new TableClientOptions
    {
        Retry = { MaxRetries = 3, Delay = TimeSpan.FromMilliseconds(200) },
    });
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new();
    private readonly string _prefix = options.Value.TablePrefix;

    public Task<TableClient> GetTableAsync(string name, CancellationToken cancellationToken = default) =>
        _tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(() => CreateAsync(n, cancellationToken))).Value;

    private async Task<TableClient> CreateAsync(string name, CancellationToken cancellationToken)
    {
        var client = _service.GetTableClient(_prefix + name);
        try
        {
            await client.CreateIfNotExistsAsync(cancellationToken);
        }
        catch
        {
            _tables.TryRemove(name, out _);
            throw;
        }
        return client;
    }

    /// <summary>True when the storage account answers; used by /readyz.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _service.GetPropertiesAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException or OperationCanceledException or AggregateException)
        {
            return false;
        }
    }
}

public static class TableKeys
{
    /// <summary>
    /// A row or partition key made from free text. Table keys may not hold / \ # ? or control
    /// characters, and ids from Teams can; a hash is stable, short and always legal.
    /// </summary>
    public static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..32];

    /// <summary>
    /// The filter for the rows of one partition whose row key starts with <paramref name="prefix"/>:
    /// from the prefix up to (not including) the prefix with its last character raised by one.
    /// </summary>
    public static string StartsWith(string partitionKey, string prefix) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {prefix} and RowKey lt {prefix[..^1] + (char)(prefix[^1] + 1)}");

    public static bool IsConflict(this RequestFailedException e) => e.Status == 409;
    public static bool IsNotFound(this RequestFailedException e) => e.Status == 404;
    public static bool IsPreconditionFailed(this RequestFailedException e) => e.Status == 412;
}
