using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using TelemetryPortal.Web.Endpoints;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>Reads a request body up to a limit, answering 413 beyond it and 400 when there is none.</summary>
internal static class PayloadBody
{
    public static async Task<(byte[]? Body, ProblemHttpResult? Problem)> ReadAsync(HttpContext context, long maxBytes, CancellationToken ct)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            return (null, TooLarge(context.Request.ContentLength.Value, maxBytes));
        }

        AllowUpTo(context, maxBytes);

        using var buffer = new MemoryStream(context.Request.ContentLength is { } length ? (int)length : 64 * 1024);
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (null, TooLarge(buffer.Length + read, maxBytes));
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return (null, Problems.Of(ProblemKind.Invalid, "Empty body", "The request has no body; send the payload as JSON."));
        }

        return (buffer.ToArray(), null);
    }

    /// <summary>Raises the server's own body limit (lower by default) to ours, which is checked while reading.</summary>
    public static void AllowUpTo(HttpContext context, long maxBytes)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes + 1;
        }
    }

    private static ProblemHttpResult TooLarge(long size, long maxBytes) => TypedResults.Problem(
        $"The body is at least {size} bytes; the limit is {maxBytes} bytes (Telemetry:Proxy:MaxPayloadBytes).",
        title: "Payload too large",
        statusCode: StatusCodes.Status413PayloadTooLarge);
}
