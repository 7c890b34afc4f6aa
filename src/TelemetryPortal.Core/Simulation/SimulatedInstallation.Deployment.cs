using System.Security.Cryptography;
using TelemetryPortal.Core.Snapshots;

namespace TelemetryPortal.Core.Simulation;

// The /deployment payload: host facts and the whole configuration, secrets blanked as Coder's
// DeploymentValues.WithoutSecrets() leaves them (so the omitempty ones are not sent at all).
public sealed partial class SimulatedInstallation
{
    /// <summary>
    /// The host facts and configuration, as Coder's <c>/deployment</c> payload. Coder sends it at start,
    /// every 30 minutes, and a last time at shutdown with <paramref name="shutdownAt"/> set.
    /// </summary>
    public Deployment CreateDeployment(DateTimeOffset? shutdownAt = null)
    {
        var rng = new Rng(_options.Seed, (int)Table.Deployment, 1);
        var company = Company();
        var kubernetes = rng.Chance(0.7);
        var builtinPostgres = !kubernetes && rng.Chance(0.5);
        return new Deployment
        {
            Id = DeploymentId.ToString(),
            Architecture = rng.Chance(0.8) ? "amd64" : "arm64",
            BuiltinPostgres = builtinPostgres,
            Containerized = true,
            Kubernetes = kubernetes,
            Config = CreateConfig(ref rng, company),
            Tunnel = false,
            InstallSource = kubernetes ? "helm" : rng.Pick(["docker", "system-package"]),
            OsType = "linux",
            OsFamily = "debian",
            OsPlatform = "ubuntu",
            OsName = "Ubuntu",
            OsVersion = "22.04.5 LTS (Jammy Jellyfish)",
            CpuCores = rng.Pick([4, 8, 16, 32]),
            // Not a round number: what the kernel reports, minus what it keeps for itself.
            MemoryTotal = ((ulong)rng.Pick([16, 32, 64, 128]) * 1024 * 1024 * 1024) - ((ulong)rng.Next(200_000, 900_000) * 1024),
            MachineId = Convert.ToHexStringLower(SHA256.HashData(DeploymentId.ToByteArray()))[..32],
            StartedAt = StartedAt(),
            ShutdownAt = shutdownAt?.ToUniversalTime(),
            IdpOrgSync = rng.Chance(0.3),
        };
    }

    /// <summary>The server's last start before Now: it restarts every one to four weeks (upgrades), at a time of day the seed picks.</summary>
    private DateTimeOffset StartedAt()
    {
        var rng = new Rng(_options.Seed, (int)Table.Deployment, 2);
        var period = TimeSpan.FromDays(rng.Next(7, 29)).Ticks;
        var offset = (rng.Next(86_400) * TimeSpan.TicksPerSecond) + Microseconds(ref rng) + rng.Next(10);
        var since = _now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks - offset;
        return DateTimeOffset.UnixEpoch.AddTicks((Math.DivRem(since, period).Quotient * period) + offset);
    }

