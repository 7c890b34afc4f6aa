using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using TelemetryPortal.Web.Configuration;

namespace TelemetryPortal.Web.Security;

/// <summary>
/// Adds the security headers to every response: a content security policy that Blazor Server and MudBlazor
/// work under, frame refusal, no MIME sniffing and a referrer policy.
/// </summary>
public sealed class SecurityHeadersMiddleware
{
    private const string NonceKey = "TelemetryPortal.CspNonce";

    private readonly RequestDelegate _next;
    private readonly string _formAction;

    public SecurityHeadersMiddleware(RequestDelegate next, IOptions<PortalAuthenticationOptions> options)
    {
        _next = next;
        // Sign-in and sign-out forms end in a redirect to the provider, which form-action also governs.
        var provider = options.Value.IsOidc && options.Value.Oidc.AuthorityUri is { } authority
            ? " " + authority.GetLeftPart(UriPartial.Authority)
            : "";
        _formAction = "'self'" + provider;
    }

    /// <summary>The nonce that lets the page's own inline script (Blazor's import map) run; one per request.</summary>
    public static string? GetNonce(HttpContext context) => context.Items[NonceKey] as string;

    public Task InvokeAsync(HttpContext context)
    {
        // Hex, not Base64: a '+' would be written into the page's attribute as "&#x2B;" (the same
        // nonce to a browser, but not byte for byte what the header says).
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        // Set when the response starts, so that error pages re-executed after a cleared response keep them.
        context.Response.OnStarting(() =>
        {
            AddHeaders(context.Response.Headers, nonce);
            return Task.CompletedTask;
        });
        return _next(context);
    }

    private void AddHeaders(IHeaderDictionary headers, string nonce)
    {
        headers.ContentSecurityPolicy = string.Join("; ",
            "default-src 'self'",
            $"script-src 'self' 'nonce-{nonce}'",
            // MudBlazor positions popovers and themes with style attributes and a generated <style> element.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            // 'self' covers the circuit's WebSocket to the same host.
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            $"form-action {_formAction}",
            "frame-ancestors 'none'");
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
    }
}
