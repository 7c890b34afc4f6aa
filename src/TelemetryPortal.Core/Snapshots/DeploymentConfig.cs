using System.Text.Json.Serialization;

namespace TelemetryPortal.Core.Snapshots;

/// <summary>The deployment configuration (Go's <c>codersdk.DeploymentValues</c>) with secrets blanked, as Coder sends it. Its top-level fields are <c>omitempty</c>; those that are structs in Go (the nested configs, URLs, host:port pairs) are written even when empty, as Go does.</summary>
public sealed record DeploymentConfig : IGoJsonWritable
{
    public bool Verbose { get; init; }

    /// <summary>The URL users reach Coder at.</summary>
    public string AccessUrl { get; init; } = "";

    /// <summary>The wildcard URL for workspace apps.</summary>
    public string WildcardAccessUrl { get; init; } = "";

    public string DocsUrl { get; init; } = "";

    /// <summary>Whether requests are redirected to the access URL.</summary>
    public bool RedirectToAccessUrl { get; init; }

    /// <summary>The address the HTTP server listens on.</summary>
    public string HttpAddress { get; init; } = "";

    public TimeSpan AutobuildPollInterval { get; init; }

    public TimeSpan JobHangDetectorInterval { get; init; }

    /// <summary>Relay (DERP) settings.</summary>
    public DerpConfig Derp { get; init; } = new();

    /// <summary>Prometheus settings.</summary>
    public PrometheusConfig Prometheus { get; init; } = new();

    public PprofConfig Pprof { get; init; } = new();

    public IReadOnlyList<string>? ProxyTrustedHeaders { get; init; }

    public IReadOnlyList<string>? ProxyTrustedOrigins { get; init; }

    public string CacheDirectory { get; init; } = "";

    public bool InMemoryDatabase { get; init; }

    public bool EphemeralDeployment { get; init; }

    /// <summary>A secret: always blanked, so never sent.</summary>
    public string PgConnectionUrl { get; init; } = "";

    public string PgAuth { get; init; } = "";

    /// <summary>OAuth2 settings, secrets removed.</summary>
    [JsonPropertyName("oauth2")]
    public OAuth2Config OAuth2 { get; init; } = new();

    /// <summary>OpenID Connect settings, secrets removed.</summary>
    public OidcConfig Oidc { get; init; } = new();

    /// <summary>Telemetry settings.</summary>
    public TelemetryConfig Telemetry { get; init; } = new();

    public TlsConfig Tls { get; init; } = new();

    public TraceConfig Trace { get; init; } = new();

    public bool SecureAuthCookie { get; init; }

    public long StrictTransportSecurity { get; init; }

    public IReadOnlyList<string>? StrictTransportSecurityOptions { get; init; }

    public string SshKeygenAlgorithm { get; init; } = "";

    public TimeSpan MetricsCacheRefreshInterval { get; init; }

    public TimeSpan AgentStatRefreshInterval { get; init; }

    public string AgentFallbackTroubleshootingUrl { get; init; } = "";

    /// <summary>Whether only browser connections are allowed.</summary>
    public bool BrowserOnly { get; init; }

    /// <summary>A secret: always blanked, so never sent.</summary>
    public string ScimApiKey { get; init; } = "";

    /// <summary>A secret: always blanked, so never sent.</summary>
    public IReadOnlyList<string>? ExternalTokenEncryptionKeys { get; init; }

    /// <summary>Built-in provisioner settings.</summary>
    public ProvisionerConfig Provisioner { get; init; } = new();

    public RateLimitConfig RateLimit { get; init; } = new();

    /// <summary>Enabled experiments.</summary>
    public IReadOnlyList<string>? Experiments { get; init; }

    public bool UpdateCheck { get; init; }

    public SwaggerConfig Swagger { get; init; } = new();

    public LoggingConfig Logging { get; init; } = new();

    public DangerousConfig Dangerous { get; init; } = new();

    public bool DisablePathApps { get; init; }

    public SessionLifetimeConfig SessionLifetime { get; init; } = new();

    /// <summary>Whether password login is disabled.</summary>
    public bool DisablePasswordAuth { get; init; }

    public SupportConfig Support { get; init; } = new();

    public IReadOnlyList<ExternalAuthConfig>? ExternalAuth { get; init; }

    public SshConfig ConfigSsh { get; init; } = new();

    public string WgtunnelHost { get; init; } = "";

    public bool DisableOwnerWorkspaceExec { get; init; }

    public TimeSpan ProxyHealthStatusInterval { get; init; }

