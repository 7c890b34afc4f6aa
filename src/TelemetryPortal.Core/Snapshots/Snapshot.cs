using System.Text.Json.Serialization;

namespace TelemetryPortal.Core.Snapshots;

/// <summary>The database records a Coder deployment reports, as Coder's <c>telemetry.Snapshot</c> (<c>POST /snapshot</c>). The periodic snapshot fills every list (fast-growing tables with the last hour only); an event's snapshot fills one or a few and leaves the rest null, as Go leaves them nil. Lists may be lazy sequences: writing enumerates each once, so a snapshot of any size streams.</summary>
public sealed record Snapshot : IGoJsonWritable
{
    /// <summary>The deployment these records come from (Go's <c>string</c>).</summary>
    public string DeploymentId { get; init; } = "";

    /// <summary>API keys used in the last hour.</summary>
    public IEnumerable<ApiKey>? ApiKeys { get; init; }

    /// <summary>CLI commands run since the last snapshot.</summary>
    public IEnumerable<CliInvocation>? CliInvocations { get; init; }

    /// <summary>External provisioner daemons.</summary>
    public IEnumerable<ExternalProvisioner>? ExternalProvisioners { get; init; }

    /// <summary>Applied licenses.</summary>
    public IEnumerable<License>? Licenses { get; init; }

    /// <summary>Provisioner jobs of the last hour.</summary>
    public IEnumerable<ProvisionerJob>? ProvisionerJobs { get; init; }

    /// <summary>Template versions.</summary>
    public IEnumerable<TemplateVersion>? TemplateVersions { get; init; }

    /// <summary>Templates.</summary>
    public IEnumerable<Template>? Templates { get; init; }

    /// <summary>User accounts.</summary>
    public IEnumerable<User>? Users { get; init; }

    /// <summary>Groups.</summary>
    public IEnumerable<Group>? Groups { get; init; }

    /// <summary>Group memberships.</summary>
    public IEnumerable<GroupMember>? GroupMembers { get; init; }

    /// <summary>Aggregated agent statistics of the last hour.</summary>
    public IEnumerable<WorkspaceAgentStat>? WorkspaceAgentStats { get; init; }

    /// <summary>Workspace agents of the last hour.</summary>
    public IEnumerable<WorkspaceAgent>? WorkspaceAgents { get; init; }

    /// <summary>Workspace apps of the last hour.</summary>
    public IEnumerable<WorkspaceApp>? WorkspaceApps { get; init; }

    /// <summary>Workspace builds of the last hour. Coder names this list <c>workspace_build</c> (singular).</summary>
    [JsonPropertyName("workspace_build")]
    public IEnumerable<WorkspaceBuild>? WorkspaceBuilds { get; init; }

    /// <summary>Workspace proxies.</summary>
    public IEnumerable<WorkspaceProxy>? WorkspaceProxies { get; init; }

    /// <summary>Metadata keys of workspace resources (never their values).</summary>
    public IEnumerable<WorkspaceResourceMetadata>? WorkspaceResourceMetadata { get; init; }

    /// <summary>Workspace resources of the last hour.</summary>
    public IEnumerable<WorkspaceResource>? WorkspaceResources { get; init; }

    /// <summary>Memory monitors changed in the last hour.</summary>
    public IEnumerable<WorkspaceAgentMemoryResourceMonitor>? WorkspaceAgentMemoryResourceMonitors { get; init; }

    /// <summary>Volume monitors changed in the last hour.</summary>
    public IEnumerable<WorkspaceAgentVolumeResourceMonitor>? WorkspaceAgentVolumeResourceMonitors { get; init; }

    /// <summary>Terraform modules of the last hour's builds.</summary>
    public IEnumerable<WorkspaceModule>? WorkspaceModules { get; init; }

    /// <summary>Workspaces.</summary>
    public IEnumerable<Workspace>? Workspaces { get; init; }

    /// <summary>Connection events of Coder's networking layer.</summary>
    public IEnumerable<NetworkEvent>? NetworkEvents { get; init; }

    /// <summary>Organizations.</summary>
    public IEnumerable<Organization>? Organizations { get; init; }

    /// <summary>AI tasks.</summary>
    public IEnumerable<CoderTask>? Tasks { get; init; }

    /// <summary>Coder's own telemetry bookkeeping.</summary>
    public IEnumerable<TelemetryItem>? TelemetryItems { get; init; }

    /// <summary>Users' tailnet connections of the last hour.</summary>
    public IEnumerable<UserTailnetConnection>? UserTailnetConnections { get; init; }

