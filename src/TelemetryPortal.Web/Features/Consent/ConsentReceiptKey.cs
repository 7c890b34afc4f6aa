using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using TelemetryPortal.Core.Consent;
using TelemetryPortal.Web.Configuration;

namespace TelemetryPortal.Web.Features.Consent;

/// <summary>
/// The portal's key for signing consent receipts: an ECDSA P-256 key created on first start in the
/// data directory (<c>consent-receipt-key.pem</c>, readable only by the portal's user) and kept.
/// </summary>
public sealed partial class ConsentReceiptKey(IOptions<PortalOptions> options, ILogger<ConsentReceiptKey> logger) : IDisposable
{
    public const string FileName = "consent-receipt-key.pem";

    private readonly Lock _lock = new();
    private ECDsa? _key;
    private ConsentReceiptSigner? _signer;

    /// <summary>Where the key is kept.</summary>
    public string Path => System.IO.Path.Combine(options.Value.DataDirectoryFullPath, FileName);

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

    /// <summary>Creates the key file unless it exists.</summary>
    public void EnsureCreated() => _ = Signer;

    public void Dispose() => _key?.Dispose();

    private ConsentReceiptSigner Load()
    {
        var path = Path;
        _key = ECDsa.Create();
        if (File.Exists(path))
        {
            try
            {
                _key.ImportFromPem(File.ReadAllText(path));
            }
            catch (Exception ex) when (ex is ArgumentException or CryptographicException)
            {
                throw new InvalidOperationException($"The consent receipt key {path} is not a PEM-encoded EC private key: {ex.Message}", ex);
            }

            return new ConsentReceiptSigner(_key);
        }

        _key.GenerateKey(ECCurve.NamedCurves.nistP256);
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, new System.Text.UTF8Encoding(false), fileOptions))
        {
            writer.Write(_key.ExportPkcs8PrivateKeyPem());
        }

        var signer = new ConsentReceiptSigner(_key);
        LogCreated(path, signer.PublicKey.Kid);
        return signer;
    }

    [LoggerMessage(LogLevel.Warning, "Created the consent receipt signing key {Path} (key id {Kid}); keep it with the database")]
    private partial void LogCreated(string path, string kid);
}
