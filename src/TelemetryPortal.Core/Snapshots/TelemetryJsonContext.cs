using System.Text.Json;
using System.Text.Json.Serialization;

namespace TelemetryPortal.Core.Snapshots;

/// <summary>
/// Source-generated contract to read the telemetry payloads back into the model: snake_case names
/// like Coder's (the others named on their properties), durations as Go's integer nanoseconds.
/// Writing goes through <see cref="GoJsonWriter"/>, which alone writes what Go writes.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters = [typeof(GoDurationJsonConverter)])]
[JsonSerializable(typeof(Snapshot))]
[JsonSerializable(typeof(Deployment))]
public sealed partial class TelemetryJsonContext : JsonSerializerContext;

/// <summary>Reads and writes a <see cref="TimeSpan"/> as Go's <c>time.Duration</c>: integer nanoseconds.</summary>
public sealed class GoDurationJsonConverter : JsonConverter<TimeSpan>
{
    /// <inheritdoc/>
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TimeSpan.FromTicks(reader.GetInt64() / 100);

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(GoJson.Nanoseconds(value));
    }
}
