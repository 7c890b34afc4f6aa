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
