using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

/// <summary>Payloads a receiver refuses for their size end as Rejected with the reason; the built-in collector takes what the portal sends.</summary>
public sealed class OversizeSendTests : PipelineTestBase
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Send_ReceiverResetsOnLargeBodies_SnapshotIsRejectedWithTheReasonAfterThreeSends_DeploymentIsSent()
    {
        // The deployment report (a few KB) fits; the snapshot (tens of KB) is cut off part-way every time.
        await using var receiver = new CuttingReceiver(maxBodyBytes: 16 * 1024);
        await using var portal = CreatePortal(new Dictionary<string, string?> { ["Telemetry:Endpoint"] = receiver.BaseUri.AbsoluteUri });
        portal.CreatePortalClient().Dispose();

        await portal.Services.GetRequiredService<TelemetryScheduler>().ReportAsync(Ct);
        await Eventually.WaitUntilAsync(
            async () => (await PayloadsAsync(portal)) is { Count: 2 } payloads && payloads.All(p => p.Status is PayloadStatus.Sent or PayloadStatus.Rejected),
            "both payloads settled");

        var byKind = (await PayloadsAsync(portal)).ToDictionary(p => p.Kind);
        var snapshot = byKind[PayloadKind.Snapshot];
        Assert.True(snapshot.SizeBytes > receiver.MaxBodyBytes, $"The snapshot is only {snapshot.SizeBytes} bytes; the test needs one larger than the receiver takes.");
        Assert.Equal(PayloadStatus.Rejected, snapshot.Status);
        Assert.StartsWith("Refused for its size", snapshot.LastError, StringComparison.Ordinal);
        Assert.Contains($"{snapshot.SizeBytes}-byte body on {OutboxSender.MaxCutOffSends} sends in a row", snapshot.LastError, StringComparison.Ordinal);
        Assert.Null(snapshot.NextAttemptAt);
        Assert.Equal(PayloadStatus.Sent, byKind[PayloadKind.Deployment].Status);
        // Each send tries the request up to three times (the HTTP client's own retries) before the sender counts it.
        Assert.InRange(receiver.Cut, OutboxSender.MaxCutOffSends, OutboxSender.MaxCutOffSends * 3);
        Assert.Equal(1, receiver.Accepted);
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData("The connection closed while sending the body (2 in a row) after 5 of 9 bytes (reset)", 2)]
    [InlineData("HTTP 503 Service Unavailable", 0)]
    public void CutsInARow_ReadsTheCountFromTheLastError(string? lastError, int expected) =>
        Assert.Equal(expected, OutboxSender.CutsInARow(lastError));

    [Fact]
    public async Task BuiltInCollector_TakesPayloadsLargerThanTheProxyLimit_TheyAreSent()
    {
        // The proxy's limit is as low as it goes; the simulated snapshot is larger, and the collector still takes it.
        await using var portal = CreatePortal(new Dictionary<string, string?>
        {
            ["Telemetry:Endpoint"] = null,
            ["Telemetry:Proxy:MaxPayloadBytes"] = "1024",
        });
        portal.StartOnKestrel();

        await portal.Services.GetRequiredService<TelemetryScheduler>().ReportAsync(Ct);
        await WaitForAllSentAsync(portal, 2);

        Assert.All(await PayloadsAsync(portal), p => Assert.True(p.SizeBytes > 1024, $"{p.Kind} is {p.SizeBytes} bytes"));
    }
}
