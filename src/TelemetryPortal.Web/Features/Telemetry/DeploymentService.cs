using Microsoft.EntityFrameworkCore;
using TelemetryPortal.Web.Data;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>This installation's identity: a deployment id created once and kept.</summary>
public sealed class DeploymentService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    private Guid? _deploymentId;

    /// <summary>The deployment id; <see cref="EnsureCreatedAsync"/> has run at start.</summary>
    public async Task<Guid> GetDeploymentIdAsync(CancellationToken ct = default)
    {
        if (_deploymentId is { } cached)
        {
            return cached;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.Deployment.AsNoTracking().SingleOrDefaultAsync(ct)
            ?? throw new InvalidOperationException("The deployment id has not been created; the portal did not initialise its database.");
        _deploymentId = record.DeploymentId;
        return record.DeploymentId;
    }

    /// <summary>Creates the deployment id on first start; later starts keep it.</summary>
    public async Task<Guid> EnsureCreatedAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Instances starting together on one database run this in turn (PortalInitializer's start lock).
        var record = await db.Deployment.AsNoTracking().SingleOrDefaultAsync(ct);
        if (record is null)
        {
            record = new DeploymentRecord { DeploymentId = Guid.NewGuid(), CreatedAt = time.GetUtcNow().UtcDateTime };
            db.Deployment.Add(record);
            await db.SaveChangesAsync(ct);
        }

        _deploymentId = record.DeploymentId;
        return record.DeploymentId;
    }
}
