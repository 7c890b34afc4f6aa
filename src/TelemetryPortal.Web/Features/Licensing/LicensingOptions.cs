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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
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