    /// <summary>Prebuilt-workspace event counts since the last snapshot.</summary>
    public IEnumerable<PrebuiltWorkspace>? PrebuiltWorkspaces { get; init; }

    /// <summary>AI Bridge summaries since the last snapshot.</summary>
    [JsonPropertyName("aibridge_interceptions_summaries")]
    public IEnumerable<AiBridgeInterceptionsSummary>? AiBridgeInterceptionsSummaries { get; init; }

    /// <summary>Users active behind agent boundaries since the last snapshot.</summary>
    public IEnumerable<BoundaryActiveUser>? BoundaryActiveUsers { get; init; }

    /// <summary>Workspaces active behind agent boundaries since the last snapshot.</summary>
    public IEnumerable<BoundaryActiveWorkspace>? BoundaryActiveWorkspaces { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("deployment_id"u8, DeploymentId);
        writer.WriteList("api_keys"u8, ApiKeys);
        writer.WriteList("cli_invocations"u8, CliInvocations);
        writer.WriteList("external_provisioners"u8, ExternalProvisioners);
        writer.WriteList("licenses"u8, Licenses);
        writer.WriteList("provisioner_jobs"u8, ProvisionerJobs);
        writer.WriteList("template_versions"u8, TemplateVersions);
        writer.WriteList("templates"u8, Templates);
        writer.WriteList("users"u8, Users);
        writer.WriteList("groups"u8, Groups);
        writer.WriteList("group_members"u8, GroupMembers);
        writer.WriteList("workspace_agent_stats"u8, WorkspaceAgentStats);
        writer.WriteList("workspace_agents"u8, WorkspaceAgents);
        writer.WriteList("workspace_apps"u8, WorkspaceApps);
        writer.WriteList("workspace_build"u8, WorkspaceBuilds);
        writer.WriteList("workspace_proxies"u8, WorkspaceProxies);
        writer.WriteList("workspace_resource_metadata"u8, WorkspaceResourceMetadata);
        writer.WriteList("workspace_resources"u8, WorkspaceResources);
        writer.WriteList("workspace_agent_memory_resource_monitors"u8, WorkspaceAgentMemoryResourceMonitors);
        writer.WriteList("workspace_agent_volume_resource_monitors"u8, WorkspaceAgentVolumeResourceMonitors);
        writer.WriteList("workspace_modules"u8, WorkspaceModules);
        writer.WriteList("workspaces"u8, Workspaces);
        writer.WriteList("network_events"u8, NetworkEvents);
        writer.WriteList("organizations"u8, Organizations);
        writer.WriteList("tasks"u8, Tasks);
        writer.WriteList("telemetry_items"u8, TelemetryItems);
        writer.WriteList("user_tailnet_connections"u8, UserTailnetConnections);
        writer.WriteList("prebuilt_workspaces"u8, PrebuiltWorkspaces);
        writer.WriteList("aibridge_interceptions_summaries"u8, AiBridgeInterceptionsSummaries);
        writer.WriteList("boundary_active_users"u8, BoundaryActiveUsers);
        writer.WriteList("boundary_active_workspaces"u8, BoundaryActiveWorkspaces);
        writer.WriteEndObject();
    }
}

/// <summary>An API key (session token) used in the last hour.</summary>
public sealed record ApiKey : IGoJsonWritable
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

    /// <summary>The address the key was last used from (Go's <c>net.IP</c>, as its text).</summary>
    public string IpAddress { get; init; } = "";

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("id"u8, Id);
        writer.WriteUuid("user_id"u8, UserId);
        writer.WriteTime("created_at"u8, CreatedAt);
        writer.WriteTime("last_used"u8, LastUsed);
        writer.WriteString("login_type"u8, LoginType);
        writer.WriteString("ip_address"u8, IpAddress);
        writer.WriteEndObject();
    }
}

/// <summary>A CLI command run against this deployment, as reported by the CLI's telemetry header.</summary>
public sealed record CliInvocation : IGoJsonWritable
{
    public string Command { get; init; } = "";

    public IReadOnlyList<CliOption>? Options { get; init; }

    public DateTimeOffset InvokedAt { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("command"u8, Command);
        writer.WriteList("options"u8, Options);
        writer.WriteTime("invoked_at"u8, InvokedAt);
        writer.WriteEndObject();
    }
}

/// <summary>An option given to a CLI command: its name and where the value came from, never the value.</summary>
public sealed record CliOption : IGoJsonWritable
{
    public string Name { get; init; } = "";

