using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.DataProtection;

namespace SendPlans.Bot.ParentLinks;

/// <summary>What a parent's link lets them do: give views on the plan, or answer the invite.</summary>
public enum ParentLinkPurpose { Views, Booking }

/// <summary>Who and what a link is for. It names one contact of one pupil, for one term.</summary>
public sealed record ParentLink(
    [property: JsonPropertyName("p")] ParentLinkPurpose Purpose,
    [property: JsonPropertyName("s")] string SchoolId,
    [property: JsonPropertyName("u")] string PupilId,
    [property: JsonPropertyName("c")] string ContactId,
    [property: JsonPropertyName("t")] string TermId,
    [property: JsonPropertyName("x")] DateTimeOffset ExpiresAt);

public enum ParentLinkProblem { None, Unreadable, Expired }

public sealed record ParentLinkResult(ParentLink? Link, ParentLinkProblem Problem)
{
    public bool IsValid => Problem == ParentLinkProblem.None;
}

[JsonSerializable(typeof(ParentLink))]
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
internal sealed partial class ParentLinkJsonContext : JsonSerializerContext;

/// <summary>
/// Signed, encrypted, expiring tokens for parents' links, made with ASP.NET Core Data
/// Protection. Each purpose has its own protector, so a views link cannot be used to move a
/// meeting. Nothing in the token is readable without the key ring.
/// </summary>
public sealed class ParentLinkTokens(IDataProtectionProvider provider, TimeProvider time)
{
    private const string ProtectorPurpose = "SendPlans.ParentLinks.v1";

    public string Create(ParentLink link) =>
        Protector(link.Purpose).Protect(JsonSerializer.SerializeToUtf8Bytes(link, ParentLinkJsonContext.Default.ParentLink)) is var bytes
            ? Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(bytes)
            : throw new InvalidOperationException();

    public ParentLinkResult Read(string? token, ParentLinkPurpose purpose)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 2048)
        {
            return new(null, ParentLinkProblem.Unreadable);
        }
        ParentLink? link;
        try
        {
            var bytes = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(token);
            link = JsonSerializer.Deserialize(Protector(purpose).Unprotect(bytes), ParentLinkJsonContext.Default.ParentLink);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or JsonException)
        {
            return new(null, ParentLinkProblem.Unreadable);
        }
        if (link is null || link.Purpose != purpose)
        {
            return new(null, ParentLinkProblem.Unreadable);
        }
        return link.ExpiresAt <= time.GetUtcNow() ? new(link, ParentLinkProblem.Expired) : new(link, ParentLinkProblem.None);
    }

    private IDataProtector Protector(ParentLinkPurpose purpose) => provider.CreateProtector(ProtectorPurpose, purpose.ToString());
}
