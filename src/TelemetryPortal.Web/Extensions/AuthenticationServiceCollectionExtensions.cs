using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Configuration;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Endpoints.Api;
using TelemetryPortal.Web.Features.Licensing.Desk;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Web.Extensions;

/// <summary>
/// Who is signing in and what they may do: local accounts or OpenID Connect for people, API tokens for
/// scripts, the policies each route declares, the sign-in rate limit and the security headers.
/// </summary>
public static class AuthenticationServiceCollectionExtensions
{
    /// <summary>Chooses the cookie or the API token for each request.</summary>
    public const string PortalScheme = "Portal";

    /// <summary>The rate limiter policy on sign-in form posts.</summary>
    public const string SignInRateLimit = "sign-in";

    /// <summary>
    /// Cookie sessions (signed in by a local account or, with <c>Authentication:Mode=Oidc</c>, by the provider),
    /// bearer API tokens on the API, a policy per audience (refusal for a route that declares none), data protection keys in
    /// the database, and the sign-in rate limit.
    /// </summary>
    public static IServiceCollection AddPortalAuthentication(this IServiceCollection services)
    {
        services.AddOptions<PortalAuthenticationOptions>().BindConfiguration(PortalAuthenticationOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PortalAuthenticationOptions>, PortalAuthenticationOptionsValidator>();

        // Keys live in the database, so that sign-in cookies survive a restart and every instance on one database
        // reads the cookies and antiforgery tokens of the others.
        services.AddDataProtection()
            .SetApplicationName("TelemetryPortal")
            .PersistKeysToDbContext<PortalDbContext>();
        // The antiforgery cookie is Secure whenever the page came over HTTPS, like the session cookie.
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);

        var authentication = services.AddAuthentication(o =>
            {
                o.DefaultScheme = PortalScheme;
                o.DefaultSignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            })
            .AddPolicyScheme(PortalScheme, "Cookie or API token", o => o.ForwardDefaultSelector = context =>
                IsApi(context.Request) && ApiTokenAuthenticationHandler.HasBearerToken(context.Request)
                    ? ApiTokenAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, "API token", null)
            .AddCookie(o =>
            {
                o.LoginPath = "/account/login";
                o.LogoutPath = "/account/logout";
                o.AccessDeniedPath = "/account/access-denied";
                o.Cookie.Name = "TelemetryPortal.Auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                // The API answers 401 and 403; only pages redirect to sign-in.
                o.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
                // A password reset or a disabled account ends the account's sessions.
                o.Events.OnValidatePrincipal = LocalSessionValidation.ValidatePrincipalAsync;
            });

        AddOidcWhenChosen(services);
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, DeclaredAccessHandler>();
        services.AddAuthorizationBuilder().AddPortalPolicies();
        services.AddCascadingAuthenticationState();
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, LocalSessionRevalidatingStateProvider>();
        services.AddRateLimiter(ConfigureSignInRateLimit);
        return services;
    }

    /// <summary>Whether <paramref name="request"/> is for the JSON API or its description (401/403 rather than redirects; bearer tokens accepted).</summary>
    public static bool IsApi(HttpRequest request) => IsApiPath(request.Path);