    public string ValueSource { get; init; } = "";

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("name"u8, Name);
        writer.WriteString("value_source"u8, ValueSource);
        writer.WriteEndObject();
    }
}

/// <summary>An external provisioner daemon connected to the deployment.</summary>
public sealed record ExternalProvisioner : IGoJsonWritable
{
    public string Id { get; init; } = "";

    /// <summary>The daemon's tags (free text set by the operator).</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    public IReadOnlyList<string>? Provisioners { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When it disconnected; null while connected.</summary>
    public DateTimeOffset? ShutdownAt { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("id"u8, Id);
        writer.WriteMap("tags"u8, Tags, static (w, v) => w.WriteStringValue(v));
        writer.WriteStrings("provisioners"u8, Provisioners);
        writer.WriteTime("started_at"u8, StartedAt);
        writer.WriteTime("shutdown_at"u8, ShutdownAt);
        writer.WriteEndObject();
    }
}

/// <summary>An applied enterprise license.</summary>
public sealed record License : IGoJsonWritable
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

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("jwt"u8, Jwt);
        writer.WriteTime("uploaded_at"u8, UploadedAt);
        writer.WriteTime("exp"u8, Exp);
        writer.WriteUuid("uuid"u8, Uuid);
        writer.WriteStringOrNull("email"u8, Email);
        writer.WriteBoolean("trial"u8, Trial);
        writer.WriteEndObject();
    }
}

/// <summary>A provisioner job: a Terraform run for a build or a template import.</summary>
public sealed record ProvisionerJob : IGoJsonWritable
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

    /// <summary>When it started; left out while queued.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it was canceled; left out unless canceled.</summary>
    public DateTimeOffset? CanceledAt { get; init; }

    /// <summary>When it finished; left out while queued or running.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The error message of a failed job: free text that may quote anything.</summary>
    public string Error { get; init; } = "";

    /// <summary><c>workspace_build</c>, <c>template_version_import</c> or <c>template_version_dry_run</c>.</summary>
    public string Type { get; init; } = "";

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteUuid("id"u8, Id);
        writer.WriteUuid("organization_id"u8, OrganizationId);
        writer.WriteUuid("initiator_id"u8, InitiatorId);
        writer.WriteTime("created_at"u8, CreatedAt);
        writer.WriteTime("updated_at"u8, UpdatedAt);
        writer.WriteTime("started_at"u8, StartedAt, omitEmpty: true);
        writer.WriteTime("canceled_at"u8, CanceledAt, omitEmpty: true);
        writer.WriteTime("completed_at"u8, CompletedAt, omitEmpty: true);
        writer.WriteString("error"u8, Error);
        writer.WriteString("type"u8, Type);
        writer.WriteEndObject();
    }
}

/// <summary>A template version.</summary>
public sealed record TemplateVersion : IGoJsonWritable
{
    /// <summary>The version's id.</summary>
    public Guid Id { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The template it belongs to; left out for a version not yet attached to one.</summary>
    public Guid? TemplateId { get; init; }

    /// <summary>The organization it belongs to.</summary>
    public Guid OrganizationId { get; init; }

    /// <summary>The provisioner job that imported it.</summary>
    public Guid JobId { get; init; }

    /// <summary>The starter example it was created from, e.g. <c>docker</c>; left out when none.</summary>
    public string? SourceExampleId { get; init; }

    /// <summary>Whether it defines an AI task; null when not known.</summary>
    public bool? HasAiTask { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteUuid("id"u8, Id);
        writer.WriteTime("created_at"u8, CreatedAt);
        writer.WriteUuid("template_id"u8, TemplateId, omitEmpty: true);
        writer.WriteUuid("organization_id"u8, OrganizationId);
        writer.WriteUuid("job_id"u8, JobId);
        writer.WriteStringOrNull("source_example_id"u8, SourceExampleId, omitEmpty: true);
        writer.WriteBoolean("has_ai_task"u8, HasAiTask);
        writer.WriteEndObject();
    }
}

/// <summary>A template.</summary>
public sealed record Template : IGoJsonWritable
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
    public long DefaultTtlMs { get; init; }

    /// <summary>Whether users may cancel their workspace jobs.</summary>
    public bool AllowUserCancelWorkspaceJobs { get; init; }

    /// <summary>Whether users may set autostart.</summary>
    public bool AllowUserAutostart { get; init; }

    /// <summary>Whether users may set autostop.</summary>
    public bool AllowUserAutostop { get; init; }

    /// <summary>How long a failed workspace waits before it stops, in milliseconds.</summary>
    public long FailureTtlMs { get; init; }

