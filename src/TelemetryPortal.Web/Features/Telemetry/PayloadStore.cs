using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using TelemetryPortal.Web.Data;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// The payload bytes at rest, addressed by their SHA-256 and stored once however many payloads
/// share them. A content is stored whole (Brotli), or, when an earlier content of the same kind is
/// similar, as a Zstandard delta against that one's keyframe: half-hourly snapshots of one
/// installation differ in a few kilobytes, so a year of them fits in a fraction of the room.
/// Deltas are one step deep (a keyframe is always stored whole), and every read rebuilds the exact
/// bytes and checks them against the SHA-256 before anyone sees them. Writes take the caller's context, so that
/// content and the payload naming it are saved in one transaction (the pruner removes content nothing names).
/// A content larger than <see cref="InlineLimit"/> (the snapshots of the largest installations, hundreds of megabytes)
/// is never held whole: it is written and read in blocks (<see cref="ContentEncoding.Blocks"/>, <see cref="ContentWriter"/>).
/// </summary>
public sealed class PayloadStore(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    /// <summary>
    /// The largest content kept in memory while it is written and stored whole or as a delta; larger ones go to blocks.
    /// A delta holds its keyframe and the content together, so this also bounds what a delta costs in memory.
    /// </summary>
    public const int InlineLimit = 4 * 1024 * 1024;

    /// <summary>The uncompressed size of one block of a large content.</summary>
    public const int BlockBytes = 1024 * 1024;

    /// <summary>
    /// Zstandard level 1 for blocks: on the whole-schema snapshot (121 MB) it compresses 5.4x at about 400 MB/s, as small
    /// as levels 3 and 6 and 2.5x to 5x faster; Brotli 5 took 5.5x at 23 MB/s, far too slow for the largest payloads.
    /// </summary>
    internal const int BlockLevel = 1;

    /// <summary>How old blocks no content names must be before the pruner removes them (a write may still be going on).</summary>
    internal static readonly TimeSpan OrphanBlockAge = TimeSpan.FromHours(1);

    /// <summary>
    /// A keyframe serves at most this many deltas (a week of half-hourly sends); then the next content
    /// is stored whole. That bounds what one damaged row can take with it, and how far deltas drift.
    /// </summary>
    internal const int MaxDeltasPerKeyframe = 336;

    /// <summary>
    /// A delta is kept only when it is at most this fraction of what the content would take whole
    /// (estimated from the keyframe's own ratio); otherwise the content is stored whole and becomes
    /// the keyframe for those after it. Half: snapshots of a busy hour differ from their keyframe by
    /// 4x to 14x less than they take whole (measured over simulated installations of 40 to 80 users),
    /// so a stricter bar would cut keyframes on ordinary hours.
    /// </summary>
    private const int MinDeltaSaving = 2;

    /// <summary>Zstandard level 9: deltas of ~1 MB snapshots in ~25 ms, within 10% of level 19's size at 1/20 of its time.</summary>
    private const int DeltaLevel = 9;

    /// <summary>The magic number of a Zstandard dictionary: a reference that began with it would be parsed as one, not used as raw content.</summary>
    private const uint ZstdDictionaryMagic = 0xEC30A437;

    /// <summary>
    /// Removes the content <paramref name="sha256"/> when no payload that keeps its bytes (any but a suppressed one),
    /// no last-received proxy payload and no delta needs it; returns whether it did.
    /// </summary>
    public async Task<bool> DeleteIfUnusedAsync(PortalDbContext db, string sha256, CancellationToken ct)
    {
        var unused = Unused(db).Where(c => c.Sha256 == sha256);
        await db.PayloadBlocks.Where(b => unused.Any(c => c.Blob == b.Blob)).ExecuteDeleteAsync(ct);
        return await unused.ExecuteDeleteAsync(ct) > 0;
    }

    /// <summary>
    /// Removes every content that no payload keeping its bytes, no last-received proxy payload and no delta needs: first
    /// the deltas (and whole contents no delta needs), then the keyframes only those deltas needed. Deltas are one step
    /// deep, so two passes remove all. Returns how many contents went.
    /// </summary>
    public async Task<int> DeleteUnusedAsync(PortalDbContext db, CancellationToken ct)
    {
        var removed = 0;
        for (var pass = 0; pass < 2; pass++)
        {
            await db.PayloadBlocks.Where(b => Unused(db).Any(c => c.Blob == b.Blob)).ExecuteDeleteAsync(ct);
            removed += await Unused(db).ExecuteDeleteAsync(ct);
        }

        // Blocks of a write that failed or crashed half way: no content names them, and they are old enough that no
        // write is still adding to them.
        var before = time.GetUtcNow().UtcDateTime - OrphanBlockAge;
        await db.PayloadBlocks
            .Where(b => b.WrittenAt < before && !db.PayloadContents.Any(c => c.Blob == b.Blob))
            .ExecuteDeleteAsync(ct);
        return removed;
    }

    private static IQueryable<PayloadContent> Unused(PortalDbContext db) =>
        db.PayloadContents.Where(c => !db.Payloads.Any(p => p.Sha256 == c.Sha256 && p.Status != PayloadStatus.Suppressed)
            && !db.IngestedPayloads.Any(i => i.Sha256 == c.Sha256)
            && !db.PayloadContents.Any(d => d.BaseSha256 == c.Sha256));

    /// <summary>SHA-256 of <paramref name="bytes"/>, lower-case hex.</summary>
    public static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Stores <paramref name="bytes"/> whole unless the same content is already there; returns its SHA-256.</summary>
    public Task<string> PutAsync(PortalDbContext db, ReadOnlyMemory<byte> bytes, CancellationToken ct) =>
        PutAsync(db, bytes, similarTo: null, ct);

    /// <summary>
    /// Starts storing a content that is produced as it goes (the redactor writes into the writer): see
    /// <see cref="ContentWriter"/>. <paramref name="similarTo"/> as for <see cref="PutAsync(PortalDbContext, ReadOnlyMemory{byte}, string?, CancellationToken)"/>.
    /// </summary>
    /// <param name="blocksOn">
    /// The context to write blocks on (the caller's, in its transaction); by default the writer opens its own, so the
    /// caller must not hold a write transaction while it streams (SQLite has one writer).
    /// </param>
    public ContentWriter BeginWrite(string? similarTo = null, PortalDbContext? blocksOn = null) => new(dbFactory, time, similarTo, blocksOn);

    /// <summary>The content stored under <paramref name="sha256"/>, to read from any offset, or <see langword="null"/> when there is none.</summary>
    /// <param name="keyframes">Decoded keyframes to reuse across many reads (exports, searches); optional.</param>
    public async Task<IByteSource?> OpenAsync(PortalDbContext db, string sha256, CancellationToken ct, KeyframeCache? keyframes = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var content = await db.PayloadContents.AsNoTracking()
            .Where(c => c.Sha256 == sha256)
            .Select(c => new PayloadContent { Sha256 = c.Sha256, Length = c.Length, Encoding = c.Encoding, BaseSha256 = c.BaseSha256, Blob = c.Blob, Compressed = Array.Empty<byte>() })
            .SingleOrDefaultAsync(ct);
        return content is null ? null : new StoredContentSource(this, dbFactory, content, keyframes);
    }

    /// <inheritdoc cref="OpenAsync(PortalDbContext, string, CancellationToken, KeyframeCache?)"/>
    public async Task<IByteSource?> OpenAsync(string sha256, CancellationToken ct, KeyframeCache? keyframes = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await OpenAsync(db, sha256, ct, keyframes);
    }

    /// <summary>
    /// Stores <paramref name="bytes"/> unless the same content is already there; returns its SHA-256.
    /// </summary>
    /// <param name="similarTo">
    /// The SHA-256 of a stored content these bytes probably resemble (the previous payload of the same
    /// kind). When given, the bytes are stored as a delta against its keyframe if that saves enough.
    /// </param>
    public async Task<string> PutAsync(PortalDbContext db, ReadOnlyMemory<byte> bytes, string? similarTo, CancellationToken ct)
    {
        if (bytes.Length <= InlineLimit)
        {
            return await PutInlineAsync(db, bytes, similarTo, ct);
        }

        // The bytes are in memory already: their blocks go in the caller's transaction, with the rest of its work.
        await using var writer = BeginWrite(similarTo, blocksOn: db);
        for (var offset = 0; offset < bytes.Length; offset += BlockBytes)
        {
            writer.Write(bytes.Span.Slice(offset, Math.Min(BlockBytes, bytes.Length - offset)));
            await writer.FlushAsync(ct);
        }

        return await writer.CompleteAsync(db, ct);
    }

    /// <summary>Stores a content of at most <see cref="InlineLimit"/> bytes in one row, whole or as a delta.</summary>
    internal static async Task<string> PutInlineAsync(PortalDbContext db, ReadOnlyMemory<byte> bytes, string? similarTo, CancellationToken ct)
    {
        var sha256 = Hash(bytes.Span);
        if (await db.PayloadContents.AnyAsync(c => c.Sha256 == sha256, ct))
        {
            return sha256;
        }

        var (encoding, baseSha256, compressed) = await EncodeAsync(db, bytes, similarTo, ct);
        long length = bytes.Length;
        var encodingName = encoding.ToString();
        // Two captures of the same content may race; the second insert is a no-op on either database.
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO payload_contents ("Sha256", "Length", "Encoding", "BaseSha256", "Compressed")
            VALUES ({sha256}, {length}, {encodingName}, {baseSha256}, {compressed})
            ON CONFLICT ("Sha256") DO NOTHING
            """,
            ct);
        return sha256;
    }

    /// <summary>The bytes stored under <paramref name="sha256"/>, or <see langword="null"/> when there are none; read on a context of its own.</summary>
    /// <param name="keyframes">Decoded keyframes to reuse across many reads (exports, searches); optional.</param>
    /// <exception cref="InvalidDataException">The stored content is damaged: it does not rebuild to bytes with its SHA-256.</exception>
    public async Task<byte[]?> GetAsync(string sha256, CancellationToken ct, KeyframeCache? keyframes = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await GetAsync(db, sha256, ct, keyframes);
    }

    /// <summary>The bytes stored under <paramref name="sha256"/>, or <see langword="null"/> when there are none; read on <paramref name="db"/>.</summary>
    /// <param name="keyframes">Decoded keyframes to reuse across many reads (exports, searches); optional.</param>
    /// <exception cref="InvalidDataException">The stored content is damaged: it does not rebuild to bytes with its SHA-256.</exception>
    public async Task<byte[]?> GetAsync(PortalDbContext db, string sha256, CancellationToken ct, KeyframeCache? keyframes = null)
    {
        var content = await db.PayloadContents.AsNoTracking().SingleOrDefaultAsync(c => c.Sha256 == sha256, ct);
        if (content is null)
        {
            return null;
        }

        byte[] bytes;
        if (content.Encoding == ContentEncoding.Blocks)
        {
            // Whole, for the callers that ask for it (small comparisons); pages, sends and downloads stream instead.
            bytes = new byte[content.Length];
            await using var stream = new BlockReadStream(await dbFactory.CreateDbContextAsync(ct), content, 0);
            await stream.ReadExactlyAsync(bytes, ct);
            return bytes;
        }

        if (content.Encoding == ContentEncoding.Brotli)
        {
            bytes = Decompress(content.Compressed, content.Length, sha256);
        }
        else
        {
            var keyframeSha = content.BaseSha256
                ?? throw new InvalidDataException($"Stored content {sha256} is a delta without a keyframe.");
            var keyframe = keyframes?.Find(keyframeSha) ?? await ReadKeyframeAsync(db, keyframeSha, sha256, ct);
            keyframes?.Keep(keyframeSha, keyframe);
            bytes = DeltaDecode(keyframe, content.Compressed, content.Length, sha256);
        }

        if (!Hash(bytes).Equals(sha256, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Stored content {sha256} is corrupt: its bytes no longer hash to its SHA-256.");
        }

        return bytes;
    }

    private static async Task<byte[]> ReadKeyframeAsync(PortalDbContext db, string keyframeSha, string forSha, CancellationToken ct)
    {
        var keyframe = await db.PayloadContents.AsNoTracking().SingleOrDefaultAsync(c => c.Sha256 == keyframeSha, ct);
        if (keyframe is null || keyframe.Encoding != ContentEncoding.Brotli)
        {
            throw new InvalidDataException($"Stored content {forSha} is a delta against {keyframeSha}, which is {(keyframe is null ? "missing" : "not stored whole")}.");
        }

        var bytes = Decompress(keyframe.Compressed, keyframe.Length, keyframeSha);
        if (!Hash(bytes).Equals(keyframeSha, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Stored content {keyframeSha} (the keyframe of {forSha}) is corrupt: its bytes no longer hash to its SHA-256.");
        }

        return bytes;
    }

    private static async Task<(ContentEncoding Encoding, string? BaseSha256, byte[] Compressed)> EncodeAsync(
        PortalDbContext db, ReadOnlyMemory<byte> bytes, string? similarTo, CancellationToken ct) =>
        (similarTo is null ? null : await TryDeltaAsync(db, bytes, similarTo, ct))
        ?? (ContentEncoding.Brotli, null, Compress(bytes.Span));

    /// <summary>The bytes as a delta against the keyframe behind <paramref name="similarTo"/>, or <see langword="null"/> when that is not worth it.</summary>
    private static async Task<(ContentEncoding Encoding, string? BaseSha256, byte[] Compressed)?> TryDeltaAsync(
        PortalDbContext db, ReadOnlyMemory<byte> bytes, string similarTo, CancellationToken ct)
    {
        // The keyframe behind the similar content: the content itself when it is stored whole.
        var similar = await db.PayloadContents.AsNoTracking()
            .Where(c => c.Sha256 == similarTo)
            .Select(c => new { c.Encoding, c.BaseSha256 })
            .SingleOrDefaultAsync(ct);
        var keyframeSha = similar?.Encoding == ContentEncoding.Brotli ? similarTo : similar?.BaseSha256;
        if (keyframeSha is null)
        {
            return null;
        }

        // Of a like size too: a delta against something much smaller or larger saves little, and
        // the keyframe's own ratio would then say nothing about what the content takes whole.
        var keyframe = await db.PayloadContents.AsNoTracking()
            .Where(c => c.Sha256 == keyframeSha && c.Encoding == ContentEncoding.Brotli && c.Length <= InlineLimit
                && c.Length * 2 >= bytes.Length && c.Length <= bytes.Length * 2L)
            .SingleOrDefaultAsync(ct);
        if (keyframe is null || await db.PayloadContents.CountAsync(c => c.BaseSha256 == keyframe.Sha256, ct) >= MaxDeltasPerKeyframe)
        {
            return null;
        }

        // A damaged keyframe must not stop captures: the content is then stored whole and becomes
        // the keyframe of those after it.
        var reference = TryReadWhole(keyframe);
        if (reference is null || StartsWithDictionaryMagic(reference))
        {
            return null;
        }

        var delta = DeltaEncode(reference, bytes.Span);
        var wholeEstimate = (double)keyframe.Compressed.Length / Math.Max(1, keyframe.Length) * bytes.Length;
        return delta.Length * MinDeltaSaving <= wholeEstimate ? (ContentEncoding.ZstdDelta, keyframe.Sha256, delta) : null;
    }

    /// <summary>A whole content's bytes, or <see langword="null"/> when they no longer rebuild to its SHA-256.</summary>
    private static byte[]? TryReadWhole(PayloadContent content)
    {
        try
        {
            var bytes = Decompress(content.Compressed, content.Length, content.Sha256);
            return Hash(bytes).Equals(content.Sha256, StringComparison.Ordinal) ? bytes : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static bool StartsWithDictionaryMagic(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(bytes) == ZstdDictionaryMagic;

    internal static byte[] Compress(ReadOnlySpan<byte> bytes)
    {
        // Quality 5 with a 4 MiB window: most of Brotli's ratio on repetitive JSON at a fraction of the top quality's time.
        using var encoder = new BrotliEncoder(quality: 5, window: 22);
        var output = new byte[BrotliEncoder.GetMaxCompressedLength(bytes.Length)];
        var status = encoder.Compress(bytes, output, out _, out var written, isFinalBlock: true);
        if (status != System.Buffers.OperationStatus.Done)
        {
            throw new InvalidOperationException($"Brotli compression stopped with {status}.");
        }

        return output.AsSpan(0, written).ToArray();
    }

    private static byte[] Decompress(byte[] compressed, long length, string sha256)
    {
        var output = new byte[length];
        if (!BrotliDecoder.TryDecompress(compressed, output, out var written) || written != length)
        {
            throw new InvalidDataException($"Stored content {sha256} is corrupt: expected {length} bytes, got {written}.");
        }

        return output;
    }

    internal static byte[] DeltaEncode(ReadOnlySpan<byte> reference, ReadOnlySpan<byte> bytes)
    {
        using var compressor = new Compressor(DeltaLevel);
        // The window must reach back over the reference to every part of the new content.
        compressor.SetParameter(ZSTD_cParameter.ZSTD_c_windowLog, WindowLog(reference.Length + bytes.Length));
        compressor.LoadDictionary(reference);
        return compressor.Wrap(bytes).ToArray();
    }

    private static byte[] DeltaDecode(byte[] reference, byte[] delta, long length, string sha256)
    {
        var output = new byte[length];
        try
        {
            using var decompressor = new Decompressor();
            decompressor.LoadDictionary(reference);
            var written = decompressor.Unwrap(delta, output);
            if (written != length)
            {
                throw new InvalidDataException($"Stored content {sha256} is corrupt: expected {length} bytes, got {written}.");
            }
        }
        catch (ZstdException ex)
        {
            throw new InvalidDataException($"Stored content {sha256} is corrupt: {ex.Message}", ex);
        }

        return output;
    }

    /// <summary>The smallest window (2^n bytes, 2^20 to 2^27) that covers <paramref name="bytes"/>.</summary>
    private static int WindowLog(long bytes) =>
        Math.Clamp(64 - BitOperations.LeadingZeroCount((ulong)Math.Max(1, bytes - 1)), 20, 27);

    /// <summary>
    /// The last keyframe decoded, kept for the next read: exports and searches read many deltas of the
    /// same keyframe in a row. Not thread-safe; one per reading loop.
    /// </summary>
    public sealed class KeyframeCache
    {
        private string? _sha256;
        private byte[]? _bytes;

        internal byte[]? Find(string sha256) => sha256 == _sha256 ? _bytes : null;

        internal void Keep(string sha256, byte[] bytes) => (_sha256, _bytes) = (sha256, bytes);
    }
}
