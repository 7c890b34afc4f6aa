using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Services;

namespace TelemetryPortal.Web.Endpoints.Api;

/// <summary>The level in force and why.</summary>
/// <param name="Requested">0, 1 or 2: the level the winning source asked for.</param>
/// <param name="Effective">0, 1 or 2: the level that applies to what is sent.</param>
/// <param name="Source">Environment, AdminChoice, AppSettings or Default.</param>
/// <param name="Pinned">Whether <c>CODER_TELEMETRY</c> pins the level.</param>
/// <param name="Reason">Why the effective level is in force, in one sentence.</param>
/// <param name="Warning">What the admin should know, or null.</param>
/// <param name="Description">What the effective level sends, in one sentence.</param>
public sealed record LevelResponse(int Requested, int Effective, string Source, bool Pinned, string Reason, string? Warning, string Description)
{
    public static LevelResponse From(LevelResolution resolution) => new(
        (int)resolution.Requested,
        (int)resolution.Effective,
        resolution.Source.ToString(),
        resolution.Pinned,
        resolution.Reason,
        resolution.Warning,
        TelemetryLevels.Describe(resolution.Effective));
}

public static class TelemetryApi
{
    public static RouteGroupBuilder MapTelemetryApi(this RouteGroupBuilder api)
    {
        var telemetry = api.MapGroup("/telemetry").WithTags("Telemetry");
        telemetry.MapGet("/level", async (TelemetryLevelService levels, CancellationToken ct) =>
                LevelResponse.From(await levels.ResolveAsync(ct)))
            .WithName("GetLevel")
            .WithSummary("The telemetry level in force: requested, effective, where it came from and why.");
        return api;
    }
}
