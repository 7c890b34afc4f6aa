using System.Text.Json.Serialization;

namespace TelemetryPortal.Core.Snapshots;

/// <summary>Facts about the host running Coder, shaped and named like Coder's <c>telemetry.Deployment</c>.</summary>
public sealed record Deployment
{
    /// <summary>The deployment's id.</summary>
    public Guid Id { get; init; }

    /// <summary>CPU architecture, e.g. <c>amd64</c>.</summary>
    public string Architecture { get; init; } = "";

    /// <summary>Whether Coder runs its built-in PostgreSQL.</summary>
    public bool BuiltinPostgres { get; init; }

    /// <summary>Whether Coder runs in a container.</summary>
    public bool Containerized { get; init; }

    /// <summary>Whether Coder runs on Kubernetes.</summary>
    public bool Kubernetes { get; init; }

    /// <summary>The deployment configuration, secrets removed.</summary>
    public DeploymentConfig? Config { get; init; }

    /// <summary>Whether Coder is reached through its public tunnel.</summary>
    public bool Tunnel { get; init; }

    /// <summary>How Coder was installed, e.g. <c>helm</c>.</summary>
    public string InstallSource { get; init; } = "";

    /// <summary>Operating system type, e.g. <c>linux</c>.</summary>
    public string OsType { get; init; } = "";

    /// <summary>Operating system family, e.g. <c>debian</c>.</summary>
    public string OsFamily { get; init; } = "";

    /// <summary>Operating system platform, e.g. <c>ubuntu</c>.</summary>
    public string OsPlatform { get; init; } = "";

    /// <summary>Operating system name.</summary>
    public string OsName { get; init; } = "";

    /// <summary>Operating system version.</summary>
    public string OsVersion { get; init; } = "";

    /// <summary>CPU cores.</summary>
    public int CpuCores { get; init; }

    /// <summary>Memory in bytes.</summary>
    public ulong MemoryTotal { get; init; }

    /// <summary>A hashed, stable id of the machine.</summary>
    public string MachineId { get; init; } = "";

    /// <summary>When the server started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the server shut down; set only in the last report.</summary>
    public DateTimeOffset? ShutdownAt { get; init; }

    /// <summary>Whether identity-provider organization sync is on.</summary>
    [JsonPropertyName("idp_org_sync")]
    public bool? IdpOrgSync { get; init; }
}

/// <summary>A subset of Coder's deployment values, with secrets removed.</summary>
public sealed record DeploymentConfig
{
    /// <summary>The URL users reach Coder at.</summary>
    public string AccessUrl { get; init; } = "";

    /// <summary>The wildcard URL for workspace apps.</summary>
    public string WildcardAccessUrl { get; init; } = "";

    /// <summary>The address the HTTP server listens on.</summary>
    public string HttpAddress { get; init; } = "";

    /// <summary>Whether requests are redirected to the access URL.</summary>
    public bool RedirectToAccessUrl { get; init; }

    /// <summary>Enabled experiments.</summary>
    public IReadOnlyList<string> Experiments { get; init; } = [];

    /// <summary>Whether password login is disabled.</summary>
    public bool DisablePasswordAuth { get; init; }

    /// <summary>Whether only browser connections are allowed.</summary>
    public bool BrowserOnly { get; init; }

    /// <summary>Telemetry settings.</summary>
    public TelemetryConfig? Telemetry { get; init; }

    /// <summary>Relay (DERP) settings.</summary>
    public DerpConfig? Derp { get; init; }

    /// <summary>OpenID Connect settings, secrets removed.</summary>
    public OidcConfig? Oidc { get; init; }

    /// <summary>OAuth2 settings, secrets removed.</summary>
    [JsonPropertyName("oauth2")]
    public OAuth2Config? OAuth2 { get; init; }

    /// <summary>Prometheus settings.</summary>
    public PrometheusConfig? Prometheus { get; init; }

    /// <summary>Built-in provisioner settings.</summary>
    public ProvisionerConfig? Provisioner { get; init; }
}

/// <summary>Telemetry settings.</summary>
public sealed record TelemetryConfig
{
    /// <summary>Whether telemetry is on.</summary>
    public bool Enable { get; init; }

    /// <summary>Whether traces are sent.</summary>
    public bool Trace { get; init; }

    /// <summary>Where telemetry goes.</summary>
    public string Url { get; init; } = "";
}

/// <summary>Relay (DERP) settings.</summary>
public sealed record DerpConfig
{
    /// <summary>The built-in relay server.</summary>
    public DerpServerConfig? Server { get; init; }
}

/// <summary>The built-in relay server.</summary>
public sealed record DerpServerConfig
{
    /// <summary>Whether the built-in relay runs.</summary>
    public bool Enable { get; init; }

    /// <summary>The relay's region code.</summary>
    public string RegionCode { get; init; } = "";

    /// <summary>STUN servers used to discover direct paths.</summary>
    public IReadOnlyList<string> StunAddresses { get; init; } = [];
}

/// <summary>OpenID Connect settings, secrets removed.</summary>
public sealed record OidcConfig
{
    /// <summary>Whether new users may sign up through OIDC.</summary>
    public bool AllowSignups { get; init; }

    /// <summary>E-mail domains allowed to sign in.</summary>
    public IReadOnlyList<string> EmailDomain { get; init; } = [];

    /// <summary>The identity provider's issuer URL.</summary>
    public string IssuerUrl { get; init; } = "";

    /// <summary>Requested scopes.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];
}

/// <summary>OAuth2 settings, secrets removed.</summary>
public sealed record OAuth2Config
{
    /// <summary>GitHub login settings.</summary>
    public GithubAuthConfig? Github { get; init; }
}

/// <summary>GitHub login settings.</summary>
public sealed record GithubAuthConfig
{
    /// <summary>Whether new users may sign up through GitHub.</summary>
    public bool AllowSignups { get; init; }

    /// <summary>Whether every GitHub user may sign in.</summary>
    public bool AllowEveryone { get; init; }

    /// <summary>GitHub organizations whose members may sign in.</summary>
    public IReadOnlyList<string> AllowedOrgs { get; init; } = [];
}

/// <summary>Prometheus settings.</summary>
public sealed record PrometheusConfig
{
    /// <summary>Whether the metrics endpoint is on.</summary>
    public bool Enable { get; init; }

    /// <summary>The address it listens on.</summary>
    public string Address { get; init; } = "";
}

/// <summary>Built-in provisioner settings.</summary>
public sealed record ProvisionerConfig
{
    /// <summary>How many built-in provisioner daemons run.</summary>
    public int Daemons { get; init; }
}
