using System.Text.Json;
using TelemetryPortal.Core.Consent;
using TelemetryPortal.Web.Endpoints;

namespace TelemetryPortal.Web.Features.Consent;

/// <summary>One check of a receipt.</summary>
/// <param name="Name">
/// <c>signature</c>, <c>readableCopy</c> (only for the JSON form), <c>entry</c>, <c>head</c>, <c>chain</c> or <c>policyText</c>.
/// </param>
/// <param name="Ok">Whether it holds.</param>
/// <param name="Detail">What was found, in one or two sentences.</param>
public sealed record ReceiptCheck(string Name, bool Ok, string Detail);

/// <summary>The checks of a receipt, in order.</summary>
/// <param name="Valid">Whether every check holds.</param>
/// <param name="Checks">Each check; after a failed signature no other check is made.</param>
/// <param name="Receipt">What the receipt says (its signed payload).</param>
/// <param name="KeyId">The key id the receipt's signature names.</param>
/// <param name="CurrentHead">The ledger's last entry now, when the ledger was read.</param>
public sealed record ReceiptCheckResult(bool Valid, IReadOnlyList<ReceiptCheck> Checks, ConsentReceipt Receipt, string KeyId, ReceiptLedgerEntry? CurrentHead);

/// <summary>
/// Checks a receipt this portal issued against the ledger as it is now: the signature against the portal's receipt
/// key, that the decision's entry and the head recorded at issue are still there with the same hashes at the same
/// positions, that the chain verifies up to the current head, and that the policy text shown is still kept unchanged.
/// </summary>
public sealed class ConsentReceiptChecker(ConsentLedgerService ledger, ConsentReceiptKey key)
{
    /// <summary>The largest receipt accepted, in characters; a receipt is a few kilobytes.</summary>
    public const int MaxLength = 64 * 1024;

    public const string Signature = "signature";
    public const string ReadableCopy = "readableCopy";
    public const string Entry = "entry";
    public const string Head = "head";
    public const string Chain = "chain";
    public const string PolicyText = "policyText";