    public bool EnableTerraformDebugMode { get; init; }

    public UserQuietHoursScheduleConfig UserQuietHoursSchedule { get; init; } = new();

    public string WebTerminalRenderer { get; init; } = "";

    public bool AllowWorkspaceRenames { get; init; }

    public HealthcheckConfig Healthcheck { get; init; } = new();

    public string CliUpgradeMessage { get; init; } = "";

    public string TermsOfServiceUrl { get; init; } = "";

    public NotificationsConfig Notifications { get; init; } = new();

    public IReadOnlyList<string>? AdditionalCspPolicy { get; init; }

    public PrebuildsConfig WorkspacePrebuilds { get; init; } = new();

    /// <summary>The path of the YAML configuration file, if any.</summary>
    public string Config { get; init; } = "";

    public bool WriteConfig { get; init; }

    /// <summary>Deprecated listen address (Go's <c>serpent.HostPort</c>, always written).</summary>
    public string Address { get; init; } = "";

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteBoolean("verbose"u8, Verbose, omitEmpty: true);
        writer.WriteString("access_url"u8, AccessUrl);
        writer.WriteString("wildcard_access_url"u8, WildcardAccessUrl, omitEmpty: true);
        writer.WriteString("docs_url"u8, DocsUrl);
        writer.WriteBoolean("redirect_to_access_url"u8, RedirectToAccessUrl, omitEmpty: true);
        writer.WriteString("http_address"u8, HttpAddress, omitEmpty: true);
        writer.WriteDuration("autobuild_poll_interval"u8, AutobuildPollInterval, omitEmpty: true);
        writer.WriteDuration("job_hang_detector_interval"u8, JobHangDetectorInterval, omitEmpty: true);
        writer.WriteObject("derp"u8, Derp);
        writer.WriteObject("prometheus"u8, Prometheus);
        writer.WriteObject("pprof"u8, Pprof);
        writer.WriteStrings("proxy_trusted_headers"u8, ProxyTrustedHeaders, omitEmpty: true);
        writer.WriteStrings("proxy_trusted_origins"u8, ProxyTrustedOrigins, omitEmpty: true);
        writer.WriteString("cache_directory"u8, CacheDirectory, omitEmpty: true);
        writer.WriteBoolean("in_memory_database"u8, InMemoryDatabase, omitEmpty: true);
        writer.WriteBoolean("ephemeral_deployment"u8, EphemeralDeployment, omitEmpty: true);
        writer.WriteString("pg_connection_url"u8, PgConnectionUrl, omitEmpty: true);
        writer.WriteString("pg_auth"u8, PgAuth, omitEmpty: true);
        writer.WriteObject("oauth2"u8, OAuth2);
        writer.WriteObject("oidc"u8, Oidc);
        writer.WriteObject("telemetry"u8, Telemetry);
        writer.WriteObject("tls"u8, Tls);
        writer.WriteObject("trace"u8, Trace);
        writer.WriteBoolean("secure_auth_cookie"u8, SecureAuthCookie, omitEmpty: true);
        writer.WriteNumber("strict_transport_security"u8, StrictTransportSecurity, omitEmpty: true);
        writer.WriteStrings("strict_transport_security_options"u8, StrictTransportSecurityOptions, omitEmpty: true);
        writer.WriteString("ssh_keygen_algorithm"u8, SshKeygenAlgorithm, omitEmpty: true);
        writer.WriteDuration("metrics_cache_refresh_interval"u8, MetricsCacheRefreshInterval, omitEmpty: true);
        writer.WriteDuration("agent_stat_refresh_interval"u8, AgentStatRefreshInterval, omitEmpty: true);
        writer.WriteString("agent_fallback_troubleshooting_url"u8, AgentFallbackTroubleshootingUrl);
        writer.WriteBoolean("browser_only"u8, BrowserOnly, omitEmpty: true);
        writer.WriteString("scim_api_key"u8, ScimApiKey, omitEmpty: true);
        writer.WriteStrings("external_token_encryption_keys"u8, ExternalTokenEncryptionKeys, omitEmpty: true);
        writer.WriteObject("provisioner"u8, Provisioner);
        writer.WriteObject("rate_limit"u8, RateLimit);
        writer.WriteStrings("experiments"u8, Experiments, omitEmpty: true);
        writer.WriteBoolean("update_check"u8, UpdateCheck, omitEmpty: true);
        writer.WriteObject("swagger"u8, Swagger);
        writer.WriteObject("logging"u8, Logging);
        writer.WriteObject("dangerous"u8, Dangerous);
        writer.WriteBoolean("disable_path_apps"u8, DisablePathApps, omitEmpty: true);
        writer.WriteObject("session_lifetime"u8, SessionLifetime);
        writer.WriteBoolean("disable_password_auth"u8, DisablePasswordAuth, omitEmpty: true);
        writer.WriteObject("support"u8, Support);
        writer.WriteList("external_auth"u8, ExternalAuth);
        writer.WriteObject("config_ssh"u8, ConfigSsh);
        writer.WriteString("wgtunnel_host"u8, WgtunnelHost, omitEmpty: true);
        writer.WriteBoolean("disable_owner_workspace_exec"u8, DisableOwnerWorkspaceExec, omitEmpty: true);
        writer.WriteDuration("proxy_health_status_interval"u8, ProxyHealthStatusInterval, omitEmpty: true);
        writer.WriteBoolean("enable_terraform_debug_mode"u8, EnableTerraformDebugMode, omitEmpty: true);
        writer.WriteObject("user_quiet_hours_schedule"u8, UserQuietHoursSchedule);
        writer.WriteString("web_terminal_renderer"u8, WebTerminalRenderer, omitEmpty: true);
        writer.WriteBoolean("allow_workspace_renames"u8, AllowWorkspaceRenames, omitEmpty: true);
        writer.WriteObject("healthcheck"u8, Healthcheck);
        writer.WriteString("cli_upgrade_message"u8, CliUpgradeMessage, omitEmpty: true);
        writer.WriteString("terms_of_service_url"u8, TermsOfServiceUrl, omitEmpty: true);
        writer.WriteObject("notifications"u8, Notifications);
        writer.WriteStrings("additional_csp_policy"u8, AdditionalCspPolicy, omitEmpty: true);
        writer.WriteObject("workspace_prebuilds"u8, WorkspacePrebuilds);
        writer.WriteString("config"u8, Config, omitEmpty: true);
        writer.WriteBoolean("write_config"u8, WriteConfig, omitEmpty: true);
        writer.WriteString("address"u8, Address);
        writer.WriteEndObject();
    }
}

