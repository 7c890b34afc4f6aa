using System.Globalization;
using System.Text;
using TelemetryPortal.Core.Snapshots;

namespace TelemetryPortal.Core.Simulation;

// The tables Coder sends whole: they derive from the seed and the epoch, never from Now.
public sealed partial class SimulatedInstallation
{
    private const string TelemetryEnabledKey = "telemetry_enabled";

    private static readonly string[] s_templateNames = ["docker-dev", "kubernetes-go", "aws-ec2-linux", "gcp-vm-python", "azure-windows", "devcontainer-node", "jetbrains-gateway", "gpu-ml-notebook", "rust-nightly", "java-spring"];
    private static readonly string[] s_examples = ["docker", "kubernetes", "aws-linux", "gcp-linux", "azure-windows", "devcontainer-docker"];
    private static readonly string[] s_groupNames = ["platform-team", "data-science", "frontend", "backend", "sre", "security", "mobile", "qa", "contractors", "interns"];
    private static readonly string[] s_workspaceNames = ["dev", "api", "web", "sandbox", "debug", "ml", "infra", "docs", "test", "main"];
    private static readonly string[] s_roles = ["template-admin", "user-admin", "auditor"];
    private static readonly string[] s_loginTypes = ["password", "github", "oidc", "oidc", "oidc"];
    private static readonly string[] s_weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    private static readonly string[] s_taskPrompts =
    [
        "Fix the flaky login test that {user} reported; the logs are on {ipv4}",
        "Upgrade the payment service to Go 1.24 and ask {email} to review",
        "Write a migration that adds an index on orders.customer_id",
        "Find out why the nightly build on {ipv4} fails since Tuesday",
    ];

    private static readonly string[] s_taskStatuses = ["active", "active", "paused", "pending", "initializing", "error"];

    /// <summary>The organizations; the first is the default.</summary>
    public IEnumerable<Organization> Organizations()
    {
        for (var i = 0; i < _options.Organizations; i++)
        {
            var rng = new Rng(_options.Seed, (int)Table.Organization, i);
            yield return new Organization { Id = Id(Table.Organization, i), IsDefault = i == 0, CreatedAt = i == 0 ? _epoch.AddDays(-731) : BeforeEpoch(ref rng, 700) };
        }
    }

    /// <summary>The users; the first, the oldest, is the owner whose e-mail address Coder sends in clear.</summary>
    public IEnumerable<User> Users()
    {
        for (var i = 0; i < _options.Users; i++)
        {
            yield return User(i);
        }
    }

