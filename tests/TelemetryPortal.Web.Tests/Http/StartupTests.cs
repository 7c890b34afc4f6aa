using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Services;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Http;

public sealed class StartupTests
{
    [Fact]
    public async Task DeploymentId_IsKeptAcrossRestarts()
    {
        var dataDirectory = TempDirectory.Create();
        Guid first;
        await using (var factory = new PortalFactory(dataDirectory: dataDirectory))
        {
            factory.CreatePortalClient().Dispose();
            first = await factory.Services.GetRequiredService<DeploymentService>().GetDeploymentIdAsync();
        }

        await using (var factory = new PortalFactory(dataDirectory: dataDirectory))
        {
            factory.CreatePortalClient().Dispose();
            var second = await factory.Services.GetRequiredService<DeploymentService>().GetDeploymentIdAsync();
            Assert.Equal(first, second);
        }

        Assert.NotEqual(Guid.Empty, first);
        Assert.True(File.Exists(Path.Combine(dataDirectory, "portal.db")));
    }

    [Fact]
    public async Task FirstStart_WithoutConfiguredPassword_WritesRandomPasswordReadableOnlyByOwner()
    {
        await using var factory = new PortalFactory(new Dictionary<string, string?> { ["Portal:AdminPassword"] = null });
        using var client = factory.CreatePortalClient();

        var path = Path.Combine(factory.DataDirectory, PortalInitializer.InitialPasswordFileName);
        var password = (await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken)).TrimEnd('\n');

        Assert.Equal(20, password.Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync("admin", password)).StatusCode);
    }

    [Fact]
    public async Task FirstStart_WithConfiguredPassword_WritesNoPasswordFile()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreatePortalClient();

        Assert.False(File.Exists(Path.Combine(factory.DataDirectory, PortalInitializer.InitialPasswordFileName)));
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync("admin", PortalFactory.AdminPassword)).StatusCode);
    }

    [Fact]
    public async Task DataDirectory_Missing_IsCreated()
    {
        var dataDirectory = Path.Combine(TempDirectory.Create(), "nested", "data");
        await using var factory = new PortalFactory(dataDirectory: dataDirectory);

        using var client = factory.CreatePortalClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.True(File.Exists(Path.Combine(dataDirectory, "portal.db")));
    }

    [Theory]
    [InlineData("1", "1", "Environment variable CODER_TELEMETRY", false)]
    [InlineData("2", "2", "Environment variable CODER_TELEMETRY", false)]
    [InlineData("0", "1", "Environment variable CODER_TELEMETRY", true)]
    [InlineData("", "2", "Default (nothing configured)", false)]
    public async Task Dashboard_ShowsLevelFromEnvironment(string coderTelemetry, string effective, string source, bool warns)
    {
        await using var factory = new PortalFactory(new Dictionary<string, string?> { ["CODER_TELEMETRY"] = coderTelemetry });
        using var client = factory.CreatePortalClient();
        await client.SignInOrFailAsync("admin", PortalFactory.AdminPassword);

        var html = await client.GetStringAsync("/");

        Assert.Contains($"data-testid=\"effective-level\" aria-label=\"Effective level {effective}\"", html, StringComparison.Ordinal);
        Assert.Contains(source, html, StringComparison.Ordinal);
        Assert.Equal(warns, html.Contains("data-testid=\"level-warning\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dashboard_LevelFromAppSettings_SaysSo()
    {
        await using var factory = new PortalFactory(new Dictionary<string, string?> { ["Telemetry:Level"] = "1" });
        using var client = factory.CreatePortalClient();
        await client.SignInOrFailAsync("admin", PortalFactory.AdminPassword);

        var html = await client.GetStringAsync("/");

        Assert.Contains("aria-label=\"Effective level 1\"", html, StringComparison.Ordinal);
        Assert.Contains("Telemetry:Level in appsettings", html, StringComparison.Ordinal);
    }
}
