using System.Net;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// A payload's bytes as a request body, written in chunks that are counted: when the connection fails, the sender can
/// tell a connection dropped once the body was on its way (a receiver closing on a body it will not take, or a crash)
/// from an endpoint that could not be reached at all. The bytes are read from the store as they are written (a block at
/// a time), never held whole.
/// </summary>
internal sealed class UploadContent(IByteSource bytes) : HttpContent
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>The most bytes one attempt got onto the connection (retries inside one send write it again).</summary>
    public long MostWritten { get; private set; }

    /// <summary>Whether some of the body was handed to the connection (it was reached and took the request).</summary>
    public bool BodyStarted => MostWritten > 0;

    public long Length => bytes.Length;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        long written = 0;
        await using var source = await bytes.OpenReadAsync(0, cancellationToken);
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int read;
            while ((read = await source.ReadAsync(chunk.AsMemory(0, ChunkBytes), cancellationToken)) > 0)
            {
                await stream.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
                written += read;
                MostWritten = Math.Max(MostWritten, written);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = bytes.Length;
        return true;
    }
}
