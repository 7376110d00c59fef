using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace SendPlans.Infrastructure.BotFramework;

/// <summary>A signing key from an OpenID metadata document, with its Bot Framework endorsements.</summary>
public sealed record EndorsedKey(JsonWebKey Key, IReadOnlySet<string>? Endorsements);

/// <summary>
/// Signing keys from one OpenID metadata URL. Keys are cached for a day and refreshed early
/// when a token names a key id we do not know, at most once per refresh interval, so a
/// stream of made-up key ids cannot turn into a stream of requests to the metadata host.
/// </summary>
public sealed class OpenIdKeyCache(HttpClient http, string metadataUrl, TimeSpan minRefreshInterval, TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyDictionary<string, EndorsedKey> _keys = new Dictionary<string, EndorsedKey>();
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;

    public string MetadataUrl => metadataUrl;

    public async Task<EndorsedKey?> FindKeyAsync(string kid, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now - _fetchedAt > MaxAge)
        {
            await RefreshAsync(force: true, cancellationToken);
        }
        if (_keys.TryGetValue(kid, out var key))
        {
            return key;
        }
        await RefreshAsync(force: false, cancellationToken);
        return _keys.GetValueOrDefault(kid);
    }

    private async Task RefreshAsync(bool force, CancellationToken cancellationToken)
    {
        var seen = _fetchedAt;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_fetchedAt != seen)
            {
                return; // another request refreshed while we waited
            }
            if (!force && time.GetUtcNow() - _fetchedAt < minRefreshInterval)
            {
                return;
            }
            using var metadata = JsonDocument.Parse(await http.GetStringAsync(metadataUrl, cancellationToken));
            var jwksUri = metadata.RootElement.GetProperty("jwks_uri").GetString()
                ?? throw new InvalidOperationException("OpenID metadata has no jwks_uri.");
            var jwks = await http.GetStringAsync(jwksUri, cancellationToken);
            _keys = ParseKeys(jwks);
            _fetchedAt = time.GetUtcNow();
        }
        finally
        {
            _gate.Release();
        }
    }

    internal static Dictionary<string, EndorsedKey> ParseKeys(string jwks)
    {
        var result = new Dictionary<string, EndorsedKey>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(jwks);
        foreach (var element in doc.RootElement.GetProperty("keys").EnumerateArray())
        {
            var key = new JsonWebKey(element.GetRawText());
            if (string.IsNullOrEmpty(key.Kid))
            {
                continue;
            }
            HashSet<string>? endorsements = null;
            if (element.TryGetProperty("endorsements", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                endorsements = list.EnumerateArray()
                    .Select(e => e.GetString())
                    .OfType<string>()
                    .ToHashSet(StringComparer.Ordinal);
            }
            result[key.Kid] = new EndorsedKey(key, endorsements);
        }
        return result;
    }
}
