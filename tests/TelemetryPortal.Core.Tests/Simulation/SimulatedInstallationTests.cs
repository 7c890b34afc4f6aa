using System.Buffers;
using System.Text;
using System.Text.Json;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Simulation;
using TelemetryPortal.Core.Snapshots;

namespace TelemetryPortal.Core.Tests.Simulation;

public class SimulatedInstallationTests
{
    private static readonly SimulationOptions s_options = new() { Seed = 42, Users = 40, Workspaces = 90, Templates = 4, Groups = 5, RecentActivity = 0.5, FailedJobs = 0.5 };

    /// <summary>The top-level lists of a snapshot, in Go's order.</summary>
    private static readonly string[] s_lists =
    [
        "api_keys", "cli_invocations", "external_provisioners", "licenses", "provisioner_jobs", "template_versions", "templates", "users",
        "groups", "group_members", "workspace_agent_stats", "workspace_agents", "workspace_apps", "workspace_build", "workspace_proxies",
        "workspace_resource_metadata", "workspace_resources", "workspace_agent_memory_resource_monitors", "workspace_agent_volume_resource_monitors",
        "workspace_modules", "workspaces", "network_events", "organizations", "tasks", "telemetry_items", "user_tailnet_connections",
        "prebuilt_workspaces", "aibridge_interceptions_summaries", "boundary_active_users", "boundary_active_workspaces",
    ];

    /// <summary>What Coder sends whole on every report.</summary>
    private static readonly string[] s_standing =
    [
        "deployment_id", "external_provisioners", "licenses", "template_versions", "templates", "users", "groups", "group_members",
        "workspace_proxies", "workspaces", "organizations", "tasks", "telemetry_items",
    ];

    private static byte[] Bytes(SimulationOptions options) => TelemetryJson.Serialize(new SimulatedInstallation(options).CreateSnapshot());

    private static string Text(IGoJsonWritable payload) => Encoding.UTF8.GetString(TelemetryJson.Serialize(payload));

    [Fact]
    public void CreateSnapshot_SameOptions_SameBytes()
    {
        Assert.Equal(Bytes(s_options), Bytes(s_options));
    }

    [Fact]
    public void CreateSnapshot_OtherSeed_OtherData()
    {
        Assert.NotEqual(Bytes(s_options), Bytes(s_options with { Seed = 43 }));
    }