    /// <summary>The problem title of what is not a receipt.</summary>
    public const string NotAReceipt = "Not a consent receipt";

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never };

    /// <summary>
    /// Reads what was pasted or uploaded: the JSON the receipt endpoint returns (<c>{receipt, jws, publicKey}</c>),
    /// the JWS as a JSON string, or the bare JWS.
    /// </summary>
    /// <exception cref="PortalProblemException">Invalid, titled <see cref="NotAReceipt"/>: it is not a receipt; the message says what is wrong with it.</exception>
    public static ReceiptSubmission Read(string? text)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw Refused("The receipt is empty: give the JSON the receipt download contains, or its bare JWS.");
        }

        if (trimmed.Length > MaxLength)
        {
            throw Refused($"The receipt is {trimmed.Length} characters long; a receipt is at most {MaxLength}.");
        }

        string? jws;
        JsonElement? readable = null;
        if (trimmed[0] is '{' or '"')
        {
            try
            {
                using var document = JsonDocument.Parse(trimmed);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.String)
                {
                    jws = root.GetString();
                }
                else if (!root.TryGetProperty("jws", out var jwsProperty) || jwsProperty.ValueKind != JsonValueKind.String)
                {
                    throw Refused("The receipt JSON has no \"jws\" string: give the whole file the receipt download contains ({receipt, jws, publicKey}), or the bare JWS.");
                }
                else
                {
                    jws = jwsProperty.GetString();
                    if (root.TryGetProperty("receipt", out var receiptProperty) && receiptProperty.ValueKind != JsonValueKind.Null)
                    {
                        readable = receiptProperty.Clone();
                    }
                }
            }
            catch (JsonException ex)
            {
                throw Refused($"The receipt is not valid JSON: {ex.Message}");
            }
        }
        else
        {
            jws = trimmed;
        }

        return ConsentReceiptSigner.TryDecode(jws, out var decoded, out var decodeError)
            ? new ReceiptSubmission(decoded, readable)
            : throw Refused($"jws: {decodeError}");
    }

    /// <summary>Checks a parsed receipt against this portal's key and its ledger now.</summary>
    public async Task<ReceiptCheckResult> CheckAsync(ReceiptSubmission submission, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var decoded = submission.Decoded;
        var receipt = decoded.Receipt;
        var checks = new List<ReceiptCheck>();
        var portalKey = key.Signer.PublicKey;
        if (!ConsentReceiptSigner.TryCheckSignature(decoded, portalKey, out var signatureError))
        {
            var detail = decoded.KeyId == portalKey.Kid
                ? $"{signatureError} The ledger was not checked against it."
                : $"The receipt was signed with key {(decoded.KeyId.Length == 0 ? "(none named)" : decoded.KeyId)}, not with this portal's receipt key {portalKey.Kid}: this portal did not issue it. The ledger was not checked against it.";
            checks.Add(new ReceiptCheck(Signature, false, detail));
            return new ReceiptCheckResult(false, checks, receipt, decoded.KeyId, null);
        }

        checks.Add(new ReceiptCheck(Signature, true, $"Signed by this portal's receipt key {portalKey.Kid}."));
        if (submission.Readable is { } readable)
        {
            checks.Add(CheckReadableCopy(readable, receipt));
        }

        var entry = receipt.LedgerEntry;
        var head = receipt.LedgerHead;
        var inspection = await ledger.InspectAsync(head is null ? [entry.Id] : [entry.Id, head.Id], ct);
        var verification = inspection.Verification;
        var currentHead = verification.Entries == 0 ? null : await CurrentHeadAsync(verification, ct);
        checks.Add(CheckEntry(Entry, "The decision's entry", entry, inspection, currentHead));
        checks.Add(head is null
            ? new ReceiptCheck(Head, true, "The receipt records no ledger head (it was issued before receipts recorded one), so only its own entry is pinned.")
            : CheckEntry(Head, "The ledger head recorded at issue", head, inspection, currentHead));
        checks.Add(verification.FirstBroken is { } broken
            ? new ReceiptCheck(Chain, false, $"The chain is broken at entry {broken.Id} ({broken.Check} check): {broken.Message}")
            : new ReceiptCheck(Chain, true, currentHead is null
                ? "The ledger is empty."
                : $"The chain verifies from the first entry to the current head, entry {currentHead.Id} ({Count(verification.Entries)})."));
        checks.Add(await CheckPolicyTextAsync(receipt.PolicyVersion, ct));
        return new ReceiptCheckResult(checks.TrueForAll(c => c.Ok), checks, receipt, decoded.KeyId, currentHead);
    }

    private async Task<ReceiptLedgerEntry?> CurrentHeadAsync(ChainVerification verification, CancellationToken ct)
    {
        // When the chain holds, the head's id is its position; otherwise ask for the last row as stored.
        if (verification.FirstBroken is null)
        {
            return new ReceiptLedgerEntry(verification.Entries, verification.HeadHash);
        }

        var last = (await ledger.ListAsync(new ConsentQuery(PageSize: 1), ct)).Items;
        return last.Count == 0 ? null : new ReceiptLedgerEntry(last[0].Id, last[0].Hash);
    }

    private static ReceiptCheck CheckEntry(string name, string what, ReceiptLedgerEntry recorded, LedgerInspection inspection, ReceiptLedgerEntry? currentHead)
    {
        if (!inspection.Found.TryGetValue(recorded.Id, out var found))
        {
            var end = currentHead is null ? "the ledger is empty" : $"the ledger now ends at entry {currentHead.Id}";
            return new ReceiptCheck(name, false, $"{what}, entry {recorded.Id}, is no longer in the ledger ({end}): entries were removed after the receipt was issued.");
        }

        if (found.Position != recorded.Id)
        {
            return new ReceiptCheck(name, false, $"{what}, entry {recorded.Id}, now sits at position {found.Position}: entries before it were removed or inserted.");
        }

        if (!string.Equals(found.Record.Hash, recorded.Hash, StringComparison.Ordinal))
        {
            return new ReceiptCheck(name, false,
                $"{what}, entry {recorded.Id}, has the hash {found.Record.Hash} now, not {recorded.Hash} as the receipt recorded: it or an entry before it was changed (and re-sealed) after the receipt was issued.");
        }

        return new ReceiptCheck(name, true, $"{what}, entry {recorded.Id}, is at the same position with the hash the receipt recorded.");
    }

    private async Task<ReceiptCheck> CheckPolicyTextAsync(string version, CancellationToken ct)
    {
        var kept = await ledger.GetPolicyTextAsync(version, ct);
        return ConsentPolicy.CheckKeptText(version, kept?.Text) is { } mismatch
            ? new ReceiptCheck(PolicyText, false, mismatch.Message)
            : new ReceiptCheck(PolicyText, true, $"The policy text of version {version} is kept and still matches it.");
    }

    private static ReceiptCheck CheckReadableCopy(JsonElement readable, ConsentReceipt signed)
    {
        try
        {
            var copy = readable.Deserialize<ConsentReceipt>(Json);
            if (copy is not null && JsonSerializer.Serialize(copy, Json) == JsonSerializer.Serialize(signed, Json))
            {
                return new ReceiptCheck(ReadableCopy, true, "The readable receipt beside the signature says the same as the signed one.");
            }
        }
        catch (JsonException)
        {
            // Falls through: not a receipt at all is a difference too.
        }

        return new ReceiptCheck(ReadableCopy, false, "The readable receipt beside the signature differs from the signed one: it was edited. Only the signed payload counts.");
    }

    private static PortalProblemException Refused(string message) => PortalProblemException.Invalid(message, NotAReceipt);

    private static string Count(long entries) => entries == 1 ? "1 entry" : $"{entries} entries";
}

/// <summary>A receipt as given: its JWS taken apart, and the readable copy when the JSON form carried one.</summary>
public sealed record ReceiptSubmission(DecodedReceipt Decoded, JsonElement? Readable);
