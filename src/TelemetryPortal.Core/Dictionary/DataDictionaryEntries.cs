using TelemetryPortal.Core.Telemetry;
using static TelemetryPortal.Core.Dictionary.FieldCategory;

namespace TelemetryPortal.Core.Dictionary;

/// <summary>
/// Every field of the telemetry payloads, in one place. The redactor, the preview and the
/// "What we collect" page read this list; a test proves it matches the payload model exactly.
/// </summary>
internal static class DataDictionaryEntries
{
    private const string Linking = "Links records to each other, so counts can be made per workspace, template or user without knowing who anyone is.";
    private const string Growth = "Shows how the deployment grows and is used over time.";
    private const string Adoption = "Shows which features are used, so the vendor knows what to improve and what it can retire.";
    private const string Reliability = "Shows how often things fail and why, so common failures get fixed.";
    private const string Platforms = "Shows which platforms and infrastructure Coder must support and test.";
    private const string Networking = "Shows how well connections perform, to guide networking work.";
    private const string Contact = "Lets the vendor contact the deployment's owner and match usage to a customer account.";
    private const string Licensing = "Lets the vendor check which license a deployment runs under and support the customer.";
    private const string Structure = "Groups the fields below.";

    public static IReadOnlyList<DictionaryEntry> All { get; } =
    [
        // Snapshot: top level.
        One("snapshot.deployment_id", FieldShape.Value, Identifier, "The random id of this Coder deployment.", "Tells reports of the same deployment apart from other deployments'."),
        Section("snapshot.users", "The user accounts."),
        Section("snapshot.api_keys", "The API keys (sign-in sessions) used in the last hour."),
        Section("snapshot.workspaces", "The workspaces."),
        Section("snapshot.workspace_build", "The workspace builds (starts, stops, deletions) of the last hour."),
        Section("snapshot.templates", "The templates workspaces are created from."),
        Section("snapshot.template_versions", "The versions of templates."),
        Section("snapshot.provisioner_jobs", "The provisioning jobs (infrastructure changes) of the last hour."),
        Section("snapshot.workspace_agents", "The agents running inside workspaces, of the last hour."),
        Section("snapshot.workspace_agent_stats", "Usage statistics of workspace agents, of the last hour."),
        Section("snapshot.workspace_apps", "The apps (editors, web tools) workspaces offer, of the last hour."),
        Section("snapshot.workspace_resources", "The cloud resources (machines, disks) builds created, of the last hour."),
        Section("snapshot.workspace_resource_metadata", "The names of metadata attached to resources (never their values)."),
        Section("snapshot.licenses", "The enterprise licenses applied."),
        Section("snapshot.groups", "The user groups."),
        Section("snapshot.group_members", "Who belongs to which group, by random ids."),
        Section("snapshot.organizations", "The organizations inside the deployment."),
        Section("snapshot.network_events", "Connection events between workspaces and the people using them."),

        // Users.
        One("snapshot.users[].id", FieldShape.Value, Identifier, "The user's random id.", Linking),
        One("snapshot.users[].created_at", FieldShape.Value, Timestamp, "When the account was created.", Growth),
        Two("snapshot.users[].email", FieldShape.Value, Email, "The e-mail address of the first administrator (empty for everyone else).", Contact),
        Two("snapshot.users[].email_hashed", FieldShape.Value, HashedEmail, "The user's e-mail address with the part before the @ scrambled and the domain in clear. It still points to a person and their employer.", "Counts the same person across deployments and shows which companies use Coder."),
        One("snapshot.users[].rbac_roles", FieldShape.ValueList, Classification, "The user's site-wide roles, such as owner or template administrator.", Adoption),
        One("snapshot.users[].status", FieldShape.Value, Classification, "Whether the account is active, dormant or suspended.", Growth),
        Two("snapshot.users[].github_com_user_id", FieldShape.Value, ExternalAccountId, "The number of the user's linked GitHub account, which anyone can look up on GitHub.", "Counts the same person across deployments."),
        One("snapshot.users[].login_type", FieldShape.Value, Classification, "How the user signs in: password, GitHub, single sign-on or none.", Adoption),

        // API keys.
        One("snapshot.api_keys[].id", FieldShape.Value, Identifier, "The public part of the key's id (never the secret).", Linking),
        One("snapshot.api_keys[].user_id", FieldShape.Value, Identifier, "The random id of the key's owner.", Linking),
        One("snapshot.api_keys[].created_at", FieldShape.Value, Timestamp, "When the key was created.", Growth),
        One("snapshot.api_keys[].last_used", FieldShape.Value, Timestamp, "When the key was last used.", Growth),
        One("snapshot.api_keys[].login_type", FieldShape.Value, Classification, "How the key was obtained, e.g. by password or single sign-on.", Adoption),
        Two("snapshot.api_keys[].ip_address", FieldShape.Value, IpAddress, "The network address the key was last used from.", "Shows roughly where Coder is used and helps spot abuse."),

        // Workspaces.
        One("snapshot.workspaces[].id", FieldShape.Value, Identifier, "The workspace's random id.", Linking),
        One("snapshot.workspaces[].organization_id", FieldShape.Value, Identifier, "The random id of the organization that owns the workspace.", Linking),
        One("snapshot.workspaces[].owner_id", FieldShape.Value, Identifier, "The random id of the workspace's owner.", Linking),
        One("snapshot.workspaces[].template_id", FieldShape.Value, Identifier, "The random id of the template the workspace was made from.", Linking),
        One("snapshot.workspaces[].created_at", FieldShape.Value, Timestamp, "When the workspace was created.", Growth),
        One("snapshot.workspaces[].deleted", FieldShape.Value, Classification, "Whether the workspace was deleted.", Growth),
        One("snapshot.workspaces[].name", FieldShape.Value, Name, "The name the owner gave the workspace. E-mail and IP addresses in it are masked at level 1.", "Shows how people organise their workspaces."),
        One("snapshot.workspaces[].autostart_schedule", FieldShape.Value, Configuration, "When the workspace starts by itself, if it does.", Adoption),
        One("snapshot.workspaces[].automatic_updates", FieldShape.Value, Configuration, "Whether the workspace updates to new template versions by itself.", Adoption),

        // Workspace builds.
        One("snapshot.workspace_build[].id", FieldShape.Value, Identifier, "The build's random id.", Linking),
        One("snapshot.workspace_build[].created_at", FieldShape.Value, Timestamp, "When the build was started.", Growth),
        One("snapshot.workspace_build[].workspace_id", FieldShape.Value, Identifier, "The random id of the workspace built.", Linking),
        One("snapshot.workspace_build[].template_version_id", FieldShape.Value, Identifier, "The random id of the template version used.", Linking),
        One("snapshot.workspace_build[].job_id", FieldShape.Value, Identifier, "The random id of the job that ran the build.", Linking),
        One("snapshot.workspace_build[].build_number", FieldShape.Value, UsageCount, "How many builds the workspace has had.", Growth),
        One("snapshot.workspace_build[].has_ai_task", FieldShape.Value, Classification, "Whether the build runs an AI task.", Adoption),

        // Templates.
        One("snapshot.templates[].id", FieldShape.Value, Identifier, "The template's random id.", Linking),
        One("snapshot.templates[].created_by", FieldShape.Value, Identifier, "The random id of the user who created the template.", Linking),
        One("snapshot.templates[].created_at", FieldShape.Value, Timestamp, "When the template was created.", Growth),
        One("snapshot.templates[].updated_at", FieldShape.Value, Timestamp, "When the template was last changed.", Growth),
        One("snapshot.templates[].organization_id", FieldShape.Value, Identifier, "The random id of the organization the template belongs to.", Linking),
        One("snapshot.templates[].deleted", FieldShape.Value, Classification, "Whether the template was deleted.", Growth),
        One("snapshot.templates[].active_version_id", FieldShape.Value, Identifier, "The random id of the version new workspaces get.", Linking),
        One("snapshot.templates[].name", FieldShape.Value, Name, "The template's name. E-mail and IP addresses in it are masked at level 1.", "Shows which kinds of environments people build (e.g. docker, kubernetes)."),
        One("snapshot.templates[].description", FieldShape.Value, Configuration, "Whether the template has a description (the text itself is not sent).", Adoption),
        One("snapshot.templates[].default_ttl_ms", FieldShape.Value, Configuration, "How long an idle workspace keeps running by default.", Adoption),
        One("snapshot.templates[].allow_user_cancel_workspace_jobs", FieldShape.Value, Configuration, "Whether users may cancel their own builds.", Adoption),
        One("snapshot.templates[].allow_user_autostart", FieldShape.Value, Configuration, "Whether users may make workspaces start by themselves.", Adoption),
        One("snapshot.templates[].allow_user_autostop", FieldShape.Value, Configuration, "Whether users may make workspaces stop by themselves.", Adoption),
        One("snapshot.templates[].autostop_requirement_days_of_week", FieldShape.ValueList, Configuration, "The days on which workspaces must stop.", Adoption),
        One("snapshot.templates[].autostop_requirement_weeks", FieldShape.Value, Configuration, "Every how many weeks workspaces must stop.", Adoption),
        One("snapshot.templates[].require_active_version", FieldShape.Value, Configuration, "Whether workspaces must use the newest template version.", Adoption),
        One("snapshot.templates[].deprecated", FieldShape.Value, Configuration, "Whether the template is marked as deprecated.", Adoption),

        // Template versions.
        One("snapshot.template_versions[].id", FieldShape.Value, Identifier, "The version's random id.", Linking),
        One("snapshot.template_versions[].created_at", FieldShape.Value, Timestamp, "When the version was created.", Growth),
        One("snapshot.template_versions[].template_id", FieldShape.Value, Identifier, "The random id of the template it belongs to.", Linking),
        One("snapshot.template_versions[].organization_id", FieldShape.Value, Identifier, "The random id of the organization it belongs to.", Linking),
        One("snapshot.template_versions[].job_id", FieldShape.Value, Identifier, "The random id of the job that imported it.", Linking),

        // Provisioner jobs.
        One("snapshot.provisioner_jobs[].id", FieldShape.Value, Identifier, "The job's random id.", Linking),
        One("snapshot.provisioner_jobs[].organization_id", FieldShape.Value, Identifier, "The random id of the organization the job ran for.", Linking),
        One("snapshot.provisioner_jobs[].initiator_id", FieldShape.Value, Identifier, "The random id of the user who started the job.", Linking),
        One("snapshot.provisioner_jobs[].created_at", FieldShape.Value, Timestamp, "When the job was queued.", Reliability),
        One("snapshot.provisioner_jobs[].updated_at", FieldShape.Value, Timestamp, "When the job last changed.", Reliability),
        One("snapshot.provisioner_jobs[].started_at", FieldShape.Value, Timestamp, "When the job started.", Reliability),
        One("snapshot.provisioner_jobs[].canceled_at", FieldShape.Value, Timestamp, "When the job was canceled, if it was.", Reliability),
        One("snapshot.provisioner_jobs[].completed_at", FieldShape.Value, Timestamp, "When the job finished.", Reliability),
        One("snapshot.provisioner_jobs[].error", FieldShape.Value, FreeText, "The error message of a failed job. It can quote anything, so e-mail and IP addresses in it are masked at level 1.", Reliability),
        One("snapshot.provisioner_jobs[].type", FieldShape.Value, Classification, "What the job did: build a workspace or import a template.", Reliability),

        // Workspace agents.
        One("snapshot.workspace_agents[].id", FieldShape.Value, Identifier, "The agent's random id.", Linking),
        One("snapshot.workspace_agents[].created_at", FieldShape.Value, Timestamp, "When the agent was created.", Growth),
        One("snapshot.workspace_agents[].resource_id", FieldShape.Value, Identifier, "The random id of the resource the agent runs in.", Linking),
        One("snapshot.workspace_agents[].instance_auth", FieldShape.Value, Configuration, "Whether the agent signs in with its cloud machine's identity.", Adoption),
        One("snapshot.workspace_agents[].architecture", FieldShape.Value, HostFact, "The workspace machine's processor type, e.g. amd64.", Platforms),
        One("snapshot.workspace_agents[].operating_system", FieldShape.Value, HostFact, "The workspace machine's operating system, e.g. linux.", Platforms),
        One("snapshot.workspace_agents[].environment_variables", FieldShape.Value, Configuration, "Whether environment variables are set (never their values).", Adoption),
        One("snapshot.workspace_agents[].directory", FieldShape.Value, Configuration, "Whether a start folder is set (never the folder).", Adoption),
        One("snapshot.workspace_agents[].first_connected_at", FieldShape.Value, Timestamp, "When the agent first connected.", Reliability),
        One("snapshot.workspace_agents[].last_connected_at", FieldShape.Value, Timestamp, "When the agent last connected.", Reliability),
        One("snapshot.workspace_agents[].disconnected_at", FieldShape.Value, Timestamp, "When the agent disconnected.", Reliability),
        One("snapshot.workspace_agents[].connection_timeout_seconds", FieldShape.Value, Configuration, "How long Coder waits for the agent to connect.", Reliability),
        One("snapshot.workspace_agents[].subsystems", FieldShape.ValueList, HostFact, "Special environments the agent runs in, e.g. envbox.", Platforms),

        // Workspace agent stats.
        One("snapshot.workspace_agent_stats[].user_id", FieldShape.Value, Identifier, "The random id of the workspace's owner.", Linking),
        One("snapshot.workspace_agent_stats[].template_id", FieldShape.Value, Identifier, "The random id of the workspace's template.", Linking),
        One("snapshot.workspace_agent_stats[].workspace_id", FieldShape.Value, Identifier, "The random id of the workspace.", Linking),
        One("snapshot.workspace_agent_stats[].aggregated_from", FieldShape.Value, Timestamp, "The start of the period the numbers cover.", Growth),
        One("snapshot.workspace_agent_stats[].agent_id", FieldShape.Value, Identifier, "The random id of the agent.", Linking),
        One("snapshot.workspace_agent_stats[].rx_bytes", FieldShape.Value, UsageCount, "How much data the workspace received.", Networking),
        One("snapshot.workspace_agent_stats[].tx_bytes", FieldShape.Value, UsageCount, "How much data the workspace sent.", Networking),
        One("snapshot.workspace_agent_stats[].connection_latency_50", FieldShape.Value, UsageCount, "The typical connection delay, in milliseconds.", Networking),
        One("snapshot.workspace_agent_stats[].connection_latency_95", FieldShape.Value, UsageCount, "The connection delay of the slowest 5%, in milliseconds.", Networking),
        One("snapshot.workspace_agent_stats[].session_count_vscode", FieldShape.Value, UsageCount, "How many VS Code sessions were opened.", Adoption),
        One("snapshot.workspace_agent_stats[].session_count_jetbrains", FieldShape.Value, UsageCount, "How many JetBrains IDE sessions were opened.", Adoption),
        One("snapshot.workspace_agent_stats[].session_count_reconnecting_pty", FieldShape.Value, UsageCount, "How many web terminal sessions were opened.", Adoption),
        One("snapshot.workspace_agent_stats[].session_count_ssh", FieldShape.Value, UsageCount, "How many SSH sessions were opened.", Adoption),

        // Workspace apps.
        One("snapshot.workspace_apps[].id", FieldShape.Value, Identifier, "The app's random id.", Linking),
        One("snapshot.workspace_apps[].created_at", FieldShape.Value, Timestamp, "When the app was created.", Growth),
        One("snapshot.workspace_apps[].agent_id", FieldShape.Value, Identifier, "The random id of the agent serving the app.", Linking),
        One("snapshot.workspace_apps[].icon", FieldShape.Value, Configuration, "The app's icon, which tells what kind of app it is (e.g. /icon/code.svg).", Adoption),
        One("snapshot.workspace_apps[].subdomain", FieldShape.Value, Configuration, "Whether the app is served on its own subdomain.", Adoption),

        // Workspace resources.
        One("snapshot.workspace_resources[].id", FieldShape.Value, Identifier, "The resource's random id.", Linking),
        One("snapshot.workspace_resources[].created_at", FieldShape.Value, Timestamp, "When the resource was created.", Growth),
        One("snapshot.workspace_resources[].job_id", FieldShape.Value, Identifier, "The random id of the job that created it.", Linking),
        One("snapshot.workspace_resources[].transition", FieldShape.Value, Classification, "Whether the build started, stopped or deleted the workspace.", Growth),
        One("snapshot.workspace_resources[].type", FieldShape.Value, Classification, "The kind of resource, e.g. a Docker container or a cloud machine.", Platforms),
        One("snapshot.workspace_resources[].instance_type", FieldShape.Value, HostFact, "The machine size, e.g. t3.large.", Platforms),
        One("snapshot.workspace_resources[].module_path", FieldShape.Value, Configuration, "Where in the template the resource is defined.", Adoption),

        // Workspace resource metadata.
        One("snapshot.workspace_resource_metadata[].resource_id", FieldShape.Value, Identifier, "The random id of the resource.", Linking),
        One("snapshot.workspace_resource_metadata[].key", FieldShape.Value, Configuration, "The name of a piece of metadata, e.g. cpu (never its value).", Adoption),
        One("snapshot.workspace_resource_metadata[].sensitive", FieldShape.Value, Configuration, "Whether the metadata is marked as sensitive.", Adoption),

        // Licenses.
        Two("snapshot.licenses[].jwt", FieldShape.Value, LicenseKey, "The full license key, which names the customer.", Licensing),
        One("snapshot.licenses[].uploaded_at", FieldShape.Value, Timestamp, "When the license was applied.", Licensing),
        One("snapshot.licenses[].exp", FieldShape.Value, Timestamp, "When the license stops working.", Licensing),
        One("snapshot.licenses[].uuid", FieldShape.Value, Identifier, "The license's random id.", Licensing),
        Two("snapshot.licenses[].email", FieldShape.Value, Email, "The e-mail address of the person the license was issued to.", Contact),
        One("snapshot.licenses[].trial", FieldShape.Value, Classification, "Whether the license is a trial.", Licensing),

        // Groups.
        One("snapshot.groups[].id", FieldShape.Value, Identifier, "The group's random id.", Linking),
        One("snapshot.groups[].name", FieldShape.Value, Name, "The group's name. E-mail and IP addresses in it are masked at level 1.", "Shows how teams are organised."),
        One("snapshot.groups[].organization_id", FieldShape.Value, Identifier, "The random id of the organization the group belongs to.", Linking),
        One("snapshot.groups[].avatar_url", FieldShape.Value, Configuration, "The address of the group's picture, if set.", Adoption),
        One("snapshot.groups[].quota_allowance", FieldShape.Value, Configuration, "How many workspaces each member may have.", Adoption),
        One("snapshot.groups[].display_name", FieldShape.Value, Name, "The group's display name. E-mail and IP addresses in it are masked at level 1.", "Shows how teams are organised."),
        One("snapshot.groups[].source", FieldShape.Value, Classification, "Whether the group was made by hand or synced from single sign-on.", Adoption),

        // Group members.
        One("snapshot.group_members[].user_id", FieldShape.Value, Identifier, "The random id of the member.", Linking),
        One("snapshot.group_members[].group_id", FieldShape.Value, Identifier, "The random id of the group.", Linking),

        // Organizations.
        One("snapshot.organizations[].id", FieldShape.Value, Identifier, "The organization's random id (Coder sends no name).", Linking),
        One("snapshot.organizations[].is_default", FieldShape.Value, Classification, "Whether it is the deployment's default organization.", Adoption),
        One("snapshot.organizations[].created_at", FieldShape.Value, Timestamp, "When it was created.", Growth),

        // Network events.
        One("snapshot.network_events[].id", FieldShape.Value, Identifier, "The event's random id.", Linking),
        One("snapshot.network_events[].time", FieldShape.Value, Timestamp, "When it happened.", Networking),
        One("snapshot.network_events[].application", FieldShape.Value, Classification, "What connected, e.g. ssh or the VS Code extension.", Adoption),
        One("snapshot.network_events[].status", FieldShape.Value, Classification, "Whether the connection opened or closed.", Networking),
        One("snapshot.network_events[].client_type", FieldShape.Value, Classification, "The kind of program that reported it: command line, agent or server.", Networking),
        One("snapshot.network_events[].client_version", FieldShape.Value, Configuration, "The version of the program that reported it.", Platforms),
        One("snapshot.network_events[].node_id_self", FieldShape.Value, Identifier, "A random number for the reporting end of the connection.", Linking),
        One("snapshot.network_events[].node_id_remote", FieldShape.Value, Identifier, "A random number for the other end of the connection.", Linking),
        Section("snapshot.network_events[].p2p_endpoint", "The other end's network address, reduced to a scrambled form and coarse facts.", FieldShape.Record),
        Two("snapshot.network_events[].p2p_endpoint.hash", FieldShape.Value, HashedIpAddress, "The other end's IP address, scrambled. There are few enough addresses that it can be unscrambled.", Networking),
        One("snapshot.network_events[].p2p_endpoint.port", FieldShape.Value, Configuration, "The network port of the other end.", Networking),
        Section("snapshot.network_events[].p2p_endpoint.fields", "Coarse facts about the other end's address.", FieldShape.Record),
        One("snapshot.network_events[].p2p_endpoint.fields.version", FieldShape.Value, Classification, "Whether the address is IPv4 or IPv6.", Networking),
        One("snapshot.network_events[].p2p_endpoint.fields.class", FieldShape.Value, Classification, "Whether the address is public, private or local.", Networking),
        One("snapshot.network_events[].home_derp", FieldShape.Value, Configuration, "The relay region the connection prefers.", Networking),
        One("snapshot.network_events[].connection_age", FieldShape.Value, UsageCount, "How long the connection had been open.", Networking),
        One("snapshot.network_events[].p2p_latency", FieldShape.Value, UsageCount, "The delay over the direct path.", Networking),
        One("snapshot.network_events[].derp_latency", FieldShape.Value, UsageCount, "The delay over the relay.", Networking),
        One("snapshot.network_events[].throughput_mbits", FieldShape.Value, UsageCount, "The measured speed, in megabits per second.", Networking),

        // Deployment: host facts.
        One("deployment.id", FieldShape.Value, Identifier, "The random id of this Coder deployment.", "Tells reports of the same deployment apart from other deployments'."),
        One("deployment.architecture", FieldShape.Value, HostFact, "The server's processor type, e.g. amd64.", Platforms),
        One("deployment.builtin_postgres", FieldShape.Value, HostFact, "Whether Coder uses its built-in database.", Platforms),
        One("deployment.containerized", FieldShape.Value, HostFact, "Whether Coder runs in a container.", Platforms),
        One("deployment.kubernetes", FieldShape.Value, HostFact, "Whether Coder runs on Kubernetes.", Platforms),
        Section("deployment.config", "The deployment's settings, with passwords and secrets removed.", FieldShape.Record),
        One("deployment.tunnel", FieldShape.Value, HostFact, "Whether Coder is reached through the vendor's public tunnel.", Platforms),
        One("deployment.install_source", FieldShape.Value, HostFact, "How Coder was installed, e.g. Helm or a system package.", Platforms),
        One("deployment.os_type", FieldShape.Value, HostFact, "The server's operating system type, e.g. linux.", Platforms),
        One("deployment.os_family", FieldShape.Value, HostFact, "The server's operating system family, e.g. debian.", Platforms),
        One("deployment.os_platform", FieldShape.Value, HostFact, "The server's operating system platform, e.g. ubuntu.", Platforms),
        One("deployment.os_name", FieldShape.Value, HostFact, "The server's operating system name.", Platforms),
        One("deployment.os_version", FieldShape.Value, HostFact, "The server's operating system version.", Platforms),
        One("deployment.cpu_cores", FieldShape.Value, HostFact, "How many processor cores the server has.", Platforms),
        One("deployment.memory_total", FieldShape.Value, HostFact, "How much memory the server has, in bytes.", Platforms),
        One("deployment.machine_id", FieldShape.Value, HostFact, "A scrambled, stable id of the server machine; it does not say whose machine it is.", "Tells restarts of one server apart from several servers."),
        One("deployment.started_at", FieldShape.Value, Timestamp, "When the server started.", Reliability),
        One("deployment.shutdown_at", FieldShape.Value, Timestamp, "When the server shut down (only in the last report).", Reliability),
        One("deployment.idp_org_sync", FieldShape.Value, Configuration, "Whether organizations are synced from single sign-on.", Adoption),

        // Deployment: configuration.
        Two("deployment.config.access_url", FieldShape.Value, OrganizationIdentity, "The web address people use to reach Coder; it usually names the company.", Contact),
        Two("deployment.config.wildcard_access_url", FieldShape.Value, OrganizationIdentity, "The web address pattern for workspace apps; it usually names the company.", Contact),
        One("deployment.config.http_address", FieldShape.Value, Configuration, "The network address the server listens on. IP addresses in it are masked at level 1.", Platforms),
        One("deployment.config.redirect_to_access_url", FieldShape.Value, Configuration, "Whether visitors are redirected to the main address.", Adoption),
        One("deployment.config.experiments", FieldShape.ValueList, Configuration, "Experimental features switched on.", Adoption),
        One("deployment.config.disable_password_auth", FieldShape.Value, Configuration, "Whether password sign-in is switched off.", Adoption),
        One("deployment.config.browser_only", FieldShape.Value, Configuration, "Whether only browser connections are allowed.", Adoption),
        Section("deployment.config.telemetry", "Telemetry settings.", FieldShape.Record),
        One("deployment.config.telemetry.enable", FieldShape.Value, Configuration, "Whether telemetry is on.", Adoption),
        One("deployment.config.telemetry.trace", FieldShape.Value, Configuration, "Whether performance traces are sent.", Adoption),
        One("deployment.config.telemetry.url", FieldShape.Value, Configuration, "Where telemetry is sent.", Adoption),
        Section("deployment.config.derp", "Relay settings.", FieldShape.Record),
        Section("deployment.config.derp.server", "The built-in relay server.", FieldShape.Record),
        One("deployment.config.derp.server.enable", FieldShape.Value, Configuration, "Whether the built-in relay runs.", Networking),
        One("deployment.config.derp.server.region_code", FieldShape.Value, Configuration, "The built-in relay's region code.", Networking),
        One("deployment.config.derp.server.stun_addresses", FieldShape.ValueList, Configuration, "Servers used to find direct connections. IP addresses in them are masked at level 1.", Networking),
        Section("deployment.config.oidc", "Single sign-on (OpenID Connect) settings, secrets removed.", FieldShape.Record),
        One("deployment.config.oidc.allow_signups", FieldShape.Value, Configuration, "Whether new users may sign up through single sign-on.", Adoption),
        Two("deployment.config.oidc.email_domain", FieldShape.ValueList, OrganizationIdentity, "The e-mail domains allowed to sign in; they name the company.", Contact),
        Two("deployment.config.oidc.issuer_url", FieldShape.Value, OrganizationIdentity, "The address of the company's sign-in provider; it usually names the company.", Adoption),
        One("deployment.config.oidc.scopes", FieldShape.ValueList, Configuration, "What Coder asks the sign-in provider for.", Adoption),
        Section("deployment.config.oauth2", "OAuth2 sign-in settings, secrets removed.", FieldShape.Record),
        Section("deployment.config.oauth2.github", "GitHub sign-in settings.", FieldShape.Record),
        One("deployment.config.oauth2.github.allow_signups", FieldShape.Value, Configuration, "Whether new users may sign up through GitHub.", Adoption),
        One("deployment.config.oauth2.github.allow_everyone", FieldShape.Value, Configuration, "Whether every GitHub user may sign in.", Adoption),
        Two("deployment.config.oauth2.github.allowed_orgs", FieldShape.ValueList, OrganizationIdentity, "The GitHub organizations whose members may sign in; they name the company.", Adoption),
        Section("deployment.config.prometheus", "Metrics settings.", FieldShape.Record),
        One("deployment.config.prometheus.enable", FieldShape.Value, Configuration, "Whether the metrics endpoint is on.", Adoption),
        One("deployment.config.prometheus.address", FieldShape.Value, Configuration, "The address the metrics endpoint listens on. IP addresses in it are masked at level 1.", Adoption),
        Section("deployment.config.provisioner", "Built-in provisioner settings.", FieldShape.Record),
        One("deployment.config.provisioner.daemons", FieldShape.Value, Configuration, "How many built-in provisioners run.", Platforms),
    ];

    private static DictionaryEntry One(string path, FieldShape shape, FieldCategory category, string description, string purpose) =>
        new(path, shape, category, TelemetryLevel.Lightweight, description, purpose);

    private static DictionaryEntry Two(string path, FieldShape shape, FieldCategory category, string description, string purpose, string? reason = null) =>
        new(path, shape, category, TelemetryLevel.Full, description, purpose, reason ?? $"{FieldCategories.Label(category)} could tie the data to a person or organisation.");

    private static DictionaryEntry Section(string path, string description, FieldShape shape = FieldShape.RecordList) =>
        new(path, shape, FieldCategory.Section, TelemetryLevel.Lightweight, description, Structure);
}
