using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TelemetryPortal.Web.Tests.Infrastructure;

/// <summary>
/// A raw HTTP/1.1 endpoint on loopback that takes bodies up to <see cref="MaxBodyBytes"/> (answering 202) and, for a
/// larger body, reads part of it and then resets the connection without answering, as a receiver with a body
/// limit often does. It counts both.
/// </summary>
public sealed class CuttingReceiver : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _accepted;
    private int _cut;

    public CuttingReceiver(int maxBodyBytes)
    {
        MaxBodyBytes = maxBodyBytes;
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    public int MaxBodyBytes { get; }

    public Uri BaseUri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Requests whose body was taken and answered 202.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Requests cut off part-way through their body.</summary>
    public int Cut => Volatile.Read(ref _cut);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                while (true)
                {
                    var (headers, leftover) = await ReadHeadersAsync(socket);
                    if (headers is null)
                    {
                        return;
                    }

                    var length = ContentLength(headers);
                    if (length > MaxBodyBytes)
                    {
                        // Read a little more of the body, then drop the connection with a reset, answering nothing.
                        await ReadBodyAsync(socket, Math.Min(length, MaxBodyBytes) - leftover);
                        Interlocked.Increment(ref _cut);
                        socket.LingerState = new LingerOption(true, 0);
                        socket.Close();
                        return;
                    }

                    await ReadBodyAsync(socket, length - leftover);
                    Interlocked.Increment(ref _accepted);
                    await socket.SendAsync("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n"u8.ToArray());
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task<(string? Headers, int Leftover)> ReadHeadersAsync(Socket socket)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer);
            if (read == 0)
            {
                return (null, 0);
            }

            received.AddRange(buffer.AsSpan(0, read));
            var text = Encoding.ASCII.GetString(received.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                return (text[..end], received.Count - (end + 4));
            }
        }
    }

    private static async Task ReadBodyAsync(Socket socket, long remaining)
    {
        var buffer = new byte[64 * 1024];
        while (remaining > 0)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)));
            if (read == 0)
            {
                return;
            }

            remaining -= read;
        }
    }

    private static long ContentLength(string headers) =>
        headers.Split("\r\n").Select(h => h.Split(':', 2)).Where(h => h.Length == 2 && h[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(h => long.Parse(h[1].Trim(), CultureInfo.InvariantCulture)).FirstOrDefault();
}
