using System.Text.Json;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Simulation;
using TelemetryPortal.Core.Snapshots;

namespace TelemetryPortal.Core.Tests.Simulation;

public class SimulatedInstallationTests
{
    private static readonly SimulationOptions s_options = new() { Seed = 42, Users = 40, Workspaces = 90, Templates = 4, Groups = 5, RecentActivity = 0.5, FailedJobs = 0.5 };

    [Fact]
    public void CreateSnapshot_SameOptions_SameBytes()
    {
        var first = TelemetryJson.Serialize(new SimulatedInstallation(s_options).CreateSnapshot());
        var second = TelemetryJson.Serialize(new SimulatedInstallation(s_options).CreateSnapshot());

        Assert.Equal(first, second);
    }

    [Fact]
    public void CreateSnapshot_OtherSeed_OtherData()
    {
        var first = TelemetryJson.Serialize(new SimulatedInstallation(s_options).CreateSnapshot());
        var second = TelemetryJson.Serialize(new SimulatedInstallation(s_options with { Seed = 43 }).CreateSnapshot());

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void WriteSnapshot_Streamed_EqualsSerialisedModel()
    {
        var installation = new SimulatedInstallation(s_options);
        using var stream = new MemoryStream();

        installation.WriteSnapshot(stream);

        Assert.Equal(TelemetryJson.Serialize(installation.CreateSnapshot()), stream.ToArray());
    }

    [Fact]
    public void CreateSnapshot_Sizes_FollowTheOptions()
    {
        var snapshot = new SimulatedInstallation(s_options).CreateSnapshot();

        Assert.Equal(40, snapshot.Users.Count);
        Assert.Equal(90, snapshot.Workspaces.Count);
        Assert.Equal(4, snapshot.Templates.Count);
        Assert.Equal(12, snapshot.TemplateVersions.Count);
        Assert.Equal(5, snapshot.Groups.Count);
        Assert.Equal(2, snapshot.Organizations.Count);
        Assert.InRange(snapshot.WorkspaceBuilds.Count, 20, 70);
        Assert.Equal(snapshot.WorkspaceBuilds.Count, snapshot.ProvisionerJobs.Count);
    }

    [Fact]
    public void CreateSnapshot_References_PointAtExistingRecords()
    {
        var s = new SimulatedInstallation(s_options).CreateSnapshot();
        var users = s.Users.Select(u => u.Id).ToHashSet();
        var templates = s.Templates.Select(t => t.Id).ToHashSet();
        var workspaces = s.Workspaces.Select(w => w.Id).ToHashSet();
        var jobs = s.ProvisionerJobs.Select(j => j.Id).ToHashSet();
        var resources = s.WorkspaceResources.Select(r => r.Id).ToHashSet();
        var agents = s.WorkspaceAgents.Select(a => a.Id).ToHashSet();
        var groups = s.Groups.Select(g => g.Id).ToHashSet();
        var versions = s.TemplateVersions.Select(v => v.Id).ToHashSet();
        var organizations = s.Organizations.Select(o => o.Id).ToHashSet();

        Assert.All(s.Workspaces, w => Assert.True(users.Contains(w.OwnerId) && templates.Contains(w.TemplateId) && organizations.Contains(w.OrganizationId)));
        Assert.All(s.WorkspaceBuilds, b => Assert.True(workspaces.Contains(b.WorkspaceId) && jobs.Contains(b.JobId) && versions.Contains(b.TemplateVersionId)));
        Assert.All(s.WorkspaceResources, r => Assert.Contains(r.JobId, jobs));
        Assert.All(s.WorkspaceAgents, a => Assert.Contains(a.ResourceId, resources));
        Assert.All(s.WorkspaceApps, a => Assert.Contains(a.AgentId, agents));
        Assert.All(s.WorkspaceAgentStats, a => Assert.Contains(a.AgentId, agents));
        Assert.All(s.GroupMembers, m => Assert.True(users.Contains(m.UserId) && groups.Contains(m.GroupId)));
        Assert.All(s.ApiKeys, k => Assert.Contains(k.UserId, users));
        Assert.All(s.Templates, t => Assert.Contains(t.ActiveVersionId, versions));
    }

    [Fact]
    public void CreateSnapshot_LooksLikeARealInstallation()
    {
        var options = s_options;
        var s = new SimulatedInstallation(options).CreateSnapshot();

        Assert.NotNull(s.Users[0].Email);
        Assert.Contains("owner", s.Users[0].RbacRoles);
        Assert.All(s.Users.Skip(1), u => Assert.Null(u.Email));
        Assert.All(s.Users, u => Assert.Matches("^[0-9a-f]{64}@[a-z]+\\.example$", u.EmailHashed));
        Assert.Contains(s.ProvisionerJobs, j => j.Error.Contains('@', StringComparison.Ordinal));
        Assert.Contains(s.ProvisionerJobs, j => PersonalDataMasker.ContainsPersonalData(j.Error));
        Assert.All(s.ApiKeys, k => Assert.True(PersonalDataMasker.ContainsPersonalData(k.IpAddress), k.IpAddress));
        Assert.All(s.Users, u => Assert.InRange(u.CreatedAt, options.Now.AddDays(-731), options.Now));
        Assert.All(s.WorkspaceBuilds, b => Assert.InRange(b.CreatedAt, options.Now.AddHours(-1), options.Now));
        Assert.True(s.Users.Select(u => u.CreatedAt.Date).Distinct().Count() > 10, "activity is spread over time");
    }

    [Fact]
    public void CreateDeployment_HostFacts_AreFilledAndDeterministic()
    {
        var installation = new SimulatedInstallation(s_options);
        var shutdown = s_options.Now.AddMinutes(5);

        var deployment = installation.CreateDeployment(shutdown);

        Assert.Equal(installation.DeploymentId, deployment.Id);
        Assert.Equal(shutdown, deployment.ShutdownAt);
        Assert.NotNull(deployment.Config?.AccessUrl);
        Assert.True(deployment.CpuCores > 0);
        Assert.Equal(TelemetryJson.Serialize(deployment), TelemetryJson.Serialize(new SimulatedInstallation(s_options).CreateDeployment(shutdown)));
    }

    [Fact]
    public void Constructor_OutOfRangeShare_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedInstallation(new SimulationOptions { RecentActivity = 1.5 }));
    }

    [Fact]
    public void CreateSnapshot_Json_UsesCoderNames()
    {
        var bytes = TelemetryJson.Serialize(new SimulatedInstallation(s_options).CreateSnapshot());
        using var json = JsonDocument.Parse(bytes);

        Assert.True(json.RootElement.TryGetProperty("workspace_build", out _));
        Assert.True(json.RootElement.GetProperty("users")[0].TryGetProperty("github_com_user_id", out _));
        Assert.True(json.RootElement.GetProperty("templates")[0].TryGetProperty("default_ttl_ms", out _));
    }
}
