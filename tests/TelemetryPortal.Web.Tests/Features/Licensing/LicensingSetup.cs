using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Licensing;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Licensing;

/// <summary>
/// The base of the Licensing component tests: the portal's own registrations (<see cref="PortalComponentTestContext.UsePortalServices"/>)
/// on a SQLite file of the test's own, readied as the portal readies them at start (the deployment id created, the
/// license keys loaded, with the development key in the data directory).
/// </summary>
public abstract class LicensingSetup : PortalComponentTestContext, IAsyncLifetime
{
    protected LicensingSetup(IDictionary<string, string?>? settings = null) => UsePortalServices(DataDirectory, settings);

    /// <summary>The test's own data directory (the database, the development signing key).</summary>
    protected string DataDirectory { get; } = TempDirectory.Create();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var deploymentId = await Services.GetRequiredService<DeploymentService>().EnsureCreatedAsync(Ct);
        await Services.GetRequiredService<LicenseKeyring>().LoadAsync(deploymentId, Ct);
    }

    /// <summary>The license events recorded in the consent ledger (<c>LicenseRequested</c>, ...), oldest first.</summary>
    protected async Task<IReadOnlyList<string>> LicenseActionsAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(Ct);
        var actions = await db.ConsentLedger.OrderBy(e => e.Id).Select(e => e.Action).ToListAsync(Ct);
        return [.. actions.Where(a => a.StartsWith("License", StringComparison.Ordinal))];
    }
}
