using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Endpoints;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// Coder's protocol, received. The proxy: a real Coder server given <c>CODER_TELEMETRY_URL=http://portal:port</c>
/// posts to <c>/snapshot</c> and <c>/deployment</c> at the root (Go resolves those root-relative references
/// against the URL, dropping any path it has), so the portal answers there; <c>/ingest/coder/{kind}</c>, the
/// first version's address, still works for scripts. The collector: <c>/collector/{kind}</c>, the built-in
/// stand-in for the vendor. All answer 202 like Coder's server, accept only callers on the address
/// allowlist, and answer every refusal with a bare status and problem details (never a redirect).
/// </summary>
public static class TelemetryIngestEndpoints
{
    private const string LegacyIngestPrefix = "/ingest/coder";

    private const string CoderReportsNote = "Coder's reports (CODER_TELEMETRY_URL); callers limited by Telemetry:Proxy:AllowedAddresses";

    private const string AllowlistNote = "callers limited by Telemetry:Proxy:AllowedAddresses";

    /// <summary>Whether <paramref name="path"/> is one of the machine endpoints Coder or the sender posts to.</summary>
    public static bool IsMachinePath(PathString path) =>
        path.Equals("/snapshot", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/deployment", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(LegacyIngestPrefix, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(TelemetryEndpoint.CollectorPath, StringComparison.OrdinalIgnoreCase);

    public static IEndpointRouteBuilder MapTelemetryIngestEndpoints(this IEndpointRouteBuilder app)
    {
        var machines = app.MapGroup("")
            .AllowAnonymous()
            .DisableAntiforgery()
            .AddEndpointFilter<AddressAllowlistFilter>()
            .AddEndpointFilter<PortalProblemFilter>();

        machines.MapPost("/snapshot", (HttpContext context, TelemetryCaptureService capture, IOptionsMonitor<TelemetryOptions> options, Redactor redactor, CancellationToken ct) =>
                IngestAsync(PayloadKinds.Name(PayloadKind.Snapshot), context, capture, options, redactor, ct))
            .RequireAccess(Audience.Anonymous, CoderReportsNote)
            .WithName("CoderSnapshot");

        machines.MapPost("/deployment", (HttpContext context, TelemetryCaptureService capture, IOptionsMonitor<TelemetryOptions> options, Redactor redactor, CancellationToken ct) =>
                IngestAsync(PayloadKinds.Name(PayloadKind.Deployment), context, capture, options, redactor, ct))
            .RequireAccess(Audience.Anonymous, CoderReportsNote)
            .WithName("CoderDeployment");

        machines.MapPost(LegacyIngestPrefix + "/{kind}", IngestAsync)
            .RequireAccess(Audience.Anonymous, AllowlistNote)
            .WithName("IngestCoderPayload");

        machines.MapPost(TelemetryEndpoint.CollectorPath + "/{kind}", CollectAsync)
            .RequireAccess(Audience.Anonymous, AllowlistNote)
            .WithName("CollectPayload");
        return app;
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> IngestAsync(
        string kind, HttpContext context, TelemetryCaptureService capture, IOptionsMonitor<TelemetryOptions> options, Redactor redactor, CancellationToken ct)
    {
        if (!PayloadKinds.TryParse(kind, out var payloadKind))
        {
            return UnknownKind(kind);
        }

        var settings = options.CurrentValue;
        if (settings.Source != TelemetrySource.CoderProxy)
        {
            return Problems.Of(
                ProblemKind.NotFound,
                "The Coder proxy is off",
                "This portal reports a simulated installation; set Telemetry:Source=CoderProxy to accept Coder's reports.");
        }

        // Read as it arrives, through the redactor into the store: a report of hundreds of megabytes is never held whole.
        var maxBytes = MaxBodyBytes(settings, redactor);
        if (context.Request.ContentLength > maxBytes)
        {
            return Problems.Of(
                ProblemKind.TooLarge,
                "Payload too large",
                $"The body is at least {context.Request.ContentLength} bytes; the limit is {maxBytes} bytes (Telemetry:Proxy:MaxPayloadBytes).");
        }

        PayloadBody.AllowUpTo(context, maxBytes);
        await capture.ReceiveFromCoderAsync(payloadKind, context.Request.Body, maxBytes, context.Request.Headers["X-Coder-Version"].ToString(), ct);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> CollectAsync(
        string kind, HttpContext context, BuiltInCollector collector, Redactor redactor, CancellationToken ct)
    {
        if (!PayloadKinds.TryParse(kind, out var payloadKind))
        {
            return UnknownKind(kind);
        }

        // The collector takes whatever the portal can capture (the redactor's limit), so that what the portal sends to it
        // is never refused for its size; it reads the body once, as it arrives, never holding it whole.
        var maxBytes = redactor.Options.MaxPayloadBytes;
        if (context.Request.ContentLength > maxBytes)
        {
            return Problems.From(BuiltInCollector.TooLarge(context.Request.ContentLength.Value, maxBytes));
        }

        PayloadBody.AllowUpTo(context, maxBytes);
        var headers = context.Request.Headers;
        await collector.ReceiveAsync(payloadKind, context.Request.Body, maxBytes, headers["Idempotency-Key"].ToString(), headers["X-Coder-Version"].ToString(), ct);
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>
    /// The largest body taken: <c>Telemetry:Proxy:MaxPayloadBytes</c>, and never more than the redactor reads (its limit
    /// is set from the same setting at start), so that a body too large is always this 413.
    /// </summary>
    private static long MaxBodyBytes(TelemetryOptions settings, Redactor redactor) =>
        Math.Min(settings.Proxy.MaxPayloadBytes, redactor.Options.MaxPayloadBytes);

    private static ProblemHttpResult UnknownKind(string kind) =>
        Problems.Of(ProblemKind.NotFound, "Unknown payload kind", $"\"{kind}\" is not a payload kind; use snapshot or deployment.");
}