/// <summary>Relay (DERP) settings (Go's <c>DERP</c>).</summary>
public sealed record DerpConfig : IGoJsonWritable
{
    /// <summary>The built-in relay server.</summary>
    public DerpServerConfig Server { get; init; } = new();

    public DerpMapConfig Config { get; init; } = new();

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteObject("server"u8, Server);
        writer.WriteObject("config"u8, Config);
        writer.WriteEndObject();
    }
}

/// <summary>The built-in relay server.</summary>
public sealed record DerpServerConfig : IGoJsonWritable
{
    /// <summary>Whether the built-in relay runs.</summary>
    public bool Enable { get; init; }

    public long RegionId { get; init; }

    /// <summary>The relay's region code.</summary>
    public string RegionCode { get; init; } = "";

    public string RegionName { get; init; } = "";

    /// <summary>STUN servers used to discover direct paths.</summary>
    public IReadOnlyList<string>? StunAddresses { get; init; }

    public string RelayUrl { get; init; } = "";

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteBoolean("enable"u8, Enable);
        writer.WriteNumber("region_id"u8, RegionId);
        writer.WriteString("region_code"u8, RegionCode);
        writer.WriteString("region_name"u8, RegionName);
        writer.WriteStrings("stun_addresses"u8, StunAddresses);
        writer.WriteString("relay_url"u8, RelayUrl);
        writer.WriteEndObject();
    }
}

/// <summary>Where the relay map comes from and how clients use it (Go's <c>DERPConfig</c>).</summary>
public sealed record DerpMapConfig : IGoJsonWritable
{
    public bool BlockDirect { get; init; }

    public bool ForceWebsockets { get; init; }

    public string Url { get; init; } = "";

    public string Path { get; init; } = "";

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteBoolean("block_direct"u8, BlockDirect);
        writer.WriteBoolean("force_websockets"u8, ForceWebsockets);
        writer.WriteString("url"u8, Url);
        writer.WriteString("path"u8, Path);
        writer.WriteEndObject();
    }
}

/// <summary>Prometheus settings.</summary>
public sealed record PrometheusConfig : IGoJsonWritable
{
    /// <summary>Whether the metrics endpoint is on.</summary>
    public bool Enable { get; init; }

    /// <summary>The address it listens on.</summary>
    public string Address { get; init; } = "";

    public bool CollectAgentStats { get; init; }

    public bool CollectDbMetrics { get; init; }