    /// <summary>How long an unused workspace waits before it turns dormant, in milliseconds.</summary>
    public long TimeTilDormantMs { get; init; }

    /// <summary>How long a dormant workspace waits before deletion, in milliseconds.</summary>
    public long TimeTilDormantAutoDeleteMs { get; init; }

    /// <summary>Days on which autostop is required; null when none.</summary>
    public IReadOnlyList<string>? AutostopRequirementDaysOfWeek { get; init; }

    /// <summary>Every how many weeks autostop is required.</summary>
    public long AutostopRequirementWeeks { get; init; }

    /// <summary>Days on which autostart may run.</summary>
    public IReadOnlyList<string>? AutostartAllowedDays { get; init; }

    /// <summary>Whether workspaces must run the active version.</summary>
    public bool RequireActiveVersion { get; init; }

    /// <summary>Whether the template is deprecated.</summary>
    public bool Deprecated { get; init; }

    /// <summary>Whether the template uses the classic parameter form.</summary>
    public bool? UseClassicParameterFlow { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteUuid("id"u8, Id);
        writer.WriteUuid("created_by"u8, CreatedBy);
        writer.WriteTime("created_at"u8, CreatedAt);
        writer.WriteTime("updated_at"u8, UpdatedAt);
        writer.WriteUuid("organization_id"u8, OrganizationId);
        writer.WriteBoolean("deleted"u8, Deleted);
        writer.WriteUuid("active_version_id"u8, ActiveVersionId);
        writer.WriteString("name"u8, Name);
        writer.WriteBoolean("description"u8, Description);
        writer.WriteNumber("default_ttl_ms"u8, DefaultTtlMs);
        writer.WriteBoolean("allow_user_cancel_workspace_jobs"u8, AllowUserCancelWorkspaceJobs);
        writer.WriteBoolean("allow_user_autostart"u8, AllowUserAutostart);
        writer.WriteBoolean("allow_user_autostop"u8, AllowUserAutostop);
        writer.WriteNumber("failure_ttl_ms"u8, FailureTtlMs);
        writer.WriteNumber("time_til_dormant_ms"u8, TimeTilDormantMs);
        writer.WriteNumber("time_til_dormant_auto_delete_ms"u8, TimeTilDormantAutoDeleteMs);
        writer.WriteStrings("autostop_requirement_days_of_week"u8, AutostopRequirementDaysOfWeek);
        writer.WriteNumber("autostop_requirement_weeks"u8, AutostopRequirementWeeks);
        writer.WriteStrings("autostart_allowed_days"u8, AutostartAllowedDays);
        writer.WriteBoolean("require_active_version"u8, RequireActiveVersion);
        writer.WriteBoolean("deprecated"u8, Deprecated);
        writer.WriteBoolean("use_classic_parameter_flow"u8, UseClassicParameterFlow);
        writer.WriteEndObject();
    }
}

/// <summary>A user account.</summary>
public sealed record User : IGoJsonWritable
{
    /// <summary>The user's id.</summary>
    public Guid Id { get; init; }

    /// <summary>When the account was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The e-mail address; Coder fills it in only for the first (oldest active) user, null for the rest.</summary>
    public string? Email { get; init; }

    /// <summary>SHA-256 of the local part, then <c>@</c> and the domain in clear.</summary>
    public string EmailHashed { get; init; } = "";

    /// <summary>Site-wide roles, e.g. <c>owner</c>, <c>template-admin</c>.</summary>
    public IReadOnlyList<string>? RbacRoles { get; init; }

    /// <summary><c>active</c>, <c>dormant</c> or <c>suspended</c>.</summary>
    public string Status { get; init; } = "";

    /// <summary>The numeric id of the linked github.com account; 0 when none.</summary>
    public long GithubComUserId { get; init; }

    /// <summary><c>password</c>, <c>github</c>, <c>oidc</c> or <c>none</c>; left out when empty.</summary>
    public string LoginType { get; init; } = "";

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteUuid("id"u8, Id);
        writer.WriteTime("created_at"u8, CreatedAt);
        writer.WriteStringOrNull("email"u8, Email);
        writer.WriteString("email_hashed"u8, EmailHashed);
        writer.WriteStrings("rbac_roles"u8, RbacRoles);
        writer.WriteString("status"u8, Status);
        writer.WriteNumber("github_com_user_id"u8, GithubComUserId);
        writer.WriteString("login_type"u8, LoginType, omitEmpty: true);
        writer.WriteEndObject();
    }
}

