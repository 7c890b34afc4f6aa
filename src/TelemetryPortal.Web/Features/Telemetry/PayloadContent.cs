namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>How <see cref="PayloadContent.Compressed"/> holds the bytes. Stored as text.</summary>
public enum ContentEncoding
{
    /// <summary>The whole content, Brotli-compressed. Such a row can be a keyframe that deltas refer to.</summary>
    Brotli,

    /// <summary>
    /// A Zstandard frame compressed with the keyframe <see cref="PayloadContent.BaseSha256"/> as its
    /// dictionary: only what differs from that earlier payload of the same kind takes room.
    /// </summary>
    ZstdDelta,
}

/// <summary>The bytes of a payload, stored once per distinct SHA-256: whole, or as a delta against a keyframe.</summary>
public sealed class PayloadContent
{
    /// <summary>SHA-256 of the uncompressed bytes, lower-case hex. Every read rebuilds the bytes and checks it.</summary>
    public required string Sha256 { get; set; }

    public long Length { get; set; }

    public ContentEncoding Encoding { get; set; }

    /// <summary>For a delta, the keyframe (a <see cref="ContentEncoding.Brotli"/> row) it was made against; otherwise <see langword="null"/>.</summary>
    public string? BaseSha256 { get; set; }

    public required byte[] Compressed { get; set; }
}
