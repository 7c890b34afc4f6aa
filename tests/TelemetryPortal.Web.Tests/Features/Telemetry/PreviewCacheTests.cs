using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

/// <summary>The preview redacts the same bytes at the same level once, however often it is viewed.</summary>
public sealed class PreviewCacheTests : IAsyncDisposable
{
    private readonly PortalFactory _portal = new();

    public ValueTask DisposeAsync() => _portal.DisposeAsync();

    [Fact]
    public async Task Apply_SameBytesAndLevel_ReusesTheResult_OtherBytesOrLevelDoNot()
    {
        var previews = _portal.Services.GetRequiredService<PreviewService>();
        var bytes = Encoding.UTF8.GetBytes("""{"deployment_id":"d","provisioner_jobs":[{"error":"ssh ada@example.com failed"}]}""");
        var source = new PreviewSource(PayloadKind.Snapshot, new MemoryByteSource(bytes), TelemetrySource.CoderProxy, "v2", null);

        var first = await previews.ApplyAsync(source, TelemetryLevel.Lightweight);
        var again = await previews.ApplyAsync(source with { Captured = new MemoryByteSource(bytes.ToArray()) }, TelemetryLevel.Lightweight);
        var full = await previews.ApplyAsync(source, TelemetryLevel.Full);
        var other = await previews.ApplyAsync(source with { Captured = new MemoryByteSource(Encoding.UTF8.GetBytes("""{"deployment_id":"e"}""")) }, TelemetryLevel.Lightweight);

        Assert.Same(first, again);
        Assert.NotSame(first, full);
        Assert.Equal(bytes, await full.Content.ReadAllAsync(1024));
        Assert.DoesNotContain("ada@example.com", Encoding.UTF8.GetString(await first.Content.ReadAllAsync(1024)), StringComparison.Ordinal);
        Assert.NotEqual(await first.Content.ReadAllAsync(1024), await other.Content.ReadAllAsync(1024));
    }

    [Fact]
    public async Task Simulated_KeptFiveMinutes_RefreshCapturesAgain_DownloadOfTheCaptureShown_ReplacedIs410()
    {
        await _portal.Services.GetRequiredService<DeploymentService>().EnsureCreatedAsync(Ct);
        var previews = _portal.Services.GetRequiredService<PreviewService>();
        using var client = _portal.CreatePortalClient();
        await client.SignInOrFailAsync("admin", PortalFactory.AdminPassword);

        var first = (await previews.GetSourceAsync(PayloadKind.Snapshot, Ct))!;
        Assert.Same(first, await previews.GetSourceAsync(PayloadKind.Snapshot, Ct));
        var lightweight = await previews.ApplyAsync(first, TelemetryLevel.Lightweight, Ct);

        // The bytes the page shows, as a file, from the kept preview of that very capture.
        using (var download = await client.GetAsync($"/api/v1/telemetry/preview?kind=snapshot&level=1&of={first.Captured.Id}", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("snapshot-level-1.json", download.Content.Headers.ContentDisposition?.FileName);
            Assert.Equal(await lightweight.Content.ReadAllAsync(int.MaxValue, Ct), await download.Content.ReadAsByteArrayAsync(Ct));
        }

        using (var captured = await client.GetAsync($"/api/v1/telemetry/preview?kind=snapshot&level=0&of={first.Captured.Id}", Ct))
        {
            Assert.Equal("snapshot-captured-not-sent.json", captured.Content.Headers.ContentDisposition?.FileName);
            Assert.Equal(await first.Captured.ReadAllAsync(int.MaxValue, Ct), await captured.Content.ReadAsByteArrayAsync(Ct));
        }

        // Five minutes on, the next view captures again; so does Refresh at once.
        _portal.Time.Advance(PreviewService.SimulatedKeptFor + TimeSpan.FromSeconds(1));
        var later = (await previews.GetSourceAsync(PayloadKind.Snapshot, Ct))!;
        Assert.NotSame(first, later);
        var refreshed = (await previews.RefreshAsync(PayloadKind.Snapshot, Ct))!;
        Assert.NotSame(later, refreshed);
        Assert.Same(refreshed, await previews.GetSourceAsync(PayloadKind.Snapshot, Ct));

        using var gone = await client.GetAsync($"/api/v1/telemetry/preview?kind=snapshot&level=1&of={new string('0', 64)}", Ct);
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        Assert.Contains("no longer kept", await gone.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_NewerCapturesPushAPreviewOut_ItsBytesReadAsReplaced_AStreamAlreadyOpenKeepsReading()
    {
        var previews = _portal.Services.GetRequiredService<PreviewService>();
        PreviewSource Source(int i) => new(
            PayloadKind.Snapshot, new MemoryByteSource(Encoding.UTF8.GetBytes($$"""{"deployment_id":"d{{i}}","users":[{"email":"u{{i}}@example.com"}]}""")), TelemetrySource.CoderProxy, "v2", null);
        var oldest = await previews.ApplyAsync(Source(0), TelemetryLevel.Lightweight, Ct);
        var expected = await oldest.Content.ReadAllAsync(1024, Ct);
        await using var open = await oldest.Content.OpenReadAsync(0, Ct);

        for (var i = 1; i <= 4; i++)
        {
            await previews.ApplyAsync(Source(i), TelemetryLevel.Lightweight, Ct);
        }

        var replaced = await Assert.ThrowsAsync<PreviewReplacedException>(() => oldest.Content.OpenReadAsync(0, Ct));
        Assert.Contains("Refresh the preview", replaced.Message, StringComparison.Ordinal);
        using var kept = new MemoryStream();
        await open.CopyToAsync(kept, Ct);
        Assert.Equal(expected, kept.ToArray());
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
}
