using System.Text.Json.Serialization;

namespace TelemetryPortal.Core.Snapshots;

/// <summary>
/// The database records a Coder deployment reports, shaped and named like Coder's
/// <c>telemetry.Snapshot</c> (snake_case JSON). Fast-growing lists hold only the last hour.
/// </summary>
public sealed record Snapshot
{
    /// <summary>The deployment these records come from.</summary>
    public Guid DeploymentId { get; init; }

    /// <summary>User accounts.</summary>
    public IReadOnlyList<User> Users { get; init; } = [];

    /// <summary>API keys used in the last hour.</summary>
    public IReadOnlyList<ApiKey> ApiKeys { get; init; } = [];

    /// <summary>Workspaces.</summary>
    public IReadOnlyList<Workspace> Workspaces { get; init; } = [];

    /// <summary>Workspace builds of the last hour. Coder names this list <c>workspace_build</c> (singular).</summary>
    [JsonPropertyName("workspace_build")]
    public IReadOnlyList<WorkspaceBuild> WorkspaceBuilds { get; init; } = [];

    /// <summary>Templates.</summary>
    public IReadOnlyList<Template> Templates { get; init; } = [];

    /// <summary>Template versions.</summary>
    public IReadOnlyList<TemplateVersion> TemplateVersions { get; init; } = [];

    /// <summary>Provisioner jobs of the last hour.</summary>
    public IReadOnlyList<ProvisionerJob> ProvisionerJobs { get; init; } = [];

    /// <summary>Workspace agents of the last hour.</summary>
    public IReadOnlyList<WorkspaceAgent> WorkspaceAgents { get; init; } = [];

    /// <summary>Aggregated agent statistics of the last hour.</summary>
    public IReadOnlyList<WorkspaceAgentStat> WorkspaceAgentStats { get; init; } = [];

    /// <summary>Workspace apps of the last hour.</summary>
    public IReadOnlyList<WorkspaceApp> WorkspaceApps { get; init; } = [];

    /// <summary>Workspace resources of the last hour.</summary>
    public IReadOnlyList<WorkspaceResource> WorkspaceResources { get; init; } = [];

    /// <summary>Metadata keys of workspace resources (never their values).</summary>
    public IReadOnlyList<WorkspaceResourceMetadata> WorkspaceResourceMetadata { get; init; } = [];

    /// <summary>Applied licenses.</summary>
    public IReadOnlyList<License> Licenses { get; init; } = [];

    /// <summary>Groups.</summary>
    public IReadOnlyList<Group> Groups { get; init; } = [];

    /// <summary>Group memberships.</summary>
    public IReadOnlyList<GroupMember> GroupMembers { get; init; } = [];

    /// <summary>Organizations.</summary>
    public IReadOnlyList<Organization> Organizations { get; init; } = [];

    /// <summary>Connection events of Coder's networking layer.</summary>
    public IReadOnlyList<NetworkEvent> NetworkEvents { get; init; } = [];
}

/// <summary>A user account.</summary>
public sealed record User
{
    /// <summary>The user's id.</summary>
    public Guid Id { get; init; }

    /// <summary>When the account was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The e-mail address; Coder fills it in only for the first (admin) user.</summary>
    public string? Email { get; init; }

    /// <summary>SHA-256 of the local part, then <c>@</c> and the domain in clear.</summary>
    public string EmailHashed { get; init; } = "";

    /// <summary>Site-wide roles, e.g. <c>owner</c>, <c>template-admin</c>.</summary>
    public IReadOnlyList<string> RbacRoles { get; init; } = [];

    /// <summary><c>active</c>, <c>dormant</c> or <c>suspended</c>.</summary>
    public string Status { get; init; } = "";

    /// <summary>The numeric id of the linked github.com account, if any.</summary>
    public long? GithubComUserId { get; init; }

    /// <summary><c>password</c>, <c>github</c>, <c>oidc</c> or <c>none</c>.</summary>
    public string LoginType { get; init; } = "";
}

/// <summary>An API key (session token) used recently.</summary>
public sealed record ApiKey
{
    /// <summary>The key's public id (never the secret).</summary>
    public string Id { get; init; } = "";

    /// <summary>The owner of the key.</summary>
    public Guid UserId { get; init; }

    /// <summary>When the key was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the key was last used.</summary>
    public DateTimeOffset LastUsed { get; init; }

    /// <summary>How the key was obtained.</summary>
    public string LoginType { get; init; } = "";

    /// <summary>The address the key was last used from.</summary>
    public string IpAddress { get; init; } = "";
}