    public IReadOnlyList<string>? AggregateAgentStatsBy { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteBoolean("enable"u8, Enable);
        writer.WriteString("address"u8, Address);
        writer.WriteBoolean("collect_agent_stats"u8, CollectAgentStats);
        writer.WriteBoolean("collect_db_metrics"u8, CollectDbMetrics);
        writer.WriteStrings("aggregate_agent_stats_by"u8, AggregateAgentStatsBy);
        writer.WriteEndObject();
    }
}

/// <summary>Profiling endpoint settings.</summary>
public sealed record PprofConfig : IGoJsonWritable
{
    public bool Enable { get; init; }

    public string Address { get; init; } = "";

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteBoolean("enable"u8, Enable);
        writer.WriteString("address"u8, Address);
        writer.WriteEndObject();
    }
}

/// <summary>OAuth2 settings, secrets removed.</summary>
public sealed record OAuth2Config : IGoJsonWritable
{
    /// <summary>GitHub login settings.</summary>
    public GithubAuthConfig Github { get; init; } = new();

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteObject("github"u8, Github);
        writer.WriteEndObject();
    }
}

/// <summary>GitHub login settings (Go's <c>OAuth2GithubConfig</c>).</summary>
public sealed record GithubAuthConfig : IGoJsonWritable
{
    public string ClientId { get; init; } = "";

    /// <summary>A secret: always blanked.</summary>
    public string ClientSecret { get; init; } = "";

    public bool DeviceFlow { get; init; }

    public bool DefaultProviderEnable { get; init; }

    /// <summary>GitHub organizations whose members may sign in.</summary>
    public IReadOnlyList<string>? AllowedOrgs { get; init; }

    public IReadOnlyList<string>? AllowedTeams { get; init; }

    /// <summary>Whether new users may sign up through GitHub.</summary>
    public bool AllowSignups { get; init; }

    /// <summary>Whether every GitHub user may sign in.</summary>
    public bool AllowEveryone { get; init; }

    public string EnterpriseBaseUrl { get; init; } = "";

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("client_id"u8, ClientId);
        writer.WriteString("client_secret"u8, ClientSecret);
        writer.WriteBoolean("device_flow"u8, DeviceFlow);
        writer.WriteBoolean("default_provider_enable"u8, DefaultProviderEnable);
        writer.WriteStrings("allowed_orgs"u8, AllowedOrgs);
        writer.WriteStrings("allowed_teams"u8, AllowedTeams);
        writer.WriteBoolean("allow_signups"u8, AllowSignups);
        writer.WriteBoolean("allow_everyone"u8, AllowEveryone);
        writer.WriteString("enterprise_base_url"u8, EnterpriseBaseUrl);
        writer.WriteEndObject();
    }
}

/// <summary>OpenID Connect settings, secrets removed.</summary>
public sealed record OidcConfig : IGoJsonWritable
{
    /// <summary>Whether new users may sign up through OIDC.</summary>
    public bool AllowSignups { get; init; }

    public string ClientId { get; init; } = "";

    /// <summary>A secret: always blanked.</summary>
    public string ClientSecret { get; init; } = "";

    public string ClientKeyFile { get; init; } = "";

    public string ClientCertFile { get; init; } = "";

    /// <summary>E-mail domains allowed to sign in.</summary>
    public IReadOnlyList<string>? EmailDomain { get; init; }

    /// <summary>The identity provider's issuer URL.</summary>
    public string IssuerUrl { get; init; } = "";

    /// <summary>Requested scopes.</summary>
    public IReadOnlyList<string>? Scopes { get; init; }

    public bool IgnoreEmailVerified { get; init; }

    public string UsernameField { get; init; } = "";

    public string NameField { get; init; } = "";

    public string EmailField { get; init; } = "";

    public IReadOnlyDictionary<string, string>? AuthUrlParams { get; init; }

    public bool IgnoreUserInfo { get; init; }

    public bool SourceUserInfoFromAccessToken { get; init; }

    public string OrganizationField { get; init; } = "";

    public IReadOnlyDictionary<string, IReadOnlyList<Guid>>? OrganizationMapping { get; init; }

    public bool OrganizationAssignDefault { get; init; }

    public bool GroupAutoCreate { get; init; }

    public string GroupRegexFilter { get; init; } = "";

    public IReadOnlyList<string>? GroupAllowList { get; init; }

    public string GroupsField { get; init; } = "";

    public IReadOnlyDictionary<string, string>? GroupMapping { get; init; }

    public string UserRoleField { get; init; } = "";

