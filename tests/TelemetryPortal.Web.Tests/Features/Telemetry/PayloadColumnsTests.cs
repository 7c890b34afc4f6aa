using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

/// <summary>A payload's kind and source are enums in code and the same text in the database as they always were.</summary>
public sealed class PayloadColumnsTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new() { ConfigureTestServices = services => services.RemoveAll<IHostedService>() };

    public ValueTask InitializeAsync()
    {
        _portal.CreatePortalClient().Dispose();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task KindAndSource_AreStoredAsTheirOldText_AndOldRowsReadBack()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await _portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct);
        var written = new TelemetryPayload
        {
            IdempotencyKey = Guid.NewGuid(), Kind = PayloadKind.Deployment, Source = TelemetrySource.CoderProxy,
            Endpoint = "", CoderVersion = "v2", Sha256 = new string('a', 64), CapturedAt = DateTime.UtcNow,
        };
        db.Payloads.Add(written);
        await db.SaveChangesAsync(ct);
        // A row as an older portal wrote it.
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO payloads ("IdempotencyKey", "Kind", "Level", "Source", "Endpoint", "CoderVersion", "Status", "Sha256", "SizeBytes", "CapturedBytes",
                "CapturedAt", "Attempts", "FailedSends", "TotalDurationMs", "DroppedFields", "UnknownFieldsDropped", "MaskedEmails", "MaskedIpAddresses")
            VALUES ({Guid.NewGuid()}, 'snapshot', 2, 'Simulated', '', 'v1', 'Sent', {new string('b', 64)}, 1, 1, '2026-11-27 09:00:00', 1, 0, 0, 0, 0, 0, 0)
            """,
            ct);

        var stored = await db.Database.SqlQuery<string>($"""SELECT "Kind" || '/' || "Source" AS "Value" FROM payloads WHERE "Id" = {written.Id}""").SingleAsync(ct);
        var old = await db.Payloads.AsNoTracking().SingleAsync(p => p.CoderVersion == "v1", ct);

        Assert.Equal("deployment/CoderProxy", stored);
        Assert.Equal((PayloadKind.Snapshot, TelemetrySource.Simulated), (old.Kind, old.Source));
        Assert.Equal(old.Id, await db.Payloads.Where(p => p.Kind == PayloadKind.Snapshot).Select(p => p.Id).SingleAsync(ct));
    }
}
