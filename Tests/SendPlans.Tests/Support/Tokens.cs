namespace SendPlans.Tests.Support;

public static class Tokens
{
    /// <summary>The token with its 21st character changed: still well formed, no longer what was signed.</summary>
    public static string Tampered(string token) => token[..20] + (token[20] == 'A' ? 'B' : 'A') + token[21..];
}
