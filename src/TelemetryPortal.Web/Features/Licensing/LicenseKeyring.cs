using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TelemetryPortal.Core.Licensing;
using TelemetryPortal.Web.Configuration;
using TelemetryPortal.Web.Data;

namespace TelemetryPortal.Web.Features.Licensing;

/// <summary>
/// The keys in force: the signing key (configured, or the embedded default's development key, created
/// once in the database so that every instance has the same), and the public keys licenses are verified against.
/// </summary>
public sealed partial class LicenseKeyring(
    IOptions<LicensingOptions> options,
    IOptions<PortalOptions> portal,
    IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider time,
    ILogger<LicenseKeyring> logger) : IDisposable
{
    /// <summary>Where earlier versions kept the development key, in the data directory; taken into the database once.</summary>
    public const string DevelopmentKeyFile = "license-dev-signing-key.pem";

    /// <summary>The development key's name in <c>portal_keys</c>.</summary>
    public const string DevelopmentKeyName = "license-development";

    private readonly List<IDisposable> _owned = [];
    private LicenseIssuer? _issuer;
    private LicenseVerifier? _verifier;
    private IReadOnlyList<TrustedLicenseKey> _trusted = [];

    /// <summary>Signs licenses; <see langword="null"/> when this portal holds no signing key.</summary>
    public LicenseIssuer? Issuer => _issuer;

    /// <summary>Whether <see cref="Issuer"/> signs with the development key.</summary>
    public bool IssuesDevelopmentLicenses { get; private set; }

    public LicenseVerifier Verifier => _verifier ?? throw new InvalidOperationException("The license keys were not loaded at start.");

    public IReadOnlyList<TrustedLicenseKey> Trusted => _trusted;

    /// <summary>Loads the keys; creates the development key pair on first start. Runs once at start.</summary>
    public async Task LoadAsync(Guid deploymentId, CancellationToken ct)
    {
        var settings = options.Value;
        var trusted = new List<TrustedLicenseKey>();
        foreach (var key in settings.TrustedKeys)
        {
            trusted.Add(new TrustedLicenseKey(key.KeyId, Own(LicenseKeys.FromPem(LicensingOptions.ReadPem(key.PublicKey), key.KeyId)), Development: false));
        }

        if (!string.IsNullOrWhiteSpace(settings.SigningKey))
        {
            _issuer = new LicenseIssuer(Own(LicenseKeys.FromPem(LicensingOptions.ReadPem(settings.SigningKey), "Licensing:SigningKey")), settings.SigningKeyId!);
        }
        else if (settings.DevelopmentKeys)
        {
            var signing = Own(await LoadOrCreateDevelopmentKeyAsync(ct));
            var keyId = $"dev-{deploymentId.ToString()[..8]}";
            _issuer = new LicenseIssuer(signing, keyId);
            IssuesDevelopmentLicenses = true;
            trusted.Add(new TrustedLicenseKey(keyId, Own(LicenseKeys.FromPem(LicenseKeys.PublicPem(signing), keyId)), Development: true));
        }

        _trusted = trusted;
        _verifier = new LicenseVerifier(trusted);
    }

    private async Task<System.Security.Cryptography.ECDsa> LoadOrCreateDevelopmentKeyAsync(CancellationToken ct)
    {
        var legacy = Path.Combine(portal.Value.DataDirectoryFullPath, DevelopmentKeyFile);
        var legacyPem = File.Exists(legacy) ? await File.ReadAllTextAsync(legacy, ct) : null;
        if (legacyPem is not null)
        {
            // Checked before it is stored, naming the file when it is damaged.
            LicenseKeys.FromPem(legacyPem, legacy).Dispose();
        }

        var created = false;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pem = PortalKeys.GetOrCreate(db, DevelopmentKeyName, () =>
        {
            if (legacyPem is not null)
            {
                return legacyPem;
            }

            created = true;
            using var key = LicenseKeys.Create();
            return LicenseKeys.PrivatePem(key);
        }, time.GetUtcNow().UtcDateTime);
        if (created)
        {
            LogDevelopmentKeyCreated();
        }

        return LicenseKeys.FromPem(pem, $"portal_keys \"{DevelopmentKeyName}\"");
    }

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public void Dispose() => _owned.ForEach(d => d.Dispose());

    [LoggerMessage(LogLevel.Warning, "Created a development license key pair in the database; licenses it signs are development licenses")]
    private partial void LogDevelopmentKeyCreated();
}
