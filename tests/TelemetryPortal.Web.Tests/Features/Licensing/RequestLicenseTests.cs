using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MudBlazor;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Configuration;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Licensing;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Services;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Licensing;

/// <summary>The request form against the real service and a real SQLite file.</summary>
public sealed class RequestLicenseTests : PortalComponentTestContext, IAsyncLifetime
{
    private readonly string _directory = TempDirectory.Create();
    private readonly RecordingEvents _events = new();

    public RequestLicenseTests()
    {
        Services.AddDbContextFactory<PortalDbContext>(o => o.UseSqlite($"Data Source={Path.Combine(_directory, "portal.db")}"));
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton(Options.Create(new LicensingOptions()));
        Services.AddSingleton(Options.Create(new PortalOptions { DataDirectory = _directory }));
        Services.AddSingleton<LicenseKeyring>();
        Services.AddSingleton<DeploymentService>();
        Services.AddSingleton<ILicenseEvents>(sp =>
        {
            _events.Databases = sp.GetRequiredService<IDbContextFactory<PortalDbContext>>();
            return _events;
        });
        Services.AddSingleton<LicenseService>();
        Services.AddSingleton(NullLoggerFactory.Instance);
        Services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        Services.AddScoped<BrowserDownload>();
        SignInAs(PortalRoles.Customer, "cora");
    }

    public async ValueTask InitializeAsync()
    {
        await using (var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
        }

        await Services.GetRequiredService<DeploymentService>().EnsureCreatedAsync();
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private IRenderedComponent<RequestLicense> RenderForm()
    {
        Render<MudPopoverProvider>();
        var cut = Render<RequestLicense>();
        cut.WaitForAssertion(() => Assert.Contains("You have not requested a license yet.", cut.Markup, StringComparison.Ordinal));
        return cut;
    }

    private static void Fill(IRenderedComponent<RequestLicense> cut, string label, string value) =>
        cut.FindAll(".mud-input-control").Single(c => c.QuerySelector("label")?.TextContent.StartsWith(label, StringComparison.Ordinal) == true)
            .QuerySelector("input, textarea")!.Input(value);

    [Fact]
    public void Submit_BadEmailAndShortReason_ShowsTheProblemsAndFilesNothing()
    {
        var cut = RenderForm();
        Fill(cut, "Organisation", "Initech");
        Fill(cut, "Contact e-mail", "cora-at-initech");
        Fill(cut, "Reason", "short");

        cut.FindAll("button").Single(b => b.TextContent.Contains("Send request", StringComparison.Ordinal)).Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Contact e-mail must be an e-mail address such as name@company.example.", cut.Markup, StringComparison.Ordinal);
            Assert.Contains("Reason must be 10 to 2000 characters.", cut.Markup, StringComparison.Ordinal);
        });
        Assert.Empty(_events.Recorded);
        Assert.Contains("You have not requested a license yet.", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Submit_ValidRequest_IsListedAsPendingWithTheDeploymentFilledIn()
    {
        var cut = RenderForm();
        Fill(cut, "Organisation", "Initech");
        Fill(cut, "Contact e-mail", "cora@initech.example");
        Fill(cut, "Reason", "Our regulator forbids any telemetry from this network.");

        cut.FindAll("button").Single(b => b.TextContent.Contains("Send request", StringComparison.Ordinal)).Click();

        cut.WaitForAssertion(() => Assert.Equal("Pending", cut.Find("[data-testid=request-status]").TextContent.Trim()));
        var recorded = Assert.Single(_events.Recorded);
        Assert.Equal(LicenseEventKind.Requested, recorded.Kind);
    }

    private sealed class RecordingEvents : ILicenseEvents
    {
        public List<LicenseEvent> Recorded { get; } = [];

        public IDbContextFactory<PortalDbContext>? Databases { get; set; }

        public async Task<T> CommitAsync<T>(Func<PortalDbContext, Task<(T Result, LicenseEvent? Event)>> change, CancellationToken ct = default)
        {
            await using var db = await Databases!.CreateDbContextAsync(ct);
            var (result, licenseEvent) = await change(db);
            await db.SaveChangesAsync(ct);
            if (licenseEvent is not null)
            {
                Recorded.Add(licenseEvent);
            }

            return result;
        }
    }
}