    private DeploymentConfig CreateConfig(ref Rng rng, string company)
    {
        var host = $"coder.{company}.example";
        var privateIp = Ipv4(ref rng, privateOnly: true);
        return new DeploymentConfig
        {
            Verbose = true,
            AccessUrl = $"https://{host}",
            WildcardAccessUrl = $"*.{host}",
            DocsUrl = "https://coder.com/docs",
            RedirectToAccessUrl = true,
            HttpAddress = $"{privateIp}:3000",
            AutobuildPollInterval = TimeSpan.FromMinutes(1),
            JobHangDetectorInterval = TimeSpan.FromMinutes(1),
            Derp = new DerpConfig
            {
                Server = new DerpServerConfig
                {
                    Enable = true,
                    RegionId = 999,
                    RegionCode = "coder",
                    RegionName = "Coder Embedded Relay",
                    StunAddresses = ["stun.l.google.com:19302", $"{Ipv4(ref rng, privateOnly: false)}:3478"],
                    RelayUrl = $"http://{privateIp}:3000",
                },
                Config = new DerpMapConfig { BlockDirect = false, ForceWebsockets = false, Url = $"https://derp.{company}.example/derpmap.json", Path = "" },
            },
            Prometheus = new PrometheusConfig
            {
                Enable = true,
                Address = "0.0.0.0:2112",
                CollectAgentStats = rng.Chance(0.5),
                CollectDbMetrics = false,
                AggregateAgentStatsBy = ["agent_name", "template_name", "username", "workspace_name"],
            },
            Pprof = new PprofConfig { Enable = false, Address = "127.0.0.1:6060" },
            ProxyTrustedHeaders = ["X-Forwarded-For", "X-Real-IP"],
            ProxyTrustedOrigins = [$"{privateIp}/32", "10.42.0.0/16"],
            CacheDirectory = "/home/coder/.cache/coder",
            // Flags a production server rarely has (also write_config below), left on so that every
            // path of Coder's schema shows up; they change nothing else here.
            InMemoryDatabase = true,
            EphemeralDeployment = true,
            PgConnectionUrl = "",
            PgAuth = "password",
            OAuth2 = new OAuth2Config
            {
                Github = new GithubAuthConfig
                {
                    ClientId = $"Iv1.{rng.NextUInt64():x16}",
                    ClientSecret = "",
                    DeviceFlow = false,
                    DefaultProviderEnable = true,
                    AllowedOrgs = [company],
                    AllowedTeams = [$"{company}/platform", $"{company}/developers"],
                    AllowSignups = true,
                    AllowEveryone = false,
                    EnterpriseBaseUrl = $"https://github.{company}.example",
                },
            },
            Oidc = new OidcConfig
            {
                AllowSignups = true,
                ClientId = "coder",
                ClientSecret = "",
                ClientKeyFile = "",
                ClientCertFile = "",
                EmailDomain = [$"{company}.example"],
                IssuerUrl = $"https://login.{company}.example/realms/engineering",
                Scopes = ["openid", "profile", "email", "groups"],
                IgnoreEmailVerified = false,
                UsernameField = "preferred_username",
                NameField = "name",
                EmailField = "email",
                AuthUrlParams = new Dictionary<string, string> { ["access_type"] = "offline", ["login_hint"] = Email(0) },
                IgnoreUserInfo = false,
                SourceUserInfoFromAccessToken = false,
                OrganizationField = "organizations",
                OrganizationMapping = new Dictionary<string, IReadOnlyList<Guid>> { ["engineering"] = [Id(Table.Organization, 0)], [$"{company}-contractors"] = [Id(Table.Organization, _options.Organizations - 1)] },
                OrganizationAssignDefault = true,
                GroupAutoCreate = false,
                GroupRegexFilter = "^coder-.*$",
                GroupAllowList = [],
                GroupsField = "groups",
                GroupMapping = new Dictionary<string, string> { ["coder-platform"] = "platform-team", ["coder-data"] = "data-science" },
                UserRoleField = "roles",
                UserRoleMapping = new Dictionary<string, IReadOnlyList<string>> { ["coder-admins"] = ["owner"], ["coder-template-authors"] = ["template-admin"] },
                UserRolesDefault = null,
                SignInText = $"Sign in with {char.ToUpperInvariant(company[0])}{company[1..]} SSO",
                IconUrl = $"https://login.{company}.example/logo.svg",
                SignupsDisabledText = "",
                SkipIssuerChecks = false,
            },
            Telemetry = new TelemetryConfig { Enable = true, Trace = true, Url = "https://telemetry.coder.com" },
            Tls = new TlsConfig
            {
                Enable = false,
                Address = "127.0.0.1:3443",
                RedirectHttp = true,
                CertFile = [],
                ClientAuth = "none",
                ClientCaFile = "",
                KeyFile = [],
                MinVersion = "tls12",
                ClientCertFile = "",
                ClientKeyFile = "",
                SupportedCiphers = null,
                AllowInsecureCiphers = false,
            },
            Trace = new TraceConfig { Enable = false, HoneycombApiKey = "", CaptureLogs = false, DataDog = false },
            SecureAuthCookie = true,
            StrictTransportSecurity = 31_536_000,
            StrictTransportSecurityOptions = ["includeSubDomains", "preload"],
            SshKeygenAlgorithm = "ed25519",
            MetricsCacheRefreshInterval = TimeSpan.FromHours(1),
            AgentStatRefreshInterval = TimeSpan.FromSeconds(30),
            AgentFallbackTroubleshootingUrl = "https://coder.com/docs/templates/troubleshooting",
            BrowserOnly = true,
            ScimApiKey = "",
            ExternalTokenEncryptionKeys = null,
            Provisioner = new ProvisionerConfig
            {
                Daemons = rng.Pick([0L, 3L, 5L]),
                DaemonTypes = [],
                DaemonPollInterval = TimeSpan.FromSeconds(1),
                DaemonPollJitter = TimeSpan.FromMilliseconds(100),
                ForceCancelInterval = TimeSpan.FromMinutes(10),
                DaemonPsk = "",
            },
            RateLimit = new RateLimitConfig { DisableAll = false, Api = 512 },
            Experiments = ["workspace-usage", "notifications"],
            UpdateCheck = true,
            Swagger = new SwaggerConfig { Enable = false },
            Logging = new LoggingConfig { LogFilter = [], Human = "/dev/stderr", Json = "", Stackdriver = "" },
            Dangerous = new DangerousConfig { AllowPathAppSharing = false, AllowPathAppSiteOwnerAccess = false, AllowAllCors = false },
            DisablePathApps = true,
            SessionLifetime = new SessionLifetimeConfig
            {
                DisableExpiryRefresh = true,
                DefaultDuration = TimeSpan.FromHours(24),
                DefaultTokenLifetime = TimeSpan.FromDays(7),
                MaxTokenLifetime = TimeSpan.FromDays(30),
            },
            DisablePasswordAuth = true,
            Support = new SupportConfig
            {
                Links =
                [
                    new LinkConfig { Name = "Platform team wiki", Target = $"https://wiki.{company}.example/platform/coder", Icon = "docs" },
                    new LinkConfig { Name = "Ask in #dev-env", Target = $"https://chat.{company}.example/channels/dev-env", Icon = "chat" },
                ],
            },
            ExternalAuth =
            [
                new ExternalAuthConfig
                {
                    Type = "github",
                    ClientId = $"Iv1.{rng.NextUInt64():x16}",
                    Id = "primary-github",
                    AuthUrl = "",
                    TokenUrl = "",
                    ValidateUrl = "",
                    AppInstallUrl = $"https://github.com/apps/{company}-coder/installations/new",
                    AppInstallationsUrl = "",
                    NoRefresh = false,
                    Scopes = ["repo", "workflow"],
                    DeviceFlow = false,
                    DeviceCodeUrl = "",
                    Regex = "^(https?://)?github\\.com(/.*)?$",
                    DisplayName = "GitHub",
                    DisplayIcon = "/icon/github.svg",
                },
                new ExternalAuthConfig
                {
                    Type = "gitlab",
                    ClientId = Convert.ToHexStringLower(BitConverter.GetBytes(rng.NextUInt64())),
                    Id = $"{company}-gitlab",
                    AuthUrl = $"https://git.{company}.example/oauth/authorize",
                    TokenUrl = $"https://git.{company}.example/oauth/token",
                    ValidateUrl = $"https://git.{company}.example/oauth/token/info",
                    AppInstallUrl = "",
                    AppInstallationsUrl = "",
                    NoRefresh = false,
                    Scopes = ["read_repository", "write_repository"],
                    DeviceFlow = true,
                    DeviceCodeUrl = $"https://git.{company}.example/oauth/authorize_device",
                    Regex = $"^(https?://)?git\\.{company}\\.example(/.*)?$",
                    DisplayName = $"{char.ToUpperInvariant(company[0])}{company[1..]} GitLab",
                    DisplayIcon = "/icon/gitlab.svg",
                },
            ],
            ConfigSsh = new SshConfig { DeploymentName = $"{company}-coder", SshConfigOptions = ["ForwardAgent=yes", "ServerAliveInterval=30"] },
            WgtunnelHost = "tunnel.coder.app",
            DisableOwnerWorkspaceExec = true,
            ProxyHealthStatusInterval = TimeSpan.FromMinutes(1),
            EnableTerraformDebugMode = true,
            UserQuietHoursSchedule = new UserQuietHoursScheduleConfig { DefaultSchedule = "CRON_TZ=Europe/Berlin 0 2 * * *", AllowUserCustom = true },
            WebTerminalRenderer = "canvas",
            AllowWorkspaceRenames = true,
            Healthcheck = new HealthcheckConfig { Refresh = TimeSpan.FromMinutes(10), ThresholdDatabase = TimeSpan.FromMilliseconds(15) },
            CliUpgradeMessage = $"Run `brew upgrade coder` or ask <platform@{company}.example> & #dev-env",
            TermsOfServiceUrl = $"https://legal.{company}.example/developer-platform-terms",
            Notifications = new NotificationsConfig
            {
                MaxSendAttempts = 5,
                RetryInterval = TimeSpan.FromMinutes(5),
                SyncInterval = TimeSpan.FromSeconds(2),
                SyncBufferSize = 50,
                LeasePeriod = TimeSpan.FromMinutes(2),
                LeaseCount = 20,
                FetchInterval = TimeSpan.FromSeconds(15),
                Method = "smtp",
                DispatchTimeout = TimeSpan.FromMinutes(1),
                Email = new NotificationsEmailConfig
                {
                    From = $"Coder <coder@{company}.example>",
                    Smarthost = $"smtp.{company}.example:587",
                    Hello = "localhost",
                    Auth = new NotificationsEmailAuthConfig { Identity = "", Username = $"coder@{company}.example", Password = "", PasswordFile = "" },
                    Tls = new NotificationsEmailTlsConfig { StartTls = true, ServerName = $"smtp.{company}.example", InsecureSkipVerify = false, CaFile = "", CertFile = "", KeyFile = "" },
                    ForceTls = false,
                },
                Webhook = new NotificationsWebhookConfig { Endpoint = $"https://hooks.{company}.example/coder" },
                Inbox = new NotificationsInboxConfig { Enabled = true },
            },
            AdditionalCspPolicy = [$"frame-src https://grafana.{company}.example"],
            WorkspacePrebuilds = new PrebuildsConfig
            {
                ReconciliationInterval = TimeSpan.FromMinutes(1),
                ReconciliationBackoffInterval = TimeSpan.FromSeconds(15),
                ReconciliationBackoffLookback = TimeSpan.FromHours(1),
            },
            Config = "/etc/coder.d/coder.yaml",
            WriteConfig = true,
            Address = "",
        };
    }
}
