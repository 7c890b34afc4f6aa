namespace TelemetryPortal.Core.Redaction;

/// <summary>Limits the redactor enforces on every payload, at every level.</summary>
public sealed record RedactorOptions
{
    /// <summary>The default <see cref="MaxDepth"/>: 64.</summary>
    public const int DefaultMaxDepth = 64;

    /// <summary>The default <see cref="MaxPayloadBytes"/>: 256 MiB.</summary>
    public const long DefaultMaxPayloadBytes = 256L * 1024 * 1024;

    /// <summary>How deeply objects and arrays may nest. Defaults to 64; Coder's payloads need 5.</summary>
    public int MaxDepth { get; init; } = DefaultMaxDepth;

    /// <summary>The largest payload accepted, in bytes. Defaults to 256 MiB.</summary>
    public long MaxPayloadBytes { get; init; } = DefaultMaxPayloadBytes;

    /// <summary>The size of the buffer streamed input is read into; it grows only for a single larger token. Defaults to 256 KiB.</summary>
    public int ChunkBytes { get; init; } = 256 * 1024;

    /// <summary>Throws when an option is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDepth, 1, nameof(MaxDepth));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxDepth, 1000, nameof(MaxDepth));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPayloadBytes, 2, nameof(MaxPayloadBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(ChunkBytes, 16, nameof(ChunkBytes));
    }
}
