using TelemetryPortal.Core.Snapshots;

namespace TelemetryPortal.Core.Simulation;

// What happened lately. Events lie on a fixed timeline (hour slots since 1970, each with its own random
// stream, every draw made before the window check), so a report lists what falls in its window and two
// reports half an hour apart share what both windows cover. Values that really move between reports
// (agents' last contact, statistics, counters) come from a stream that also takes the half hour.
public sealed partial class SimulatedInstallation
{
    private const long SlotStride = 1L << 24;

    private static readonly string[] s_resourceTypes = ["docker_container", "kubernetes_pod", "aws_instance", "google_compute_instance", "azurerm_linux_virtual_machine", "docker_volume"];
    private static readonly string[] s_instanceTypes = ["", "t3.large", "m5.xlarge", "e2-standard-4", "Standard_D4s_v3", "g5.2xlarge"];
    private static readonly string[] s_metadataKeys = ["cpu", "memory", "disk", "image", "region", "zone"];
    private static readonly string[] s_icons = ["/icon/code.svg", "/icon/jupyter.svg", "/icon/terminal.svg", "/icon/intellij.svg", "/icon/pgadmin.png"];
    private static readonly string[] s_applications = ["ssh", "vscode", "jetbrains", "port-forward", "web-terminal"];
    private static readonly string[] s_commands = ["coder ssh", "coder port-forward", "coder config-ssh", "coder list", "coder start", "coder stop", "coder templates push", "coder login", "coder dotfiles", "coder open vscode"];
    private static readonly (string Name, string Source)[] s_cliOptions = [("stdio", "flag"), ("yes", "flag"), ("url", "env"), ("global-config", "default"), ("disable-autostart", "flag"), ("wait", "yaml")];
    private static readonly (string Key, string Source, string Type)[] s_modules =
    [
        ("code-server", "registry.coder.com/coder/code-server/coder", "registry"),
        ("jetbrains-gateway", "registry.coder.com/coder/jetbrains-gateway/coder", "registry"),
        ("git-clone", "registry.coder.com/coder/git-clone/coder", "registry"),
        ("dotfiles", "git::https://git.{company}.example/platform/terraform-modules.git//dotfiles?ref=v1.4.2", "git"),
        ("vault", "./modules/vault", "local"),
    ];