    public IReadOnlyDictionary<string, IReadOnlyList<string>>? UserRoleMapping { get; init; }

    public IReadOnlyList<string>? UserRolesDefault { get; init; }

    public string SignInText { get; init; } = "";

    public string IconUrl { get; init; } = "";

    public string SignupsDisabledText { get; init; } = "";

    public bool SkipIssuerChecks { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteBoolean("allow_signups"u8, AllowSignups);
        writer.WriteString("client_id"u8, ClientId);
        writer.WriteString("client_secret"u8, ClientSecret);
        writer.WriteString("client_key_file"u8, ClientKeyFile);
        writer.WriteString("client_cert_file"u8, ClientCertFile);
        writer.WriteStrings("email_domain"u8, EmailDomain);
        writer.WriteString("issuer_url"u8, IssuerUrl);
        writer.WriteStrings("scopes"u8, Scopes);
        writer.WriteBoolean("ignore_email_verified"u8, IgnoreEmailVerified);
        writer.WriteString("username_field"u8, UsernameField);
        writer.WriteString("name_field"u8, NameField);
        writer.WriteString("email_field"u8, EmailField);
        writer.WriteMap("auth_url_params"u8, AuthUrlParams, static (w, v) => w.WriteStringValue(v));
        writer.WriteBoolean("ignore_user_info"u8, IgnoreUserInfo);
        writer.WriteBoolean("source_user_info_from_access_token"u8, SourceUserInfoFromAccessToken);
        writer.WriteString("organization_field"u8, OrganizationField);
        writer.WriteMap("organization_mapping"u8, OrganizationMapping, static (w, v) => w.WriteUuidsValue(v));
        writer.WriteBoolean("organization_assign_default"u8, OrganizationAssignDefault);
        writer.WriteBoolean("group_auto_create"u8, GroupAutoCreate);
        writer.WriteString("group_regex_filter"u8, GroupRegexFilter);
        writer.WriteStrings("group_allow_list"u8, GroupAllowList);
        writer.WriteString("groups_field"u8, GroupsField);
        writer.WriteMap("group_mapping"u8, GroupMapping, static (w, v) => w.WriteStringValue(v));
        writer.WriteString("user_role_field"u8, UserRoleField);
        writer.WriteMap("user_role_mapping"u8, UserRoleMapping, static (w, v) => w.WriteStringsValue(v));
        writer.WriteStrings("user_roles_default"u8, UserRolesDefault);
        writer.WriteString("sign_in_text"u8, SignInText);
        writer.WriteString("icon_url"u8, IconUrl);
        writer.WriteString("signups_disabled_text"u8, SignupsDisabledText);
        writer.WriteBoolean("skip_issuer_checks"u8, SkipIssuerChecks);
        writer.WriteEndObject();
    }
}

/// <summary>Telemetry settings.</summary>
public sealed record TelemetryConfig : IGoJsonWritable
{
    /// <summary>Whether telemetry is on.</summary>
    public bool Enable { get; init; }

    /// <summary>Whether traces are sent.</summary>
    public bool Trace { get; init; }

    /// <summary>Where telemetry goes.</summary>
    public string Url { get; init; } = "";

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteBoolean("enable"u8, Enable);
        writer.WriteBoolean("trace"u8, Trace);
        writer.WriteString("url"u8, Url);
        writer.WriteEndObject();
    }
}

/// <summary>TLS settings.</summary>
public sealed record TlsConfig : IGoJsonWritable
{
    public bool Enable { get; init; }

    public string Address { get; init; } = "";

    public bool RedirectHttp { get; init; }

    public IReadOnlyList<string>? CertFile { get; init; }

    public string ClientAuth { get; init; } = "";

    public string ClientCaFile { get; init; } = "";

    public IReadOnlyList<string>? KeyFile { get; init; }

    public string MinVersion { get; init; } = "";

    public string ClientCertFile { get; init; } = "";

    public string ClientKeyFile { get; init; } = "";

    public IReadOnlyList<string>? SupportedCiphers { get; init; }

    public bool AllowInsecureCiphers { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteBoolean("enable"u8, Enable);
        writer.WriteString("address"u8, Address);
        writer.WriteBoolean("redirect_http"u8, RedirectHttp);
        writer.WriteStrings("cert_file"u8, CertFile);
        writer.WriteString("client_auth"u8, ClientAuth);
        writer.WriteString("client_ca_file"u8, ClientCaFile);
        writer.WriteStrings("key_file"u8, KeyFile);
        writer.WriteString("min_version"u8, MinVersion);
        writer.WriteString("client_cert_file"u8, ClientCertFile);
        writer.WriteString("client_key_file"u8, ClientKeyFile);
        writer.WriteStrings("supported_ciphers"u8, SupportedCiphers);
        writer.WriteBoolean("allow_insecure_ciphers"u8, AllowInsecureCiphers);
        writer.WriteEndObject();
    }
}