/// <summary>A group of users.</summary>
public sealed record Group : IGoJsonWritable
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

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteUuid("id"u8, Id);
        writer.WriteString("name"u8, Name);
        writer.WriteUuid("organization_id"u8, OrganizationId);
        writer.WriteString("avatar_url"u8, AvatarUrl);
        writer.WriteNumber("quota_allowance"u8, QuotaAllowance);
        writer.WriteString("display_name"u8, DisplayName);
        writer.WriteString("source"u8, Source);
        writer.WriteEndObject();
    }
}

/// <summary>A user's membership in a group.</summary>
public sealed record GroupMember : IGoJsonWritable
{
    /// <summary>The user.</summary>
    public Guid UserId { get; init; }

    /// <summary>The group.</summary>
    public Guid GroupId { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteUuid("user_id"u8, UserId);
        writer.WriteUuid("group_id"u8, GroupId);
        writer.WriteEndObject();
    }
}

/// <summary>Aggregated statistics of one agent.</summary>
public sealed record WorkspaceAgentStat : IGoJsonWritable
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
    public long SessionCountReconnectingPty { get; init; }

    /// <summary>SSH sessions.</summary>
    public long SessionCountSsh { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteUuid("user_id"u8, UserId);
        writer.WriteUuid("template_id"u8, TemplateId);
        writer.WriteUuid("workspace_id"u8, WorkspaceId);
        writer.WriteTime("aggregated_from"u8, AggregatedFrom);
        writer.WriteUuid("agent_id"u8, AgentId);
        writer.WriteNumber("rx_bytes"u8, RxBytes);
        writer.WriteNumber("tx_bytes"u8, TxBytes);
        writer.WriteNumber("connection_latency_50"u8, ConnectionLatency50);
        writer.WriteNumber("connection_latency_95"u8, ConnectionLatency95);
        writer.WriteNumber("session_count_vscode"u8, SessionCountVsCode);
        writer.WriteNumber("session_count_jetbrains"u8, SessionCountJetBrains);
        writer.WriteNumber("session_count_reconnecting_pty"u8, SessionCountReconnectingPty);
        writer.WriteNumber("session_count_ssh"u8, SessionCountSsh);
        writer.WriteEndObject();
    }
}

/// <summary>A workspace agent: the process inside a workspace.</summary>
public sealed record WorkspaceAgent : IGoJsonWritable
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

    /// <summary>When it first connected; null if it never did.</summary>
    public DateTimeOffset? FirstConnectedAt { get; init; }

    /// <summary>When it last connected; null if it never did.</summary>
    public DateTimeOffset? LastConnectedAt { get; init; }

    /// <summary>When it disconnected; null while connected.</summary>
    public DateTimeOffset? DisconnectedAt { get; init; }

    /// <summary>How long to wait for it to connect, in seconds.</summary>
    public int ConnectionTimeoutSeconds { get; init; }

    /// <summary>Subsystems it runs in, e.g. <c>envbox</c>.</summary>
    public IReadOnlyList<string>? Subsystems { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteUuid("id"u8, Id);
        writer.WriteTime("created_at"u8, CreatedAt);
        writer.WriteUuid("resource_id"u8, ResourceId);
        writer.WriteBoolean("instance_auth"u8, InstanceAuth);
        writer.WriteString("architecture"u8, Architecture);
        writer.WriteString("operating_system"u8, OperatingSystem);
        writer.WriteBoolean("environment_variables"u8, EnvironmentVariables);
        writer.WriteBoolean("directory"u8, Directory);
        writer.WriteTime("first_connected_at"u8, FirstConnectedAt);
        writer.WriteTime("last_connected_at"u8, LastConnectedAt);
        writer.WriteTime("disconnected_at"u8, DisconnectedAt);
        writer.WriteNumber("connection_timeout_seconds"u8, ConnectionTimeoutSeconds);
        writer.WriteStrings("subsystems"u8, Subsystems);
        writer.WriteEndObject();
    }
}

/// <summary>An app exposed by a workspace agent.</summary>
public sealed record WorkspaceApp : IGoJsonWritable
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

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteUuid("id"u8, Id);
        writer.WriteTime("created_at"u8, CreatedAt);
        writer.WriteUuid("agent_id"u8, AgentId);
        writer.WriteString("icon"u8, Icon);
        writer.WriteBoolean("subdomain"u8, Subdomain);
        writer.WriteEndObject();
    }
}

