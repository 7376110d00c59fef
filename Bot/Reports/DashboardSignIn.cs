using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace SendPlans.Bot.Reports;

/// <summary>
/// How staff sign in to the dashboard outside dev mode. Scripts send an Entra ID access token
/// (JWT bearer). Browsers are sent to Entra ID (OpenID Connect, authorization code with PKCE),
/// come back to <see cref="CallbackPath"/>, and then carry an encrypted cookie for the dashboard's
/// paths only. The cookie and the sign-in state are protected with the app's Data Protection
/// keys, which live in table storage, so any instance can finish a sign-in another one started.
/// </summary>
public static class DashboardSignIn
{
    public const string CallbackPath = "/dashboard/signin-oidc";
    public const string CookieName = "sendplans-dashboard";

    public static void AddDashboardSignIn(this IServiceCollection services, ReportsOptions reports)
    {
        // Only the dashboard authenticates this way, by asking for the schemes itself; /api/messages keeps its own Bot Framework check.
        var authentication = services.AddAuthentication();
        if (!reports.SignInConfigured)
        {
            return;
        }
        authentication.AddJwtBearer(DashboardAccess.Scheme, o =>
        {
            o.Authority = reports.Authority;
            o.Audience = reports.BearerAudience;
            o.MapInboundClaims = false;
            o.RequireHttpsMetadata = !reports.AuthorityIsLoopbackHttp;
        });
        if (!reports.BrowserSignInConfigured)
        {
            return;
        }
        // Plain http only when the identity provider is on this machine (tests); Secure cookies otherwise.
        var secure = reports.AuthorityIsLoopbackHttp ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        authentication
            .AddCookie(DashboardAccess.CookieScheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.Path = "/dashboard";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = secure;
                o.ExpireTimeSpan = reports.SignInLifetime;
                o.SlidingExpiration = false;
            })
            .AddOpenIdConnect(DashboardAccess.SignInScheme, o =>
            {
                o.Authority = reports.Authority;
                o.ClientId = reports.ClientId;
                o.ClientSecret = reports.ClientSecret;
                o.ResponseType = OpenIdConnectResponseType.Code;
                // A GET back to us, so the correlation cookie can be SameSite=Lax.
                o.ResponseMode = OpenIdConnectResponseMode.Query;
                o.UsePkce = true;
                o.CallbackPath = CallbackPath;
                o.SignInScheme = DashboardAccess.CookieScheme;
                o.MapInboundClaims = false;
                o.SaveTokens = false;
                o.RequireHttpsMetadata = !reports.AuthorityIsLoopbackHttp;
                o.TokenValidationParameters.NameClaimType = "name";
                foreach (var cookie in new[] { o.CorrelationCookie, o.NonceCookie })
                {
                    cookie.SameSite = SameSiteMode.Lax;
                    cookie.SecurePolicy = secure;
                }
                o.Events.OnRemoteFailure = FailedAsync;
            });
    }

    /// <summary>A sign-in that went wrong (a stale or tampered link back, or Entra ID said no): a page that says what to do, no details.</summary>
    private static async Task FailedAsync(RemoteFailureContext context)
    {
        context.HandleResponse();
        Log.SignInFailed(context.HttpContext.RequestServices.GetRequiredService<ILogger<TermDashboard>>(), context.Failure?.GetType().Name ?? "unknown");
        await DashboardPage.WriteNoticeAsync(context.HttpContext, StatusCodes.Status400BadRequest, "Sign-in did not work",
            "We could not sign you in to the term dashboard. Please open the dashboard again from the link in Teams. If it keeps happening, ask your school's admin.");
    }
}