/// <summary>Tracing settings.</summary>
public sealed record TraceConfig : IGoJsonWritable
{
    public bool Enable { get; init; }

    /// <summary>A secret: always blanked.</summary>
    public string HoneycombApiKey { get; init; } = "";

    public bool CaptureLogs { get; init; }

    public bool DataDog { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteBoolean("enable"u8, Enable);
        writer.WriteString("honeycomb_api_key"u8, HoneycombApiKey);
        writer.WriteBoolean("capture_logs"u8, CaptureLogs);
        writer.WriteBoolean("data_dog"u8, DataDog);
        writer.WriteEndObject();
    }
}

/// <summary>Built-in provisioner settings.</summary>
public sealed record ProvisionerConfig : IGoJsonWritable
{
    /// <summary>How many built-in provisioner daemons run.</summary>
    public long Daemons { get; init; }

    public IReadOnlyList<string>? DaemonTypes { get; init; }

    public TimeSpan DaemonPollInterval { get; init; }

    public TimeSpan DaemonPollJitter { get; init; }

    public TimeSpan ForceCancelInterval { get; init; }

    /// <summary>A secret: always blanked.</summary>
    public string DaemonPsk { get; init; } = "";

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("daemons"u8, Daemons);
        writer.WriteStrings("daemon_types"u8, DaemonTypes);
        writer.WriteDuration("daemon_poll_interval"u8, DaemonPollInterval);
        writer.WriteDuration("daemon_poll_jitter"u8, DaemonPollJitter);
        writer.WriteDuration("force_cancel_interval"u8, ForceCancelInterval);
        writer.WriteString("daemon_psk"u8, DaemonPsk);
        writer.WriteEndObject();
    }
}

/// <summary>API rate limits.</summary>
public sealed record RateLimitConfig : IGoJsonWritable
{
    public bool DisableAll { get; init; }

    public long Api { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteBoolean("disable_all"u8, DisableAll);
        writer.WriteNumber("api"u8, Api);
        writer.WriteEndObject();
    }
}

/// <summary>Swagger endpoint settings.</summary>
public sealed record SwaggerConfig : IGoJsonWritable
{
    public bool Enable { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteBoolean("enable"u8, Enable);
        writer.WriteEndObject();
    }
}

/// <summary>Log output settings.</summary>
public sealed record LoggingConfig : IGoJsonWritable
{
    public IReadOnlyList<string>? LogFilter { get; init; }

    public string Human { get; init; } = "";

    public string Json { get; init; } = "";

    public string Stackdriver { get; init; } = "";

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteStrings("log_filter"u8, LogFilter);
        writer.WriteString("human"u8, Human);
        writer.WriteString("json"u8, Json);
        writer.WriteString("stackdriver"u8, Stackdriver);
        writer.WriteEndObject();
    }
}

/// <summary>Settings Coder marks as dangerous.</summary>
public sealed record DangerousConfig : IGoJsonWritable
{
    public bool AllowPathAppSharing { get; init; }

    public bool AllowPathAppSiteOwnerAccess { get; init; }

    public bool AllowAllCors { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteBoolean("allow_path_app_sharing"u8, AllowPathAppSharing);
        writer.WriteBoolean("allow_path_app_site_owner_access"u8, AllowPathAppSiteOwnerAccess);
        writer.WriteBoolean("allow_all_cors"u8, AllowAllCors);
        writer.WriteEndObject();
    }
}

/// <summary>Session and token lifetimes (Go's <c>SessionLifetime</c>).</summary>
public sealed record SessionLifetimeConfig : IGoJsonWritable
{
    public bool DisableExpiryRefresh { get; init; }

    public TimeSpan DefaultDuration { get; init; }

    public TimeSpan DefaultTokenLifetime { get; init; }

    public TimeSpan MaxTokenLifetime { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteBoolean("disable_expiry_refresh"u8, DisableExpiryRefresh, omitEmpty: true);
        writer.WriteDuration("default_duration"u8, DefaultDuration);
        writer.WriteDuration("default_token_lifetime"u8, DefaultTokenLifetime, omitEmpty: true);
        writer.WriteDuration("max_token_lifetime"u8, MaxTokenLifetime, omitEmpty: true);
        writer.WriteEndObject();
    }
}

