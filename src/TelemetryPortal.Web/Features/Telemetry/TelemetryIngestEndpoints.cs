using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Data;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// Coder's protocol, received. The proxy: a real Coder server given <c>CODER_TELEMETRY_URL=http://portal:port</c>
/// posts to <c>/snapshot</c> and <c>/deployment</c> at the root (Go resolves those root-relative references
/// against the URL, dropping any path it has), so the portal answers there; <c>/ingest/coder/{kind}</c>, the
/// first version's address, still works for scripts. The collector: <c>/collector/{kind}</c>, the built-in
/// stand-in for the vendor. All answer 202 like Coder's server, accept only callers on the address
/// allowlist, and answer every refusal with a bare status (never a redirect).
/// </summary>
public static class TelemetryIngestEndpoints
{
    private const string LegacyIngestPrefix = "/ingest/coder";

    /// <summary>Whether <paramref name="path"/> is one of the machine endpoints Coder or the sender posts to.</summary>
    public static bool IsMachinePath(PathString path) =>
        path.Equals("/snapshot", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/deployment", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(LegacyIngestPrefix, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(TelemetryEndpoint.CollectorPath, StringComparison.OrdinalIgnoreCase);

    public static IEndpointRouteBuilder MapTelemetryIngestEndpoints(this IEndpointRouteBuilder app)
    {
        foreach (var kind in new[] { PayloadKind.Snapshot, PayloadKind.Deployment })
        {
            var name = PayloadKinds.Name(kind);
            app.MapPost("/" + name, (HttpContext context, TelemetryCaptureService capture, IOptionsMonitor<TelemetryOptions> options, CancellationToken ct) =>
                    IngestAsync(name, context, capture, options, ct))
                .AllowAnonymous()
                .DisableAntiforgery()
                .AddEndpointFilter<AddressAllowlistFilter>()
                .WithName(kind == PayloadKind.Snapshot ? "CoderSnapshot" : "CoderDeployment");
        }

        app.MapPost(LegacyIngestPrefix + "/{kind}", IngestAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .AddEndpointFilter<AddressAllowlistFilter>()
            .WithName("IngestCoderPayload");

        app.MapPost(TelemetryEndpoint.CollectorPath + "/{kind}", CollectAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .AddEndpointFilter<AddressAllowlistFilter>()
            .WithName("CollectPayload");
        return app;
    }

    private static async Task<IResult> IngestAsync(
        string kind, HttpContext context, TelemetryCaptureService capture, IOptionsMonitor<TelemetryOptions> options, CancellationToken ct)
    {
        if (!PayloadKinds.TryParse(kind, out var payloadKind))
        {
            return UnknownKind(kind);
        }

        var settings = options.CurrentValue;
        if (settings.Source != TelemetrySource.CoderProxy)
        {
            return Results.Problem(
                title: "The Coder proxy is off",
                detail: "This portal reports a simulated installation; set Telemetry:Source=CoderProxy to accept Coder's reports.",
                statusCode: StatusCodes.Status404NotFound);
        }

        var (body, error) = await PayloadBody.ReadAsync(context, settings.Proxy.MaxPayloadBytes, ct);
        if (error is not null)
        {
            return error;
        }

        var coderVersion = context.Request.Headers["X-Coder-Version"].ToString();
        try
        {
            await capture.CaptureAsync(payloadKind, body, TelemetrySource.CoderProxy,
                string.IsNullOrWhiteSpace(coderVersion) ? "unknown" : coderVersion[..Math.Min(coderVersion.Length, 64)], remember: true, ct);
        }
        catch (RedactionException ex)
        {
            return Invalid(ex);
        }

        return Results.Accepted();
    }

    private static async Task<IResult> CollectAsync(
        string kind, HttpContext context, IDbContextFactory<PortalDbContext> dbFactory, Redactor redactor,
        IOptionsMonitor<TelemetryOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (!PayloadKinds.TryParse(kind, out var payloadKind))
        {
            return UnknownKind(kind);
        }

        var (body, error) = await PayloadBody.ReadAsync(context, options.CurrentValue.Proxy.MaxPayloadBytes, ct);
        if (error is not null)
        {
            return error;
        }

        try
        {
            // Level 0 writes nothing but reads the payload whole: a check that it is a well-formed report.
            redactor.Redact(body, payloadKind, TelemetryLevel.Off, new System.Buffers.ArrayBufferWriter<byte>(1));
        }
        catch (RedactionException ex)
        {
            return Invalid(ex);
        }

        var key = context.Request.Headers["Idempotency-Key"].ToString();
        if (string.IsNullOrWhiteSpace(key) || key.Length > 128)
        {
            return Results.Problem(title: "Missing idempotency key", detail: "Send an Idempotency-Key header (at most 128 characters).", statusCode: StatusCodes.Status400BadRequest);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // A repeat of a key already received is acknowledged and counted, not stored again.
        var repeats = await db.CollectorReceipts.Where(r => r.IdempotencyKey == key)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Duplicates, r => r.Duplicates + 1), ct);
        if (repeats == 0)
        {
            db.CollectorReceipts.Add(new CollectorReceipt
            {
                Kind = PayloadKinds.Name(payloadKind),
                IdempotencyKey = key,
                CoderVersion = context.Request.Headers["X-Coder-Version"].ToString() is { Length: > 0 and <= 64 } version ? version : null,
                Sha256 = PayloadStore.Hash(body),
                SizeBytes = body!.Length,
                ReceivedAt = time.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync(ct);
        }

        return Results.Accepted();
    }

    private static IResult UnknownKind(string kind) => Results.Problem(
        title: "Unknown payload kind",
        detail: $"\"{kind}\" is not a payload kind; use snapshot or deployment.",
        statusCode: StatusCodes.Status404NotFound);

    private static IResult Invalid(RedactionException ex) => Results.Problem(
        title: ex.Error == RedactionError.TooLarge ? "Payload too large" : "Invalid payload",
        detail: ex.Message,
        statusCode: ex.Error == RedactionError.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest);
}
