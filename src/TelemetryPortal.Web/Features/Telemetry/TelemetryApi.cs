using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Authentication;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// Which preview: <c>kind</c> (snapshot or deployment; snapshot by default) and <c>level</c> (0, 1 or 2; by default the level
/// in force). With <c>of</c> (the SHA-256 of a previewed capture, as the Preview page shows it), that capture's preview is
/// answered as a file download, or 410 when it is no longer kept; level 0 then answers the capture itself (kept here, not sent).
/// </summary>
public sealed record PreviewRequest(string? Kind, string? Level, string? Of);

/// <summary>What a request to send now started, in words.</summary>
public sealed record SendNowResponse(string Message);

/// <summary>Previews and sending now, under <c>/api/v1/telemetry</c>.</summary>
public static class TelemetryApi
{
    internal static RouteGroupBuilder Map(RouteGroupBuilder api)
    {
        var telemetry = api.MapGroup("/telemetry").WithTags("Telemetry");

        telemetry.MapGet("/preview", PreviewAsync)
            .RequireAccess(Audience.Staff)
            .WithName("GetPreview")
            .WithSummary("The exact bytes that would be sent next for a kind at a level (default: the level in force). Level 0: 204, nothing is sent. With of=<SHA-256 of a previewed capture>: that preview as a file (level 0: the capture, kept here), 410 once it is no longer kept.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone);

        telemetry.MapPost("/send-now", SendNowAsync)
            .RequireAccess(Audience.Admin)
            .WithName("SendNow")
            .WithSummary("Captures and sends a report now instead of at the next interval (Admin); at level 0 the report is kept back and the message says nothing leaves. 409 in proxy mode, where Coder decides when to report.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<Results<FileStreamHttpResult, NoContent>> PreviewAsync(
        [AsParameters] PreviewRequest request, PreviewService previews, HttpResponse response, CancellationToken ct)
    {
        if (request.Of is not null)
        {
            // The bytes a page showed, as a file: streamed from the kept preview, never gathered in the browser's memory.
            var (kept, bytes) = await previews.KeptAsync(request.Kind, request.Level, request.Of, ct);
            var suffix = kept.Level == TelemetryLevel.Off ? "captured-not-sent" : $"level-{(int)kept.Level}";
            response.ContentLength = bytes.Length;
            return TypedResults.Stream(await bytes.OpenReadAsync(0, ct), "application/json", $"{PayloadKinds.Name(QueryText.Kind("kind", request.Kind) ?? PayloadKind.Snapshot)}-{suffix}.json");
        }

        var (source, preview) = await previews.PreviewAsync(request.Kind, request.Level, ct);
        response.Headers["X-Telemetry-Level"] = ((int)preview.Level).ToString(CultureInfo.InvariantCulture);
        if (source.ReceivedAt is { } receivedAt)
        {
            response.Headers["X-Received-At"] = receivedAt.ToString("O", CultureInfo.InvariantCulture);
        }

        // Level 0 sends nothing: there are no bytes to show.
        response.ContentLength = preview.Content.Length;
        return preview.Level == TelemetryLevel.Off ? TypedResults.NoContent() : TypedResults.Stream(await preview.Content.OpenReadAsync(0, ct), "application/json");
    }

    private static async Task<Accepted<SendNowResponse>> SendNowAsync(TelemetryScheduler scheduler, CancellationToken ct) =>
        TypedResults.Accepted((string?)null, new SendNowResponse(await scheduler.SendNowAsync(ct)));
}
