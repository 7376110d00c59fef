using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SendPlans.Bot.Hosting;
using SendPlans.Bot.Roster;
using SendPlans.Infrastructure.BotFramework;

namespace SendPlans.Bot.Reports;

/// <summary>
/// Who may see a school's dashboard. In dev mode (no Bot:AppId, so the host listens on loopback
/// only) a local request may. Otherwise the request must carry an Entra ID token (JWT bearer), or
/// the cookie of a browser sign-in (<see cref="DashboardSignIn"/>), whose user is on that school's
/// staff list as SENCo, SLT or Admin.
/// </summary>
public sealed class DashboardAccess(IOptions<BotOptions> bot, IOptions<ReportsOptions> options, StaffDirectory staff)
{
    public const string Scheme = "Dashboard";
    public const string CookieScheme = "DashboardCookie";
    public const string SignInScheme = "DashboardSignIn";

    public static readonly StaffRole[] Roles = [StaffRole.SENCo, StaffRole.SLT, StaffRole.Admin];

    private const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    public static bool MaySee(StaffMember member, string schoolId) => MaySee(member, schoolId, Roles);

    public static bool MaySee(StaffMember member, string schoolId, IReadOnlyList<StaffRole> roles) =>
        string.Equals(member.SchoolId, schoolId, StringComparison.Ordinal) && roles.Any(member.Is);

    /// <summary>Whether the reader <see cref="CheckAsync(HttpContext, string, CancellationToken)"/> gave may also see a page for <paramref name="roles"/> (dev mode: yes).</summary>
    public static bool MaySee(RosterReader reader, IReadOnlyList<StaffRole> roles) => reader.Staff is not { } member || roles.Any(member.Is);

    private static string Describe(IReadOnlyList<StaffRole> roles) =>
        roles.Count == 1 ? roles[0].ToString() : $"{string.Join(", ", roles.Take(roles.Count - 1))} or {roles[^1]}";

    /// <summary>The reader to count with, or the status to refuse with (401 not signed in, 403 not allowed) and why.</summary>
    public Task<(RosterReader? Reader, int Status, string Reason)> CheckAsync(HttpContext http, string schoolId, CancellationToken cancellationToken) =>
        CheckAsync(http, schoolId, Roles, "term dashboard", cancellationToken);

    /// <summary>
    /// As above for a page under /dashboard that fewer roles may see (the same sign-in and cookie):
    /// the user must hold one of <paramref name="roles"/> in that school; <paramref name="purpose"/> goes to the plan audit.
    /// </summary>
    public async Task<(RosterReader? Reader, int Status, string Reason)> CheckAsync(HttpContext http, string schoolId, IReadOnlyList<StaffRole> roles, string purpose, CancellationToken cancellationToken)
    {
        if (!bot.Value.AuthenticationEnabled && ListeningAddresses.IsLocalClient(http.Connection.RemoteIpAddress))
        {
            return (RosterReader.System($"{purpose} (dev mode)"), StatusCodes.Status200OK, "dev mode");
        }
        if (!options.Value.SignInConfigured)
        {
            return (null, StatusCodes.Status401Unauthorized, "no sign-in configured");
        }
        var result = await http.AuthenticateAsync(UsesBearer(http) || !options.Value.BrowserSignInConfigured ? Scheme : CookieScheme);
        if (!result.Succeeded || result.Principal is not { Identity.IsAuthenticated: true } user)
        {
            return (null, StatusCodes.Status401Unauthorized, "not signed in");
        }
        var objectId = user.FindFirstValue(ObjectIdClaim) ?? user.FindFirstValue("oid");
        var member = await staff.FindByEntraIdAsync(objectId, cancellationToken);
        if (member is null || !MaySee(member, schoolId, roles))
        {
            return (null, StatusCodes.Status403Forbidden, $"not {Describe(roles)} of this school");
        }
        return (RosterReader.For(member, purpose), StatusCodes.Status200OK, "signed in");
    }

    /// <summary>A browser that is not signed in is sent to Entra ID; a script (a bearer token) is not.</summary>
    public bool ShouldSendToSignIn(HttpContext http) =>
        options.Value.BrowserSignInConfigured && !UsesBearer(http) && !(!bot.Value.AuthenticationEnabled && ListeningAddresses.IsLocalClient(http.Connection.RemoteIpAddress));

    public static bool UsesBearer(HttpContext http) =>
        http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
}
