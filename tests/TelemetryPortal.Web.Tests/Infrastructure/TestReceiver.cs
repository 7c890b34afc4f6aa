using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Web.Tests.Infrastructure;

/// <summary>One request the receiver saw.</summary>
public sealed record ReceivedRequest(string Method, string Path, string? CoderVersion, string? IdempotencyKey, string? ContentType, byte[] Body, int Answer)
{
    public string Sha256 => PayloadStore.Hash(Body);

    public bool Accepted => Answer is >= 200 and < 300;
}

/// <summary>
/// A vendor endpoint on real Kestrel on a loopback port. It records every request and answers as
/// <see cref="Respond"/> says (202 by default), so tests can make it fail for a while, then recover.
/// </summary>
public sealed class TestReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();

    private TestReceiver(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    /// <summary>Decides the status code for the n-th request (0-based).</summary>
    public Func<int, int> Respond { get; set; } = _ => StatusCodes.Status202Accepted;

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    public static async Task<TestReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        TestReceiver? receiver = null;
        var count = -1;
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var answer = receiver!.Respond(Interlocked.Increment(ref count));
            receiver._requests.Enqueue(new ReceivedRequest(
                context.Request.Method,
                context.Request.Path,
                context.Request.Headers["X-Coder-Version"].FirstOrDefault(),
                context.Request.Headers["Idempotency-Key"].FirstOrDefault(),
                context.Request.ContentType,
                body.ToArray(),
                answer));
            return Results.StatusCode(answer);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver = new TestReceiver(app, new Uri(address));
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
