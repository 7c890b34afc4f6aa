using Microsoft.Extensions.Options;

namespace TelemetryPortal.Web.Features.Consent;

/// <summary>The <c>Consent</c> settings section: what consent receipts say about who receives the data.</summary>
public sealed class ConsentOptions
{
    public const string SectionName = "Consent";

    /// <summary>The controller named on receipts: who receives the telemetry. Defaults to <c>Coder Technologies, Inc.</c></summary>
    public string Controller { get; set; } = "Coder Technologies, Inc.";

    /// <summary>How to reach the controller, on receipts. Defaults to unset: the telemetry endpoint's address is used.</summary>
    public string? ControllerContact { get; set; }

    /// <summary>The jurisdiction named on receipts. Defaults to <c>EU (GDPR)</c>.</summary>
    public string Jurisdiction { get; set; } = "EU (GDPR)";

    /// <summary>
    /// The key that signs consent receipts: a PEM-encoded EC P-256 private key, or the path of a file holding one. Defaults
    /// to unset: a key created on first start and kept in the database, which anyone who can read the database can then use
    /// to sign receipts. Set it (the same on every instance) to keep the key apart from the database.
    /// </summary>
    public string? ReceiptSigningKey { get; set; }
}

/// <summary>Rules for <see cref="ConsentOptions"/>; every failure names its setting.</summary>
public sealed class ConsentOptionsValidator : IValidateOptions<ConsentOptions>
{
    public ValidateOptionsResult Validate(string? name, ConsentOptions options)
    {
        var failures = new List<string>();
        Text(failures, "Consent:Controller", options.Controller, required: true);
        Text(failures, "Consent:ControllerContact", options.ControllerContact, required: false);
        Text(failures, "Consent:Jurisdiction", options.Jurisdiction, required: true);
        if (!string.IsNullOrWhiteSpace(options.ReceiptSigningKey))
        {
            try
            {
                using var key = System.Security.Cryptography.ECDsa.Create();
                key.ImportFromPem(Licensing.LicensingOptions.ReadPem(options.ReceiptSigningKey));
                if (key.KeySize != 256)
                {
                    failures.Add($"Consent:ReceiptSigningKey must be an EC P-256 private key; got a {key.KeySize}-bit key.");
                }
            }
            catch (Exception ex) when (ex is ArgumentException or System.Security.Cryptography.CryptographicException)
            {
                failures.Add($"Consent:ReceiptSigningKey is not a PEM-encoded EC private key (nor the path of a file holding one): {ex.Message}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failures.Add($"Consent:ReceiptSigningKey: the file cannot be read ({ex.Message}).");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Text(List<string> failures, string setting, string? value, bool required)
    {
        if (value is null ? required : string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{setting} must not be empty.");
        }
        else if (value is { Length: > 200 })
        {
            failures.Add($"{setting} must be at most 200 characters; got {value.Length}.");
        }
    }
}