    private User User(int i)
    {
        var rng = new Rng(_options.Seed, (int)Table.User, i);
        var email = Email(i);
        var at = email.IndexOf('@', StringComparison.Ordinal);
        var loginType = i == 0 ? "password" : rng.Pick(s_loginTypes);
        IReadOnlyList<string> roles = i == 0 ? ["owner"] : rng.Chance(0.1) ? [rng.Pick(s_roles)] : [];
        var created = i == 0 ? _epoch.AddDays(-730).AddTicks(-Microseconds(ref rng)) : BeforeEpoch(ref rng, 700);
        return new User
        {
            Id = Id(Table.User, i),
            CreatedAt = created,
            Email = i == 0 ? email : null,
            EmailHashed = Sha256Hex(email[..at]) + email[at..],
            RbacRoles = roles,
            Status = i == 0 || rng.Chance(0.85) ? "active" : rng.Chance(0.8) ? "dormant" : "suspended",
            GithubComUserId = loginType == "github" ? 1_000_000 + rng.Next(90_000_000) : 0,
            LoginType = loginType,
        };
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
            yield return Template(i);
        }
    }

    private Template Template(int i)
    {
        var rng = new Rng(_options.Seed, (int)Table.Template, i);
        var created = BeforeEpoch(ref rng, 600);
        var autostop = rng.Chance(0.3);
        return new Template
        {
            Id = Id(Table.Template, i),
            CreatedBy = Id(Table.User, rng.Next(Math.Min(_options.Users, 5))),
            CreatedAt = created,
            UpdatedAt = Min(created.AddDays(rng.Next(0, 60)).AddTicks(Microseconds(ref rng)), _epoch),
            OrganizationId = TemplateOrganization(i),
            Deleted = rng.Chance(0.05),
            ActiveVersionId = ActiveVersion(i),
            Name = s_templateNames[i % s_templateNames.Length] + (i >= s_templateNames.Length ? $"-{i / s_templateNames.Length}" : ""),
            Description = rng.Chance(0.7),
            DefaultTtlMs = rng.Pick([0L, 3_600_000L, 28_800_000L]),
            AllowUserCancelWorkspaceJobs = rng.Chance(0.5),
            AllowUserAutostart = rng.Chance(0.8),
            AllowUserAutostop = rng.Chance(0.8),
            FailureTtlMs = rng.Pick([0L, 0L, 86_400_000L]),
            TimeTilDormantMs = rng.Pick([0L, 2_592_000_000L]),
            TimeTilDormantAutoDeleteMs = rng.Pick([0L, 0L, 7_776_000_000L]),
            // Coder turns its weekday bitmap into a slice it only appends to: nil, so null, when no day is set.
            AutostopRequirementDaysOfWeek = autostop ? ["saturday", "sunday"] : null,
            AutostopRequirementWeeks = autostop ? rng.Pick([1L, 2L]) : 0,
            AutostartAllowedDays = rng.Chance(0.8) ? [.. s_weekdays] : s_weekdays[..5],
            RequireActiveVersion = rng.Chance(0.2),
            Deprecated = rng.Chance(0.05),
            UseClassicParameterFlow = rng.Chance(0.5) ? rng.Chance(0.3) : null,
        };
    }

    /// <summary>The template versions.</summary>
    public IEnumerable<TemplateVersion> TemplateVersions()
    {
        for (var i = 0; i < _options.Templates * _options.VersionsPerTemplate; i++)
        {
            yield return TemplateVersion(i);
        }
    }

    private TemplateVersion TemplateVersion(int i)
    {
        var rng = new Rng(_options.Seed, (int)Table.Version, i);
        var template = i / _options.VersionsPerTemplate;
        var first = i % _options.VersionsPerTemplate == 0;
        return new TemplateVersion
        {
            Id = Id(Table.Version, i),
            CreatedAt = BeforeEpoch(ref rng, 500),
            TemplateId = Id(Table.Template, template),
            OrganizationId = TemplateOrganization(template),
            JobId = Id(Table.Version, i + 1_000_000_000L),
            SourceExampleId = first && rng.Chance(0.5) ? s_examples[template % s_examples.Length] : null,
            // Versions imported before Coder looked for AI tasks have none recorded.
            HasAiTask = rng.Chance(0.4) ? null : rng.Chance(0.15),
        };
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
                CreatedAt = WorkspaceCreatedAt(i),
                Deleted = rng.Chance(0.08),
                Name = rng.Chance(0.5) ? rng.Pick(s_workspaceNames) : $"{s_firstNames[owner % s_firstNames.Length]}-{rng.Pick(s_workspaceNames)}-{rng.Next(1, 9)}",
                AutostartSchedule = rng.Chance(0.3) ? $"CRON_TZ={rng.Pick(["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"])} {rng.Next(60)} {rng.Next(6, 10)} * * 1-5" : "",
                AutomaticUpdates = rng.Chance(0.2) ? "always" : "never",
            };
        }
    }

    private DateTimeOffset WorkspaceCreatedAt(int workspace)
    {
        var rng = new Rng(_options.Seed, (int)Table.Workspace + 300, workspace);
        return BeforeEpoch(ref rng, 400);
    }

    /// <summary>The licenses: signed JWTs whose claims name the licensee's e-mail address.</summary>
    public IEnumerable<License> Licenses()
    {
        for (var i = 0; i < _options.Licenses; i++)
        {
            var rng = new Rng(_options.Seed, (int)Table.License, i);
            var uploaded = BeforeEpoch(ref rng, 300);
            var exp = new DateTimeOffset(uploaded.UtcDateTime.Date, TimeSpan.Zero).AddDays(365 + 30);
            var email = $"licensing@{Domain(0)}";
            var trial = i > 0 && rng.Chance(0.5);
            var claims = $$"""{"license_expires":{{exp.AddDays(-30).ToUnixTimeSeconds()}},"account_type":"salesforce","account_id":"{{s_companies[i % s_companies.Length]}}","deployment_ids":["{{DeploymentId}}"],"email":"{{email}}","trial":{{(trial ? "true" : "false")}},"exp":{{exp.ToUnixTimeSeconds()}}}""";
            yield return new License
            {
                Jwt = $"eyJhbGciOiJFZERTQSIsImtpZCI6InYxIiwidHlwIjoiSldUIn0.{Base64Url(Encoding.UTF8.GetBytes(claims))}.{Base64Url(BitConverter.GetBytes(rng.NextUInt64()))}",
                UploadedAt = uploaded,
                Exp = exp,
                Uuid = Id(Table.License, i),
                Email = email,
                Trial = trial,
            };
        }
    }

    /// <summary>The external provisioner daemons: one per organization plus one in the data centre, the last of them stopped.</summary>
    public IEnumerable<ExternalProvisioner> ExternalProvisioners()
    {
        var count = _options.Organizations + 1;
        for (var i = 0; i < count; i++)
        {
            var rng = new Rng(_options.Seed, (int)Table.Provisioner, i);
            var started = BeforeEpoch(ref rng, 60);
            var tags = i < _options.Organizations
                ? new Dictionary<string, string> { ["owner"] = "", ["scope"] = "organization" }
                : new Dictionary<string, string> { ["datacenter"] = $"fra-{Company()}-{rng.Next(1, 4)}", ["owner"] = Id(Table.User, 1 % _options.Users).ToString(), ["scope"] = "user", ["gpu"] = "a100" };
            yield return new ExternalProvisioner
            {
                Id = Id(Table.Provisioner, i).ToString(),
                Tags = tags,
                Provisioners = ["terraform"],
                StartedAt = started,
                ShutdownAt = i == count - 1 ? Min(started.AddDays(rng.Next(1, 20)).AddTicks(Microseconds(ref rng)), _epoch) : null,
            };
        }
    }

    /// <summary>The workspace proxies: two regions besides the primary.</summary>
    public IEnumerable<WorkspaceProxy> WorkspaceProxies()
    {
        (string Name, string DisplayName)[] proxies = [("sydney", "Sydney"), ("frankfurt", "Frankfurt (EU)")];
        for (var i = 0; i < proxies.Length; i++)
        {
            var rng = new Rng(_options.Seed, (int)Table.Proxy, i);
            var created = BeforeEpoch(ref rng, 200);
            yield return new WorkspaceProxy
            {
                Id = Id(Table.Proxy, i),
                Name = proxies[i].Name,
                DisplayName = proxies[i].DisplayName,
                DerpEnabled = true,
                DerpOnly = i == 1 && rng.Chance(0.5),
                CreatedAt = created,
                UpdatedAt = Min(created.AddDays(rng.Next(0, 30)).AddTicks(Microseconds(ref rng)), _epoch),
            };
        }
    }

    /// <summary>The AI tasks: one for every 25 workspaces, the prompt sent only as a hash.</summary>
    public IEnumerable<CoderTask> Tasks()
    {
        var count = Math.Max(1, _options.Workspaces / 25);
        for (var i = 0; i < count; i++)
        {
            var rng = new Rng(_options.Seed, (int)Table.Task, i);
            var status = rng.Pick(s_taskStatuses);
            int? workspace = _options.Workspaces > 0 && status != "pending" ? (i * 25) % _options.Workspaces : null;
            var owner = workspace is { } w ? Owner(w) : rng.Next(_options.Users);
            var template = workspace is { } t ? TemplateOf(t) : rng.Next(_options.Templates);
            var prompt = rng.Pick(s_taskPrompts)
                .Replace("{email}", Email(owner), StringComparison.Ordinal)
                .Replace("{user}", s_firstNames[owner % s_firstNames.Length], StringComparison.Ordinal)
                .Replace("{ipv4}", Ipv4(ref rng, privateOnly: true), StringComparison.Ordinal);
            yield return new CoderTask
            {
                Id = Id(Table.Task, i).ToString(),
                OrganizationId = TemplateOrganization(template).ToString(),
                OwnerId = Id(Table.User, owner).ToString(),
                Name = $"task-{rng.Pick(s_workspaceNames)}-{rng.NextUInt64() % 0x10000:x4}",
                WorkspaceId = workspace is { } a ? Id(Table.Workspace, a).ToString() : null,
                WorkspaceBuildNumber = workspace is null ? null : rng.Next(1, 40),
                WorkspaceAgentId = workspace is { } b ? Id(Table.Task, b + 1_000_000_000L).ToString() : null,
                WorkspaceAppId = workspace is { } c ? Id(Table.Task, c + 2_000_000_000L).ToString() : null,
                TemplateVersionId = ActiveVersion(template).ToString(),
                PromptHash = Sha256Hex(prompt),
                CreatedAt = BeforeEpoch(ref rng, 30),
                Status = status,
            };
        }
    }

    /// <summary>Coder's own telemetry bookkeeping: when the dashboard was first served, and that telemetry is on.</summary>
    public IEnumerable<TelemetryItem> TelemetryItems()
    {
        var rng = new Rng(_options.Seed, (int)Table.TelemetryItem, 0);
        var firstServed = _epoch.AddDays(-730).AddMinutes(rng.Next(5, 60));
        var servedRecorded = firstServed.AddTicks(Microseconds(ref rng));
        var enabledRecorded = _epoch.AddDays(-rng.Next(30, 400)).AddTicks(-Microseconds(ref rng));
        yield return new TelemetryItem
        {
            Key = "html_first_served_at",
            Value = firstServed.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            CreatedAt = servedRecorded,
            UpdatedAt = servedRecorded,
        };
        yield return new TelemetryItem { Key = TelemetryEnabledKey, Value = "true", CreatedAt = enabledRecorded, UpdatedAt = enabledRecorded };
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
