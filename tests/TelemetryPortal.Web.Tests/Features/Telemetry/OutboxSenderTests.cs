using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

[Trait("Database", "Both")]
public sealed class OutboxSenderTests : PipelineTestBase
{
    [Fact]
    public async Task Report_Simulated_ArrivesWithCoderPathsAndHeadersAndIsLoggedByteForByte()
    {
        await using var portal = CreatePortal();
        portal.CreatePortalClient().Dispose();

        await portal.Services.GetRequiredService<TelemetryScheduler>().ReportAsync(TestContext.Current.CancellationToken);
        await WaitForAllSentAsync(portal, 2);

        var payloads = await PayloadsAsync(portal);
        Assert.Equal(["/deployment", "/snapshot"], Receiver.Requests.Select(r => r.Path).Order());
        var factory = portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var store = portal.Services.GetRequiredService<PayloadStore>();
        await using var db = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        foreach (var payload in payloads)
        {
            var request = Assert.Single(Receiver.Requests, r => r.IdempotencyKey == payload.IdempotencyKey.ToString());
            Assert.Equal($"/{PayloadKinds.Name(payload.Kind)}", request.Path);
            Assert.Equal("v2.24.1", request.CoderVersion);
            Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
            Assert.Equal(payload.Sha256, request.Sha256);
            Assert.Equal(request.Body, await store.GetAsync(db, payload.Sha256, TestContext.Current.CancellationToken));
            Assert.Equal(request.Body.Length, payload.SizeBytes);
            Assert.Equal(new Uri(Receiver.BaseUri, PayloadKinds.Name(payload.Kind)).AbsoluteUri, payload.Endpoint);
            Assert.Equal(202, payload.HttpStatus);
            Assert.Equal(1, payload.Attempts);
            Assert.Equal(2, payload.Level);
            Assert.Equal(TelemetrySource.Simulated, payload.Source);
            Assert.NotNull(payload.CompletedAt);
        }

        // Level 2 sends e-mail addresses: the simulated installation has them.
        var snapshot = Encoding.UTF8.GetString(Receiver.Requests.Single(r => r.Path == "/snapshot").Body);
        Assert.Matches(Email(), snapshot);
    }

    [Fact]
    public async Task Send_LeaseTakenOverWhileSending_TheOtherInstancesRecordIsNotWrittenOver()
    {
        await using var portal = CreatePortal();
        portal.CreatePortalClient().Dispose();
        var factory = portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        // While the body is on the wire, this instance's lease ends and another instance takes the payload over.
        Receiver.Respond = _ =>
        {
            using var db = factory.CreateDbContext();
            db.Payloads.Where(p => p.LeaseOwner != null).ExecuteUpdate(s => s.SetProperty(p => p.LeaseOwner, "another-instance"));
            return 202;
        };

        await portal.Services.GetRequiredService<TelemetryScheduler>().ReportAsync(TestContext.Current.CancellationToken);
        await Eventually.WaitUntilAsync(() => Task.FromResult(Receiver.Requests.Count >= 2), "both reports reach the receiver");
        await Eventually.WaitUntilAsync(async () => (await PayloadsAsync(portal)).All(p => p.LeaseOwner == "another-instance"), "both are taken over");
        // Nothing is due for this instance now: both are held by the other.
        await portal.Services.GetRequiredService<OutboxSender>().SendDueAsync(TestContext.Current.CancellationToken);

        Assert.All(await PayloadsAsync(portal), p =>
        {
            Assert.Equal("another-instance", p.LeaseOwner);
            Assert.Equal(PayloadStatus.Pending, p.Status);
            Assert.Null(p.HttpStatus);
        });
    }

    [Fact]
    public async Task Report_LevelOne_SendsNoEmailOrIpAndCountsWhatWasRemoved()
    {
        await using var portal = CreatePortal(new Dictionary<string, string?> { ["CODER_TELEMETRY"] = "1" });
        portal.CreatePortalClient().Dispose();

        await portal.Services.GetRequiredService<TelemetryScheduler>().ReportAsync(TestContext.Current.CancellationToken);
        await WaitForAllSentAsync(portal, 2);

        foreach (var request in Receiver.Requests)
        {
            var text = Encoding.UTF8.GetString(request.Body);
            Assert.DoesNotMatch(Email(), text);
            Assert.DoesNotMatch(Ipv4(), text);
        }

        var snapshot = (await PayloadsAsync(portal)).Single(p => p.Kind == PayloadKind.Snapshot);
        Assert.Equal(1, snapshot.Level);
        Assert.True(snapshot.DroppedFields > 0);
        Assert.True(snapshot.SizeBytes < snapshot.CapturedBytes);
    }

