using TelemetryPortal.Web.Authentication;

namespace TelemetryPortal.Web.Extensions;

/// <summary>The request pipeline's security steps, in order.</summary>
public static class SecurityApplicationBuilderExtensions
{
    /// <summary>The sign-in rate limit, sign-in, the access matrix, authorization and antiforgery.</summary>
    public static WebApplication UsePortalSecurity(this WebApplication app)
    {
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseMiddleware<AccessMatrixMiddleware>();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }
}
