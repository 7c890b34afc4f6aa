using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
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

    [Fact]
    public async Task SendAgain_ARejectedPayload_GoesWithTheSameKey_OnlyRejectedOnesAndOnlyAdmins()
    {
        // The receiver refuses everything at first (a 4xx is final): both payloads end Rejected.
        Receiver.Respond = _ => StatusCodes.Status400BadRequest;
        await using var portal = CreatePortal();
        using var client = portal.CreatePortalClient();
        await portal.Services.GetRequiredService<TelemetryScheduler>().ReportAsync(Ct);
        await Eventually.WaitUntilAsync(async () => (await PayloadsAsync(portal)) is { Count: 2 } p && p.All(x => x.Status == PayloadStatus.Rejected), "both payloads rejected");
        var snapshot = (await PayloadsAsync(portal)).Single(p => p.Kind == PayloadKind.Snapshot);

        // The receiver's limit is fixed; an admin sends the snapshot again.
        Receiver.Respond = _ => StatusCodes.Status202Accepted;
        await client.SignInOrFailAsync("admin", PortalFactory.AdminPassword);
        using var again = await client.PostAsync($"/api/v1/history/{snapshot.Id}/send-again", null, Ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var record = await again.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.StartsWith("Sent again at the request of admin; it had been refused: HTTP 400", record.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        await Eventually.WaitUntilAsync(async () => (await PayloadsAsync(portal)).Single(p => p.Id == snapshot.Id).Status == PayloadStatus.Sent, "the snapshot sent");

        var sent = (await PayloadsAsync(portal)).Single(p => p.Id == snapshot.Id);
        var keys = Receiver.Requests.Where(r => r.Path.EndsWith("snapshot", StringComparison.Ordinal)).Select(r => r.IdempotencyKey).Distinct().ToList();
        Assert.Equal([sent.IdempotencyKey.ToString()], keys);
        Assert.True(Receiver.Requests.Last(r => r.Path.EndsWith("snapshot", StringComparison.Ordinal)).Accepted);

        // Sent now: there is nothing to send again.
        using var conflict = await client.PostAsync($"/api/v1/history/{snapshot.Id}/send-again", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("Only a rejected payload is sent again", await conflict.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var missing = await client.PostAsync("/api/v1/history/999999/send-again", null, Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
