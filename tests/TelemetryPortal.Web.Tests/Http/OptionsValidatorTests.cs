using TelemetryPortal.Web.Configuration;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Web.Tests.Http;

public class OptionsValidatorTests
{
    [Fact]
    public void PortalValidator_Defaults_Succeed()
    {
        var result = new PortalOptionsValidator().Validate(null, new PortalOptions());

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData("", null, 5, 900, "Portal:DataDirectory")]
    [InlineData("   ", null, 5, 900, "Portal:DataDirectory")]
    [InlineData("bad\0path", null, 5, 900, "Portal:DataDirectory")]
    [InlineData("./data", "short", 5, 900, "Portal:AdminPassword")]
    [InlineData("./data", null, 0, 900, "Portal:MaxFailedSignIns")]
    [InlineData("./data", null, 101, 900, "Portal:MaxFailedSignIns")]
    [InlineData("./data", null, 5, 0, "Portal:LockoutDuration")]
    [InlineData("./data", null, 5, 86401, "Portal:LockoutDuration")]
    public void PortalValidator_BadValue_FailsNamingTheSetting(string dataDirectory, string? adminPassword, int maxFailures, int lockoutSeconds, string setting)
    {
        var options = new PortalOptions
        {
            DataDirectory = dataDirectory,
            AdminPassword = adminPassword,
            MaxFailedSignIns = maxFailures,
            LockoutDuration = TimeSpan.FromSeconds(lockoutSeconds),
        };

        var result = new PortalOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith(setting, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void PortalValidator_SeveralBadValues_ReportsEach()
    {
        var options = new PortalOptions { DataDirectory = "", AdminPassword = "x", MaxFailedSignIns = -1 };

        var result = new PortalOptionsValidator().Validate(null, options);

        Assert.Equal(3, result.Failures!.Count());
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("0", 0)]
    [InlineData("1", 1)]
    [InlineData("2", 2)]
    [InlineData(null, 0)]
    [InlineData(null, 2)]
    public void TelemetryValidator_GoodValues_Succeed(string? environment, int? level)
    {
        var result = new TelemetryOptionsValidator().Validate(null, new TelemetryOptions { EnvironmentLevel = environment, Level = level });

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData("3", null, "CODER_TELEMETRY")]
    [InlineData("banana", null, "CODER_TELEMETRY")]
    [InlineData(" ", null, "CODER_TELEMETRY")]
    [InlineData(null, 3, "Telemetry:Level")]
    [InlineData(null, -1, "Telemetry:Level")]
    public void TelemetryValidator_BadValue_FailsNamingTheSetting(string? environment, int? level, string setting)
    {
        var result = new TelemetryOptionsValidator().Validate(null, new TelemetryOptions { EnvironmentLevel = environment, Level = level });

        Assert.True(result.Failed);
        Assert.StartsWith(setting, Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void TelemetryOptions_PinnedAndConfiguredLevels_AreParsed()
    {
        var options = new TelemetryOptions { EnvironmentLevel = "1", Level = 0 };

        Assert.Equal(Core.Telemetry.TelemetryLevel.Lightweight, options.PinnedLevel);
        Assert.Equal(Core.Telemetry.TelemetryLevel.Off, options.ConfiguredLevel);
    }

    public static TheoryData<Action<TelemetryOptions>, string> BadPipelineSettings => new()
    {
        { o => o.Endpoint = "not a url", "Telemetry:Endpoint" },
        { o => o.Endpoint = "ftp://vendor.example/", "Telemetry:Endpoint" },
        { o => o.Interval = TimeSpan.Zero, "Telemetry:Interval" },
        { o => o.FirstReportDelay = TimeSpan.FromSeconds(-1), "Telemetry:FirstReportDelay" },
        { o => o.ShutdownReportTimeout = TimeSpan.FromSeconds(-1), "Telemetry:ShutdownReportTimeout" },
        { o => o.ShutdownReportTimeout = TimeSpan.FromMinutes(2), "Telemetry:ShutdownReportTimeout" },
        { o => o.RetryBaseDelay = TimeSpan.Zero, "Telemetry:RetryBaseDelay" },
        { o => o.RetryMaxDelay = TimeSpan.FromSeconds(1), "Telemetry:RetryMaxDelay" },
        { o => o.RequestTimeout = TimeSpan.FromHours(2), "Telemetry:RequestTimeout" },
        { o => o.RetentionDays = 0, "Telemetry:RetentionDays" },
        { o => o.SimulatedCoderVersion = " ", "Telemetry:SimulatedCoderVersion" },
        { o => o.Simulation.Users = 0, "Telemetry:Simulation:Users" },
        { o => o.Simulation.Workspaces = -1, "Telemetry:Simulation:Workspaces" },
        { o => o.Proxy.AllowedAddresses.Add("banana"), "Telemetry:Proxy:AllowedAddresses" },
        { o => o.Proxy.MaxPayloadBytes = 10, "Telemetry:Proxy:MaxPayloadBytes" },
        { o => o.Proxy.MaxDepth = 2, "Telemetry:Proxy:MaxDepth" },
    };

    [Theory]
    [MemberData(nameof(BadPipelineSettings))]
    public void TelemetryValidator_BadPipelineSetting_FailsNamingIt(Action<TelemetryOptions> change, string setting)
    {
        var options = new TelemetryOptions();
        change(options);

        var result = new TelemetryOptionsValidator().Validate(null, options);

        Assert.StartsWith(setting, Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void TelemetryValidator_Defaults_Succeed()
    {
        Assert.True(new TelemetryOptionsValidator().Validate(null, new TelemetryOptions()).Succeeded);
    }

    [Fact]
    public void ProxySettings_Allowlist_AcceptsAddressesAndNetworksAndDefaultsToLoopback()
    {
        Assert.Equal(["127.0.0.0/8", "::1/128"], new ProxySettings().AllowedNetworks.Select(n => n.ToString()));
        var settings = new ProxySettings { AllowedAddresses = ["10.1.2.3", "192.168.0.0/16", "fd00::/8"] };
        Assert.Equal(["10.1.2.3/32", "192.168.0.0/16", "fd00::/8"], settings.AllowedNetworks.Select(n => n.ToString()));
    }
}