    [Fact]
    public void WriteSnapshot_StreamedOrBuffered_EqualsSerialisedModel()
    {
        var installation = new SimulatedInstallation(s_options);
        using var stream = new MemoryStream();
        var buffer = new ArrayBufferWriter<byte>();

        installation.WriteSnapshot(stream);
        installation.WriteSnapshot(buffer);

        var expected = TelemetryJson.Serialize(installation.CreateSnapshot());
        Assert.Equal(expected, stream.ToArray());
        Assert.Equal(expected, buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void CreateSnapshot_Sizes_FollowTheOptions()
    {
        var snapshot = new SimulatedInstallation(s_options).CreateSnapshot();

        Assert.Equal(40, snapshot.Users!.Count());
        Assert.Equal(90, snapshot.Workspaces!.Count());
        Assert.Equal(4, snapshot.Templates!.Count());
        Assert.Equal(12, snapshot.TemplateVersions!.Count());
        Assert.Equal(5, snapshot.Groups!.Count());
        Assert.Equal(2, snapshot.Organizations!.Count());
        Assert.InRange(snapshot.WorkspaceBuilds!.Count(), 20, 70);
        Assert.Equal(snapshot.WorkspaceBuilds!.Count(), snapshot.ProvisionerJobs!.Count(j => j.Type == "workspace_build"));
    }

    [Fact]
    public void CreateSnapshot_References_PointAtExistingRecords()
    {
        var s = new SimulatedInstallation(s_options).CreateSnapshot();
        var users = s.Users!.Select(u => u.Id).ToHashSet();
        var templates = s.Templates!.Select(t => t.Id).ToHashSet();
        var workspaces = s.Workspaces!.Select(w => w.Id).ToHashSet();
        var jobs = s.ProvisionerJobs!.Select(j => j.Id).ToHashSet();
        var resources = s.WorkspaceResources!.Select(r => r.Id).ToHashSet();
        var agents = s.WorkspaceAgents!.Select(a => a.Id).ToHashSet();
        var groups = s.Groups!.Select(g => g.Id).ToHashSet();
        var versions = s.TemplateVersions!.Select(v => v.Id).ToHashSet();
        var organizations = s.Organizations!.Select(o => o.Id).ToHashSet();

        Assert.All(s.Workspaces!, w => Assert.True(users.Contains(w.OwnerId) && templates.Contains(w.TemplateId) && organizations.Contains(w.OrganizationId)));
        Assert.All(s.WorkspaceBuilds!, b => Assert.True(workspaces.Contains(b.WorkspaceId) && jobs.Contains(b.JobId) && versions.Contains(b.TemplateVersionId)));
        Assert.All(s.WorkspaceResources!, r => Assert.Contains(r.JobId, jobs));
        Assert.All(s.WorkspaceModules!, m => Assert.Contains(m.JobId, jobs));
        Assert.All(s.WorkspaceAgents!, a => Assert.Contains(a.ResourceId, resources));
        Assert.All(s.WorkspaceApps!, a => Assert.Contains(a.AgentId, agents));
        Assert.All(s.WorkspaceAgentStats!, a => Assert.Contains(a.AgentId, agents));
        Assert.All(s.WorkspaceAgentMemoryResourceMonitors!, m => Assert.Contains(m.AgentId, agents));
        Assert.All(s.WorkspaceAgentVolumeResourceMonitors!, m => Assert.Contains(m.AgentId, agents));
        Assert.All(s.GroupMembers!, m => Assert.True(users.Contains(m.UserId) && groups.Contains(m.GroupId)));
        Assert.All(s.ApiKeys!, k => Assert.Contains(k.UserId, users));
        Assert.All(s.Templates!, t => Assert.Contains(t.ActiveVersionId, versions));
        Assert.All(s.TemplateVersions!, v => Assert.Contains(v.TemplateId!.Value, templates));
        Assert.All(s.BoundaryActiveWorkspaces!, w => Assert.True(workspaces.Contains(w.Id) && templates.Contains(w.TemplateId)));
        Assert.All(s.BoundaryActiveUsers!, u => Assert.Contains(u.Id, users));
        Assert.All(s.Tasks!.Where(t => t.WorkspaceId is not null), t => Assert.Contains(Guid.Parse(t.WorkspaceId!), workspaces));
        Assert.All(s.UserTailnetConnections!, c => Assert.Contains(Guid.Parse(c.UserId), users));
    }

    [Fact]
    public void CreateSnapshot_LooksLikeARealInstallation()
    {
        var options = s_options;
        var s = new SimulatedInstallation(options).CreateSnapshot();
        var users = s.Users!.ToList();

        Assert.NotNull(users[0].Email);
        Assert.Contains("owner", users[0].RbacRoles!);
        Assert.All(users.Skip(1), u => Assert.Null(u.Email));
        Assert.All(users, u => Assert.Matches("^[0-9a-f]{64}@[a-z]+\\.example$", u.EmailHashed));
        Assert.Contains(users, u => u.LoginType == "github" && u.GithubComUserId > 1_000_000);
        Assert.All(users.Where(u => u.LoginType != "github"), u => Assert.Equal(0, u.GithubComUserId));
        Assert.Contains(s.ProvisionerJobs!, j => j.Error.Contains('@', StringComparison.Ordinal));
        Assert.Contains(s.ProvisionerJobs!, j => PersonalDataMasker.ContainsPersonalData(j.Error));
        Assert.All(s.ApiKeys!, k => Assert.True(PersonalDataMasker.ContainsPersonalData(k.IpAddress), k.IpAddress));
        Assert.All(s.Licenses!, l => Assert.Contains(".example", l.Email!, StringComparison.Ordinal));
        Assert.All(users, u => Assert.InRange(u.CreatedAt, options.Epoch.AddDays(-731), options.Epoch));
        Assert.All(s.WorkspaceBuilds!, b => Assert.InRange(b.CreatedAt, options.Now.AddHours(-1), options.Now));
        Assert.All(s.ApiKeys!, k => Assert.InRange(k.LastUsed, options.Now.AddHours(-1), options.Now));
        Assert.True(users.Select(u => u.CreatedAt.Date).Distinct().Count() > 10, "activity is spread over time");
        // Jobs in every state Coder has: queued, running, canceled, failed, succeeded.
        Assert.Contains(s.ProvisionerJobs!, j => j.StartedAt is null);
        Assert.Contains(s.ProvisionerJobs!, j => j.CanceledAt is not null);
        Assert.Contains(s.ProvisionerJobs!, j => j.CompletedAt is not null && j.Error.Length == 0);
        Assert.Contains(s.ProvisionerJobs!, j => j.Type == "template_version_dry_run");
    }

    [Fact]
    public void CreateDeployment_HostFactsAndConfig_AreFilledAndDeterministic()
    {
        var installation = new SimulatedInstallation(s_options);
        var shutdown = s_options.Now.AddMinutes(5);

        var deployment = installation.CreateDeployment(shutdown);

        Assert.Equal(installation.DeploymentId.ToString(), deployment.Id);
        Assert.Equal(shutdown, deployment.ShutdownAt);
        Assert.InRange(deployment.StartedAt, s_options.Now.AddDays(-29), s_options.Now);
        Assert.Matches("^https://coder\\.[a-z]+\\.example$", deployment.Config!.AccessUrl);
        Assert.True(deployment.CpuCores > 0);
        Assert.Equal(Text(deployment), Text(new SimulatedInstallation(s_options).CreateDeployment(shutdown)));
    }

    [Fact]
    public void CreateDeployment_Shutdown_DiffersOnlyInShutdownAt()
    {
        var installation = new SimulatedInstallation(s_options);

        var running = Text(installation.CreateDeployment());
        var last = Text(installation.CreateDeployment(shutdownAt: new DateTimeOffset(2025, 6, 2, 12, 5, 30, TimeSpan.FromHours(2))));

        Assert.Contains("\"shutdown_at\":null,", running, StringComparison.Ordinal);
        Assert.Equal(running.Replace("\"shutdown_at\":null,", "\"shutdown_at\":\"2025-06-02T10:05:30Z\",", StringComparison.Ordinal), last);
    }

    [Fact]
    public void CreateSnapshot_HalfAnHourLater_OnlyTheLastHoursListsChange()
    {
        var first = new SimulatedInstallation(s_options);
        var second = new SimulatedInstallation(s_options with { Now = s_options.Now.AddMinutes(30) });
        using var before = JsonDocument.Parse(TelemetryJson.Serialize(first.CreateSnapshot()));
        using var after = JsonDocument.Parse(TelemetryJson.Serialize(second.CreateSnapshot()));

        var changed = s_lists.Prepend("deployment_id")
            .Where(name => before.RootElement.GetProperty(name).GetRawText() != after.RootElement.GetProperty(name).GetRawText())
            .ToList();

        Assert.Empty(changed.Intersect(s_standing));
        Assert.Equal(s_lists.Except(s_standing), changed);
        Assert.Equal(Text(first.CreateDeployment()), Text(second.CreateDeployment()));
        // The windows overlap by half an hour: a build seen in both is the same record, maybe further along.
        var builds = Ids(before, "workspace_build").Intersect(Ids(after, "workspace_build")).ToList();
        Assert.NotEmpty(builds);
        Assert.NotEmpty(Ids(before, "api_keys").Intersect(Ids(after, "api_keys")));
    }

    [Fact]
    public void CreateSnapshot_BuildStillRunning_IsSeenCompletedHalfAnHourLater()
    {
        var options = s_options with { Workspaces = 400 };
        var running = new SimulatedInstallation(options).CreateSnapshot().ProvisionerJobs!.Where(j => j.CompletedAt is null && j.StartedAt is not null).ToList();
        var later = new SimulatedInstallation(options with { Now = options.Now.AddMinutes(30) }).CreateSnapshot().ProvisionerJobs!.ToDictionary(j => j.Id);

        Assert.NotEmpty(running);
        Assert.All(running, j =>
        {
            Assert.Equal(j.CreatedAt, later[j.Id].CreatedAt);
            Assert.Equal(j.StartedAt, later[j.Id].StartedAt);
            Assert.NotNull(later[j.Id].CompletedAt);
        });
    }

    [Fact]
    public void CreateFirstUserSnapshot_HoldsThatUserAlone_OtherListsNull()
    {
        var installation = new SimulatedInstallation(s_options);
        var first = installation.CreateSnapshot().Users!.First();

        var json = Text(installation.CreateFirstUserSnapshot());

        var user = Text(first with { Email = null });
        Assert.Equal(Expected(installation, ("users", $"[{user}]")), json);
    }

    [Fact]
    public void CreateTemplateCreatedSnapshot_HoldsTheTemplateAndItsFirstVersion()
    {
        var installation = new SimulatedInstallation(s_options);

        var snapshot = installation.CreateTemplateCreatedSnapshot(1);

        var template = Assert.Single(snapshot.Templates!);
        var version = Assert.Single(snapshot.TemplateVersions!);
        Assert.Equal(installation.CreateSnapshot().Templates!.ElementAt(1).Id, template.Id);
        Assert.Equal(version.Id, template.ActiveVersionId);
        Assert.Equal(template.Id, version.TemplateId);
        Assert.Equal(template.CreatedAt, template.UpdatedAt);
        Assert.Equal(
            Expected(installation, ("template_versions", $"[{Text(version)}]"), ("templates", $"[{Text(template)}]")),
            Text(snapshot));
    }

    [Fact]
    public void CreateJobCompletedSnapshots_OnePerCompletedBuild_WithWhatItCreated()
    {
        var installation = new SimulatedInstallation(s_options);
        var full = installation.CreateSnapshot();

        var events = installation.CreateJobCompletedSnapshots().ToList();

        Assert.Equal(full.ProvisionerJobs!.Count(j => j.Type == "workspace_build" && j.CompletedAt is not null), events.Count);
        Assert.All(events, e =>
        {
            var job = Assert.Single(e.ProvisionerJobs!);
            Assert.NotNull(job.CompletedAt);
            Assert.Equal(job.Id, Assert.Single(e.WorkspaceBuilds!).JobId);
            Assert.All(e.WorkspaceResources!, r => Assert.Equal(job.Id, r.JobId));
            Assert.All(e.WorkspaceModules!, m => Assert.Equal(job.Id, m.JobId));
            Assert.All(e.WorkspaceAgents!, a => Assert.Contains(a.ResourceId, e.WorkspaceResources!.Select(r => r.Id)));
            Assert.Null(e.Users);
            Assert.Null(e.Workspaces);
            Assert.Null(e.NetworkEvents);
        });
        Assert.Contains(events, e => e.WorkspaceAgents!.Any() && e.WorkspaceApps!.Any());
        Assert.Contains(events, e => e.ProvisionerJobs!.Single().Error.Length > 0 && !e.WorkspaceAgents!.Any());
    }

    [Fact]
    public void CreateTelemetryDisabledSnapshot_SaysSo_AndNothingElse()
    {
        var installation = new SimulatedInstallation(s_options);
        var enabled = installation.CreateSnapshot().TelemetryItems!.Single(i => i.Key == "telemetry_enabled");

        var json = Text(installation.CreateTelemetryDisabledSnapshot());

        using var document = JsonDocument.Parse(json);
        var item = Assert.Single(document.RootElement.GetProperty("telemetry_items").EnumerateArray());
        Assert.Equal(["key", "value", "created_at", "updated_at"], item.EnumerateObject().Select(p => p.Name));
        Assert.Equal("true", enabled.Value);
        Assert.Equal("telemetry_enabled", item.GetProperty("key").GetString());
        Assert.Equal("false", item.GetProperty("value").GetString());
        Assert.Equal(enabled.CreatedAt, item.GetProperty("created_at").GetDateTimeOffset());
        Assert.Equal("\"2025-06-02T10:00:00Z\"", item.GetProperty("updated_at").GetRawText());
        Assert.Equal(Expected(installation, ("telemetry_items", $"[{item.GetRawText()}]")), json);
    }

    [Fact]
    public void Constructor_OutOfRangeShare_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedInstallation(new SimulationOptions { RecentActivity = 1.5 }));
    }

