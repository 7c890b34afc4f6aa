using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TelemetryPortal.Core.Consent;
using TelemetryPortal.Web.Configuration;
using TelemetryPortal.Web.Data;

namespace TelemetryPortal.Web.Features.Consent;

/// <summary>
/// The portal's key for signing consent receipts: an ECDSA P-256 key created on first start and kept in the database
/// (<c>portal_keys</c>, named <see cref="KeyName"/>), so that every instance on one database signs with the same key and
/// checks the receipts of the others. A key file left in the data directory by an earlier version
/// (<see cref="FileName"/>) is taken into the database the first time, so receipts it signed still verify. With
/// <c>Consent:ReceiptSigningKey</c> set, that key is used instead and none is kept in the database.
/// </summary>
public sealed partial class ConsentReceiptKey(
    IDbContextFactory<PortalDbContext> dbFactory,
    IOptions<PortalOptions> options,
    IOptions<ConsentOptions> consent,
    TimeProvider time,
    ILogger<ConsentReceiptKey> logger) : IDisposable
{
    /// <summary>The key's name in <c>portal_keys</c>.</summary>
    public const string KeyName = "consent-receipt";

    /// <summary>Where earlier versions kept the key, in the data directory.</summary>
    public const string FileName = "consent-receipt-key.pem";

    private readonly Lock _lock = new();
    private ECDsa? _key;
    private ConsentReceiptSigner? _signer;

    /// <summary>The signer, loading or creating the key the first time.</summary>
    public ConsentReceiptSigner Signer
    {
        get
        {
            lock (_lock)
            {
                return _signer ??= Load();
            }
        }
    }

    /// <summary>Creates the key unless it exists.</summary>
    public void EnsureCreated() => _ = Signer;

    public void Dispose() => _key?.Dispose();

    private ConsentReceiptSigner Load()
    {
        if (!string.IsNullOrWhiteSpace(consent.Value.ReceiptSigningKey))
        {
            // Configured apart from the database (checked at start by the options' validator).
            _key = ECDsa.Create();
            _key.ImportFromPem(Licensing.LicensingOptions.ReadPem(consent.Value.ReceiptSigningKey));
            return new ConsentReceiptSigner(_key);
        }

        var legacy = Path.Combine(options.Value.DataDirectoryFullPath, FileName);
        string? origin = null;
        using var db = dbFactory.CreateDbContext();
        var pem = PortalKeys.GetOrCreate(db, KeyName, () =>
        {
            if (File.Exists(legacy))
            {
                origin = legacy;
                var text = File.ReadAllText(legacy);
                using var check = ECDsa.Create();
                try
                {
                    // Checked before it is stored: a damaged file must not become the key every instance uses.
                    check.ImportFromPem(text);
                }
                catch (Exception ex) when (ex is ArgumentException or CryptographicException)
                {
                    throw new InvalidOperationException($"The consent receipt key {legacy} is not a PEM-encoded EC private key: {ex.Message}", ex);
                }

                return text;
            }

            using var created = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            origin = "";
            return created.ExportPkcs8PrivateKeyPem();
        }, time.GetUtcNow().UtcDateTime);

        _key = ECDsa.Create();
        try
        {
            _key.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            throw new InvalidOperationException(
                $"The consent receipt key ({(string.IsNullOrEmpty(origin) ? $"portal_keys \"{KeyName}\" in the database" : origin)}) is not a PEM-encoded EC private key: {ex.Message}", ex);
        }

        var signer = new ConsentReceiptSigner(_key);
        if (origin == "")
        {
            LogCreated(signer.PublicKey.Kid);
        }
        else if (origin is not null)
        {
            LogImported(origin, signer.PublicKey.Kid);
        }

        return signer;
    }

    [LoggerMessage(LogLevel.Warning, "Created the consent receipt signing key (key id {Kid}) in the database")]
    private partial void LogCreated(string kid);

    [LoggerMessage(LogLevel.Warning, "Took the consent receipt signing key {Path} (key id {Kid}) into the database; the file is no longer read")]
    private partial void LogImported(string path, string kid);
}