/// <summary>A workspace.</summary>
public sealed record Workspace
{
    /// <summary>The workspace's id.</summary>
    public Guid Id { get; init; }

    /// <summary>The organization that owns it.</summary>
    public Guid OrganizationId { get; init; }

    /// <summary>The user who owns it.</summary>
    public Guid OwnerId { get; init; }

    /// <summary>The template it was created from.</summary>
    public Guid TemplateId { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Whether it was deleted.</summary>
    public bool Deleted { get; init; }

    /// <summary>The name its owner gave it.</summary>
    public string Name { get; init; } = "";

    /// <summary>The cron-style autostart schedule, or empty.</summary>
    public string AutostartSchedule { get; init; } = "";

    /// <summary><c>always</c> or <c>never</c>.</summary>
    public string AutomaticUpdates { get; init; } = "";
}

/// <summary>A workspace build (start, stop or delete).</summary>
public sealed record WorkspaceBuild
{
    /// <summary>The build's id.</summary>
    public Guid Id { get; init; }

    /// <summary>When the build was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The workspace built.</summary>
    public Guid WorkspaceId { get; init; }

    /// <summary>The template version used.</summary>
    public Guid TemplateVersionId { get; init; }

    /// <summary>The provisioner job that ran it.</summary>
    public Guid JobId { get; init; }

    /// <summary>The build's sequence number within its workspace.</summary>
    public int BuildNumber { get; init; }

    /// <summary>Whether the build runs an AI task.</summary>
    public bool HasAiTask { get; init; }
}

/// <summary>A template.</summary>
public sealed record Template
{
    /// <summary>The template's id.</summary>
    public Guid Id { get; init; }

    /// <summary>The user who created it.</summary>
    public Guid CreatedBy { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The organization it belongs to.</summary>
    public Guid OrganizationId { get; init; }

    /// <summary>Whether it was deleted.</summary>
    public bool Deleted { get; init; }

    /// <summary>The version new workspaces use.</summary>
    public Guid ActiveVersionId { get; init; }

    /// <summary>The template's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Whether it has a description (the text itself is not sent).</summary>
    public bool Description { get; init; }

    /// <summary>Default time before an idle workspace stops, in milliseconds.</summary>
    [JsonPropertyName("default_ttl_ms")]
    public long DefaultTtlMs { get; init; }

    /// <summary>Whether users may cancel their workspace jobs.</summary>
    public bool AllowUserCancelWorkspaceJobs { get; init; }

    /// <summary>Whether users may set autostart.</summary>
    public bool AllowUserAutostart { get; init; }

    /// <summary>Whether users may set autostop.</summary>
    public bool AllowUserAutostop { get; init; }

    /// <summary>Days on which autostop is required.</summary>
    public IReadOnlyList<string> AutostopRequirementDaysOfWeek { get; init; } = [];

    /// <summary>Every how many weeks autostop is required.</summary>
    public long AutostopRequirementWeeks { get; init; }

    /// <summary>Whether workspaces must run the active version.</summary>
    public bool RequireActiveVersion { get; init; }

    /// <summary>Whether the template is deprecated.</summary>
    public bool Deprecated { get; init; }
}

/// <summary>A template version.</summary>
public sealed record TemplateVersion
{
    /// <summary>The version's id.</summary>
    public Guid Id { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The template it belongs to.</summary>
    public Guid? TemplateId { get; init; }

    /// <summary>The organization it belongs to.</summary>
    public Guid OrganizationId { get; init; }

    /// <summary>The provisioner job that imported it.</summary>
    public Guid JobId { get; init; }
}

/// <summary>A provisioner job: a Terraform run for a build or a template import.</summary>
public sealed record ProvisionerJob
{
    /// <summary>The job's id.</summary>
    public Guid Id { get; init; }

    /// <summary>The organization it ran for.</summary>
    public Guid OrganizationId { get; init; }

    /// <summary>The user who started it.</summary>
    public Guid InitiatorId { get; init; }

