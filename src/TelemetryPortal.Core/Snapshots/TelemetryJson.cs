using System.Buffers;
using System.Text.Json;

namespace TelemetryPortal.Core.Snapshots;

/// <summary>Writes payloads byte for byte as Coder (Go's <c>encoding/json</c>) does, and reads them back into the model.</summary>
public static class TelemetryJson
{
    /// <summary>The payload (a <see cref="Snapshot"/>, a <see cref="Deployment"/> or any part of one) as UTF-8 JSON bytes.</summary>
    public static byte[] Serialize(IGoJsonWritable payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var output = new ArrayBufferWriter<byte>();
        Write(payload, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Writes the payload as UTF-8 JSON to <paramref name="output"/>, streaming its lists as they are enumerated.</summary>
    public static void Write(IGoJsonWritable payload, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(payload);
        payload.WriteTo(new GoJsonWriter(output));
    }

    /// <summary>Writes the payload as UTF-8 JSON to <paramref name="output"/> in 64 KiB chunks; memory stays bounded whatever its size.</summary>
    public static void Write(IGoJsonWritable payload, Stream output)
    {
        ArgumentNullException.ThrowIfNull(payload);
        using var buffer = new StreamBufferWriter(output);
        payload.WriteTo(new GoJsonWriter(buffer));
    }

    /// <summary>Reads a snapshot; throws <see cref="JsonException"/> on bad input.</summary>
    public static Snapshot DeserializeSnapshot(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, TelemetryJsonContext.Default.Snapshot)
        ?? throw new JsonException("The snapshot is null.");
}
