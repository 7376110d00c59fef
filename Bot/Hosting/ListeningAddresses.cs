using System.Net;
using Microsoft.Extensions.Configuration;

namespace SendPlans.Bot.Hosting;

/// <summary>The addresses the host will listen on, read the way Kestrel reads them from configuration.</summary>
public static class ListeningAddresses
{
    public static IReadOnlyList<string> FromConfiguration(IConfiguration configuration)
    {
        var addresses = new List<string>();
        addresses.AddRange(Split(configuration["urls"]));
        addresses.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(e => e["Url"]).OfType<string>());
        // ASPNETCORE_HTTP_PORTS / HTTPS_PORTS bind every interface.
        addresses.AddRange(Split(configuration["http_ports"]).Select(p => $"http://*:{p}"));
        addresses.AddRange(Split(configuration["https_ports"]).Select(p => $"https://*:{p}"));
        return addresses.Count > 0 ? addresses : ["http://localhost:5000"];
    }

    /// <summary>
    /// Whether a request came from this machine (no address: an in-process test server). In dev
    /// mode, that is the only client allowed in without authentication.
    /// </summary>
    public static bool IsLocalClient(IPAddress? remote) => remote is null || IPAddress.IsLoopback(remote);

    public static bool IsLoopback(string address)
    {
        var authority = address.Contains("://", StringComparison.Ordinal) ? address[(address.IndexOf("://", StringComparison.Ordinal) + 3)..] : address;
        var slash = authority.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            authority = authority[..slash];
        }
        string host;
        if (authority.StartsWith('['))
        {
            host = authority[1..authority.IndexOf(']', StringComparison.Ordinal)];
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon >= 0 ? authority[..colon] : authority;
        }
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    private static IEnumerable<string> Split(string? value) =>
        (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
