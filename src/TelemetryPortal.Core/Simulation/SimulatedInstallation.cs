using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using TelemetryPortal.Core.Snapshots;

namespace TelemetryPortal.Core.Simulation;

/// <summary>
/// A made-up but realistic Coder installation: people with names and e-mail addresses, workspaces
/// and templates with activity spread over time, API keys with IP addresses, and failed jobs whose
/// error messages quote e-mail and IP addresses, as real ones do. Deterministic for given options.
/// </summary>
public sealed class SimulatedInstallation
{
    private static readonly string[] s_firstNames = ["alice", "bob", "carla", "deepak", "elena", "farid", "grace", "hiro", "ines", "jonas", "kemal", "lena", "mateo", "nadia", "oskar", "priya", "quentin", "rosa", "sven", "tomoko", "ugo", "vera", "wei", "ximena", "yusuf", "zoe"];
    private static readonly string[] s_lastNames = ["smith", "garcia", "muller", "nguyen", "kowalski", "rossi", "tanaka", "okafor", "silva", "johansson", "haddad", "novak", "petrov", "kim", "oconnor", "dubois", "singh", "fischer", "lopez", "andersen"];
    private static readonly string[] s_companies = ["acme", "globex", "initech", "umbrella", "hooli", "vandelay", "stark", "wayne"];
    private static readonly string[] s_templateNames = ["docker-dev", "kubernetes-go", "aws-ec2-linux", "gcp-vm-python", "azure-windows", "devcontainer-node", "jetbrains-gateway", "gpu-ml-notebook", "rust-nightly", "java-spring"];
    private static readonly string[] s_groupNames = ["platform-team", "data-science", "frontend", "backend", "sre", "security", "mobile", "qa", "contractors", "interns"];
    private static readonly string[] s_workspaceNames = ["dev", "api", "web", "sandbox", "debug", "ml", "infra", "docs", "test", "main"];
    private static readonly string[] s_roles = ["template-admin", "user-admin", "auditor"];
    private static readonly string[] s_loginTypes = ["password", "github", "oidc", "oidc", "oidc"];
    private static readonly string[] s_resourceTypes = ["docker_container", "kubernetes_pod", "aws_instance", "google_compute_instance", "azurerm_linux_virtual_machine", "docker_volume"];
    private static readonly string[] s_instanceTypes = ["", "t3.large", "m5.xlarge", "e2-standard-4", "Standard_D4s_v3", "g5.2xlarge"];
    private static readonly string[] s_metadataKeys = ["cpu", "memory", "disk", "image", "region", "zone"];
    private static readonly string[] s_icons = ["/icon/code.svg", "/icon/jupyter.svg", "/icon/terminal.svg", "/icon/intellij.svg", "/icon/pgadmin.png"];
    private static readonly string[] s_days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    private static readonly string[] s_applications = ["ssh", "vscode", "jetbrains", "port-forward", "web-terminal"];
    private static readonly string[] s_errors =
    [
        "terraform apply: Error: creating EC2 Instance: UnauthorizedOperation: You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/{email} is not authorized",
        "dial tcp {ipv4}:5432: connect: connection refused",
        "ssh: handshake failed: {user}@{ipv4}: permission denied (publickey)",
        "pulling image registry.{domain}/dev/base:latest: unauthorized: authentication required for {email}",
        "Get \"https://[{ipv6}]:6443/api/v1/namespaces/coder/pods\": dial tcp [{ipv6}]:6443: i/o timeout",
        "coder agent: failed to report stats to {ipv4}: context deadline exceeded",
        "Error: googleapi: Error 403: Permission 'compute.instances.create' denied for {email} on project dev-{company}",
        "workspace quota exceeded: the owner has used 5 of 5 allowed workspaces",
        "Error: Kubernetes cluster unreachable: Get \"https://{ipv4}:443/version\": x509: certificate signed by unknown authority",
        "git clone git@github.com:{company}/infra.git: Permission denied (publickey); contact {email}",
    ];

    private readonly SimulationOptions _options;
    private readonly DateTimeOffset _now;

