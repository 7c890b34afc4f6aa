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

    /// <summary>
    /// A large content, in <see cref="PayloadBlock"/> rows of <see cref="PayloadStore.BlockBytes"/> each, every block
    /// Zstandard-compressed on its own (and checked on its own by the frame's checksum): written and read a block at a time, never
    /// whole. <see cref="PayloadContent.Compressed"/> is empty; <see cref="PayloadContent.Blob"/> names the blocks.
    /// </summary>
    Blocks,
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

    /// <summary>For <see cref="ContentEncoding.Blocks"/>, the key of its <see cref="PayloadBlock"/> rows; otherwise <see langword="null"/>.</summary>
    public string? Blob { get; set; }
}

/// <summary>
/// One block of a large content (<see cref="ContentEncoding.Blocks"/>). Blocks are written as the content streams in,
/// before its SHA-256 is known, under a fresh <see cref="Blob"/> key that the content row names once it is complete;
/// blocks no content names (a capture that failed or crashed half way) are removed by the pruner.
/// </summary>
public sealed class PayloadBlock
{
    public required string Blob { get; set; }

    /// <summary>The block's place in the content, from 0; it holds bytes [Seq × BlockBytes, …).</summary>
    public int Seq { get; set; }

    /// <summary>The block's uncompressed length (<see cref="PayloadStore.BlockBytes"/>, less for the last).</summary>
    public int Length { get; set; }

    /// <summary>
    /// The block, one Zstandard frame with its content checksum (XXH64): a read of any one block is checked on its own,
    /// and a read of the whole against the content's SHA-256 too.
    /// </summary>
    public required byte[] Data { get; set; }

    /// <summary>When it was written: blocks no content names are removed only once they are old (a write may be in progress).</summary>
    public DateTime WrittenAt { get; set; }
}
