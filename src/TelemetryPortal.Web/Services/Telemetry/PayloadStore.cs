using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using TelemetryPortal.Web.Data;

namespace TelemetryPortal.Web.Services.Telemetry;

/// <summary>
/// The payload bytes at rest: Brotli-compressed, addressed by their SHA-256, stored once however
/// many payloads share them.
/// </summary>
public static class PayloadStore
{
    /// <summary>SHA-256 of <paramref name="bytes"/>, lower-case hex.</summary>
    public static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Stores <paramref name="bytes"/> unless the same content is already there; returns its SHA-256.</summary>
    public static async Task<string> PutAsync(PortalDbContext db, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        var sha256 = Hash(bytes.Span);
        if (await db.PayloadContents.AnyAsync(c => c.Sha256 == sha256, ct))
        {
            return sha256;
        }

        var compressed = Compress(bytes.Span);
        long length = bytes.Length;
        // Two captures of the same content may race; the second insert is a no-op on either database.
        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO payload_contents ("Sha256", "Length", "Compressed") VALUES ({sha256}, {length}, {compressed}) ON CONFLICT ("Sha256") DO NOTHING""",
            ct);
        return sha256;
    }

    /// <summary>The bytes stored under <paramref name="sha256"/>, or <see langword="null"/> when there are none.</summary>
    public static async Task<byte[]?> GetAsync(PortalDbContext db, string sha256, CancellationToken ct)
    {
        var content = await db.PayloadContents.AsNoTracking().SingleOrDefaultAsync(c => c.Sha256 == sha256, ct);
        return content is null ? null : Decompress(content.Compressed, content.Length);
    }

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

    internal static byte[] Decompress(byte[] compressed, long length)
    {
        var output = new byte[length];
        if (!BrotliDecoder.TryDecompress(compressed, output, out var written) || written != length)
        {
            throw new InvalidDataException($"Stored payload content is corrupt: expected {length} bytes, got {written}.");
        }

        return output;
    }
}