/// <summary>A workspace build (start, stop or delete).</summary>
public sealed record WorkspaceBuild : IGoJsonWritable
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
    public uint BuildNumber { get; init; }

    /// <summary>Whether the build runs an AI task; null when not known.</summary>
    public bool? HasAiTask { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteUuid("id"u8, Id);
        writer.WriteTime("created_at"u8, CreatedAt);
        writer.WriteUuid("workspace_id"u8, WorkspaceId);
        writer.WriteUuid("template_version_id"u8, TemplateVersionId);
        writer.WriteUuid("job_id"u8, JobId);
        writer.WriteNumber("build_number"u8, BuildNumber);
        writer.WriteBoolean("has_ai_task"u8, HasAiTask);
        writer.WriteEndObject();
    }
}

/// <summary>A workspace proxy (an additional region serving workspace traffic).</summary>
public sealed record WorkspaceProxy : IGoJsonWritable
{
    public Guid Id { get; init; }

    public string Name { get; init; } = "";

    public string DisplayName { get; init; } = "";

    public bool DerpEnabled { get; init; }

    public bool DerpOnly { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteUuid("id"u8, Id);
        writer.WriteString("name"u8, Name);
        writer.WriteString("display_name"u8, DisplayName);
        writer.WriteBoolean("derp_enabled"u8, DerpEnabled);
        writer.WriteBoolean("derp_only"u8, DerpOnly);
        writer.WriteTime("created_at"u8, CreatedAt);
        writer.WriteTime("updated_at"u8, UpdatedAt);
        writer.WriteEndObject();
    }
}

/// <summary>A metadata key of a resource; the value is never sent.</summary>
public sealed record WorkspaceResourceMetadata : IGoJsonWritable
{
    /// <summary>The resource.</summary>
    public Guid ResourceId { get; init; }

    /// <summary>The metadata key.</summary>
    public string Key { get; init; } = "";

    /// <summary>Whether the value is marked sensitive.</summary>
    public bool Sensitive { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteUuid("resource_id"u8, ResourceId);
        writer.WriteString("key"u8, Key);
        writer.WriteBoolean("sensitive"u8, Sensitive);
        writer.WriteEndObject();
    }
}

/// <summary>A cloud resource created by a build.</summary>
public sealed record WorkspaceResource : IGoJsonWritable
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

    /// <summary>The Terraform module path; null when not known, empty for the root module.</summary>
    public string? ModulePath { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteUuid("id"u8, Id);
        writer.WriteTime("created_at"u8, CreatedAt);
        writer.WriteUuid("job_id"u8, JobId);
        writer.WriteString("transition"u8, Transition);
        writer.WriteString("type"u8, Type);
        writer.WriteString("instance_type"u8, InstanceType);
        writer.WriteStringOrNull("module_path"u8, ModulePath);
        writer.WriteEndObject();
    }
}

/// <summary>An agent's memory usage alert.</summary>
public sealed record WorkspaceAgentMemoryResourceMonitor : IGoJsonWritable
{
    public Guid AgentId { get; init; }

    public bool Enabled { get; init; }

    public int Threshold { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteUuid("agent_id"u8, AgentId);
        writer.WriteBoolean("enabled"u8, Enabled);
        writer.WriteNumber("threshold"u8, Threshold);
        writer.WriteTime("created_at"u8, CreatedAt);
        writer.WriteTime("updated_at"u8, UpdatedAt);
        writer.WriteEndObject();
    }
}

/// <summary>An agent's disk usage alert for one volume.</summary>
public sealed record WorkspaceAgentVolumeResourceMonitor : IGoJsonWritable
{
    public Guid AgentId { get; init; }

    public bool Enabled { get; init; }

    public int Threshold { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteUuid("agent_id"u8, AgentId);
        writer.WriteBoolean("enabled"u8, Enabled);
        writer.WriteNumber("threshold"u8, Threshold);
        writer.WriteTime("created_at"u8, CreatedAt);
        writer.WriteTime("updated_at"u8, UpdatedAt);
        writer.WriteEndObject();
    }
}

/// <summary>A Terraform module used by a build.</summary>
public sealed record WorkspaceModule : IGoJsonWritable
{
    public Guid Id { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public Guid JobId { get; init; }

    public string Transition { get; init; } = "";

    public string Key { get; init; } = "";

    public string Version { get; init; } = "";

    public string Source { get; init; } = "";

    public string SourceType { get; init; } = "";

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteUuid("id"u8, Id);
        writer.WriteTime("created_at"u8, CreatedAt);
        writer.WriteUuid("job_id"u8, JobId);
        writer.WriteString("transition"u8, Transition);
        writer.WriteString("key"u8, Key);
        writer.WriteString("version"u8, Version);
        writer.WriteString("source"u8, Source);
        writer.WriteString("source_type"u8, SourceType);
        writer.WriteEndObject();
    }
}

