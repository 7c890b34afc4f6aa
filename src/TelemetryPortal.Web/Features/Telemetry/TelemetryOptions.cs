using System.Net;
using Microsoft.Extensions.Options;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>Where the payloads come from.</summary>
public enum TelemetrySource
{
    /// <summary>A built-in simulated Coder installation with realistic data.</summary>
    Simulated,

    /// <summary>A real Coder server reports to <c>/snapshot</c> and <c>/deployment</c> at the portal's root; the portal applies the level and forwards.</summary>
    CoderProxy,
}

/// <summary>The <c>Telemetry</c> settings section, plus the <c>CODER_TELEMETRY</c> environment variable.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>
    /// The least the portal captures whatever <c>Telemetry:Proxy:MaxPayloadBytes</c> says (1 GiB): a simulated installation
    /// of 200,000 users and 500,000 workspaces reports about half of that, and the built-in collector takes it all.
    /// </summary>
    public const long CaptureLimitBytes = 1024L * 1024 * 1024;

    /// <summary><c>Telemetry:Level</c>: 0, 1 or 2. Defaults to unset, which means level 2 unless the admin chose otherwise.</summary>
    public int? Level { get; set; }

    /// <summary>The raw <c>CODER_TELEMETRY</c> value; it pins the level when set. Not bound from the section.</summary>
    public string? EnvironmentLevel { get; set; }

    /// <summary>
    /// The vendor's base URL; payloads go to <c>{Endpoint}/deployment</c> and <c>{Endpoint}/snapshot</c>.
    /// Defaults to unset: the portal's own built-in collector at <c>/collector</c>.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>How often a report is sent. Defaults to 30 minutes.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long after start the first report is captured. Defaults to 10 seconds.</summary>
    public TimeSpan FirstReportDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// At shutdown, as Coder does, the simulated installation captures a last deployment report with
    /// <c>shutdown_at</c> and tries to send it for at most this long (what is not sent by then goes at
    /// the next start). Zero: no final report. Defaults to 5 seconds.
    /// </summary>
    public TimeSpan ShutdownReportTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Where payloads come from. Defaults to <see cref="TelemetrySource.Simulated"/>.</summary>
    public TelemetrySource Source { get; set; } = TelemetrySource.Simulated;

    /// <summary>How long the sent log keeps payloads. Defaults to 365 days.</summary>
    public int RetentionDays { get; set; } = 365;

    /// <summary>The first wait before a failed send is tried again; it doubles up to <see cref="RetryMaxDelay"/>. Defaults to 30 seconds.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between tries of a failed send. Defaults to 1 hour.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The first pause before the HTTP client's own quick retries of a failed request (two, exponential, with jitter). Defaults to 1 second.</summary>
    public TimeSpan RequestRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one HTTP request to the endpoint may take. Defaults to 60 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The Coder version the simulated installation reports in <c>X-Coder-Version</c>. Defaults to <c>v2.24.1</c>.</summary>
    public string SimulatedCoderVersion { get; set; } = "v2.24.1";

    /// <summary>The size of the simulated installation.</summary>
    public SimulationSettings Simulation { get; set; } = new();

    /// <summary>The Coder proxy's limits.</summary>
    public ProxySettings Proxy { get; set; } = new();

    /// <summary>The parsed <see cref="EnvironmentLevel"/>; only valid after validation.</summary>
    public TelemetryLevel? PinnedLevel =>
        TelemetryLevels.TryParseEnvironment(EnvironmentLevel, out var level, out _) ? level : null;

    /// <summary>The configured <see cref="Level"/> as a level; only valid after validation.</summary>
    public TelemetryLevel? ConfiguredLevel => Level is { } value && TelemetryLevels.IsDefined(value) ? (TelemetryLevel)value : null;
}

/// <summary><c>Telemetry:Simulation</c>: how big the simulated installation is.</summary>
public sealed class SimulationSettings
{
    /// <summary>Defaults to 2.</summary>
    public int Organizations { get; set; } = 2;

    /// <summary>Defaults to 60.</summary>
    public int Users { get; set; } = 60;

    /// <summary>Defaults to 6.</summary>
    public int Templates { get; set; } = 6;

    /// <summary>Defaults to 120.</summary>
    public int Workspaces { get; set; } = 120;

    /// <summary>The share of workspaces built in any one hour (0 to 1); defaults to 0.1.</summary>
    public double RecentActivity { get; set; } = 0.1;
}

/// <summary><c>Telemetry:Proxy</c>: who may report through <c>/snapshot</c> and <c>/deployment</c> (and to the built-in collector), and how much.</summary>
public sealed class ProxySettings
{
    /// <summary>Addresses or networks (CIDR) allowed to post. Defaults to loopback only.</summary>
    public List<string> AllowedAddresses { get; set; } = [];