    private static bool IsApiPath(PathString path) =>
        path.StartsWithSegments(ApiEndpoints.Prefix, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether the request comes from a program rather than a person's browser: the API, Coder's reports
    /// (<c>POST /snapshot</c>, <c>/deployment</c>), the collector, the license desk (<c>/desk</c>), and anything that is not a GET or HEAD
    /// (a browser only navigates with those; its one form post, the sign-in, is anonymous). Such requests get
    /// bare status codes, never a redirect to a sign-in page: Go's HTTP client, as Coder uses it, follows a
    /// redirect and would take the sign-in page's 200 for a delivered report.
    /// </summary>
    public static bool IsMachineRequest(HttpRequest request) =>
        IsMachineEndpoint(request.Path) || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method));

    /// <summary>Whether <paramref name="path"/> is an endpoint only programs call: the API, Coder's reports, the collector, the desk.</summary>
    public static bool IsMachineEndpoint(PathString path) =>
        IsApiPath(path) || TelemetryIngestEndpoints.IsMachinePath(path) || DeskEndpoints.IsMachinePath(path);

    // What AddOpenIdConnect registers, except that the scheme itself is added only when the validated settings
    // choose OIDC: the handler checks its options on every request, so it must not exist in local mode. The
    // settings are read when the options are built, so that every configuration source (tests too) is seen.
    private static void AddOidcWhenChosen(IServiceCollection services)
    {
        const string Scheme = OpenIdConnectDefaults.AuthenticationScheme;
        services.AddOptions<Microsoft.AspNetCore.Authentication.AuthenticationOptions>()
            .Configure<IOptions<PortalAuthenticationOptions>>((auth, portal) =>
            {
                if (portal.Value.IsOidc)
                {
                    auth.AddScheme<OpenIdConnectHandler>(Scheme, portal.Value.Oidc.DisplayName);
                }
            });
        services.AddOptions<OpenIdConnectOptions>(Scheme)
            .Configure<IOptions<PortalAuthenticationOptions>>((o, portal) => ConfigureOidc(o, portal.Value.Oidc))
            .Validate(o =>
            {
                o.Validate(Scheme);
                return true;
            });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OpenIdConnectOptions>, OpenIdConnectPostConfigureOptions>());
        services.AddTransient<OpenIdConnectHandler>();
    }

    private static void ConfigureOidc(OpenIdConnectOptions o, OidcProviderOptions oidc)
    {
        o.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        o.Authority = oidc.Authority;
        o.ClientId = oidc.ClientId;
        o.ClientSecret = string.IsNullOrEmpty(oidc.ClientSecret) ? null : oidc.ClientSecret;
        o.ResponseType = "code";
        o.UsePkce = true;
        // The code comes back in a top-level GET, so the correlation cookies can stay SameSite=Lax.
        o.ResponseMode = "query";
        o.Scope.Clear();
        foreach (var scope in oidc.ScopeList)
        {
            o.Scope.Add(scope);
        }

        o.MapInboundClaims = false;
        o.RequireHttpsMetadata = !oidc.IsLoopbackAuthority;
        o.SaveTokens = true; // the id token is the hint for the provider's end-session endpoint
        o.GetClaimsFromUserInfoEndpoint = true;
        o.ClaimActions.MapJsonKey(oidc.RoleClaim, oidc.RoleClaim);
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.SignedOutRedirectUri = "/account/login?signedOut=true";
        o.Events.OnTicketReceived = context =>
        {
            context.Principal = OidcPrincipal.Create(context.Principal!, oidc);
            return Task.CompletedTask;
        };
        o.Events.OnRemoteFailure = context =>
        {
            context.HandleResponse();
            context.Response.Redirect("/account/login?externalError=true");
            return Task.CompletedTask;
        };
    }

    private static void ConfigureSignInRateLimit(Microsoft.AspNetCore.RateLimiting.RateLimiterOptions o)
    {
        o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            if (!HttpMethods.IsPost(context.Request.Method)
                || !(context.Request.Path.Equals("/account/login", StringComparison.OrdinalIgnoreCase)
                    || context.Request.Path.Equals("/account/external-login", StringComparison.OrdinalIgnoreCase)))
            {
                return RateLimitPartition.GetNoLimiter("");
            }

            var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            var permits = context.RequestServices.GetRequiredService<IOptions<PortalAuthenticationOptions>>().Value.SignInAttemptsPerMinute;
            return RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });
        });
        o.OnRejected = async (context, ct) =>
        {
            context.HttpContext.Response.Headers.RetryAfter = "60";
            context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
            await context.HttpContext.Response.WriteAsync(
                "Too many sign-in attempts from your address. Wait a minute, then try again.", ct);
        };
    }

    private static Task ApiAwareRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsMachineRequest(context.Request))
        {
            context.Response.StatusCode = status;
        }
        else if (status == StatusCodes.Status403Forbidden && context.HttpContext.User.GetPortalRole() is null)
        {
            // Signed in, but the provider gave no role the portal knows: one clear page, not a loop of refusals.
            context.Response.Redirect("/account/no-access");
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Turns the provider's claims into the portal's: a name, a display name and the mapped roles.</summary>
public static class OidcPrincipal
{
    /// <summary>The claim with the provider's subject id.</summary>
    public const string Subject = "sub";

    /// <summary>The portal principal for a provider's <paramref name="external"/> user.</summary>
    public static ClaimsPrincipal Create(ClaimsPrincipal external, OidcProviderOptions oidc)
    {
        var subjectClaim = external.FindFirst(Subject);
        var subject = subjectClaim?.Value ?? "";
        // The provider's user is its issuer and subject together: subjects are unique only within one issuer.
        var issuer = subjectClaim?.Issuer is { Length: > 0 } iss && iss != ClaimsIdentity.DefaultIssuer ? iss : oidc.Authority ?? "";
        var userName = external.FindFirstValue("preferred_username") ?? external.FindFirstValue("email") ?? external.FindFirstValue("name") ?? subject;
        var displayName = external.FindFirstValue("name") ?? userName;
        var claims = new List<Claim>
        {
            // Not a number, so it is never mistaken for a local account id.
            new(ClaimTypes.NameIdentifier, $"oidc:{issuer}#{subject}"),
            new(Subject, subject),
            new(ClaimTypes.Name, userName),
            new(PortalClaims.DisplayName, displayName),
        };
        if (external.FindFirstValue("email") is { } email)
        {
            claims.Add(new Claim(ClaimTypes.Email, email));
        }

        var values = external.FindAll(oidc.RoleClaim).Select(c => c.Value);
        claims.AddRange(oidc.MapRoles(values).Select(role => new Claim(ClaimTypes.Role, role)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, OpenIdConnectDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}