/// <summary>A workspace.</summary>
public sealed record Workspace : IGoJsonWritable
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

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteUuid("id"u8, Id);
        writer.WriteUuid("organization_id"u8, OrganizationId);
        writer.WriteUuid("owner_id"u8, OwnerId);
        writer.WriteUuid("template_id"u8, TemplateId);
        writer.WriteTime("created_at"u8, CreatedAt);
        writer.WriteBoolean("deleted"u8, Deleted);
        writer.WriteString("name"u8, Name);
        writer.WriteString("autostart_schedule"u8, AutostartSchedule);
        writer.WriteString("automatic_updates"u8, AutomaticUpdates);
        writer.WriteEndObject();
    }
}

/// <summary>An organization (Coder sends no name).</summary>
public sealed record Organization : IGoJsonWritable
{
    /// <summary>The organization's id.</summary>
    public Guid Id { get; init; }

    /// <summary>Whether it is the default organization.</summary>
    public bool IsDefault { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteUuid("id"u8, Id);
        writer.WriteBoolean("is_default"u8, IsDefault);
        writer.WriteTime("created_at"u8, CreatedAt);
        writer.WriteEndObject();
    }
}

/// <summary>An AI task (Coder's <c>telemetry.Task</c>); the prompt is sent as a hash only.</summary>
public sealed record CoderTask : IGoJsonWritable
{
    public string Id { get; init; } = "";

    public string OrganizationId { get; init; } = "";

    public string OwnerId { get; init; } = "";

    public string Name { get; init; } = "";

    public string? WorkspaceId { get; init; }

    public long? WorkspaceBuildNumber { get; init; }

    public string? WorkspaceAgentId { get; init; }

    public string? WorkspaceAppId { get; init; }

    public string TemplateVersionId { get; init; } = "";

    /// <summary>SHA-256 of the prompt, never the prompt.</summary>
    public string PromptHash { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    public string Status { get; init; } = "";

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("id"u8, Id);
        writer.WriteString("organization_id"u8, OrganizationId);
        writer.WriteString("owner_id"u8, OwnerId);
        writer.WriteString("name"u8, Name);
        writer.WriteStringOrNull("workspace_id"u8, WorkspaceId);
        writer.WriteNumber("workspace_build_number"u8, WorkspaceBuildNumber);
        writer.WriteStringOrNull("workspace_agent_id"u8, WorkspaceAgentId);
        writer.WriteStringOrNull("workspace_app_id"u8, WorkspaceAppId);
        writer.WriteString("template_version_id"u8, TemplateVersionId);
        writer.WriteString("prompt_hash"u8, PromptHash);
        writer.WriteTime("created_at"u8, CreatedAt);
        writer.WriteString("status"u8, Status);
        writer.WriteEndObject();
    }
}

/// <summary>A key and value Coder keeps about its own telemetry, e.g. <c>telemetry_enabled</c>.</summary>
public sealed record TelemetryItem : IGoJsonWritable
{
    public string Key { get; init; } = "";

    public string Value { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("key"u8, Key);
        writer.WriteString("value"u8, Value);
        writer.WriteTime("created_at"u8, CreatedAt);
        writer.WriteTime("updated_at"u8, UpdatedAt);
        writer.WriteEndObject();
    }
}

/// <summary>A user's tailnet (Coder Connect) connection to the deployment.</summary>
public sealed record UserTailnetConnection : IGoJsonWritable
{
    public DateTimeOffset ConnectedAt { get; init; }

    public DateTimeOffset? DisconnectedAt { get; init; }

    public string UserId { get; init; } = "";

    public string PeerId { get; init; } = "";

    /// <summary>The Coder Desktop device's id; null for other clients.</summary>
    public string? DeviceId { get; init; }

    public string? DeviceOs { get; init; }

    public string? CoderDesktopVersion { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteTime("connected_at"u8, ConnectedAt);
        writer.WriteTime("disconnected_at"u8, DisconnectedAt);
        writer.WriteString("user_id"u8, UserId);
        writer.WriteString("peer_id"u8, PeerId);
        writer.WriteStringOrNull("device_id"u8, DeviceId);
        writer.WriteStringOrNull("device_os"u8, DeviceOs);
        writer.WriteStringOrNull("coder_desktop_version"u8, CoderDesktopVersion);
        writer.WriteEndObject();
    }
}