    /// <summary>When it was queued.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it was canceled.</summary>
    public DateTimeOffset? CanceledAt { get; init; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The error message of a failed job: free text that may quote anything.</summary>
    public string Error { get; init; } = "";

    /// <summary><c>workspace_build</c>, <c>template_version_import</c> or <c>template_version_dry_run</c>.</summary>
    public string Type { get; init; } = "";
}

/// <summary>A workspace agent: the process inside a workspace.</summary>
public sealed record WorkspaceAgent
{
    /// <summary>The agent's id.</summary>
    public Guid Id { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The resource it runs in.</summary>
    public Guid ResourceId { get; init; }

    /// <summary>Whether it authenticates with the cloud instance identity.</summary>
    public bool InstanceAuth { get; init; }

    /// <summary>CPU architecture, e.g. <c>amd64</c>.</summary>
    public string Architecture { get; init; } = "";

    /// <summary>Operating system, e.g. <c>linux</c>.</summary>
    public string OperatingSystem { get; init; } = "";

    /// <summary>Whether environment variables are configured (never their values).</summary>
    public bool EnvironmentVariables { get; init; }

    /// <summary>Whether a start directory is configured (never the path).</summary>
    public bool Directory { get; init; }

    /// <summary>When it first connected.</summary>
    public DateTimeOffset? FirstConnectedAt { get; init; }

    /// <summary>When it last connected.</summary>
    public DateTimeOffset? LastConnectedAt { get; init; }

    /// <summary>When it disconnected.</summary>
    public DateTimeOffset? DisconnectedAt { get; init; }

    /// <summary>How long to wait for it to connect, in seconds.</summary>
    public int ConnectionTimeoutSeconds { get; init; }

    /// <summary>Subsystems it runs in, e.g. <c>envbox</c>.</summary>
    public IReadOnlyList<string> Subsystems { get; init; } = [];
}

/// <summary>Aggregated statistics of one agent.</summary>
public sealed record WorkspaceAgentStat
{
    /// <summary>The workspace's owner.</summary>
    public Guid UserId { get; init; }

    /// <summary>The workspace's template.</summary>
    public Guid TemplateId { get; init; }

    /// <summary>The workspace.</summary>
    public Guid WorkspaceId { get; init; }

    /// <summary>The start of the aggregation window.</summary>
    public DateTimeOffset AggregatedFrom { get; init; }

    /// <summary>The agent.</summary>
    public Guid AgentId { get; init; }

    /// <summary>Bytes received.</summary>
    public long RxBytes { get; init; }

    /// <summary>Bytes sent.</summary>
    public long TxBytes { get; init; }

    /// <summary>Median connection latency, in milliseconds.</summary>
    [JsonPropertyName("connection_latency_50")]
    public double ConnectionLatency50 { get; init; }

    /// <summary>95th percentile connection latency, in milliseconds.</summary>
    [JsonPropertyName("connection_latency_95")]
    public double ConnectionLatency95 { get; init; }

    /// <summary>VS Code sessions.</summary>
    [JsonPropertyName("session_count_vscode")]
    public long SessionCountVsCode { get; init; }

    /// <summary>JetBrains sessions.</summary>
    [JsonPropertyName("session_count_jetbrains")]
    public long SessionCountJetBrains { get; init; }

    /// <summary>Web terminal sessions.</summary>
    [JsonPropertyName("session_count_reconnecting_pty")]
    public long SessionCountReconnectingPty { get; init; }

    /// <summary>SSH sessions.</summary>
    [JsonPropertyName("session_count_ssh")]
    public long SessionCountSsh { get; init; }
}

/// <summary>An app exposed by a workspace agent.</summary>
public sealed record WorkspaceApp
{
    /// <summary>The app's id.</summary>
    public Guid Id { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The agent that serves it.</summary>
    public Guid AgentId { get; init; }

    /// <summary>The icon's path or URL.</summary>
    public string Icon { get; init; } = "";

    /// <summary>Whether it is served on a subdomain.</summary>
    public bool Subdomain { get; init; }
}

/// <summary>A cloud resource created by a build.</summary>
public sealed record WorkspaceResource
{
    /// <summary>The resource's id.</summary>
    public Guid Id { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The provisioner job that created it.</summary>
    public Guid JobId { get; init; }

    /// <summary><c>start</c>, <c>stop</c> or <c>delete</c>.</summary>
    public string Transition { get; init; } = "";

    /// <summary>The Terraform resource type, e.g. <c>docker_container</c>.</summary>
    public string Type { get; init; } = "";

    /// <summary>The machine size, e.g. <c>t3.large</c>.</summary>
    public string InstanceType { get; init; } = "";

    /// <summary>The Terraform module path, when known.</summary>
    public string? ModulePath { get; init; }
}

/// <summary>A metadata key of a resource; the value is never sent.</summary>
public sealed record WorkspaceResourceMetadata
{
    /// <summary>The resource.</summary>
    public Guid ResourceId { get; init; }

    /// <summary>The metadata key.</summary>
    public string Key { get; init; } = "";

