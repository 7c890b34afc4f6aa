using System.Globalization;
using Microsoft.Extensions.Options;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Features.Consent;

namespace TelemetryPortal.Web.Features.Telemetry;

public static class TelemetryApi
{
    internal static RouteGroupBuilder Map(RouteGroupBuilder api)
    {
        var telemetry = api.MapGroup("/telemetry").WithTags("Telemetry");
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
