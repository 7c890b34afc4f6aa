using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Data;

/// <summary>
/// "Level 0 sends nothing" across instances: two portals on one PostgreSQL database (each with its own services, so its
/// own gate and sender, meeting only in the database), one sending while the other's admin chooses level 0.
/// </summary>
[Trait("Database", "Postgres")]
public sealed class CrossInstanceConsentTests : PipelineTestBase
{
    private static readonly ConsentActor Admin = new("1", "Administrator (admin)", "Admin");

    [Fact]
    public async Task LevelZero_ChosenOnOneInstanceWhileTheOtherSends_WaitsForThatSend_AndNothingLeavesAfterIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Portal"] = TestDatabases.CreatePostgres(),
            // A held send must not be given up and retried while the test holds it.
            ["Telemetry:RequestTimeout"] = "00:02:00",
        };
        await using var sending = CreatePortal(database, zeroTelemetryLicense: true);
        sending.CreatePortalClient().Dispose();
        await using var deciding = CreatePortal(database, zeroTelemetryLicense: true);
        deciding.CreatePortalClient().Dispose();

        // The receiver holds the first request until released: a send in flight on whichever instance claimed it.
        using var arrived = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Receiver.Respond = _ =>
        {
            arrived.Set();
            release.Wait(TimeSpan.FromMinutes(1));
            return 202;
        };
        await sending.Services.GetRequiredService<TelemetryScheduler>().ReportAsync(ct);
        Assert.True(arrived.Wait(TimeSpan.FromSeconds(30), ct), "No send reached the receiver.");

        var choice = deciding.Services.GetRequiredService<TelemetryLevelService>()
            .ChooseAsync(TelemetryLevel.Off, Admin, CollectionMethods.Web, "no telemetry", ct: ct);
        // The decision waits for the send in flight, on whichever instance it is (a bounded window: it must not end).
        Assert.NotSame(choice, await Task.WhenAny(choice, Task.Delay(TimeSpan.FromSeconds(2), ct)));

        release.Set();
        var decision = await choice;
        var sentBefore = Receiver.Requests.Count;

        Assert.Equal(TelemetryLevel.Off, decision.Resolution.Effective);
        Assert.Equal(1, sentBefore);
        // The other report, queued at level 2, is kept back by both instances' senders from now on.
        await Eventually.WaitUntilAsync(
            async () => (await PayloadsAsync(sending)).All(p => p.Status is PayloadStatus.Sent or PayloadStatus.Suppressed),
            "the queued report suppressed");
        await sending.Services.GetRequiredService<OutboxSender>().SendDueAsync(ct);
        await deciding.Services.GetRequiredService<OutboxSender>().SendDueAsync(ct);
        Assert.Equal(sentBefore, Receiver.Requests.Count);
        var payloads = await PayloadsAsync(sending);
        Assert.Single(payloads, p => p.Status == PayloadStatus.Sent);
        Assert.Single(payloads, p => p.Status == PayloadStatus.Suppressed);
    }
}
