using System.Globalization;
using Microsoft.Extensions.Options;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Features.Consent;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>The level in force and why.</summary>
/// <param name="Requested">0, 1 or 2: the level the winning source asked for.</param>
/// <param name="Effective">0, 1 or 2: the level that applies to what is sent.</param>
/// <param name="Source">Environment, AdminChoice, AppSettings or Default.</param>
/// <param name="Pinned">Whether <c>CODER_TELEMETRY</c> pins the level.</param>
/// <param name="Reason">Why the effective level is in force, in one sentence.</param>
/// <param name="Warning">What the admin should know, or null.</param>
/// <param name="Description">What the effective level sends, in one sentence.</param>
/// <param name="LedgerBrokenAt">
/// The first consent ledger entry that fails verification, when one does (and nothing pins the level): decisions from
/// there on were not trusted, and the level is the most private of the last intact decision and the settings.
/// </param>
public sealed record LevelResponse(int Requested, int Effective, string Source, bool Pinned, string Reason, string? Warning, string Description, long? LedgerBrokenAt)
{
    public static LevelResponse From(LevelResolution resolution) => new(
        (int)resolution.Requested,
        (int)resolution.Effective,
        resolution.Source.ToString(),
        resolution.Pinned,
        resolution.Reason,
        resolution.Warning,
        TelemetryLevels.Describe(resolution.Effective),
        resolution.LedgerBrokenAt);
}

public static class TelemetryApi
{
    internal static RouteGroupBuilder Map(RouteGroupBuilder api)
    {
        var telemetry = api.MapGroup("/telemetry").WithTags("Telemetry");
        telemetry.MapGet("/level", async (TelemetryLevelService levels, CancellationToken ct) =>
                LevelResponse.From(await levels.ResolveAsync(ct)))
            .WithName("GetLevel")
            .WithSummary("The telemetry level in force: requested, effective, where it came from and why.");

        telemetry.MapGet("/preview", async (string? kind, string? level, PreviewService previews, TelemetryLevelService levels,
                HttpContext context, CancellationToken ct) =>
            {
                if (!PayloadKinds.TryParse(kind ?? "snapshot", out var payloadKind))
                {
                    return HistoryApi.BadRequest($"kind must be snapshot or deployment; got \"{kind}\".");
                }

                TelemetryLevel target;
                if (level is null)
                {
                    target = (await levels.ResolveAsync(ct)).Effective;
                }
                else if (!TelemetryLevels.TryParse(level, out target))
                {
                    return HistoryApi.BadRequest($"level must be 0, 1 or 2; got \"{level}\".");
                }

                if (await previews.GetSourceAsync(payloadKind, ct) is not { } source)
                {
                    return Results.Problem(
                        title: "Nothing to preview yet",
                        detail: $"Coder has not reported a {PayloadKinds.Name(payloadKind)} through the proxy yet.",
                        statusCode: StatusCodes.Status404NotFound);
                }

                var preview = previews.Apply(source, target);
                context.Response.Headers["X-Telemetry-Level"] = ((int)target).ToString(CultureInfo.InvariantCulture);
                if (source.ReceivedAt is { } receivedAt)
                {
                    context.Response.Headers["X-Received-At"] = receivedAt.ToString("O", CultureInfo.InvariantCulture);
                }

                // Level 0 sends nothing: there are no bytes to show.
                return target == TelemetryLevel.Off ? Results.NoContent() : Results.Bytes(preview.Bytes, "application/json");
            })
            .WithName("GetPreview")
            .WithSummary("The exact bytes that would be sent next for a kind at a level (default: the level in force). Level 0: 204, nothing is sent.");

        telemetry.MapPost("/send-now", (TelemetryScheduler scheduler, OutboxSignal outbox, IOptionsMonitor<TelemetryOptions> options) =>
            {
                outbox.Notify();
                if (options.CurrentValue.Source != TelemetrySource.Simulated)
                {
                    return Results.Problem(
                        title: "Coder decides when to report",
                        detail: "In proxy mode each report from Coder is forwarded as it arrives; payloads waiting to be retried were woken up.",
                        statusCode: StatusCodes.Status409Conflict);
                }

                scheduler.RequestReport();
                return Results.Accepted(value: new { message = "A report was queued; it appears in the history within seconds." });
            })
            .WithName("SendNow")
            .WithSummary("Captures and sends a report now instead of at the next interval (Admin).");
        return api;
    }
}