/// <summary>Support links shown in the dashboard.</summary>
public sealed record SupportConfig : IGoJsonWritable
{
    public IReadOnlyList<LinkConfig>? Links { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteList("links"u8, Links);
        writer.WriteEndObject();
    }
}

/// <summary>A support link.</summary>
public sealed record LinkConfig : IGoJsonWritable
{
    public string Name { get; init; } = "";

    public string Target { get; init; } = "";

    public string Icon { get; init; } = "";

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("name"u8, Name);
        writer.WriteString("target"u8, Target);
        writer.WriteString("icon"u8, Icon);
        writer.WriteEndObject();
    }
}

/// <summary>An external authentication provider (e.g. a Git host); its secret is never marshalled.</summary>
public sealed record ExternalAuthConfig : IGoJsonWritable
{
    public string Type { get; init; } = "";

    public string ClientId { get; init; } = "";

    public string Id { get; init; } = "";

    public string AuthUrl { get; init; } = "";

    public string TokenUrl { get; init; } = "";

    public string ValidateUrl { get; init; } = "";

    public string AppInstallUrl { get; init; } = "";

    public string AppInstallationsUrl { get; init; } = "";

    public bool NoRefresh { get; init; }

    public IReadOnlyList<string>? Scopes { get; init; }

    public bool DeviceFlow { get; init; }

    public string DeviceCodeUrl { get; init; } = "";

    public string Regex { get; init; } = "";

    public string DisplayName { get; init; } = "";

    public string DisplayIcon { get; init; } = "";

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("type"u8, Type);
        writer.WriteString("client_id"u8, ClientId);
        writer.WriteString("id"u8, Id);
        writer.WriteString("auth_url"u8, AuthUrl);
        writer.WriteString("token_url"u8, TokenUrl);
        writer.WriteString("validate_url"u8, ValidateUrl);
        writer.WriteString("app_install_url"u8, AppInstallUrl);
        writer.WriteString("app_installations_url"u8, AppInstallationsUrl);
        writer.WriteBoolean("no_refresh"u8, NoRefresh);
        writer.WriteStrings("scopes"u8, Scopes);
        writer.WriteBoolean("device_flow"u8, DeviceFlow);
        writer.WriteString("device_code_url"u8, DeviceCodeUrl);
        writer.WriteString("regex"u8, Regex);
        writer.WriteString("display_name"u8, DisplayName);
        writer.WriteString("display_icon"u8, DisplayIcon);
        writer.WriteEndObject();
    }
}

/// <summary>Settings for <c>coder config-ssh</c> (Go's <c>SSHConfig</c>, whose fields have Go names).</summary>
public sealed record SshConfig : IGoJsonWritable
{
    /// <summary>The host name suffix of <c>coder config-ssh</c> (Go's field name).</summary>
    [JsonPropertyName("DeploymentName")]
    public string DeploymentName { get; init; } = "";

    /// <summary>Extra SSH options (Go's field name <c>SSHConfigOptions</c>).</summary>
    [JsonPropertyName("SSHConfigOptions")]
    public IReadOnlyList<string>? SshConfigOptions { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("DeploymentName"u8, DeploymentName);
        writer.WriteStrings("SSHConfigOptions"u8, SshConfigOptions);
        writer.WriteEndObject();
    }
}

/// <summary>The default quiet hours for autostop.</summary>
public sealed record UserQuietHoursScheduleConfig : IGoJsonWritable
{
    public string DefaultSchedule { get; init; } = "";

    public bool AllowUserCustom { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("default_schedule"u8, DefaultSchedule);
        writer.WriteBoolean("allow_user_custom"u8, AllowUserCustom);
        writer.WriteEndObject();
    }
}

/// <summary>Health check settings.</summary>
public sealed record HealthcheckConfig : IGoJsonWritable
{
    public TimeSpan Refresh { get; init; }

    public TimeSpan ThresholdDatabase { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteDuration("refresh"u8, Refresh);
        writer.WriteDuration("threshold_database"u8, ThresholdDatabase);
        writer.WriteEndObject();
    }
}

/// <summary>Notification settings.</summary>
public sealed record NotificationsConfig : IGoJsonWritable
{
    public long MaxSendAttempts { get; init; }

    public TimeSpan RetryInterval { get; init; }

    public TimeSpan SyncInterval { get; init; }

    public long SyncBufferSize { get; init; }

    public TimeSpan LeasePeriod { get; init; }

    public long LeaseCount { get; init; }

