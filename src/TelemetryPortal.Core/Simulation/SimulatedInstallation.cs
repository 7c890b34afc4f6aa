using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TelemetryPortal.Core.Snapshots;

namespace TelemetryPortal.Core.Simulation;

/// <summary>
/// A made-up but realistic Coder installation that reports Coder's whole telemetry schema, written
/// byte for byte as Coder's Go code writes it: people with names and e-mail addresses, workspaces and
/// templates created over two years, API keys with IP addresses, failed jobs whose error messages quote
/// e-mail and IP addresses, a configuration naming the company. Deterministic for given options.
/// </summary>
/// <remarks>
/// The standing tables (users, templates, workspaces, groups, organizations, licenses...) derive from
/// the seed and <see cref="SimulationOptions.Epoch"/> only, so two reports half an hour apart repeat them
/// byte for byte. What happened in the last hour (API keys used, jobs, builds, agents, stats, network
/// events...) lies on a fixed timeline too: a build seen at 10:00 still running is seen completed at 10:30.
/// </remarks>
public sealed partial class SimulatedInstallation
{
    private static readonly string[] s_firstNames = ["alice", "bob", "carla", "deepak", "elena", "farid", "grace", "hiro", "ines", "jonas", "kemal", "lena", "mateo", "nadia", "oskar", "priya", "quentin", "rosa", "sven", "tomoko", "ugo", "vera", "wei", "ximena", "yusuf", "zoe"];
    private static readonly string[] s_lastNames = ["smith", "garcia", "muller", "nguyen", "kowalski", "rossi", "tanaka", "okafor", "silva", "johansson", "haddad", "novak", "petrov", "kim", "oconnor", "dubois", "singh", "fischer", "lopez", "andersen"];
    private static readonly string[] s_companies = ["acme", "globex", "initech", "umbrella", "hooli", "vandelay", "stark", "wayne"];

    private readonly SimulationOptions _options;
    private readonly DateTimeOffset _now;
    private readonly DateTimeOffset _epoch;

    /// <summary>Creates the installation; nothing is generated until asked for.</summary>
    public SimulatedInstallation(SimulationOptions? options = null)
    {
        _options = options ?? new SimulationOptions();
        _options.Validate();
        _now = _options.Now.ToUniversalTime();
        var epoch = _options.Epoch.ToUniversalTime();
        _epoch = epoch < _now ? epoch : _now;
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
        Stat,
        Module,
        Monitor,
        TemplateJob,
        CliInvocation,
        TailnetConnection,
        Provisioner,
        Proxy,
        Task,
        TelemetryItem,
        Prebuild,
        AiBridge,
        Boundary,
        Netcheck,
    }

    /// <summary>The options in force.</summary>
    public SimulationOptions Options => _options;

    /// <summary>The deployment's id.</summary>
    public Guid DeploymentId { get; }

    /// <summary>The periodic snapshot (<c>POST /snapshot</c>) with every list filled, in memory. For large sizes prefer <see cref="WriteSnapshot(Stream)"/>.</summary>
    public Snapshot CreateSnapshot() => BuildSnapshot(materialise: true);

    /// <summary>Writes the periodic snapshot as Coder does, record by record, never holding it whole.</summary>
    public void WriteSnapshot(IBufferWriter<byte> output) => TelemetryJson.Write(BuildSnapshot(materialise: false), output);

    /// <summary>Writes the periodic snapshot as Coder does to a stream, in 64 KiB chunks.</summary>
    public void WriteSnapshot(Stream output) => TelemetryJson.Write(BuildSnapshot(materialise: false), output);

    /// <summary>
    /// The snapshot Coder sends when the first user is created: that user alone (converted as Coder's
    /// <c>ConvertUser</c> does, so without the clear e-mail address), every other list null.
    /// </summary>
    public Snapshot CreateFirstUserSnapshot() => new()
    {
        DeploymentId = DeploymentId.ToString(),
        Users = [User(0) with { Email = null }],
    };

    /// <summary>The snapshot Coder sends when a template is created: the template as it was then, and the version it was created with.</summary>
    public Snapshot CreateTemplateCreatedSnapshot(int template = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(template);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(template, _options.Templates);
        var first = TemplateVersion(template * _options.VersionsPerTemplate);
        var created = Template(template);
        return new Snapshot
        {
            DeploymentId = DeploymentId.ToString(),
            Templates = [created with { UpdatedAt = created.CreatedAt, ActiveVersionId = first.Id }],
            TemplateVersions = [first],
        };
    }

    /// <summary>
    /// The snapshots Coder sends as each workspace build of the last hour completes: the job, the build,
    /// and what it created (resources and their metadata keys, agents, apps, modules); every other list null.
    /// </summary>
    public IEnumerable<Snapshot> CreateJobCompletedSnapshots()
    {
        foreach (var build in RecentBuilds())
        {
            if (build.Completed is null)
            {
                continue;
            }

            yield return new Snapshot
            {
                DeploymentId = DeploymentId.ToString(),
                ProvisionerJobs = [BuildJob(build)],
                WorkspaceBuilds = [WorkspaceBuild(build)],
                WorkspaceResources = [.. WorkspaceResources(build)],
                WorkspaceResourceMetadata = [.. WorkspaceResourceMetadata(build)],
                WorkspaceAgents = [.. WorkspaceAgents(build)],
                WorkspaceApps = [.. WorkspaceApps(build)],
                WorkspaceModules = [.. WorkspaceModules(build)],
            };
        }
    }