    private static readonly (string Provider, string Model, string Client, string Route)[] s_aiModels =
    [
        ("anthropic", "claude-sonnet-4-5", "claude-code", "/v1/messages"),
        ("openai", "gpt-5", "codex", "/v1/responses"),
        ("anthropic", "claude-opus-4-1", "cursor", "/v1/messages"),
    ];

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
        "Error: Invalid value for variable: <region> must be one of \"eu-central-1\" & \"us-east-1\"; ask {email}",
    ];

    private DerpMap? _derpMap;

    /// <summary>A workspace build of the last hour with its job's state at <see cref="SimulationOptions.Now"/>.</summary>
    private readonly record struct RecentBuild(
        int Workspace, long Index, DateTimeOffset Created, DateTimeOffset? Started, DateTimeOffset? Completed,
        bool Failed, bool Canceled, uint BuildNumber, bool AiTask, int Resources, int Apps, string Transition)
    {
        public bool CreatedResources => Completed is not null && !Canceled && Transition != "delete";

        public bool HasAgent => Completed is not null && !Failed && !Canceled && Transition == "start";
    }

    /// <summary>The API keys used in the last hour, with the address each was last used from.</summary>
    public IEnumerable<ApiKey> ApiKeys()
    {
        var from = _now.AddHours(-1);
        var week = HourOf(_now) / (24 * 7);
        for (var i = 0; i < _options.Users; i++)
        {
            // A user's session key lives for a week; within it, use comes in hour slots.
            DateTimeOffset? lastUsed = null;
            for (var hour = HourOf(from); hour <= HourOf(_now); hour++)
            {
                var use = new Rng(_options.Seed, (int)Table.ApiKey, (hour * SlotStride) + i);
                var active = use.Chance(_options.ActiveUsers);
                var at = HourStart(hour).AddSeconds(use.Next(3600)).AddTicks(Microseconds(ref use));
                if (active && at > from && at <= _now)
                {
                    lastUsed = at;
                }
            }

            if (lastUsed is not { } used)
            {
                continue;
            }

            var rng = new Rng(_options.Seed, (int)Table.ApiKey + 100, (week * SlotStride) + i);
            var created = HourStart(week * 24 * 7).AddSeconds(rng.Next(3600 * 24)).AddTicks(Microseconds(ref rng));
            yield return new ApiKey
            {
                Id = Convert.ToHexStringLower(BitConverter.GetBytes(rng.NextUInt64()))[..10],
                UserId = Id(Table.User, i),
                CreatedAt = created < used ? created : used,
                LastUsed = used,
                LoginType = rng.Pick(s_loginTypes),
                IpAddress = rng.Chance(0.2) ? Ipv6(ref rng) : Ipv4(ref rng, privateOnly: rng.Chance(0.7)),
            };
        }
    }

    /// <summary>The CLI commands run in the half hour since the last report.</summary>
    public IEnumerable<CliInvocation> CliInvocations()
    {
        var from = _now.AddMinutes(-30);
        for (var user = 0; user < _options.Users; user++)
        {
            for (var slot = TenMinutesOf(from); slot <= TenMinutesOf(_now); slot++)
            {
                var rng = new Rng(_options.Seed, (int)Table.CliInvocation, (slot * SlotStride) + user);
                var ran = rng.Chance(_options.ActiveUsers * 0.3);
                var at = DateTimeOffset.UnixEpoch.AddTicks((slot * TimeSpan.TicksPerMinute * 10) + (rng.Next(600_000_000) * 10L) + rng.Next(10));
                var command = rng.Pick(s_commands);
                var options = rng.Next(4);
                var first = rng.Next(s_cliOptions.Length);
                if (!ran || at <= from || at > _now)
                {
                    continue;
                }

                yield return new CliInvocation
                {
                    Command = command,
                    Options = [.. Enumerable.Range(0, options).Select(o => s_cliOptions[(first + o) % s_cliOptions.Length]).Select(o => new CliOption { Name = o.Name, ValueSource = o.Source })],
                    InvokedAt = at,
                };
            }
        }
    }

    /// <summary>The provisioner jobs of the last hour: builds' and templates' dry runs; some queued, running, canceled or failed with errors that quote addresses.</summary>
    public IEnumerable<ProvisionerJob> ProvisionerJobs()
    {
        foreach (var build in RecentBuilds())
        {
            yield return BuildJob(build);
        }

        foreach (var job in TemplateJobs())
        {
            yield return job;
        }
    }

    /// <summary>The builds of the last hour.</summary>
    public IEnumerable<WorkspaceBuild> WorkspaceBuilds() => RecentBuilds().Select(WorkspaceBuild);

    /// <summary>The agents created in the last hour.</summary>
    public IEnumerable<WorkspaceAgent> WorkspaceAgents() => RecentBuilds().SelectMany(WorkspaceAgents);

    /// <summary>The apps created in the last hour.</summary>
    public IEnumerable<WorkspaceApp> WorkspaceApps() => RecentBuilds().SelectMany(WorkspaceApps);

    /// <summary>The resources created in the last hour.</summary>
    public IEnumerable<WorkspaceResource> WorkspaceResources() => RecentBuilds().SelectMany(WorkspaceResources);

    /// <summary>The metadata keys of the resources created in the last hour.</summary>
    public IEnumerable<WorkspaceResourceMetadata> WorkspaceResourceMetadata() => RecentBuilds().SelectMany(WorkspaceResourceMetadata);

    /// <summary>The Terraform modules of the last hour's builds.</summary>
    public IEnumerable<WorkspaceModule> WorkspaceModules() => RecentBuilds().SelectMany(WorkspaceModules);

    /// <summary>The statistics of the agents connected in the last hour, aggregated since the hour began.</summary>
    public IEnumerable<WorkspaceAgentStat> WorkspaceAgentStats()
    {
        foreach (var build in RecentBuilds())
        {
            foreach (var agent in WorkspaceAgents(build))
            {
                if (agent.FirstConnectedAt is null)
                {
                    continue;
                }

                var rng = Moving(Table.Stat, build.Index);
                var latency = 5 + (rng.NextDouble() * 80);
                yield return new WorkspaceAgentStat
                {
                    UserId = Id(Table.User, Owner(build.Workspace)),
                    TemplateId = Id(Table.Template, TemplateOf(build.Workspace)),
                    WorkspaceId = Id(Table.Workspace, build.Workspace),
                    AggregatedFrom = _now.AddHours(-1),
                    AgentId = agent.Id,
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
    }

    /// <summary>The memory monitors of the agents created in the last hour.</summary>
    public IEnumerable<WorkspaceAgentMemoryResourceMonitor> WorkspaceAgentMemoryResourceMonitors()
    {
        foreach (var build in RecentBuilds())
        {
            var rng = new Rng(_options.Seed, (int)Table.Monitor, build.Index);
            var monitored = rng.Chance(0.5);
            var enabled = rng.Chance(0.9);
            var threshold = rng.Pick([80, 90, 95]);
            if (build.HasAgent && monitored)
            {
                yield return new WorkspaceAgentMemoryResourceMonitor { AgentId = Id(Table.Agent, build.Index), Enabled = enabled, Threshold = threshold, CreatedAt = build.Completed!.Value, UpdatedAt = build.Completed!.Value };
            }
        }
    }

    /// <summary>The volume monitors of the agents created in the last hour (one per watched volume; the path is not sent).</summary>
    public IEnumerable<WorkspaceAgentVolumeResourceMonitor> WorkspaceAgentVolumeResourceMonitors()
    {
        foreach (var build in RecentBuilds())
        {
            var rng = new Rng(_options.Seed, (int)Table.Monitor + 100, build.Index);
            var volumes = rng.Chance(0.4) ? rng.Next(1, 3) : 0;
            for (var v = 0; v < volumes; v++)
            {
                var enabled = rng.Chance(0.9);
                var threshold = rng.Pick([80, 90]);
                if (build.HasAgent)
                {
                    yield return new WorkspaceAgentVolumeResourceMonitor { AgentId = Id(Table.Agent, build.Index), Enabled = enabled, Threshold = threshold, CreatedAt = build.Completed!.Value, UpdatedAt = build.Completed!.Value };
                }
            }
        }
    }

    /// <summary>The connection events of the last hour, each with the deployment's relay map and the client's latest network check.</summary>
    public IEnumerable<NetworkEvent> NetworkEvents()
    {
        foreach (var build in RecentBuilds())
        {
            foreach (var agent in WorkspaceAgents(build))
            {
                var rng = new Rng(_options.Seed, (int)Table.NetworkEvent, build.Index);
                var time = agent.CreatedAt.AddSeconds(rng.Next(30, 900)).AddTicks(rng.Next(10_000_000));
                var v6 = rng.Chance(0.2);
                var address = v6 ? Ipv6(ref rng) : Ipv4(ref rng, privateOnly: false);
                var direct = rng.Chance(0.7);
                if (agent.FirstConnectedAt is null || time > _now)
                {
                    continue;
                }

                yield return new NetworkEvent
                {
                    Id = Id(Table.NetworkEvent, build.Index),
                    Time = time,
                    Application = rng.Pick(s_applications),
                    Status = rng.Chance(0.7) ? "connected" : "disconnected",
                    ClientType = rng.Pick(["cli", "agent", "coderd", "wsproxy"]),
                    ClientVersion = $"v2.{rng.Next(20, 28)}.{rng.Next(6)}",
                    NodeIdSelf = rng.NextUInt64(),
                    NodeIdRemote = rng.NextUInt64(),
                    P2pEndpoint = new NetworkEndpoint
                    {
                        Hash = direct ? Sha256Hex(address)[..32] : "",
                        Port = direct ? rng.Next(1024, 65535) : 0,
                        Fields = direct ? new NetworkAddressFields { Version = v6 ? 6 : 4, Class = rng.Pick(["public", "private", "private", "link_local"]) } : new(),
                    },
                    HomeDerp = rng.Pick([1, 2, 10, 999]),
                    DerpMap = DerpMap,
                    LatestNetcheck = Netcheck(ref rng, address, v6),
                    ConnectionAge = TimeSpan.FromTicks(rng.Next(1, 3600) * TimeSpan.TicksPerSecond),
                    ConnectionSetup = TimeSpan.FromTicks(rng.Next(500_000, 30_000_000)),
                    P2pSetup = direct ? TimeSpan.FromTicks(rng.Next(1_000_000, 50_000_000)) : null,
                    DerpLatency = TimeSpan.FromTicks(rng.Next(50_000, 2_000_000)),
                    P2pLatency = direct ? TimeSpan.FromTicks(rng.Next(10_000, 900_000)) : null,
                    ThroughputMbits = rng.Chance(0.5) ? (float)Math.Round(rng.NextDouble() * 900, 1) : null,
                };
            }
        }
    }

    /// <summary>The users' tailnet connections of the last hour; Coder Desktop's carry its device.</summary>
    public IEnumerable<UserTailnetConnection> UserTailnetConnections()
    {
        var from = _now.AddHours(-1);
        for (var user = 0; user < _options.Users; user++)
        {
            var device = new Rng(_options.Seed, (int)Table.TailnetConnection + 100, user);
            var desktop = device.Chance(0.4);
            var os = device.Pick(["macOS", "macOS", "Windows"]);
            var version = $"v0.{device.Next(5, 9)}.{device.Next(4)}";
            for (var hour = HourOf(from); hour <= HourOf(_now); hour++)
            {
                var index = (hour * SlotStride) + user;
                var rng = new Rng(_options.Seed, (int)Table.TailnetConnection, index);
                var connects = rng.Chance(_options.ActiveUsers * 0.25);
                var connected = HourStart(hour).AddSeconds(rng.Next(3600)).AddTicks(Microseconds(ref rng));
                var disconnected = connected.AddSeconds(rng.Next(60, 7200)).AddTicks(Microseconds(ref rng));
                if (!connects || connected <= from || connected > _now)
                {
                    continue;
                }

                yield return new UserTailnetConnection
                {
                    ConnectedAt = connected,
                    DisconnectedAt = disconnected <= _now ? disconnected : null,
                    UserId = Id(Table.User, user).ToString(),
                    PeerId = Id(Table.TailnetConnection, index).ToString(),
                    DeviceId = desktop ? Id(Table.TailnetConnection, user + 1_000_000_000L).ToString() : null,
                    DeviceOs = desktop ? os : null,
                    CoderDesktopVersion = desktop ? version : null,
                };
            }
        }
    }

    /// <summary>Prebuilt-workspace events since the last report, one count per kind.</summary>
    public IEnumerable<PrebuiltWorkspace> PrebuiltWorkspaces()
    {
        var period = HalfHourOf(_now);
        var rng = Moving(Table.Prebuild, 0);
        (string Type, int Count)[] events = [("created", rng.Next(1, 2 + _options.Templates)), ("failed", rng.Next(3)), ("claimed", rng.Next(4))];
        for (var k = 0; k < events.Length; k++)
        {
            if (events[k].Count > 0)
            {
                yield return new PrebuiltWorkspace { Id = Id(Table.Prebuild, (period * 8) + k), CreatedAt = _now, EventType = events[k].Type, Count = events[k].Count };
            }
        }
    }

    /// <summary>AI Bridge summaries of the last whole half hour, one per provider, model and client in use.</summary>
    public IEnumerable<AiBridgeInterceptionsSummary> AiBridgeInterceptionsSummaries()
    {
        var period = HalfHourOf(_now) - 1;
        var rng = new Rng(_options.Seed, (int)Table.AiBridge, period);
        var models = rng.Next(1, s_aiModels.Length + 1);
        for (var k = 0; k < models; k++)
        {
            var (provider, model, client, route) = s_aiModels[k];
            var count = rng.Next(1, 40 + (_options.Users / 10));
            var p50 = rng.Next(800, 4000);
            var tokens = count * rng.Next(2_000, 30_000);
            yield return new AiBridgeInterceptionsSummary
            {
                Id = Id(Table.AiBridge, (period * 8) + k),
                Timestamp = DateTimeOffset.UnixEpoch.AddTicks(period * TimeSpan.TicksPerMinute * 30),
                Provider = provider,
                Model = model,
                Client = client,
                InterceptionCount = count,
                InterceptionDurationMillis = new AiBridgeDurationMillis { P50 = p50, P90 = p50 * 3, P95 = p50 * 4, P99 = p50 * 9 },
                InterceptionsByRoute = new Dictionary<string, long> { [route] = count - (count / 10), ["/v1/models"] = count / 10 },
                UniqueInitiatorCount = Math.Max(1, count / 4),
                UserPromptsCount = count - rng.Next(count),
                TokenUsagesCount = count,
                TokenCount = new AiBridgeTokenCount { Input = tokens, Output = tokens / 8, CachedRead = tokens * 3, CachedWritten = tokens / 2 },
                ToolCallsCount = new AiBridgeToolCallsCount { Injected = rng.Next(count), NonInjected = rng.Next(count * 3) },
                InjectedToolCallErrorCount = rng.Next(3),
            };
        }
    }

    /// <summary>The users whose agents ran behind an agent boundary in the last hour.</summary>
    public IEnumerable<BoundaryActiveUser> BoundaryActiveUsers() =>
        BoundaryWorkspaces().Select(Owner).Distinct().Select(u => new BoundaryActiveUser { Id = Id(Table.User, u) });

    /// <summary>The workspaces whose agents ran behind an agent boundary in the last hour.</summary>
    public IEnumerable<BoundaryActiveWorkspace> BoundaryActiveWorkspaces() =>
        BoundaryWorkspaces().Select(w => new BoundaryActiveWorkspace { Id = Id(Table.Workspace, w), TemplateId = Id(Table.Template, TemplateOf(w)) });

    private IEnumerable<int> BoundaryWorkspaces() => RecentBuilds()
        .Where(b => b.HasAgent && new Rng(_options.Seed, (int)Table.Boundary, b.Workspace).Chance(0.2))
        .Select(b => b.Workspace)
        .Distinct();

    private IEnumerable<RecentBuild> RecentBuilds()
    {
        var from = _now.AddHours(-1);
        for (var w = 0; w < _options.Workspaces; w++)
        {
            for (var hour = HourOf(from); hour <= HourOf(_now); hour++)
            {
                var index = (hour * SlotStride) + w;
                var rng = new Rng(_options.Seed, (int)Table.Recent, index);
                if (!rng.Chance(_options.RecentActivity))
                {
                    continue;
                }

                var created = HourStart(hour).AddSeconds(rng.Next(3600)).AddTicks(Microseconds(ref rng));
                var started = created.AddSeconds(rng.Next(1, 20)).AddTicks(Microseconds(ref rng));
                var completed = started.AddSeconds(rng.Next(5, 120)).AddTicks(Microseconds(ref rng));
                var fails = rng.Chance(_options.FailedJobs);
                var cancels = !fails && rng.Chance(0.02);
                var aiTask = rng.Chance(0.05);
                var resources = rng.Next(1, 3);
                var apps = rng.Next(1, 4);
                var transition = rng.Chance(0.75) ? "start" : rng.Chance(0.8) ? "stop" : "delete";
                if (created <= from || created > _now)
                {
                    continue;
                }

                var done = completed <= _now;
                var buildNumber = (uint)Math.Max(1, 1 + ((hour - HourOf(WorkspaceCreatedAt(w))) * _options.RecentActivity));
                yield return new RecentBuild(
                    w, index, created, started <= _now ? started : null, done ? completed : null,
                    done && fails, done && cancels, buildNumber, aiTask, resources, apps, transition);
            }
        }
    }

    private IEnumerable<ProvisionerJob> TemplateJobs()
    {
        var from = _now.AddHours(-1);
        for (var t = 0; t < _options.Templates; t++)
        {
            for (var hour = HourOf(from); hour <= HourOf(_now); hour++)
            {
                var index = (hour * SlotStride) + t;
                var rng = new Rng(_options.Seed, (int)Table.TemplateJob, index);
                var runs = rng.Chance(0.3);
                var created = HourStart(hour).AddSeconds(rng.Next(3600)).AddTicks(Microseconds(ref rng));
                // No provisioner with the template's tags picks some of them up: they stay queued.
                var pending = rng.Chance(0.2);
                var started = created.AddSeconds(rng.Next(1, 10)).AddTicks(Microseconds(ref rng));
                var completed = started.AddSeconds(rng.Next(3, 60)).AddTicks(Microseconds(ref rng));
                var canceled = rng.Chance(0.15);
                var failed = !canceled && rng.Chance(_options.FailedJobs);
                var type = rng.Chance(0.7) ? "template_version_dry_run" : "template_version_import";
                var initiator = rng.Next(Math.Min(_options.Users, 5));
                if (!runs || created <= from || created > _now)
                {
                    continue;
                }

                DateTimeOffset? startedAt = !pending && started <= _now ? started : null;
                DateTimeOffset? completedAt = startedAt is not null && completed <= _now ? completed : null;
                yield return new ProvisionerJob
                {
                    Id = Id(Table.TemplateJob, index),
                    OrganizationId = TemplateOrganization(t),
                    InitiatorId = Id(Table.User, initiator),
                    CreatedAt = created,
                    UpdatedAt = completedAt ?? startedAt ?? created,
                    StartedAt = startedAt,
                    CanceledAt = canceled && completedAt is { } c ? c.AddSeconds(-1) : null,
                    CompletedAt = completedAt,
                    Error = failed && completedAt is not null ? ErrorMessage(ref rng, initiator) : "",
                    Type = type,
                };
            }
        }
    }

    private ProvisionerJob BuildJob(RecentBuild build)
    {
        var rng = new Rng(_options.Seed, (int)Table.Job, build.Index);
        var owner = Owner(build.Workspace);
        var error = ErrorMessage(ref rng, owner);
        return new ProvisionerJob
        {
            Id = Id(Table.Job, build.Index),
            OrganizationId = TemplateOrganization(TemplateOf(build.Workspace)),
            InitiatorId = Id(Table.User, owner),
            CreatedAt = build.Created,
            UpdatedAt = build.Completed ?? build.Started ?? build.Created,
            StartedAt = build.Started,
            CanceledAt = build.Canceled ? build.Completed : null,
            CompletedAt = build.Completed,
            Error = build.Failed ? error : "",
            Type = "workspace_build",
        };
    }

    private WorkspaceBuild WorkspaceBuild(RecentBuild build) => new()
    {
        Id = Id(Table.Build, build.Index),
        CreatedAt = build.Created,
        WorkspaceId = Id(Table.Workspace, build.Workspace),
        TemplateVersionId = ActiveVersion(TemplateOf(build.Workspace)),
        JobId = Id(Table.Job, build.Index),
        BuildNumber = build.BuildNumber,
        // Coder learns whether a build runs an AI task from its plan: unknown until the job completes.
        HasAiTask = build.Completed is null ? null : build.AiTask,
    };

    private IEnumerable<WorkspaceAgent> WorkspaceAgents(RecentBuild build)
    {
        var rng = new Rng(_options.Seed, (int)Table.Agent, build.Index);
        var instanceAuth = rng.Chance(0.3);
        var architecture = rng.Chance(0.85) ? "amd64" : "arm64";
        var os = rng.Chance(0.95) ? "linux" : "windows";
        var environment = rng.Chance(0.6);
        var directory = rng.Chance(0.5);
        var connectsAfter = rng.Next(2, 30);
        var disconnects = rng.Chance(0.1);
        IReadOnlyList<string> subsystems = rng.Chance(0.2) ? ["envbox"] : [];
        if (!build.HasAgent)
        {
            yield break;
        }

        var created = build.Completed!.Value;
        var first = created.AddSeconds(connectsAfter).AddTicks(Microseconds(ref rng));
        var connected = first <= _now;
        var moving = Moving(Table.Agent, build.Index);
        var last = _now.AddSeconds(-moving.Next(1, 60)).AddTicks(-Microseconds(ref moving));
        last = last > first ? last : first;
        yield return new WorkspaceAgent
        {
            Id = Id(Table.Agent, build.Index),
            CreatedAt = created,
            ResourceId = Id(Table.Resource, build.Index * 4),
            InstanceAuth = instanceAuth,
            Architecture = architecture,
            OperatingSystem = os,
            EnvironmentVariables = environment,
            Directory = directory,
            FirstConnectedAt = connected ? first : null,
            LastConnectedAt = connected ? last : null,
            DisconnectedAt = connected && disconnects ? Min(last.AddSeconds(moving.Next(1, 30)), _now) : null,
            ConnectionTimeoutSeconds = 120,
            Subsystems = subsystems,
        };
    }

    private IEnumerable<WorkspaceApp> WorkspaceApps(RecentBuild build)
    {
        if (!build.HasAgent)
        {
            yield break;
        }

        var rng = new Rng(_options.Seed, (int)Table.App, build.Index);
        for (var app = 0; app < build.Apps; app++)
        {
            yield return new WorkspaceApp
            {
                Id = Id(Table.App, (build.Index * 4) + app),
                CreatedAt = build.Completed!.Value,
                AgentId = Id(Table.Agent, build.Index),
                Icon = rng.Pick(s_icons),
                Subdomain = rng.Chance(0.4),
            };
        }
    }

    private IEnumerable<WorkspaceResource> WorkspaceResources(RecentBuild build)
    {
        if (!build.CreatedResources)
        {
            yield break;
        }

        var rng = new Rng(_options.Seed, (int)Table.Resource, build.Index);
        for (var r = 0; r < build.Resources; r++)
        {
            yield return new WorkspaceResource
            {
                Id = Id(Table.Resource, (build.Index * 4) + r),
                CreatedAt = build.Completed!.Value,
                JobId = Id(Table.Job, build.Index),
                Transition = build.Transition,
                Type = rng.Pick(s_resourceTypes),
                InstanceType = rng.Pick(s_instanceTypes),
                ModulePath = rng.Chance(0.7) ? (rng.Chance(0.5) ? "" : "module.code-server") : null,
            };
        }
    }

    private IEnumerable<WorkspaceResourceMetadata> WorkspaceResourceMetadata(RecentBuild build)
    {
        if (!build.CreatedResources)
        {
            yield break;
        }

        var rng = new Rng(_options.Seed, (int)Table.Resource, build.Index + 1_000_000_000L);
        for (var r = 0; r < build.Resources; r++)
        {
            for (var m = 0; m < 2; m++)
            {
                yield return new WorkspaceResourceMetadata
                {
                    ResourceId = Id(Table.Resource, (build.Index * 4) + r),
                    Key = s_metadataKeys[(r + (m * 3) + build.Workspace) % s_metadataKeys.Length],
                    Sensitive = rng.Chance(0.1),
                };
            }
        }
    }

    private IEnumerable<WorkspaceModule> WorkspaceModules(RecentBuild build)
    {
        if (!build.CreatedResources)
        {
            yield break;
        }

        var rng = new Rng(_options.Seed, (int)Table.Module, build.Index);
        var count = rng.Next(3);
        var first = rng.Next(s_modules.Length);
        for (var m = 0; m < count; m++)
        {
            var (key, source, type) = s_modules[(first + m) % s_modules.Length];
            yield return new WorkspaceModule
            {
                Id = Id(Table.Module, (build.Index * 4) + m),
                CreatedAt = build.Completed!.Value,
                JobId = Id(Table.Job, build.Index),
                Transition = build.Transition,
                Key = key,
                Version = type == "registry" ? $"1.{rng.Next(4)}.{rng.Next(40)}" : "",
                Source = source.Replace("{company}", Company(), StringComparison.Ordinal),
                SourceType = type,
            };
        }
    }

    /// <summary>The relay map every client of this deployment receives: a custom map's regions, the embedded relay, and the proxies'.</summary>
    private DerpMap DerpMap => _derpMap ??= CreateDerpMap();

    private DerpMap CreateDerpMap()
    {
        var rng = new Rng(_options.Seed, (int)Table.NetworkEvent + 100, 0);
        var company = Company();
        DerpRegion Region(long id, string code, string name, string host, bool embedded, bool stun)
        {
            var node = new DerpNode
            {
                Name = $"{id}a",
                RegionId = id,
                HostName = host,
                CertName = embedded ? "" : host,
                Ipv4 = embedded ? "" : Ipv4(ref rng, privateOnly: false),
                Ipv6 = embedded || !rng.Chance(0.5) ? "" : Ipv6(ref rng),
                StunPort = stun ? 3478 : -1,
                StunOnly = false,
                DerpPort = 443,
                InsecureForTests = false,
                ForceHttp = false,
                StunTestIp = "",
                CanPort80 = !embedded,
            };
            return new DerpRegion { RegionId = id, EmbeddedRelay = embedded, RegionCode = code, RegionName = name, Avoid = false, Nodes = [node] };
        }

        return new DerpMap
        {
            HomeParams = new DerpHomeParams { RegionScore = new Dictionary<long, double> { [10] = 1.5, [999] = 0.8 } },
            Regions = new Dictionary<long, DerpRegion>
            {
                [1] = Region(1, "fra", "Frankfurt", $"derp-fra.{company}.example", embedded: false, stun: true),
                [2] = Region(2, "iad", "Virginia", $"derp-iad.{company}.example", embedded: false, stun: true),
                [10] = Region(10, "sin", "Singapore", $"derp-sin.{company}.example", embedded: false, stun: false),
                [999] = Region(999, "coder", "Coder Embedded Relay", $"coder.{company}.example", embedded: true, stun: false),
                [10001] = Region(10001, "coder_sydney", "Sydney", $"sydney.coder.{company}.example", embedded: false, stun: false),
            },
        };
    }

    private static Netcheck Netcheck(ref Rng rng, string address, bool v6)
    {
        var v4Latency = new Dictionary<long, TimeSpan>();
        foreach (var (region, milliseconds) in new (long, int)[] { (1, 12), (2, 85), (10, 190), (999, 4), (10001, 240) })
        {
            v4Latency[region] = TimeSpan.FromTicks((milliseconds * TimeSpan.TicksPerMillisecond) + rng.Next(10_000_000));
        }

        var global = new NetcheckIp { Hash = Sha256Hex(address)[..32], Fields = new NetworkAddressFields { Version = v6 ? 6 : 4, Class = "public" } };
        var none = new NetcheckIp { Hash = "", Fields = new NetworkAddressFields() };
        return new Netcheck
        {
            Udp = rng.Chance(0.9),
            Ipv6 = v6,
            Ipv4 = true,
            Ipv6CanSend = v6,
            Ipv4CanSend = true,
            Icmpv4 = rng.Chance(0.3),
            OsHasIpv6 = rng.Chance(0.6),
            MappingVariesByDestIp = rng.Chance(0.8) ? rng.Chance(0.2) : null,
            HairPinning = rng.Chance(0.5) ? rng.Chance(0.5) : null,
            Upnp = rng.Chance(0.1),
            Pmp = false,
            Pcp = rng.Chance(0.5) ? false : null,
            PreferredDerp = rng.Pick([1L, 2L, 999L]),
            RegionV4Latency = v4Latency,
            RegionV6Latency = v6 ? new Dictionary<long, TimeSpan> { [1] = TimeSpan.FromTicks(rng.Next(100_000, 400_000)) } : new Dictionary<long, TimeSpan>(),
            GlobalV4 = v6 ? none : global,
            GlobalV6 = v6 ? global : none,
        };
    }

    private string ErrorMessage(ref Rng rng, int user)
    {
        var email = Email(user);
        return rng.Pick(s_errors)
            .Replace("{email}", email, StringComparison.Ordinal)
            .Replace("{user}", email[..email.IndexOf('@', StringComparison.Ordinal)], StringComparison.Ordinal)
            .Replace("{ipv4}", Ipv4(ref rng, privateOnly: rng.Chance(0.6)), StringComparison.Ordinal)
            .Replace("{ipv6}", Ipv6(ref rng), StringComparison.Ordinal)
            .Replace("{domain}", Domain(0), StringComparison.Ordinal)
            .Replace("{company}", Company(TemplateOrganizationIndex(0)), StringComparison.Ordinal);
    }

    /// <summary>A random stream that changes every half hour, for values that really move between reports.</summary>
    private Rng Moving(Table table, long index) => new(_options.Seed ^ (int)HalfHourOf(_now), 2000 + (int)table, index);

    private static long HourOf(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerHour;

    private static long HalfHourOf(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (TimeSpan.TicksPerMinute * 30);

    private static long TenMinutesOf(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (TimeSpan.TicksPerMinute * 10);

    private static DateTimeOffset HourStart(long hour) => DateTimeOffset.UnixEpoch.AddTicks(hour * TimeSpan.TicksPerHour);
}