    [Fact]
    public async Task Send_EndpointFailsForAWhileThenRecovers_EveryPayloadDeliveredOnceWithOneKey()
    {
        Receiver.Respond = n => n < 7 ? 503 : 202;
        await using var portal = CreatePortal();
        portal.CreatePortalClient().Dispose();
        var scheduler = portal.Services.GetRequiredService<TelemetryScheduler>();

        await scheduler.ReportAsync(TestContext.Current.CancellationToken);
        await scheduler.ReportAsync(TestContext.Current.CancellationToken);
        await WaitForAllSentAsync(portal, 4);

        var payloads = await PayloadsAsync(portal);
        Assert.Equal(7, Receiver.Requests.Count(r => !r.Accepted));
        Assert.Equal(4, Receiver.Requests.Count(r => r.Accepted));
        Assert.Equal(payloads.Select(p => p.IdempotencyKey.ToString()).Order(), Receiver.Requests.Where(r => r.Accepted).Select(r => r.IdempotencyKey).Order());
        // The same payload always went out under the same key, and each key only ever carried one payload.
        Assert.All(Receiver.Requests.GroupBy(r => r.IdempotencyKey), g => Assert.Single(g.Select(r => r.Sha256).Distinct()));
        Assert.Equal(Receiver.Requests.Count, payloads.Sum(p => p.Attempts));
        Assert.Contains(payloads, p => p.Attempts > 1);
    }

