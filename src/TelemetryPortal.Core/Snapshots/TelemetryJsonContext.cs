using System.Text.Json.Serialization;

namespace TelemetryPortal.Core.Snapshots;

/// <summary>
/// Source-generated JSON contract for the telemetry payloads: snake_case names like Coder's,
/// nulls written (Coder writes them too), compact output.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    WriteIndented = false)]
[JsonSerializable(typeof(Snapshot))]
[JsonSerializable(typeof(Deployment))]
public sealed partial class TelemetryJsonContext : JsonSerializerContext;
