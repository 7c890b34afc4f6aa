using Microsoft.Extensions.Options;
using TelemetryPortal.Core.Licensing;

namespace TelemetryPortal.Web.Features.Licensing;

/// <summary>A public key this portal trusts for licenses.</summary>
public sealed class TrustedKeyOptions
{
    /// <summary>The <c>kid</c> licenses signed with this key carry.</summary>
    public string KeyId { get; set; } = "";

    /// <summary>The P-256 public key in PEM, or the path of a PEM file.</summary>
    public string PublicKey { get; set; } = "";
}

/// <summary>The <c>Licensing</c> settings section.</summary>
public sealed class LicensingOptions
{
    public const string SectionName = "Licensing";

    /// <summary>The P-256 private key (PEM, or the path of a PEM file) this portal signs licenses with. Defaults to none: the portal cannot issue, except with its development key.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The <c>kid</c> of <see cref="SigningKey"/>; required with it.</summary>
    public string? SigningKeyId { get; set; }

    /// <summary>Public keys licenses may be signed with.</summary>
    public List<TrustedKeyOptions> TrustedKeys { get; set; } = [];

    /// <summary>
    /// Without a configured signing key, create a development key pair in the data directory, sign with it and trust it;
    /// licenses it signs are labelled development licenses. Defaults to true (the embedded default).
    /// </summary>
    public bool DevelopmentKeys { get; set; } = true;

    /// <summary>The term offered when approving a request. Defaults to 365 days.</summary>
    public int DefaultTermDays { get; set; } = 365;

    /// <summary>The longest term a request may ask for or be approved with. Defaults to 1095 days.</summary>
    public int MaxTermDays { get; set; } = 1095;

    /// <summary>
    /// The vendor's license desk (a portal holding the signing key), e.g. <c>https://licenses.vendor.example</c>. With it,
    /// a confirmed request is sent to <c>{DeskUrl}/desk/requests</c> and the license comes back by itself. Defaults to
    /// none: requests are exported as files and licenses uploaded by hand.
    /// </summary>
    public string? DeskUrl { get; set; }

    /// <summary>The first wait after a failed delivery to the desk, doubling up to <see cref="DeskRetryMaxDelay"/>. Defaults to 30 seconds.</summary>
    public TimeSpan DeskRetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between deliveries. Defaults to 1 hour.</summary>
    public TimeSpan DeskRetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The first wait before asking the desk for its decision, doubling up to <see cref="DeskPollMaxDelay"/>. Defaults to 1 minute.</summary>
    public TimeSpan DeskPollBaseDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest wait between questions to the desk. Defaults to 1 hour.</summary>
    public TimeSpan DeskPollMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>On a desk: requests one client address may file per minute on <c>POST /desk/requests</c>. Defaults to 10.</summary>
    public int DeskFilingsPerMinute { get; set; } = 10;

    /// <summary>On a desk: decisions one client address may ask for per minute on <c>GET /desk/requests/{id}</c>. Defaults to 120.</summary>
    public int DeskLookupsPerMinute { get; set; } = 120;

    /// <summary>On a desk: the largest request body taken, in bytes. Defaults to 16 KiB.</summary>
    public int DeskMaxRequestBytes { get; set; } = 16 * 1024;

    /// <summary>Whether this portal acts as a vendor's desk: it holds a configured signing key.</summary>
    public bool IsDesk => !string.IsNullOrWhiteSpace(SigningKey);

    /// <summary>The PEM text of a setting that holds either PEM or a file path.</summary>
    internal static string ReadPem(string value) =>
        value.Contains("-----BEGIN", StringComparison.Ordinal) ? value : File.ReadAllText(value);
}

/// <summary>Rules for <see cref="LicensingOptions"/>; every failure names its setting.</summary>
public sealed class LicensingOptionsValidator : IValidateOptions<LicensingOptions>
{
    public ValidateOptionsResult Validate(string? name, LicensingOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            if (string.IsNullOrWhiteSpace(options.SigningKeyId))
            {
                failures.Add("Licensing:SigningKeyId must be set when Licensing:SigningKey is.");
            }

            CheckKey(failures, "Licensing:SigningKey", options.SigningKey);
        }

