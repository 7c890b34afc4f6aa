using TelemetryPortal.Web.Features.Licensing;

namespace TelemetryPortal.Web.Tests.Features.Licensing;

/// <summary>The desk's settings: a bad value names its setting.</summary>
public sealed class LicensingOptionsValidatorTests
{
    private static IEnumerable<string> Failures(Action<LicensingOptions> change)
    {
        var options = new LicensingOptions();
        change(options);
        return new LicensingOptionsValidator().Validate(null, options).Failures ?? [];
    }

    [Theory]
    [InlineData("https://licenses.vendor.example")]
    [InlineData("https://licenses.vendor.example/desk-base/")]
    [InlineData("http://127.0.0.1:5181")]
    [InlineData("http://localhost:5181")]
    public void Validate_DeskUrlHttpsOrLoopbackHttp_Succeeds(string url) =>
        Assert.Empty(Failures(o => o.DeskUrl = url));

    [Theory]
    [InlineData("http://licenses.vendor.example")]
    [InlineData("licenses.vendor.example")]
    [InlineData("ftp://licenses.vendor.example")]
    [InlineData("https://licenses.vendor.example/?x=1")]
    public void Validate_DeskUrlNotHttpsOffLoopback_NamesTheSetting(string url) =>
        Assert.Contains(Failures(o => o.DeskUrl = url), f => f.StartsWith("Licensing:DeskUrl must be an absolute https URL", StringComparison.Ordinal));

    [Fact]
    public void Validate_MaxDelayBelowBase_NamesBothSettings()
    {
        var failure = Assert.Single(Failures(o =>
        {
            o.DeskPollBaseDelay = TimeSpan.FromMinutes(5);
            o.DeskPollMaxDelay = TimeSpan.FromMinutes(1);
        }));

        Assert.Contains("Licensing:DeskPollMaxDelay", failure, StringComparison.Ordinal);
        Assert.Contains("Licensing:DeskPollBaseDelay", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LimitsOutOfRange_NameTheirSettings()
    {
        var failures = Failures(o =>
        {
            o.DeskFilingsPerMinute = 0;
            o.DeskLookupsPerMinute = 0;
            o.DeskMaxRequestBytes = 10;
            o.DeskRetryBaseDelay = TimeSpan.Zero;
        }).ToList();

        Assert.Equal(4, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("Licensing:DeskFilingsPerMinute", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Licensing:DeskLookupsPerMinute", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Licensing:DeskMaxRequestBytes", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Licensing:DeskRetryBaseDelay", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(20, 3600)]
    public void Backoff_DoublesUpToTheMaximum(int attempt, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), TelemetryPortal.Web.Features.Licensing.Desk.LicenseDeskClient.Backoff(TimeSpan.FromSeconds(30), TimeSpan.FromHours(1), attempt));
}