    [Fact]
    public async Task Send_EndpointRefuses_IsRejectedWithoutRetrying()
    {
        Receiver.Respond = _ => 400;
        await using var portal = CreatePortal();
        portal.CreatePortalClient().Dispose();

        await portal.Services.GetRequiredService<TelemetryScheduler>().ReportAsync(TestContext.Current.CancellationToken);
        await Eventually.WaitUntilAsync(
            async () => (await PayloadsAsync(portal)).All(p => p.Status == PayloadStatus.Rejected), "both payloads rejected");

        Assert.Equal(2, Receiver.Requests.Count);
        Assert.All(await PayloadsAsync(portal), p =>
        {
            Assert.Equal(400, p.HttpStatus);
            Assert.Equal(1, p.Attempts);
            Assert.StartsWith("HTTP 400", p.LastError, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Restart_DuringOutage_LosesNothingAndKeepsKeys()
    {
        Receiver.Respond = _ => 503;
        var dataDirectory = TempDirectory.Create();
        List<TelemetryPayload> before;
        await using (var portal = CreatePortal(dataDirectory: dataDirectory))
        {
            portal.CreatePortalClient().Dispose();
            await portal.Services.GetRequiredService<TelemetryScheduler>().ReportAsync(TestContext.Current.CancellationToken);
            await Eventually.WaitUntilAsync(
                async () => (await PayloadsAsync(portal)).All(p => p is { Status: PayloadStatus.Retrying, FailedSends: >= 2 }),
                "both payloads failed twice");
            before = await PayloadsAsync(portal);
        }

        Receiver.Respond = _ => 202;
        await using (var portal = CreatePortal(dataDirectory: dataDirectory))
        {
            portal.CreatePortalClient().Dispose();
            await WaitForAllSentAsync(portal, 2);
            var after = await PayloadsAsync(portal);
            Assert.Equal(before.Select(p => p.IdempotencyKey), after.Select(p => p.IdempotencyKey));
        }

        var accepted = Receiver.Requests.Where(r => r.Accepted).ToList();
        Assert.Equal(2, accepted.Count);
        Assert.Equal(before.Select(p => p.IdempotencyKey.ToString()).Order(), accepted.Select(r => r.IdempotencyKey).Order());
    }

    [Fact]
    public async Task Shutdown_AfterReporting_SendsALastDeploymentReportWithShutdownAt()
    {
        var dataDirectory = TempDirectory.Create();
        DateTimeOffset stoppedAt;
        var log = new RecordingLoggerProvider();
        await using (var portal = CreatePortal(new Dictionary<string, string?> { ["Telemetry:ShutdownReportTimeout"] = "00:00:10" }, dataDirectory,
            services: s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(log)))
        {
            portal.CreatePortalClient().Dispose();
            await portal.Services.GetRequiredService<TelemetryScheduler>().ReportAsync(TestContext.Current.CancellationToken);
            await WaitForAllSentAsync(portal, 2);
            stoppedAt = DateTimeOffset.UtcNow;
        }

        var deployments = Receiver.Requests.Where(r => r.Path == "/deployment").ToList();
        Assert.True(deployments.Count == 2, $"{deployments.Count} deployment reports arrived; the portal logged:{Environment.NewLine}{log}");
        Assert.False(ShutdownAt(deployments[0].Body).HasValue, "the first report carries no shutdown_at");
        var shutdownAt = ShutdownAt(deployments[1].Body) ?? throw new Xunit.Sdk.XunitException("the last report carries no shutdown_at");
        Assert.InRange(shutdownAt, stoppedAt.AddMinutes(-1), DateTimeOffset.UtcNow);
        Assert.NotEqual(deployments[0].IdempotencyKey, deployments[1].IdempotencyKey);

        // The sent log says so too.
        await using var reopened = CreatePortal(dataDirectory: dataDirectory);
        reopened.CreatePortalClient().Dispose();
        var all = await PayloadsAsync(reopened);
        Assert.Equal(3, all.Count);
        var last = all[^1];
        Assert.Equal((PayloadKind.Deployment, PayloadStatus.Sent), (last.Kind, last.Status));
        Assert.Equal(deployments[1].IdempotencyKey, last.IdempotencyKey.ToString());
    }

    [Fact]
    public async Task Shutdown_WithoutAReportThisRun_SendsNothing()
    {
        await using (var portal = CreatePortal(new Dictionary<string, string?> { ["Telemetry:ShutdownReportTimeout"] = "00:00:10" }))
        {
            portal.CreatePortalClient().Dispose();
        }

        Assert.Empty(Receiver.Requests);
    }

    private static DateTimeOffset? ShutdownAt(byte[] deployment)
    {
        using var json = System.Text.Json.JsonDocument.Parse(deployment);
        return json.RootElement.TryGetProperty("shutdown_at", out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String
            ? value.GetDateTimeOffset()
            : null;
    }

    [Fact]
    public async Task Report_LevelZeroWithLicense_ReceiverGetsNoRequestAndLogRecordsSuppressed()
    {
        await using var portal = CreatePortal(new Dictionary<string, string?> { ["CODER_TELEMETRY"] = "0" }, zeroTelemetryLicense: true);
        portal.CreatePortalClient().Dispose();

        await portal.Services.GetRequiredService<TelemetryScheduler>().ReportAsync(TestContext.Current.CancellationToken);
        // Drain whatever the outbox holds, in the test's own flow: nothing is due.
        await portal.Services.GetRequiredService<OutboxSender>().SendDueAsync(TestContext.Current.CancellationToken);

        var payloads = await PayloadsAsync(portal);
        Assert.Equal(2, payloads.Count);
        Assert.All(payloads, p =>
        {
            Assert.Equal(PayloadStatus.Suppressed, p.Status);
            Assert.Equal(0, p.Level);
            Assert.Equal(0, p.Attempts);
            Assert.Equal("", p.Endpoint);
            Assert.Equal(0, p.SizeBytes);
            Assert.True(p.CapturedBytes > 0, "The log keeps the size of what was captured.");
            Assert.Equal(64, p.Sha256.Length);
        });
        Assert.Empty(Receiver.Requests);
        // The record, not the bytes: nothing about people is kept for nothing.
        await using var db = await portal.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Web.Data.PortalDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.Empty(await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.PayloadContents, TestContext.Current.CancellationToken));
        using var admin = portal.CreatePortalClient();
        await admin.SignInOrFailAsync("admin", PortalFactory.AdminPassword);
        var bytes = await admin.GetAsync($"/api/v1/history/{payloads[0].Id}/payload", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Gone, bytes.StatusCode);
        Assert.Contains("not its bytes", await bytes.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public void Backoff_GrowsExponentiallyWithJitterUpToTheCap()
    {
        var settings = new TelemetryOptions { RetryBaseDelay = TimeSpan.FromSeconds(10), RetryMaxDelay = TimeSpan.FromMinutes(5) };

        for (var i = 0; i < 50; i++)
        {
            var first = OutboxSender.Backoff(1, settings);
            var third = OutboxSender.Backoff(3, settings);
            var late = OutboxSender.Backoff(40, settings);
            Assert.InRange(first, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
            Assert.InRange(third, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40));
            Assert.InRange(late, TimeSpan.FromMinutes(2.5), TimeSpan.FromMinutes(5));
        }
    }

    /// <summary>The portal's log lines from the telemetry services, for a failing test's message.</summary>
    private sealed class RecordingLoggerProvider : Microsoft.Extensions.Logging.ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

        public void Dispose()
        {
        }

        public override string ToString() => string.Join(Environment.NewLine, _lines);

        private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<string> lines) : Microsoft.Extensions.Logging.ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => category.StartsWith("TelemetryPortal", StringComparison.Ordinal) || category.StartsWith("Microsoft.Hosting", StringComparison.Ordinal);

            public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)} {exception?.GetType().Name} {exception?.Message}");
                }
            }
        }
    }
}