    /// <summary>
    /// The largest body accepted, in bytes. Defaults to 1 GiB: the snapshots of the largest Coder installations are
    /// hundreds of megabytes, and a report is read as it arrives (never held whole), so the limit bounds disk, not memory.
    /// </summary>
    public long MaxPayloadBytes { get; set; } = TelemetryOptions.CaptureLimitBytes;

    /// <summary>How deeply JSON may nest. Defaults to 64.</summary>
    public int MaxDepth { get; set; } = 64;

    /// <summary>The allowlist as networks; loopback when none is configured.</summary>
    public IReadOnlyList<IPNetwork> AllowedNetworks =>
        AllowedAddresses.Count == 0
            ? [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")]
            : [.. AllowedAddresses.Select(ParseNetwork)];

    internal static IPNetwork ParseNetwork(string value) =>
        IPNetwork.TryParse(value, out var network) ? network
        : IPAddress.TryParse(value, out var address) ? new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
        : throw new FormatException($"\"{value}\" is not an IP address or network.");
}

/// <summary>Rules for <see cref="TelemetryOptions"/>; every failure names its setting.</summary>
public sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var failures = new List<string>();
        if (!TelemetryLevels.TryParseEnvironment(options.EnvironmentLevel, out _, out var error))
        {
            failures.Add(error);
        }

        if (options.Level is { } level && !TelemetryLevels.IsDefined(level))
        {
            failures.Add($"Telemetry:Level must be 0, 1 or 2; got {level}.");
        }

        if (!string.IsNullOrWhiteSpace(options.Endpoint)
            && !(Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https"))
        {
            failures.Add($"Telemetry:Endpoint must be an absolute http or https URL; got \"{options.Endpoint}\".");
        }

        Range(failures, "Telemetry:Interval", options.Interval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        Range(failures, "Telemetry:FirstReportDelay", options.FirstReportDelay, TimeSpan.Zero, TimeSpan.FromDays(1));
        Range(failures, "Telemetry:ShutdownReportTimeout", options.ShutdownReportTimeout, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Range(failures, "Telemetry:RetryBaseDelay", options.RetryBaseDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromDays(1));
        Range(failures, "Telemetry:RetryMaxDelay", options.RetryMaxDelay, options.RetryBaseDelay, TimeSpan.FromDays(1));
        Range(failures, "Telemetry:RequestRetryDelay", options.RequestRetryDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1));
        Range(failures, "Telemetry:RequestTimeout", options.RequestTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30));

        if (options.RetentionDays is < 1 or > 36500)
        {
            failures.Add($"Telemetry:RetentionDays must be between 1 and 36500; got {options.RetentionDays}.");
        }

        if (string.IsNullOrWhiteSpace(options.SimulatedCoderVersion))
        {
            failures.Add("Telemetry:SimulatedCoderVersion must not be empty.");
        }

        var simulation = options.Simulation;
        Between(failures, "Telemetry:Simulation:Organizations", simulation.Organizations, 1, 1_000);
        Between(failures, "Telemetry:Simulation:Users", simulation.Users, 1, 1_000_000);
        Between(failures, "Telemetry:Simulation:Templates", simulation.Templates, 1, 100_000);
        Between(failures, "Telemetry:Simulation:Workspaces", simulation.Workspaces, 0, 5_000_000);
        if (!(simulation.RecentActivity is >= 0 and <= 1))
        {
            failures.Add($"Telemetry:Simulation:RecentActivity must be between 0 and 1; got {simulation.RecentActivity.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        foreach (var address in options.Proxy.AllowedAddresses)
        {
            try
            {
                ProxySettings.ParseNetwork(address);
            }
            catch (FormatException)
            {
                failures.Add($"Telemetry:Proxy:AllowedAddresses: \"{address}\" is not an IP address or network (e.g. 10.0.0.0/8).");
            }
        }

        if (options.Proxy.MaxPayloadBytes is < 1024 or > 4L * 1024 * 1024 * 1024)
        {
            failures.Add($"Telemetry:Proxy:MaxPayloadBytes must be between 1024 and 4294967296 (4 GiB); got {options.Proxy.MaxPayloadBytes}.");
        }

        Between(failures, "Telemetry:Proxy:MaxDepth", options.Proxy.MaxDepth, 8, 1000);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range(List<string> failures, string setting, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{setting} must be between {min} and {max}; got {value}.");
        }
    }

    private static void Between(List<string> failures, string setting, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{setting} must be between {min} and {max}; got {value}.");
        }
    }
}
