using System.Buffers;
using System.Text.Json;

namespace TelemetryPortal.Core.Snapshots;

/// <summary>Serialises payloads as Coder does (snake_case JSON, UTF-8).</summary>
public static class TelemetryJson
{
    /// <summary>The payload as UTF-8 JSON bytes.</summary>
    public static byte[] Serialize(Snapshot snapshot) =>
        JsonSerializer.SerializeToUtf8Bytes(snapshot, TelemetryJsonContext.Default.Snapshot);

    /// <summary>The payload as UTF-8 JSON bytes.</summary>
    public static byte[] Serialize(Deployment deployment) =>
        JsonSerializer.SerializeToUtf8Bytes(deployment, TelemetryJsonContext.Default.Deployment);

    /// <summary>Writes the payload as UTF-8 JSON to <paramref name="output"/>.</summary>
    public static void Serialize(Snapshot snapshot, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output);
        JsonSerializer.Serialize(writer, snapshot, TelemetryJsonContext.Default.Snapshot);
    }

    /// <summary>Reads a snapshot; throws <see cref="JsonException"/> on bad input.</summary>
    public static Snapshot DeserializeSnapshot(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, TelemetryJsonContext.Default.Snapshot)
        ?? throw new JsonException("The snapshot is null.");
}
