using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using TelemetryPortal.Web.Configuration;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Web.Extensions;

/// <summary>The request pipeline's security steps, in order.</summary>
public static class SecurityApplicationBuilderExtensions
{
    /// <summary>
    /// Believes <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> from <c>Portal:TrustedProxies</c> only
    /// (none by default). Must come first, before anything reads the scheme or the client's address.
    /// </summary>
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        var proxies = app.Services.GetRequiredService<IOptions<PortalOptions>>().Value.TrustedProxies;
        if (proxies.Count == 0)
        {
            return app;
        }

        var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        // Only the configured proxies (the defaults would trust any loopback caller too).
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
        {
            forwarded.KnownIPNetworks.Add(ProxySettings.ParseNetwork(proxy));
        }

        app.UseForwardedHeaders(forwarded);
        return app;
    }

    /// <summary>The sign-in rate limit, sign-in, authorization (each route's declared access) and antiforgery.</summary>
    public static WebApplication UsePortalSecurity(this WebApplication app)
    {
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }
}
