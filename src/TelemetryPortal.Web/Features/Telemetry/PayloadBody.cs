using Microsoft.AspNetCore.Http.Features;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>Request bodies read as they arrive (never whole), up to a limit of ours.</summary>
internal static class PayloadBody
{
    /// <summary>Raises the server's own body limit (lower by default) to ours, which is checked while reading.</summary>
    public static void AllowUpTo(HttpContext context, long maxBytes)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes + 1;
        }
    }
}
