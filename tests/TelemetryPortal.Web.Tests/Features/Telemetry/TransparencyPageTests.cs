using System.Text;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Services;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

public sealed class TransparencyPageTests : PortalComponentTestContext, IAsyncLifetime
{
    private readonly string _database = Path.Combine(TempDirectory.Create(), "portal.db");

    public TransparencyPageTests()
    {
        Services.AddDbContextFactory<PortalDbContext>(o => o.UseSqlite($"Data Source={_database}"));
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<PayloadStore>();
        Services.AddSingleton<HistoryService>();
        Services.AddSingleton<HistoryExporter>();
        Services.AddSingleton<UnclassifiedFields>();
        Services.AddScoped<BrowserDownload>();
        SignInAs(PortalRoles.Support);
    }

    public async ValueTask InitializeAsync()
    {
        var factory = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        var now = DateTime.UtcNow;
        for (var i = 0; i < 30; i++)
        {
            var sha = await Services.GetRequiredService<PayloadStore>().PutAsync(db, Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"), CancellationToken.None);
            db.Payloads.Add(new TelemetryPayload
            {
                IdempotencyKey = Guid.NewGuid(),
                Kind = i % 2 == 0 ? PayloadKind.Snapshot : PayloadKind.Deployment,
                Level = 2,
                Source = TelemetrySource.Simulated,
                Endpoint = "http://127.0.0.1/collector",
                CoderVersion = "v2.24.1",
                Status = i < 3 ? PayloadStatus.Retrying : PayloadStatus.Sent,
                Sha256 = sha,
                SizeBytes = 8,
                CapturedAt = now.AddMinutes(-30 * i),
            });
        }

        await db.SaveChangesAsync();
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public void History_FirstPage_ShowsNewestRowsAndTotal()
    {
        Render<MudPopoverProvider>();

        var cut = Render<History>();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(25, cut.FindAll("[data-testid=history-grid] tbody tr").Count);
            Assert.Contains("1-25 of 30", cut.Markup, StringComparison.Ordinal);
        });
        Assert.Equal(3, cut.FindAll("[data-testid=history-grid] tbody tr").Count(r => r.TextContent.Contains("Retrying", StringComparison.Ordinal)));
    }

    [Fact]
    public void WhatWeCollect_SearchNarrowsTheTable_AndSummariesComeFromTheDictionary()
    {
        Render<MudPopoverProvider>();

        var cut = Render<WhatWeCollect>();

        Assert.Equal(LevelSummary.Describe(DataDictionary.Default, Core.Telemetry.TelemetryLevel.Lightweight), cut.Find("[data-testid=level-summary-1]").TextContent);
        Assert.Contains("1-25 of", cut.Markup, StringComparison.Ordinal);
        cut.Find("input[type=text]").Input("email_hashed");
        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll("[data-testid=dictionary-grid] tbody tr");
            var row = Assert.Single(rows);
            Assert.Contains("snapshot.users[].email_hashed", row.TextContent, StringComparison.Ordinal);
            Assert.Contains("level 2 only", row.TextContent, StringComparison.Ordinal);
        });
    }
}