/// <summary>A count of prebuilt-workspace events of one type since the last snapshot.</summary>
public sealed record PrebuiltWorkspace : IGoJsonWritable
{
    public Guid Id { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public string EventType { get; init; } = "";

    public int Count { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteUuid("id"u8, Id);
        writer.WriteTime("created_at"u8, CreatedAt);
        writer.WriteString("event_type"u8, EventType);
        writer.WriteNumber("count"u8, Count);
        writer.WriteEndObject();
    }
}

/// <summary>A summary of the AI requests AI Bridge intercepted for one provider, model and client over one period.</summary>
public sealed record AiBridgeInterceptionsSummary : IGoJsonWritable
{
    public Guid Id { get; init; }

    public DateTimeOffset Timestamp { get; init; }

    public string Provider { get; init; } = "";

    public string Model { get; init; } = "";

    public string Client { get; init; } = "";

    public long InterceptionCount { get; init; }

    public AiBridgeDurationMillis InterceptionDurationMillis { get; init; } = new();

    /// <summary>Interceptions by API route.</summary>
    public IReadOnlyDictionary<string, long>? InterceptionsByRoute { get; init; }

    public long UniqueInitiatorCount { get; init; }

    public long UserPromptsCount { get; init; }

    public long TokenUsagesCount { get; init; }

    public AiBridgeTokenCount TokenCount { get; init; } = new();

    public AiBridgeToolCallsCount ToolCallsCount { get; init; } = new();

    public long InjectedToolCallErrorCount { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteUuid("id"u8, Id);
        writer.WriteTime("timestamp"u8, Timestamp);
        writer.WriteString("provider"u8, Provider);
        writer.WriteString("model"u8, Model);
        writer.WriteString("client"u8, Client);
        writer.WriteNumber("interception_count"u8, InterceptionCount);
        writer.WriteObject("interception_duration_millis"u8, InterceptionDurationMillis);
        writer.WriteMap("interceptions_by_route"u8, InterceptionsByRoute, static (w, v) => w.WriteNumberValue(v));
        writer.WriteNumber("unique_initiator_count"u8, UniqueInitiatorCount);
        writer.WriteNumber("user_prompts_count"u8, UserPromptsCount);
        writer.WriteNumber("token_usages_count"u8, TokenUsagesCount);
        writer.WriteObject("token_count"u8, TokenCount);
        writer.WriteObject("tool_calls_count"u8, ToolCallsCount);
        writer.WriteNumber("injected_tool_call_error_count"u8, InjectedToolCallErrorCount);
        writer.WriteEndObject();
    }
}

/// <summary>Percentiles of interception durations, in milliseconds.</summary>
public sealed record AiBridgeDurationMillis : IGoJsonWritable
{
    public long P50 { get; init; }

    public long P90 { get; init; }

    public long P95 { get; init; }

    public long P99 { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("p50"u8, P50);
        writer.WriteNumber("p90"u8, P90);
        writer.WriteNumber("p95"u8, P95);
        writer.WriteNumber("p99"u8, P99);
        writer.WriteEndObject();
    }
}

/// <summary>Tokens used by the intercepted requests.</summary>
public sealed record AiBridgeTokenCount : IGoJsonWritable
{
    public long Input { get; init; }

    public long Output { get; init; }

    public long CachedRead { get; init; }

    public long CachedWritten { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("input"u8, Input);
        writer.WriteNumber("output"u8, Output);
        writer.WriteNumber("cached_read"u8, CachedRead);
        writer.WriteNumber("cached_written"u8, CachedWritten);
        writer.WriteEndObject();
    }
}

/// <summary>Tool calls made by the intercepted requests.</summary>
public sealed record AiBridgeToolCallsCount : IGoJsonWritable
{
    public long Injected { get; init; }

    public long NonInjected { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("injected"u8, Injected);
        writer.WriteNumber("non_injected"u8, NonInjected);
        writer.WriteEndObject();
    }
}

/// <summary>A user whose workspace ran an agent boundary (network policy) in the period.</summary>
public sealed record BoundaryActiveUser : IGoJsonWritable
{
    public Guid Id { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteUuid("id"u8, Id);
        writer.WriteEndObject();
    }
}

/// <summary>A workspace that ran an agent boundary in the period.</summary>
public sealed record BoundaryActiveWorkspace : IGoJsonWritable
{
    public Guid Id { get; init; }

    public Guid TemplateId { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteUuid("id"u8, Id);
        writer.WriteUuid("template_id"u8, TemplateId);
        writer.WriteEndObject();
    }
}