    [Fact]
    public void CreateSnapshot_Json_UsesCoderNamesAndGoEncoding()
    {
        var text = Encoding.UTF8.GetString(Bytes(s_options));
        using var json = JsonDocument.Parse(text);

        Assert.Equal(["deployment_id", .. s_lists], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.True(json.RootElement.GetProperty("users")[0].TryGetProperty("github_com_user_id", out _));
        Assert.True(json.RootElement.GetProperty("templates")[0].TryGetProperty("default_ttl_ms", out _));
        Assert.True(json.RootElement.GetProperty("network_events")[0].GetProperty("derp_map").TryGetProperty("Regions", out _));
        Assert.Equal("", RawWhitespace(text));
        Assert.DoesNotContain("+00:00", text, StringComparison.Ordinal);
        Assert.Contains("\\u003c", text, StringComparison.Ordinal);
        Assert.Contains("\"Regions\":{\"1\":", text, StringComparison.Ordinal);
        Assert.Contains("},\"10\":{", text, StringComparison.Ordinal);
    }

    /// <summary>A snapshot with only <paramref name="lists"/> filled, as Go writes one: the others <c>null</c>.</summary>
    private static string Expected(SimulatedInstallation installation, params (string Name, string Json)[] lists)
    {
        var filled = lists.ToDictionary(l => l.Name, l => l.Json);
        return $"{{\"deployment_id\":\"{installation.DeploymentId}\"," + string.Join(',', s_lists.Select(n => $"\"{n}\":{filled.GetValueOrDefault(n, "null")}")) + "}";
    }

    private static IEnumerable<string> Ids(JsonDocument snapshot, string list) =>
        snapshot.RootElement.GetProperty(list).EnumerateArray().Select(e => e.GetProperty("id").GetString()!);

    /// <summary>Whitespace outside strings, which Go's json.Marshal never writes.</summary>
    private static string RawWhitespace(string json)
    {
        var inString = false;
        var found = new StringBuilder();
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                found.Append(' ');
            }
        }

        return found.ToString();
    }
}
