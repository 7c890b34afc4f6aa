using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TelemetryPortal.Core.Consent;

/// <summary>A public key as a JSON Web Key (RFC 7517), for checking receipts later.</summary>
public sealed record ReceiptPublicKey(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("crv")] string Crv,
    [property: JsonPropertyName("x")] string X,
    [property: JsonPropertyName("y")] string Y,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("use")] string Use)
{
    /// <summary>The key as an <see cref="ECDsa"/> that can verify.</summary>
    public ECDsa ToECDsa() => ECDsa.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint { X = Base64Url.DecodeFromChars(X), Y = Base64Url.DecodeFromChars(Y) },
    });
}

/// <summary>
/// Signs consent receipts as compact JWS (RFC 7515) with ES256 (ECDSA P-256, SHA-256), and checks
/// them. The JWS payload is the receipt's JSON; the header names the key by its RFC 7638 thumbprint.
/// </summary>
public sealed class ConsentReceiptSigner
{
    /// <summary>The JWS algorithm.</summary>
    public const string Algorithm = "ES256";

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    private readonly ECDsa _key;

    /// <param name="key">A P-256 key with its private part.</param>
    /// <exception cref="ArgumentException">The key is not on P-256.</exception>
    public ConsentReceiptSigner(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.KeySize != 256)
        {
            throw new ArgumentException($"Receipts are signed with a P-256 key; this key has {key.KeySize} bits.", nameof(key));
        }

        _key = key;
        PublicKey = PublicKeyOf(key);
    }

    /// <summary>The public half, to publish beside receipts.</summary>
    public ReceiptPublicKey PublicKey { get; }

    /// <summary>The receipt as a compact JWS: <c>header.payload.signature</c>, each base64url.</summary>
    public string Sign(ConsentReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var header = JsonSerializer.SerializeToUtf8Bytes(new JwsHeader(Algorithm, "JWT", PublicKey.Kid), Json);
        var payload = JsonSerializer.SerializeToUtf8Bytes(receipt, Json);
        var signingInput = $"{Base64Url.EncodeToString(header)}.{Base64Url.EncodeToString(payload)}";
        // .NET signs in IEEE P1363 form (r || s), which is exactly what JWS wants for ES256.
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>
    /// Checks a receipt's JWS against <paramref name="publicKey"/>; on success returns the receipt
    /// it carries, otherwise says what is wrong.
    /// </summary>
    public static bool TryVerify(string jws, ReceiptPublicKey publicKey, [NotNullWhen(true)] out ConsentReceipt? receipt, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        receipt = null;
        if (!TryDecode(jws, out var decoded, out error) || !TryCheckSignature(decoded, publicKey, out error))
        {
            return false;
        }

        receipt = decoded.Receipt;
        return true;
    }

    /// <summary>
    /// Takes a receipt's JWS apart without checking its signature: whether it is a well-formed ES256 JWS whose
    /// payload is a consent receipt. Check the signature with <see cref="TryCheckSignature"/> before trusting it.
    /// </summary>
    public static bool TryDecode(string? jws, [NotNullWhen(true)] out DecodedReceipt? decoded, [NotNullWhen(false)] out string? error)
    {
        decoded = null;
        var parts = (jws ?? "").Split('.');
        if (parts.Length != 3)
        {
            error = "A receipt signature must have three parts separated by dots (header.payload.signature).";
            return false;
        }

        try
        {
            var header = JsonSerializer.Deserialize<JwsHeader>(Base64Url.DecodeFromChars(parts[0]), Json);
            if (header is null || header.Alg != Algorithm)
            {
                error = $"The signature's algorithm must be {Algorithm}; got {header?.Alg ?? "none"}.";
                return false;
            }

            var receipt = JsonSerializer.Deserialize<ConsentReceipt>(Base64Url.DecodeFromChars(parts[1]), Json);
            if (receipt is null)
            {
                error = "The receipt's payload is empty.";
                return false;
            }

            decoded = new DecodedReceipt(header.Kid ?? "", receipt, $"{parts[0]}.{parts[1]}", Base64Url.DecodeFromChars(parts[2]));
            error = null;
            return true;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            error = $"The receipt signature is malformed: {ex.Message}";
            return false;
        }
    }

    /// <summary>Whether <paramref name="decoded"/> was signed with <paramref name="publicKey"/>; otherwise says what is wrong.</summary>
    public static bool TryCheckSignature(DecodedReceipt decoded, ReceiptPublicKey publicKey, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        ArgumentNullException.ThrowIfNull(publicKey);
        if (decoded.KeyId != publicKey.Kid)
        {
            error = $"The receipt was signed with key {(decoded.KeyId.Length == 0 ? "(none named)" : decoded.KeyId)}, not with {publicKey.Kid}.";
            return false;
        }

        try
        {
            using var key = publicKey.ToECDsa();
            if (!key.VerifyData(Encoding.ASCII.GetBytes(decoded.SigningInput), decoded.Signature, HashAlgorithmName.SHA256))
            {
                error = "The signature does not match the receipt: it was changed or signed with another key.";
                return false;
            }
        }
        catch (CryptographicException ex)
        {
            error = $"The receipt signature is malformed: {ex.Message}";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>The public JWK of <paramref name="key"/>, with its RFC 7638 thumbprint as <c>kid</c>.</summary>
    public static ReceiptPublicKey PublicKeyOf(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var q = key.ExportParameters(includePrivateParameters: false).Q;
        var x = Base64Url.EncodeToString(q.X);
        var y = Base64Url.EncodeToString(q.Y);
        // RFC 7638: the required members in lexicographic order, no spaces.
        var thumbprint = SHA256.HashData(Encoding.UTF8.GetBytes($$"""{"crv":"P-256","kty":"EC","x":"{{x}}","y":"{{y}}"}"""));
        return new ReceiptPublicKey("EC", "P-256", x, y, Base64Url.EncodeToString(thumbprint), Algorithm, "sig");
    }

    private sealed record JwsHeader(
        [property: JsonPropertyName("alg")] string Alg,
        [property: JsonPropertyName("typ")] string Typ,
        [property: JsonPropertyName("kid")] string? Kid);
}

/// <summary>A receipt JWS taken apart, its signature not yet checked.</summary>
/// <param name="KeyId">The <c>kid</c> its header names (empty when none).</param>
/// <param name="Receipt">The receipt its payload carries.</param>
/// <param name="SigningInput"><c>header.payload</c> as sent, what the signature is over.</param>
/// <param name="Signature">The signature bytes (IEEE P1363, r || s).</param>
public sealed record DecodedReceipt(string KeyId, ConsentReceipt Receipt, string SigningInput, byte[] Signature);
