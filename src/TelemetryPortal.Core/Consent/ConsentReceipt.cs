using System.Text.Json.Serialization;

namespace TelemetryPortal.Core.Consent;

/// <summary>
/// A consent receipt for one level decision, modelled on the Kantara Initiative Consent Receipt
/// Specification v1.1 (field names as there), with the ledger entry it records as an extension.
/// Signed as a JWS (ES256) by <see cref="ConsentReceiptSigner"/>.
/// </summary>
public sealed record ConsentReceipt
{
    /// <summary>The Kantara specification version this receipt follows.</summary>
    public const string SpecificationVersion = "KI-CR-v1.1.0";

    [JsonPropertyName("version")]
    public string Version { get; init; } = SpecificationVersion;

    /// <summary>Where the consent is recorded, in law, e.g. "EU (GDPR)".</summary>
    [JsonPropertyName("jurisdiction")]
    public required string Jurisdiction { get; init; }

    /// <summary>When the decision was made, in seconds since 1970-01-01 UTC (as the specification asks).</summary>
    [JsonPropertyName("consentTimestamp")]
    public required long ConsentTimestamp { get; init; }

    /// <summary>How the decision was captured, e.g. "Telemetry Portal: level page (web)".</summary>
    [JsonPropertyName("collectionMethod")]
    public required string CollectionMethod { get; init; }

    /// <summary>A unique id of this receipt, derived from the ledger entry's hash so that it is stable.</summary>
    [JsonPropertyName("consentReceiptID")]
    public required string ConsentReceiptId { get; init; }

    [JsonPropertyName("language")]
    public string Language { get; init; } = "en";

    /// <summary>Whose data it is: the deployment (installation) the decision applies to.</summary>
    [JsonPropertyName("piiPrincipalId")]
    public required string PiiPrincipalId { get; init; }

    /// <summary>Who receives the telemetry and decides what happens to it.</summary>
    [JsonPropertyName("piiControllers")]
    public required IReadOnlyList<ReceiptController> PiiControllers { get; init; }

    /// <summary>SHA-256 of the policy text the admin was shown.</summary>
    [JsonPropertyName("policyVersion")]
    public required string PolicyVersion { get; init; }

    /// <summary>What is collected and why.</summary>
    [JsonPropertyName("services")]
    public required IReadOnlyList<ReceiptService> Services { get; init; }

    /// <summary>Whether sensitive personal data (special categories) is involved: never, for telemetry.</summary>
    [JsonPropertyName("sensitive")]
    public bool Sensitive { get; init; }

    [JsonPropertyName("spiCat")]
    public IReadOnlyList<string> SpiCat { get; init; } = [];

    /// <summary>Extension: the level chosen (0, 1 or 2).</summary>
    [JsonPropertyName("level")]
    public required int Level { get; init; }

    /// <summary>Extension: the level before the decision, when there was one.</summary>
    [JsonPropertyName("previousLevel")]
    public int? PreviousLevel { get; init; }

    /// <summary>Extension: who decided.</summary>
    [JsonPropertyName("actor")]
    public required ReceiptActor Actor { get; init; }

    /// <summary>Extension: the ledger entry this receipt records.</summary>
    [JsonPropertyName("ledgerEntry")]
    public required ReceiptLedgerEntry LedgerEntry { get; init; }

    /// <summary>
    /// Extension: the last entry of the ledger when the receipt was issued. The receipt thereby vouches for the
    /// whole chain up to that entry: removing or rewriting any entry up to it (even re-sealing every hash after
    /// the change) changes that entry's hash. <see langword="null"/> on receipts issued before heads were recorded.
    /// </summary>
    [JsonPropertyName("ledgerHead")]
    public ReceiptLedgerEntry? LedgerHead { get; init; }

    /// <summary>Extension: when the receipt was issued, in seconds since 1970-01-01 UTC.</summary>
    [JsonPropertyName("issuedAt")]
    public required long IssuedAt { get; init; }
}

/// <summary>A controller of the data, as the Kantara receipt names it.</summary>
public sealed record ReceiptController(
    [property: JsonPropertyName("piiController")] string PiiController,
    [property: JsonPropertyName("contact")] string Contact,
    [property: JsonPropertyName("piiControllerUrl")] string? PiiControllerUrl);

/// <summary>A service and the purposes data is collected for.</summary>
public sealed record ReceiptService(
    [property: JsonPropertyName("service")] string Service,
    [property: JsonPropertyName("purposes")] IReadOnlyList<ReceiptPurpose> Purposes);

/// <summary>One purpose, with the kinds of data collected for it.</summary>
public sealed record ReceiptPurpose(
    [property: JsonPropertyName("purpose")] string Purpose,
    [property: JsonPropertyName("consentType")] string ConsentType,
    [property: JsonPropertyName("piiCategory")] IReadOnlyList<string> PiiCategory,
    [property: JsonPropertyName("primaryPurpose")] bool PrimaryPurpose,
    [property: JsonPropertyName("termination")] string Termination,
    [property: JsonPropertyName("thirdPartyDisclosure")] bool ThirdPartyDisclosure);

/// <summary>Who made the decision.</summary>
public sealed record ReceiptActor(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("role")] string Role);

/// <summary>A ledger entry a receipt names: the entry it records, or the ledger's head when it was issued.</summary>
public sealed record ReceiptLedgerEntry(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("hash")] string Hash);