        for (var i = 0; i < options.TrustedKeys.Count; i++)
        {
            var key = options.TrustedKeys[i];
            if (string.IsNullOrWhiteSpace(key.KeyId))
            {
                failures.Add($"Licensing:TrustedKeys:{i}:KeyId must not be empty.");
            }

            CheckKey(failures, $"Licensing:TrustedKeys:{i}:PublicKey", key.PublicKey);
        }

        var duplicate = options.TrustedKeys.GroupBy(k => k.KeyId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            failures.Add($"Licensing:TrustedKeys lists the key id \"{duplicate.Key}\" twice.");
        }

        if (options.MaxTermDays is < 1 or > 3650)
        {
            failures.Add($"Licensing:MaxTermDays must be between 1 and 3650; got {options.MaxTermDays}.");
        }

        if (options.DefaultTermDays < 1 || options.DefaultTermDays > options.MaxTermDays)
        {
            failures.Add($"Licensing:DefaultTermDays must be between 1 and Licensing:MaxTermDays ({options.MaxTermDays}); got {options.DefaultTermDays}.");
        }

        if (!string.IsNullOrWhiteSpace(options.DeskUrl)
            && !(Uri.TryCreate(options.DeskUrl, UriKind.Absolute, out var desk) && (desk.Scheme == Uri.UriSchemeHttps || (desk.Scheme == Uri.UriSchemeHttp && desk.IsLoopback))
                 && string.IsNullOrEmpty(desk.Query) && string.IsNullOrEmpty(desk.Fragment)))
        {
            failures.Add($"Licensing:DeskUrl must be an absolute https URL (http only on loopback) without query or fragment; got \"{options.DeskUrl}\".");
        }

        CheckDelays(failures, "Licensing:DeskRetryBaseDelay", options.DeskRetryBaseDelay, "Licensing:DeskRetryMaxDelay", options.DeskRetryMaxDelay);
        CheckDelays(failures, "Licensing:DeskPollBaseDelay", options.DeskPollBaseDelay, "Licensing:DeskPollMaxDelay", options.DeskPollMaxDelay);
        if (options.DeskFilingsPerMinute < 1)
        {
            failures.Add($"Licensing:DeskFilingsPerMinute must be at least 1; got {options.DeskFilingsPerMinute}.");
        }

        if (options.DeskLookupsPerMinute < 1)
        {
            failures.Add($"Licensing:DeskLookupsPerMinute must be at least 1; got {options.DeskLookupsPerMinute}.");
        }

        if (options.DeskMaxRequestBytes is < 1024 or > 1024 * 1024)
        {
            failures.Add($"Licensing:DeskMaxRequestBytes must be between 1024 and 1048576; got {options.DeskMaxRequestBytes}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckDelays(List<string> failures, string baseName, TimeSpan baseDelay, string maxName, TimeSpan maxDelay)
    {
        if (baseDelay < TimeSpan.FromMilliseconds(10) || baseDelay > TimeSpan.FromDays(1))
        {
            failures.Add($"{baseName} must be between 00:00:00.010 and 1.00:00:00; got {baseDelay}.");
        }
        else if (maxDelay < baseDelay || maxDelay > TimeSpan.FromDays(1))
        {
            failures.Add($"{maxName} must be between {baseName} ({baseDelay}) and 1.00:00:00; got {maxDelay}.");
        }
    }

    private static void CheckKey(List<string> failures, string setting, string value)
    {
        try
        {
            using var key = LicenseKeys.FromPem(LicensingOptions.ReadPem(value), setting);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
        {
            failures.Add(ex is ArgumentException ? ex.Message : $"{setting}: the file cannot be read ({ex.Message}).");
        }
    }
}
