using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using TelemetryPortal.Core.Consent;

namespace TelemetryPortal.Core.Tests.Consent;

public sealed class ConsentReceiptSignerTests
{
    private static ConsentReceipt Receipt() => new()
    {
        Jurisdiction = "EU (GDPR)",
        ConsentTimestamp = 1_795_770_000,
        CollectionMethod = "Telemetry Portal: level page (web)",
        ConsentReceiptId = "0b8f6a4e-7f51-4d0a-9a38-2b7a3f1f0c11",
        PiiPrincipalId = "deployment 7d1c",
        PiiControllers = [new ReceiptController("The telemetry vendor", "telemetry endpoint", null)],
        PolicyVersion = new string('b', 64),
        Services = [new ReceiptService("Product telemetry", [new ReceiptPurpose("Growth", "EXPLICIT", ["usage count"], true, "Until another level is chosen", false)])],
        Level = 1,
        PreviousLevel = 2,
        Actor = new ReceiptActor("1", "Administrator (admin)", "Admin"),
        LedgerEntry = new ReceiptLedgerEntry(4, new string('c', 64)),
        IssuedAt = 1_795_770_100,
    };

    [Fact]
    public void Sign_ThenVerify_ReturnsTheSameReceipt()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signer = new ConsentReceiptSigner(key);

        var jws = signer.Sign(Receipt());

        Assert.True(ConsentReceiptSigner.TryVerify(jws, signer.PublicKey, out var receipt, out var error), error);
        Assert.Equal(Receipt().PolicyVersion, receipt.PolicyVersion);
        Assert.Equal(Receipt().LedgerEntry, receipt.LedgerEntry);
        Assert.Equal(Receipt().Services[0].Purposes[0].PiiCategory, receipt.Services[0].Purposes[0].PiiCategory);
        var header = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(jws.Split('.')[0]));
        Assert.Contains("\"alg\":\"ES256\"", header, StringComparison.Ordinal);
        Assert.Contains($"\"kid\":\"{signer.PublicKey.Kid}\"", header, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_PayloadChanged_FailsNamingTheSignature()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signer = new ConsentReceiptSigner(key);
        var parts = signer.Sign(Receipt()).Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("\"level\":1", "\"level\":2", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";

        Assert.False(ConsentReceiptSigner.TryVerify(tampered, signer.PublicKey, out _, out var error));
        Assert.Contains("signature does not match", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SignatureByteFlipped_Fails()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signer = new ConsentReceiptSigner(key);
        var parts = signer.Sign(Receipt()).Split('.');
        var signature = Base64Url.DecodeFromChars(parts[2]);
        signature[10] ^= 0x01;

        Assert.False(ConsentReceiptSigner.TryVerify($"{parts[0]}.{parts[1]}.{Base64Url.EncodeToString(signature)}", signer.PublicKey, out _, out _));
    }

    [Fact]
    public void Verify_AnotherKey_FailsNamingBothKeys()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jws = new ConsentReceiptSigner(key).Sign(Receipt());
        var otherPublic = ConsentReceiptSigner.PublicKeyOf(other);

        Assert.False(ConsentReceiptSigner.TryVerify(jws, otherPublic, out _, out var error));
        Assert.Contains(otherPublic.Kid, error, StringComparison.Ordinal);
        // Same kid claimed, different key: the signature check catches it.
        Assert.False(ConsentReceiptSigner.TryVerify(jws, otherPublic with { Kid = ConsentReceiptSigner.PublicKeyOf(key).Kid }, out _, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a.b")]
    [InlineData("!!.??.**")]
    public void Verify_Malformed_FailsWithAReason(string jws)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.False(ConsentReceiptSigner.TryVerify(jws, ConsentReceiptSigner.PublicKeyOf(key), out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void Constructor_NotP256_RefusesNamingTheSize()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var ex = Assert.Throws<ArgumentException>(() => new ConsentReceiptSigner(key));
        Assert.Contains("384", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_WithLedgerHead_CarriesItInTheSignedPayload()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signer = new ConsentReceiptSigner(key);
        var head = new ReceiptLedgerEntry(9, new string('d', 64));

        var jws = signer.Sign(Receipt() with { LedgerHead = head });

        Assert.True(ConsentReceiptSigner.TryVerify(jws, signer.PublicKey, out var receipt, out var error), error);
        Assert.Equal(head, receipt.LedgerHead);
        // Changing the recorded head breaks the signature like any other field.
        var parts = jws.Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("\"id\":9", "\"id\":8", StringComparison.Ordinal);
        Assert.False(ConsentReceiptSigner.TryVerify($"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}.{parts[2]}", signer.PublicKey, out _, out _));
    }

    [Fact]
    public void Decode_ReceiptWithoutLedgerHead_ReadsWithANullHead()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signer = new ConsentReceiptSigner(key);
        var parts = signer.Sign(Receipt()).Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace(",\"ledgerHead\":null", "", StringComparison.Ordinal);

        Assert.True(ConsentReceiptSigner.TryDecode($"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}.{parts[2]}", out var decoded, out var error), error);
        Assert.Null(decoded.Receipt.LedgerHead);
    }

    [Fact]
    public void Decode_ThenCheckSignature_AnotherKey_DecodesButTheSignatureCheckNamesTheKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var stranger = new ConsentReceiptSigner(other);

        Assert.True(ConsentReceiptSigner.TryDecode(stranger.Sign(Receipt()), out var decoded, out var error), error);
        Assert.Equal(stranger.PublicKey.Kid, decoded.KeyId);
        Assert.False(ConsentReceiptSigner.TryCheckSignature(decoded, ConsentReceiptSigner.PublicKeyOf(key), out error));
        Assert.Contains(stranger.PublicKey.Kid, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a.b", "three parts")]
    [InlineData("eyJhbGciOiJub25lIn0.e30.", "algorithm must be ES256; got none")]
    public void Decode_Malformed_SaysWhat(string jws, string expected)
    {
        Assert.False(ConsentReceiptSigner.TryDecode(jws, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
