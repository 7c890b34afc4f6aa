using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Consent;

[Trait("Database", "Both")]
public sealed class LevelDecisionPipelineTests : PipelineTestBase
{
    [Fact]
    public async Task Report_AfterAdminLowersTheLevelToOne_NextSendHasNoEmailAndIsLoggedAtLevelOne()
    {
        await using var portal = CreatePortal();
        using var admin = portal.CreatePortalClient();
        await admin.SignInOrFailAsync("admin", PortalFactory.AdminPassword);
        var scheduler = portal.Services.GetRequiredService<TelemetryScheduler>();
        await scheduler.ReportAsync(TestContext.Current.CancellationToken);
        await WaitForAllSentAsync(portal, 2);
        Assert.Matches(Email(), Encoding.UTF8.GetString(Receiver.Requests.Single(r => r.Path == "/snapshot").Body));

        var response = await admin.PutAsJsonAsync("/api/v1/telemetry/level", new { level = 1, confirm = true }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        await scheduler.ReportAsync(TestContext.Current.CancellationToken);
        await WaitForAllSentAsync(portal, 4);

        var payloads = await PayloadsAsync(portal);
        Assert.Equal([2, 2, 1, 1], payloads.Select(p => p.Level));
        foreach (var payload in payloads.Skip(2))
        {
            var sent = Assert.Single(Receiver.Requests, r => r.IdempotencyKey == payload.IdempotencyKey.ToString());
            Assert.DoesNotMatch(Email(), Encoding.UTF8.GetString(sent.Body));
        }
    }
}