    /// <summary>Whether the value is marked sensitive.</summary>
    public bool Sensitive { get; init; }
}

/// <summary>An applied enterprise license.</summary>
public sealed record License
{
    /// <summary>The raw license key (a signed JWT).</summary>
    public string Jwt { get; init; } = "";

    /// <summary>When it was uploaded.</summary>
    public DateTimeOffset UploadedAt { get; init; }

    /// <summary>When it stops working (end of the grace period).</summary>
    public DateTimeOffset Exp { get; init; }

    /// <summary>The license's id.</summary>
    public Guid Uuid { get; init; }

    /// <summary>The licensee's e-mail address, from the JWT.</summary>
    public string? Email { get; init; }

    /// <summary>Whether it is a trial.</summary>
    public bool? Trial { get; init; }
}

/// <summary>A group of users.</summary>
public sealed record Group
{
    /// <summary>The group's id.</summary>
    public Guid Id { get; init; }

    /// <summary>The group's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The organization it belongs to.</summary>
    public Guid OrganizationId { get; init; }

    /// <summary>The group's avatar URL.</summary>
    public string AvatarUrl { get; init; } = "";

    /// <summary>Workspace quota granted to members.</summary>
    public int QuotaAllowance { get; init; }

    /// <summary>The group's display name.</summary>
    public string DisplayName { get; init; } = "";

    /// <summary><c>user</c> or <c>oidc</c>.</summary>
    public string Source { get; init; } = "";
}

/// <summary>A user's membership in a group.</summary>
public sealed record GroupMember
{
    /// <summary>The user.</summary>
    public Guid UserId { get; init; }

    /// <summary>The group.</summary>
    public Guid GroupId { get; init; }
}

/// <summary>An organization (Coder sends no name).</summary>
public sealed record Organization
{
    /// <summary>The organization's id.</summary>
    public Guid Id { get; init; }

    /// <summary>Whether it is the default organization.</summary>
    public bool IsDefault { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A connection event of Coder's networking layer (tailnet).</summary>
public sealed record NetworkEvent
{
    /// <summary>The event's id.</summary>
    public Guid Id { get; init; }

    /// <summary>When it happened.</summary>
    public DateTimeOffset Time { get; init; }

    /// <summary>The application that connected, e.g. <c>ssh</c>.</summary>
    public string Application { get; init; } = "";

    /// <summary><c>connected</c> or <c>disconnected</c>.</summary>
    public string Status { get; init; } = "";

    /// <summary><c>cli</c>, <c>agent</c>, <c>coderd</c> or <c>wsproxy</c>.</summary>
    public string ClientType { get; init; } = "";

    /// <summary>The client's version.</summary>
    public string ClientVersion { get; init; } = "";

    /// <summary>The reporting node's random id.</summary>
    public ulong NodeIdSelf { get; init; }

    /// <summary>The peer node's random id.</summary>
    public ulong NodeIdRemote { get; init; }

    /// <summary>The direct peer-to-peer endpoint, reduced to a hash and its class.</summary>
    [JsonPropertyName("p2p_endpoint")]
    public NetworkEndpoint P2pEndpoint { get; init; } = new();

    /// <summary>The preferred relay region.</summary>
    [JsonPropertyName("home_derp")]
    public int HomeDerp { get; init; }

    /// <summary>How long the connection lasted, in nanoseconds.</summary>
    public long? ConnectionAge { get; init; }

    /// <summary>Latency over the direct path, in nanoseconds.</summary>
    [JsonPropertyName("p2p_latency")]
    public long? P2pLatency { get; init; }

    /// <summary>Latency over the relay, in nanoseconds.</summary>
    [JsonPropertyName("derp_latency")]
    public long? DerpLatency { get; init; }

    /// <summary>Measured throughput in megabits per second.</summary>
    public float? ThroughputMbits { get; init; }
}

/// <summary>A peer endpoint reduced to a hash of its address plus coarse facts.</summary>
public sealed record NetworkEndpoint
{
    /// <summary>A hash of the peer's IP address.</summary>
    public string Hash { get; init; } = "";

    /// <summary>The peer's port.</summary>
    public int Port { get; init; }

    /// <summary>The IP version and class.</summary>
    public NetworkAddressFields Fields { get; init; } = new();
}

/// <summary>Coarse facts about an address.</summary>
public sealed record NetworkAddressFields
{
    /// <summary>4 or 6.</summary>
    public int Version { get; init; }

    /// <summary><c>public</c>, <c>private</c>, <c>link_local</c>, <c>unique_local</c> or <c>loopback</c>.</summary>
    public string Class { get; init; } = "";
}
