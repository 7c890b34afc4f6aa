using Microsoft.Extensions.Options;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Web.Configuration;

/// <summary>The <c>Portal</c> settings section.</summary>
public sealed class PortalOptions
{
    public const string SectionName = "Portal";

    /// <summary>Where the database, keys and generated secrets live. Defaults to <c>./data</c>, relative to the working directory.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>The first admin's password, for automation. Defaults to a random one printed once at first start.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>Failed sign-ins in a row that lock an account. Defaults to 5.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account stays locked. Defaults to 15 minutes.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The data directory as a full path.</summary>
    public string DataDirectoryFullPath => Path.GetFullPath(DataDirectory);

    /// <summary>
    /// Reverse proxies (addresses or CIDR networks) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>
    /// the portal believes: behind a TLS-terminating proxy, the client's address and the https scheme.
    /// Defaults to none: the headers are ignored, so nobody can claim another address by sending them.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];
}

/// <summary>Rules for <see cref="PortalOptions"/>; every failure names its setting.</summary>
public sealed class PortalOptionsValidator : IValidateOptions<PortalOptions>
{
    /// <summary>Passwords shorter than this are refused everywhere.</summary>
    public const int MinPasswordLength = 12;

    public ValidateOptionsResult Validate(string? name, PortalOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add("Portal:DataDirectory must not be empty.");
        }
        else if (options.DataDirectory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            failures.Add($"Portal:DataDirectory \"{options.DataDirectory}\" is not a valid path.");
        }

        if (options.AdminPassword is { } password && password.Length < MinPasswordLength)
        {
            failures.Add($"Portal:AdminPassword must be at least {MinPasswordLength} characters long.");
        }

        if (options.MaxFailedSignIns is < 1 or > 100)
        {
            failures.Add($"Portal:MaxFailedSignIns must be between 1 and 100; got {options.MaxFailedSignIns}.");
        }

        if (options.LockoutDuration < TimeSpan.FromSeconds(1) || options.LockoutDuration > TimeSpan.FromDays(1))
        {
            failures.Add($"Portal:LockoutDuration must be between 00:00:01 and 1.00:00:00; got {options.LockoutDuration}.");
        }

        foreach (var proxy in options.TrustedProxies)
        {
            try
            {
                ProxySettings.ParseNetwork(proxy);
            }
            catch (FormatException)
            {
                failures.Add($"Portal:TrustedProxies: \"{proxy}\" is not an IP address or network (e.g. 10.0.0.5 or 10.0.0.0/8).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