    /// <summary>
    /// The last snapshot Coder sends when telemetry is switched off: its <c>telemetry_enabled</c> item,
    /// now <c>false</c>, and nothing else (every other list null). Nothing is sent after it.
    /// </summary>
    public Snapshot CreateTelemetryDisabledSnapshot()
    {
        var enabled = TelemetryItems().Single(i => i.Key == TelemetryEnabledKey);
        return new Snapshot
        {
            DeploymentId = DeploymentId.ToString(),
            TelemetryItems = [enabled with { Value = "false", UpdatedAt = _now }],
        };
    }

    private Snapshot BuildSnapshot(bool materialise)
    {
        IEnumerable<T> List<T>(IEnumerable<T> items) => materialise ? [.. items] : items;
        return new Snapshot
        {
            DeploymentId = DeploymentId.ToString(),
            ApiKeys = List(ApiKeys()),
            CliInvocations = List(CliInvocations()),
            ExternalProvisioners = List(ExternalProvisioners()),
            Licenses = List(Licenses()),
            ProvisionerJobs = List(ProvisionerJobs()),
            TemplateVersions = List(TemplateVersions()),
            Templates = List(Templates()),
            Users = List(Users()),
            Groups = List(Groups()),
            GroupMembers = List(GroupMembers()),
            WorkspaceAgentStats = List(WorkspaceAgentStats()),
            WorkspaceAgents = List(WorkspaceAgents()),
            WorkspaceApps = List(WorkspaceApps()),
            WorkspaceBuilds = List(WorkspaceBuilds()),
            WorkspaceProxies = List(WorkspaceProxies()),
            WorkspaceResourceMetadata = List(WorkspaceResourceMetadata()),
            WorkspaceResources = List(WorkspaceResources()),
            WorkspaceAgentMemoryResourceMonitors = List(WorkspaceAgentMemoryResourceMonitors()),
            WorkspaceAgentVolumeResourceMonitors = List(WorkspaceAgentVolumeResourceMonitors()),
            WorkspaceModules = List(WorkspaceModules()),
            Workspaces = List(Workspaces()),
            NetworkEvents = List(NetworkEvents()),
            Organizations = List(Organizations()),
            Tasks = List(Tasks()),
            TelemetryItems = List(TelemetryItems()),
            UserTailnetConnections = List(UserTailnetConnections()),
            PrebuiltWorkspaces = List(PrebuiltWorkspaces()),
            AiBridgeInterceptionsSummaries = List(AiBridgeInterceptionsSummaries()),
            BoundaryActiveUsers = List(BoundaryActiveUsers()),
            BoundaryActiveWorkspaces = List(BoundaryActiveWorkspaces()),
        };
    }

    private Guid Id(Table table, long index) => new Rng(_options.Seed, 1000 + (int)table, index).NextGuid();

    private string Company(int organization = 0) => s_companies[(Math.Abs(_options.Seed) + organization) % s_companies.Length];

    private string Domain(int organization) => $"{Company(organization)}.example";

    private string Email(int user)
    {
        var first = s_firstNames[user % s_firstNames.Length];
        var last = s_lastNames[(user / s_firstNames.Length) % s_lastNames.Length];
        var n = user / (s_firstNames.Length * s_lastNames.Length);
        return $"{first}.{last}{(n > 0 ? n.ToString(CultureInfo.InvariantCulture) : "")}@{Domain(user % _options.Organizations)}";
    }

    private int Owner(int workspace) => new Rng(_options.Seed, (int)Table.Workspace + 100, workspace).Next(_options.Users);

    private int TemplateOf(int workspace) => new Rng(_options.Seed, (int)Table.Workspace + 200, workspace).Next(_options.Templates);

    private int TemplateOrganizationIndex(int template) => template % _options.Organizations;

    private Guid TemplateOrganization(int template) => Id(Table.Organization, TemplateOrganizationIndex(template));

    private Guid ActiveVersion(int template) => Id(Table.Version, (template * _options.VersionsPerTemplate) + _options.VersionsPerTemplate - 1);

    /// <summary>A moment between an hour and <paramref name="maxDays"/> days before the epoch, to the microsecond as PostgreSQL keeps it.</summary>
    private DateTimeOffset BeforeEpoch(ref Rng rng, int maxDays) =>
        _epoch.AddSeconds(-rng.Next(3600, maxDays * 86_400)).AddTicks(-Microseconds(ref rng));

    private static long Microseconds(ref Rng rng) => rng.Next(1_000_000) * 10L;

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

    // Groups are never zero, so the text is what Go's net.IP.String() prints (no group to compress but the "::" run).
    private static string Ipv6(ref Rng rng) => rng.Next(3) switch
    {
        0 => $"2001:db8:{rng.Next(1, 0x10000):x}:{rng.Next(1, 0x10000):x}::{rng.Next(1, 0x10000):x}",
        1 => $"fe80::{rng.Next(1, 0x10000):x}:{rng.Next(1, 0x10000):x}:{rng.Next(1, 0x10000):x}:{rng.Next(1, 0x10000):x}",
        _ => $"2a02:{rng.Next(1, 0x10000):x}:{rng.Next(1, 0x10000):x}:{rng.Next(1, 0x10000):x}:{rng.Next(1, 0x10000):x}:{rng.Next(1, 0x10000):x}:{rng.Next(1, 0x10000):x}:{rng.Next(1, 0x10000):x}",
    };

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
