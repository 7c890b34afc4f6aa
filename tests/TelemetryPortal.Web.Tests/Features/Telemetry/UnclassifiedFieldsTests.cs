using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

/// <summary>A caller inventing keys cannot grow the record of unknown fields without end.</summary>
public sealed class UnclassifiedFieldsTests : IAsyncDisposable
{
    private readonly PortalFactory _portal = new();

    public ValueTask DisposeAsync() => _portal.DisposeAsync();

    [Fact]
    public async Task Record_ManyAndLongPaths_StopsAtTheBoundAndClipsPaths_ExistingOnesStillCounted()
    {
        var ct = TestContext.Current.CancellationToken;
        var factory = _portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var now = new DateTime(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc);
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            await UnclassifiedFields.RecordAsync(db, "snapshot", [new UnknownField("snapshot." + new string('x', 5000), "string")], "v9", now, ct);
            await db.SaveChangesAsync(ct);
        }

        for (var batch = 0; batch < 45; batch++)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var fields = Enumerable.Range(0, 50).Select(i => new UnknownField($"snapshot.invented_{batch}_{i}", "string")).ToList();
            await UnclassifiedFields.RecordAsync(db, "snapshot", fields, "v9", now, ct);
            await db.SaveChangesAsync(ct);
        }

        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            await UnclassifiedFields.RecordAsync(db, "snapshot",
                [new UnknownField("snapshot.invented_0_0", "number"), new UnknownField("snapshot.one_too_many", "string")], "v10", now.AddHours(1), ct);
            await db.SaveChangesAsync(ct);
        }

        var list = await _portal.Services.GetRequiredService<UnclassifiedFields>().ListAsync(ct);
        Assert.Equal(UnclassifiedFields.MaxRows, list.Count);
        Assert.All(list, f => Assert.True(f.Path.Length <= UnclassifiedFields.MaxPathLength));
        Assert.Contains(list, f => f.Path.StartsWith("snapshot.xxx", StringComparison.Ordinal) && f.Path.EndsWith('…'));
        Assert.DoesNotContain(list, f => f.Path == "snapshot.one_too_many");
        var again = Assert.Single(list, f => f.Path == "snapshot.invented_0_0");
        Assert.Equal(2, again.Reports);
        Assert.Equal("number", again.JsonType);
        Assert.Equal("v10", again.CoderVersion);
    }
}