    public TimeSpan FetchInterval { get; init; }

    public string Method { get; init; } = "";

    public TimeSpan DispatchTimeout { get; init; }

    public NotificationsEmailConfig Email { get; init; } = new();

    public NotificationsWebhookConfig Webhook { get; init; } = new();

    public NotificationsInboxConfig Inbox { get; init; } = new();

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("max_send_attempts"u8, MaxSendAttempts);
        writer.WriteDuration("retry_interval"u8, RetryInterval);
        writer.WriteDuration("sync_interval"u8, SyncInterval);
        writer.WriteNumber("sync_buffer_size"u8, SyncBufferSize);
        writer.WriteDuration("lease_period"u8, LeasePeriod);
        writer.WriteNumber("lease_count"u8, LeaseCount);
        writer.WriteDuration("fetch_interval"u8, FetchInterval);
        writer.WriteString("method"u8, Method);
        writer.WriteDuration("dispatch_timeout"u8, DispatchTimeout);
        writer.WriteObject("email"u8, Email);
        writer.WriteObject("webhook"u8, Webhook);
        writer.WriteObject("inbox"u8, Inbox);
        writer.WriteEndObject();
    }
}

/// <summary>Notification e-mail settings.</summary>
public sealed record NotificationsEmailConfig : IGoJsonWritable
{
    public string From { get; init; } = "";

    public string Smarthost { get; init; } = "";

    public string Hello { get; init; } = "";

    public NotificationsEmailAuthConfig Auth { get; init; } = new();

    public NotificationsEmailTlsConfig Tls { get; init; } = new();

    public bool ForceTls { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("from"u8, From);
        writer.WriteString("smarthost"u8, Smarthost);
        writer.WriteString("hello"u8, Hello);
        writer.WriteObject("auth"u8, Auth);
        writer.WriteObject("tls"u8, Tls);
        writer.WriteBoolean("force_tls"u8, ForceTls);
        writer.WriteEndObject();
    }
}

/// <summary>SMTP authentication, the password blanked.</summary>
public sealed record NotificationsEmailAuthConfig : IGoJsonWritable
{
    public string Identity { get; init; } = "";

    public string Username { get; init; } = "";

    /// <summary>A secret: always blanked.</summary>
    public string Password { get; init; } = "";

    public string PasswordFile { get; init; } = "";

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("identity"u8, Identity);
        writer.WriteString("username"u8, Username);
        writer.WriteString("password"u8, Password);
        writer.WriteString("password_file"u8, PasswordFile);
        writer.WriteEndObject();
    }
}

/// <summary>SMTP TLS settings.</summary>
public sealed record NotificationsEmailTlsConfig : IGoJsonWritable
{
    public bool StartTls { get; init; }

    public string ServerName { get; init; } = "";

    public bool InsecureSkipVerify { get; init; }

    public string CaFile { get; init; } = "";

    public string CertFile { get; init; } = "";

    public string KeyFile { get; init; } = "";

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteBoolean("start_tls"u8, StartTls);
        writer.WriteString("server_name"u8, ServerName);
        writer.WriteBoolean("insecure_skip_verify"u8, InsecureSkipVerify);
        writer.WriteString("ca_file"u8, CaFile);
        writer.WriteString("cert_file"u8, CertFile);
        writer.WriteString("key_file"u8, KeyFile);
        writer.WriteEndObject();
    }
}

/// <summary>Notification webhook settings.</summary>
public sealed record NotificationsWebhookConfig : IGoJsonWritable
{
    public string Endpoint { get; init; } = "";

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("endpoint"u8, Endpoint);
        writer.WriteEndObject();
    }
}

/// <summary>Notification inbox settings.</summary>
public sealed record NotificationsInboxConfig : IGoJsonWritable
{
    public bool Enabled { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteBoolean("enabled"u8, Enabled);
        writer.WriteEndObject();
    }
}

/// <summary>Prebuilt workspace reconciliation settings.</summary>
public sealed record PrebuildsConfig : IGoJsonWritable
{
    public TimeSpan ReconciliationInterval { get; init; }

    public TimeSpan ReconciliationBackoffInterval { get; init; }

    public TimeSpan ReconciliationBackoffLookback { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteDuration("reconciliation_interval"u8, ReconciliationInterval);
        writer.WriteDuration("reconciliation_backoff_interval"u8, ReconciliationBackoffInterval);
        writer.WriteDuration("reconciliation_backoff_lookback"u8, ReconciliationBackoffLookback);
        writer.WriteEndObject();
    }
}