    /// <summary>Creates the installation; nothing is generated until asked for.</summary>
    public SimulatedInstallation(SimulationOptions? options = null)
    {
        _options = options ?? new SimulationOptions();
        _options.Validate();
        _now = _options.Now.ToUniversalTime();
        DeploymentId = _options.DeploymentId ?? Id(Table.Deployment, 0);
    }

    private enum Table
    {
        Deployment = 1,
        Organization,
        User,
        Group,
        GroupMember,
        Template,
        Version,
        Workspace,
        Recent,
        ApiKey,
        License,
        Build,
        Job,
        Resource,
        Agent,
        App,
        NetworkEvent,
    }

    /// <summary>The options in force.</summary>
    public SimulationOptions Options => _options;

    /// <summary>The deployment's id.</summary>
    public Guid DeploymentId { get; }

    /// <summary>The host facts and configuration, as Coder's <c>/deployment</c> payload.</summary>
    public Deployment CreateDeployment(DateTimeOffset? shutdownAt = null)
    {
        var rng = new Rng(_options.Seed, (int)Table.Deployment, 1);
        var company = s_companies[Math.Abs(_options.Seed) % s_companies.Length];
        return new Deployment
        {
            Id = DeploymentId,
            Architecture = rng.Chance(0.8) ? "amd64" : "arm64",
            BuiltinPostgres = rng.Chance(0.2),
            Containerized = true,
            Kubernetes = rng.Chance(0.7),
            Tunnel = false,
            InstallSource = rng.Pick(["helm", "docker", "system-package"]),
            OsType = "linux",
            OsFamily = "debian",
            OsPlatform = "ubuntu",
            OsName = "Ubuntu",
            OsVersion = "22.04",
            CpuCores = rng.Pick([4, 8, 16, 32]),
            MemoryTotal = (ulong)rng.Pick([16, 32, 64, 128]) * 1024 * 1024 * 1024,
            MachineId = Convert.ToHexStringLower(SHA256.HashData(DeploymentId.ToByteArray()))[..32],
            StartedAt = _now.AddDays(-rng.Next(1, 30)).AddMinutes(-rng.Next(1440)),
            ShutdownAt = shutdownAt,
            IdpOrgSync = rng.Chance(0.3),
            Config = new DeploymentConfig
            {
                AccessUrl = $"https://coder.{company}.example",
                WildcardAccessUrl = $"*.coder.{company}.example",
                HttpAddress = $"{Ipv4(ref rng, privateOnly: true)}:3000",
                RedirectToAccessUrl = true,
                Experiments = rng.Chance(0.5) ? ["workspace-usage"] : [],
                DisablePasswordAuth = rng.Chance(0.4),
                BrowserOnly = false,
                Telemetry = new TelemetryConfig { Enable = true, Trace = false, Url = "https://telemetry.coder.com" },
                Derp = new DerpConfig
                {
                    Server = new DerpServerConfig { Enable = true, RegionCode = "coder", StunAddresses = ["stun.l.google.com:19302", $"{Ipv4(ref rng, privateOnly: false)}:3478"] },
                },
                Oidc = new OidcConfig
                {
                    AllowSignups = true,
                    EmailDomain = [$"{company}.example"],
                    IssuerUrl = $"https://login.{company}.example/realms/engineering",
                    Scopes = ["openid", "profile", "email"],
                },
                OAuth2 = new OAuth2Config { Github = new GithubAuthConfig { AllowSignups = false, AllowEveryone = false, AllowedOrgs = [company] } },
                Prometheus = new PrometheusConfig { Enable = rng.Chance(0.6), Address = "127.0.0.1:2112" },
                Provisioner = new ProvisionerConfig { Daemons = rng.Pick([3, 5, 10]) },
            },
        };
    }

