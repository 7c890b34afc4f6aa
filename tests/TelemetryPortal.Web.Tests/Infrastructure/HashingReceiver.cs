using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TelemetryPortal.Web.Tests.Infrastructure;

/// <summary>What a <see cref="HashingReceiver"/> took: the path, and the body's size and SHA-256 (the body itself is not kept).</summary>
public sealed record HashedRequest(string Path, string? IdempotencyKey, long Length, string Sha256);

/// <summary>
/// A telemetry endpoint on loopback (real Kestrel) for payloads of any size: it reads each body as it arrives, hashing and
/// counting, keeping nothing else, and answers 202.
/// </summary>
public sealed class HashingReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<HashedRequest> _requests = new();

    private HashingReceiver(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = null!;

    public IReadOnlyList<HashedRequest> Requests => [.. _requests];

    public static async Task<HashingReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new HashingReceiver(app);
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[64 * 1024];
            long length = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                length += read;
            }

            receiver._requests.Enqueue(new HashedRequest(
                context.Request.Path, context.Request.Headers["Idempotency-Key"].ToString(), length, Convert.ToHexStringLower(hash.GetHashAndReset())));
            return Results.StatusCode(StatusCodes.Status202Accepted);
        });
        await app.StartAsync();
        var address = app.Urls.First();
        receiver.BaseUri = new Uri(address.EndsWith('/') ? address : address + "/");
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
