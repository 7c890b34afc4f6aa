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
}