    /// <summary>The database records, as Coder's <c>/snapshot</c> payload, in memory. For large sizes prefer <see cref="WriteSnapshot(Utf8JsonWriter)"/>.</summary>
    public Snapshot CreateSnapshot() => new()
    {
        DeploymentId = DeploymentId,
        Users = [.. Users()],
        ApiKeys = [.. ApiKeys()],
        Workspaces = [.. Workspaces()],
        WorkspaceBuilds = [.. WorkspaceBuilds()],
        Templates = [.. Templates()],
        TemplateVersions = [.. TemplateVersions()],
        ProvisionerJobs = [.. ProvisionerJobs()],
        WorkspaceAgents = [.. WorkspaceAgents()],
        WorkspaceAgentStats = [.. WorkspaceAgentStats()],
        WorkspaceApps = [.. WorkspaceApps()],
        WorkspaceResources = [.. WorkspaceResources()],
        WorkspaceResourceMetadata = [.. WorkspaceResourceMetadata()],
        Licenses = [.. Licenses()],
        Groups = [.. Groups()],
        GroupMembers = [.. GroupMembers()],
        Organizations = [.. Organizations()],
        NetworkEvents = [.. NetworkEvents()],
    };

    /// <summary>
    /// Writes the snapshot record by record, never holding it whole; the bytes equal
    /// <see cref="TelemetryJson.Serialize(Snapshot)"/> of <see cref="CreateSnapshot"/>.
    /// </summary>
    public void WriteSnapshot(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var context = TelemetryJsonContext.Default;
        writer.WriteStartObject();
        writer.WriteString("deployment_id", DeploymentId);
        WriteList(writer, "users", Users(), context.User);
        WriteList(writer, "api_keys", ApiKeys(), context.ApiKey);
        WriteList(writer, "workspaces", Workspaces(), context.Workspace);
        WriteList(writer, "workspace_build", WorkspaceBuilds(), context.WorkspaceBuild);
        WriteList(writer, "templates", Templates(), context.Template);
        WriteList(writer, "template_versions", TemplateVersions(), context.TemplateVersion);
        WriteList(writer, "provisioner_jobs", ProvisionerJobs(), context.ProvisionerJob);
        WriteList(writer, "workspace_agents", WorkspaceAgents(), context.WorkspaceAgent);
        WriteList(writer, "workspace_agent_stats", WorkspaceAgentStats(), context.WorkspaceAgentStat);
        WriteList(writer, "workspace_apps", WorkspaceApps(), context.WorkspaceApp);
        WriteList(writer, "workspace_resources", WorkspaceResources(), context.WorkspaceResource);
        WriteList(writer, "workspace_resource_metadata", WorkspaceResourceMetadata(), context.WorkspaceResourceMetadata);
        WriteList(writer, "licenses", Licenses(), context.License);
        WriteList(writer, "groups", Groups(), context.Group);
        WriteList(writer, "group_members", GroupMembers(), context.GroupMember);
        WriteList(writer, "organizations", Organizations(), context.Organization);
        WriteList(writer, "network_events", NetworkEvents(), context.NetworkEvent);
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>Writes the snapshot to a stream, record by record.</summary>
    public void WriteSnapshot(System.IO.Stream output)
    {
        using var writer = new Utf8JsonWriter(output);
        WriteSnapshot(writer);
    }

    /// <summary>The organizations.</summary>
    public IEnumerable<Organization> Organizations()
    {
        for (var i = 0; i < _options.Organizations; i++)
        {
            var rng = new Rng(_options.Seed, (int)Table.Organization, i);
            yield return new Organization { Id = Id(Table.Organization, i), IsDefault = i == 0, CreatedAt = Past(ref rng, 900) };
        }
    }

    /// <summary>The users.</summary>
    public IEnumerable<User> Users()
    {
        for (var i = 0; i < _options.Users; i++)
        {
            var rng = new Rng(_options.Seed, (int)Table.User, i);
            var email = Email(i);
            var at = email.IndexOf('@', StringComparison.Ordinal);
            var loginType = i == 0 ? "password" : rng.Pick(s_loginTypes);
            var roles = i == 0 ? new[] { "owner" } : rng.Chance(0.1) ? [rng.Pick(s_roles)] : [];
            yield return new User
            {
                Id = Id(Table.User, i),
                CreatedAt = Past(ref rng, 730),
                Email = i == 0 ? email : null,
                EmailHashed = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email[..at]))) + email[at..],
                RbacRoles = roles,
                Status = rng.Chance(0.85) ? "active" : rng.Chance(0.8) ? "dormant" : "suspended",
                GithubComUserId = loginType == "github" ? 1_000_000 + rng.Next(90_000_000) : null,
                LoginType = loginType,
            };
        }
    }

    /// <summary>The API keys used in the last hour.</summary>
    public IEnumerable<ApiKey> ApiKeys()
    {
        for (var i = 0; i < _options.Users; i++)
        {
            var rng = new Rng(_options.Seed, (int)Table.ApiKey, i);
            if (!rng.Chance(_options.ActiveUsers))
            {
                continue;
            }

            var lastUsed = _now.AddSeconds(-rng.Next(3600));
            yield return new ApiKey
            {
                Id = Convert.ToHexStringLower(BitConverter.GetBytes(rng.NextUInt64()))[..10],
                UserId = Id(Table.User, i),
                CreatedAt = lastUsed.AddHours(-rng.Next(1, 24 * 7)),
                LastUsed = lastUsed,
                LoginType = rng.Pick(s_loginTypes),
                IpAddress = rng.Chance(0.2) ? Ipv6(ref rng) : Ipv4(ref rng, privateOnly: rng.Chance(0.7)),
            };
        }
    }

    /// <summary>The groups.</summary>
    public IEnumerable<Group> Groups()
    {
        for (var i = 0; i < _options.Groups; i++)
        {
            var rng = new Rng(_options.Seed, (int)Table.Group, i);
            var name = s_groupNames[i % s_groupNames.Length] + (i >= s_groupNames.Length ? $"-{i / s_groupNames.Length}" : "");
            yield return new Group
            {
                Id = Id(Table.Group, i),
                Name = name,
                OrganizationId = Id(Table.Organization, i % _options.Organizations),
                AvatarUrl = rng.Chance(0.3) ? $"/emojis/{rng.Next(1, 50):x4}.png" : "",
                QuotaAllowance = rng.Pick([0, 3, 5, 10]),
                DisplayName = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(name.Replace('-', ' ')),
                Source = rng.Chance(0.4) ? "oidc" : "user",
            };
        }
    }

    /// <summary>Who belongs to which group: every user to one or two groups.</summary>
    public IEnumerable<GroupMember> GroupMembers()
    {
        if (_options.Groups == 0)
        {
            yield break;
        }

        for (var i = 0; i < _options.Users; i++)
        {
            var rng = new Rng(_options.Seed, (int)Table.GroupMember, i);
            var first = rng.Next(_options.Groups);
            yield return new GroupMember { UserId = Id(Table.User, i), GroupId = Id(Table.Group, first) };
            if (_options.Groups > 1 && rng.Chance(0.4))
            {
                yield return new GroupMember { UserId = Id(Table.User, i), GroupId = Id(Table.Group, (first + 1 + rng.Next(_options.Groups - 1)) % _options.Groups) };
            }
        }
    }

    /// <summary>The templates.</summary>
    public IEnumerable<Template> Templates()
    {
        for (var i = 0; i < _options.Templates; i++)
        {
            var rng = new Rng(_options.Seed, (int)Table.Template, i);
            var created = Past(ref rng, 600);
            yield return new Template
            {
                Id = Id(Table.Template, i),
                CreatedBy = Id(Table.User, rng.Next(Math.Min(_options.Users, 5))),
                CreatedAt = created,
                UpdatedAt = created.AddDays(rng.Next(0, 60)),
                OrganizationId = TemplateOrganization(i),
                Deleted = rng.Chance(0.05),
                ActiveVersionId = Id(Table.Version, (i * _options.VersionsPerTemplate) + _options.VersionsPerTemplate - 1),
                Name = s_templateNames[i % s_templateNames.Length] + (i >= s_templateNames.Length ? $"-{i / s_templateNames.Length}" : ""),
                Description = rng.Chance(0.7),
                DefaultTtlMs = rng.Pick([0L, 3_600_000L, 28_800_000L]),
                AllowUserCancelWorkspaceJobs = rng.Chance(0.5),
                AllowUserAutostart = rng.Chance(0.8),
                AllowUserAutostop = rng.Chance(0.8),
                AutostopRequirementDaysOfWeek = rng.Chance(0.3) ? ["saturday", "sunday"] : [],
                AutostopRequirementWeeks = rng.Pick([0L, 1L, 2L]),
                RequireActiveVersion = rng.Chance(0.2),
                Deprecated = rng.Chance(0.05),
            };
        }
    }

    /// <summary>The template versions.</summary>
    public IEnumerable<TemplateVersion> TemplateVersions()
    {
        for (var i = 0; i < _options.Templates * _options.VersionsPerTemplate; i++)
        {
            var rng = new Rng(_options.Seed, (int)Table.Version, i);
            var template = i / _options.VersionsPerTemplate;
            yield return new TemplateVersion
            {
                Id = Id(Table.Version, i),
                CreatedAt = Past(ref rng, 500),
                TemplateId = Id(Table.Template, template),
                OrganizationId = TemplateOrganization(template),
                JobId = Id(Table.Version, i + 1_000_000_000L),
            };
        }
    }

    /// <summary>The workspaces.</summary>
    public IEnumerable<Workspace> Workspaces()
    {
        for (var i = 0; i < _options.Workspaces; i++)
        {
            var rng = new Rng(_options.Seed, (int)Table.Workspace, i);
            var owner = Owner(i);
            var template = TemplateOf(i);
            yield return new Workspace
            {
                Id = Id(Table.Workspace, i),
                OrganizationId = TemplateOrganization(template),
                OwnerId = Id(Table.User, owner),
                TemplateId = Id(Table.Template, template),
                CreatedAt = Past(ref rng, 400),
                Deleted = rng.Chance(0.08),
                Name = rng.Chance(0.5) ? rng.Pick(s_workspaceNames) : $"{s_firstNames[owner % s_firstNames.Length]}-{rng.Pick(s_workspaceNames)}-{rng.Next(1, 9)}",
                AutostartSchedule = rng.Chance(0.3) ? $"CRON_TZ={rng.Pick(["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"])} {rng.Next(60)} {rng.Next(6, 10)} * * 1-5" : "",
                AutomaticUpdates = rng.Chance(0.2) ? "always" : "never",
            };
        }
    }

    /// <summary>The builds of the last hour.</summary>
    public IEnumerable<WorkspaceBuild> WorkspaceBuilds()
    {
        foreach (var a in RecentActivities())
        {
            yield return new WorkspaceBuild
            {
                Id = Id(Table.Build, a.Workspace),
                CreatedAt = a.Started,
                WorkspaceId = Id(Table.Workspace, a.Workspace),
                TemplateVersionId = Id(Table.Version, (TemplateOf(a.Workspace) * _options.VersionsPerTemplate) + _options.VersionsPerTemplate - 1),
                JobId = Id(Table.Job, a.Workspace),
                BuildNumber = a.BuildNumber,
                HasAiTask = a.AiTask,
            };
        }
    }

    /// <summary>The provisioner jobs of the last hour; some failed, and their errors quote addresses.</summary>
    public IEnumerable<ProvisionerJob> ProvisionerJobs()
    {
        foreach (var a in RecentActivities())
        {
            var rng = new Rng(_options.Seed, (int)Table.Job, a.Workspace);
            var canceled = !a.Failed && rng.Chance(0.02);
            yield return new ProvisionerJob
            {
                Id = Id(Table.Job, a.Workspace),
                OrganizationId = TemplateOrganization(TemplateOf(a.Workspace)),
                InitiatorId = Id(Table.User, Owner(a.Workspace)),
                CreatedAt = a.Started,
                UpdatedAt = a.Completed,
                StartedAt = a.Started.AddSeconds(rng.Next(1, 5)),
                CanceledAt = canceled ? a.Completed : null,
                CompletedAt = a.Completed,
                Error = a.Failed ? ErrorMessage(ref rng, Owner(a.Workspace)) : "",
                Type = "workspace_build",
            };
        }
    }

    /// <summary>The agents of the last hour.</summary>
    public IEnumerable<WorkspaceAgent> WorkspaceAgents()
    {
        foreach (var a in RecentActivities())
        {
            if (a.Failed)
            {
                continue;
            }

            var rng = new Rng(_options.Seed, (int)Table.Agent, a.Workspace);
            yield return new WorkspaceAgent
            {
                Id = Id(Table.Agent, a.Workspace),
                CreatedAt = a.Completed,
                ResourceId = Id(Table.Resource, a.Workspace * 4L),
                InstanceAuth = rng.Chance(0.3),
                Architecture = rng.Chance(0.85) ? "amd64" : "arm64",
                OperatingSystem = rng.Chance(0.95) ? "linux" : "windows",
                EnvironmentVariables = rng.Chance(0.6),
                Directory = rng.Chance(0.5),
                FirstConnectedAt = a.Completed.AddSeconds(rng.Next(2, 30)),
                LastConnectedAt = _now.AddSeconds(-rng.Next(60)),
                DisconnectedAt = rng.Chance(0.1) ? _now.AddSeconds(-rng.Next(60)) : null,
                ConnectionTimeoutSeconds = 120,
                Subsystems = rng.Chance(0.2) ? ["envbox"] : [],
            };
        }
    }

    /// <summary>The agent statistics of the last hour.</summary>
    public IEnumerable<WorkspaceAgentStat> WorkspaceAgentStats()
    {
        foreach (var a in RecentActivities())
        {
            if (a.Failed)
            {
                continue;
            }

            var rng = new Rng(_options.Seed, (int)Table.Agent, a.Workspace + 1_000_000_000L);
            var latency = 5 + (rng.NextDouble() * 80);
            yield return new WorkspaceAgentStat
            {
                UserId = Id(Table.User, Owner(a.Workspace)),
                TemplateId = Id(Table.Template, TemplateOf(a.Workspace)),
                WorkspaceId = Id(Table.Workspace, a.Workspace),
                AggregatedFrom = _now.AddMinutes(-30),
                AgentId = Id(Table.Agent, a.Workspace),
                RxBytes = rng.Next(1_000, 500_000_000),
                TxBytes = rng.Next(1_000, 200_000_000),
                ConnectionLatency50 = Math.Round(latency, 3),
                ConnectionLatency95 = Math.Round(latency * (1.5 + rng.NextDouble()), 3),
                SessionCountVsCode = rng.Next(4),
                SessionCountJetBrains = rng.Next(2),
                SessionCountReconnectingPty = rng.Next(3),
                SessionCountSsh = rng.Next(5),
            };
        }
    }

    /// <summary>The apps of the last hour.</summary>
    public IEnumerable<WorkspaceApp> WorkspaceApps()
    {
        foreach (var a in RecentActivities())
        {
            if (a.Failed)
            {
                continue;
            }

            var rng = new Rng(_options.Seed, (int)Table.App, a.Workspace);
            for (var app = 0; app < a.Apps; app++)
            {
                yield return new WorkspaceApp
                {
                    Id = Id(Table.App, (a.Workspace * 4L) + app),
                    CreatedAt = a.Completed,
                    AgentId = Id(Table.Agent, a.Workspace),
                    Icon = rng.Pick(s_icons),
                    Subdomain = rng.Chance(0.4),
                };
            }
        }
    }

    /// <summary>The resources of the last hour.</summary>
    public IEnumerable<WorkspaceResource> WorkspaceResources()
    {
        foreach (var a in RecentActivities())
        {
            var rng = new Rng(_options.Seed, (int)Table.Resource, a.Workspace);
            for (var r = 0; r < a.Resources; r++)
            {
                yield return new WorkspaceResource
                {
                    Id = Id(Table.Resource, (a.Workspace * 4L) + r),
                    CreatedAt = a.Completed,
                    JobId = Id(Table.Job, a.Workspace),
                    Transition = a.Transition,
                    Type = rng.Pick(s_resourceTypes),
                    InstanceType = rng.Pick(s_instanceTypes),
                    ModulePath = rng.Chance(0.7) ? (rng.Chance(0.5) ? "" : "module.code-server") : null,
                };
            }
        }
    }

    /// <summary>The metadata keys of the resources of the last hour.</summary>
    public IEnumerable<WorkspaceResourceMetadata> WorkspaceResourceMetadata()
    {
        foreach (var a in RecentActivities())
        {
            var rng = new Rng(_options.Seed, (int)Table.Resource, a.Workspace + 1_000_000_000L);
            for (var r = 0; r < a.Resources; r++)
            {
                for (var m = 0; m < 2; m++)
                {
                    yield return new WorkspaceResourceMetadata
                    {
                        ResourceId = Id(Table.Resource, (a.Workspace * 4L) + r),
                        Key = s_metadataKeys[(r + (m * 3) + a.Workspace) % s_metadataKeys.Length],
                        Sensitive = rng.Chance(0.1),
                    };
                }
            }
        }
    }

    /// <summary>The licenses.</summary>
    public IEnumerable<License> Licenses()
    {
        for (var i = 0; i < _options.Licenses; i++)
        {
            var rng = new Rng(_options.Seed, (int)Table.License, i);
            var uploaded = Past(ref rng, 300);
            var exp = uploaded.AddDays(365 + 30);
            var email = $"licensing@{Domain(0)}";
            var claims = $$"""{"license_expires":{{exp.AddDays(-30).ToUnixTimeSeconds()}},"account_type":"salesforce","account_id":"{{s_companies[i % s_companies.Length]}}","email":"{{email}}","trial":false}""";
            yield return new License
            {
                Jwt = $"eyJhbGciOiJFZERTQSIsImtpZCI6InYxIiwidHlwIjoiSldUIn0.{Base64Url(Encoding.UTF8.GetBytes(claims))}.{Base64Url(BitConverter.GetBytes(rng.NextUInt64()))}",
                UploadedAt = uploaded,
                Exp = exp,
                Uuid = Id(Table.License, i),
                Email = email,
                Trial = false,
            };
        }
    }

    /// <summary>The network events of the last hour.</summary>
    public IEnumerable<NetworkEvent> NetworkEvents()
    {
        foreach (var a in RecentActivities())
        {
            if (a.Failed)
            {
                continue;
            }

            var rng = new Rng(_options.Seed, (int)Table.NetworkEvent, a.Workspace);
            var v6 = rng.Chance(0.2);
            yield return new NetworkEvent
            {
                Id = Id(Table.NetworkEvent, a.Workspace),
                Time = a.Completed.AddSeconds(rng.Next(30, 600)),
                Application = rng.Pick(s_applications),
                Status = rng.Chance(0.7) ? "connected" : "disconnected",
                ClientType = rng.Pick(["cli", "agent", "coderd"]),
                ClientVersion = $"v2.{rng.Next(10, 22)}.{rng.Next(6)}",
                NodeIdSelf = rng.NextUInt64(),
                NodeIdRemote = rng.NextUInt64(),
                P2pEndpoint = new NetworkEndpoint
                {
                    Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(v6 ? Ipv6(ref rng) : Ipv4(ref rng, privateOnly: false))))[..32],
                    Port = rng.Next(1024, 65535),
                    Fields = new NetworkAddressFields { Version = v6 ? 6 : 4, Class = rng.Pick(["public", "private", "private", "link_local"]) },
                },
                HomeDerp = rng.Pick([1, 999, 10, 11]),
                ConnectionAge = rng.Next(1, 3600) * 1_000_000_000L,
                P2pLatency = rng.Chance(0.7) ? rng.Next(1, 90) * 1_000_000L : null,
                DerpLatency = rng.Next(5, 200) * 1_000_000L,
                ThroughputMbits = rng.Chance(0.5) ? (float)Math.Round(rng.NextDouble() * 900, 1) : null,
            };
        }
    }

    private readonly record struct RecentActivity(int Workspace, DateTimeOffset Started, DateTimeOffset Completed, bool Failed, int BuildNumber, bool AiTask, int Resources, int Apps, string Transition);

    private IEnumerable<RecentActivity> RecentActivities()
    {
        for (var i = 0; i < _options.Workspaces; i++)
        {
            var rng = new Rng(_options.Seed, (int)Table.Recent, i);
            if (!rng.Chance(_options.RecentActivity))
            {
                continue;
            }

            var started = _now.AddSeconds(-rng.Next(60, 3600));
            var completed = started.AddSeconds(rng.Next(5, 50));
            yield return new RecentActivity(
                i,
                started,
                completed,
                rng.Chance(_options.FailedJobs),
                rng.Next(1, 400),
                rng.Chance(0.05),
                rng.Next(1, 3),
                rng.Next(1, 4),
                rng.Chance(0.75) ? "start" : rng.Chance(0.8) ? "stop" : "delete");
        }
    }

    private string ErrorMessage(ref Rng rng, int user)
    {
        var email = Email(user);
        var company = s_companies[TemplateOrganizationIndex(0) % s_companies.Length];
        return rng.Pick(s_errors)
            .Replace("{email}", email, StringComparison.Ordinal)
            .Replace("{user}", email[..email.IndexOf('@', StringComparison.Ordinal)], StringComparison.Ordinal)
            .Replace("{ipv4}", Ipv4(ref rng, privateOnly: rng.Chance(0.6)), StringComparison.Ordinal)
            .Replace("{ipv6}", Ipv6(ref rng), StringComparison.Ordinal)
            .Replace("{domain}", Domain(0), StringComparison.Ordinal)
            .Replace("{company}", company, StringComparison.Ordinal);
    }

    private Guid Id(Table table, long index) => new Rng(_options.Seed, 1000 + (int)table, index).NextGuid();

    private string Email(int user)
    {
        var first = s_firstNames[user % s_firstNames.Length];
        var last = s_lastNames[(user / s_firstNames.Length) % s_lastNames.Length];
        var n = user / (s_firstNames.Length * s_lastNames.Length);
        return $"{first}.{last}{(n > 0 ? n.ToString(CultureInfo.InvariantCulture) : "")}@{Domain(user % _options.Organizations)}";
    }

    private string Domain(int organization) => $"{s_companies[(Math.Abs(_options.Seed) + organization) % s_companies.Length]}.example";

    private int Owner(int workspace) => new Rng(_options.Seed, (int)Table.Workspace + 100, workspace).Next(_options.Users);

    private int TemplateOf(int workspace) => new Rng(_options.Seed, (int)Table.Workspace + 200, workspace).Next(_options.Templates);

    private int TemplateOrganizationIndex(int template) => template % _options.Organizations;

    private Guid TemplateOrganization(int template) => Id(Table.Organization, TemplateOrganizationIndex(template));

    private DateTimeOffset Past(ref Rng rng, int maxDays) =>
        _now.AddSeconds(-rng.Next(3600, maxDays * 86_400)).AddTicks(-rng.Next(10_000_000));

    private static string Ipv4(ref Rng rng, bool privateOnly)
    {
        if (privateOnly)
        {
            return rng.Next(3) switch
            {
                0 => $"10.{rng.Next(256)}.{rng.Next(256)}.{rng.Next(1, 255)}",
                1 => $"172.{rng.Next(16, 32)}.{rng.Next(256)}.{rng.Next(1, 255)}",
                _ => $"192.168.{rng.Next(256)}.{rng.Next(1, 255)}",
            };
        }

        return $"{rng.Next(1, 224)}.{rng.Next(256)}.{rng.Next(256)}.{rng.Next(1, 255)}";
    }

    private static string Ipv6(ref Rng rng) => rng.Next(3) switch
    {
        0 => $"2001:db8:{rng.Next(0x10000):x}:{rng.Next(0x10000):x}::{rng.Next(1, 0x10000):x}",
        1 => $"fe80::{rng.Next(0x10000):x}:{rng.Next(0x10000):x}:{rng.Next(0x10000):x}:{rng.Next(1, 0x10000):x}",
        _ => $"2a02:{rng.Next(0x10000):x}:{rng.Next(0x10000):x}:{rng.Next(0x10000):x}:{rng.Next(0x10000):x}:{rng.Next(0x10000):x}:{rng.Next(0x10000):x}:{rng.Next(1, 0x10000):x}",
    };

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static void WriteList<T>(Utf8JsonWriter writer, string name, IEnumerable<T> items, JsonTypeInfo<T> type)
    {
        writer.WritePropertyName(name);
        writer.WriteStartArray();
        foreach (var item in items)
        {
            JsonSerializer.Serialize(writer, item, type);
            if (writer.BytesPending > 64 * 1024)
            {
                writer.Flush();
            }
        }

        writer.WriteEndArray();
    }
}
