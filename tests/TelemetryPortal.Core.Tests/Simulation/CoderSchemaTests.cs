using System.Text.Json;
using TelemetryPortal.Core.Simulation;
using TelemetryPortal.Core.Snapshots;

namespace TelemetryPortal.Core.Tests.Simulation;

/// <summary>The simulated payloads against Coder's schema (<c>Reference/coder-schema.tsv</c>): every path, Go's order, Go's omitempty.</summary>
public class CoderSchemaTests
{
    private static readonly SimulationOptions s_options = new() { Seed = 42, Users = 40, Workspaces = 90, Templates = 4, Groups = 5, RecentActivity = 0.5, FailedJobs = 0.5 };

    /// <summary>Omitempty secrets: Coder blanks every secret before it reports, and Go then leaves these out.</summary>
    private static readonly string[] s_neverSent =
    [
        "deployment.config.pg_connection_url",
        "deployment.config.scim_api_key",
        "deployment.config.external_token_encryption_keys",
    ];

    private static readonly Lazy<IReadOnlyList<SchemaRow>> s_schema = new(() => File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Reference", "coder-schema.tsv"))
        .Where(line => !line.StartsWith('#') && !line.StartsWith("path\t", StringComparison.Ordinal) && line.Length > 0)
        .Select(line => line.Split('\t'))
        .Select(f => new SchemaRow(f[0], f[1], f[3] == "yes", f[4]))
        .ToList());

    private sealed record SchemaRow(string Path, string GoType, bool OmitEmpty, string Shape)
    {
        /// <summary>Go's omitempty leaves a field out only for a bool, number, string, slice, map or pointer; never for a struct.</summary>
        public bool Omittable => OmitEmpty && Shape != "Record" && !GoType.StartsWith("serpent.Struct", StringComparison.Ordinal)
            && GoType is not ("serpent.URL" or "serpent.HostPort" or "serpent.Regexp" or "time.Time");
    }

    private sealed class Walk
    {
        private readonly HashSet<string> _maps = s_schema.Value.Where(r => r.Shape == "Map").Select(r => r.Path).ToHashSet(StringComparer.Ordinal);
        private readonly HashSet<string> _recordMaps = s_schema.Value.Where(r => r.Path.Contains("{}.", StringComparison.Ordinal)).Select(r => r.Path[..r.Path.IndexOf("{}.", StringComparison.Ordinal)]).ToHashSet(StringComparer.Ordinal);

        public HashSet<string> Paths { get; } = new(StringComparer.Ordinal);

        public List<(string Path, JsonElement Value)> Values { get; } = [];

        /// <summary>Each object's property names in order, under the path of the object.</summary>
        public List<(string Path, List<string> Names)> Objects { get; } = [];

        public void Fields(JsonElement record, string path)
        {
            var names = new List<string>();
            foreach (var property in record.EnumerateObject())
            {
                var child = $"{path}.{property.Name}";
                names.Add(property.Name);
                Paths.Add(child);
                Values.Add((child, property.Value));
                Value(property.Value, child);
            }

            Objects.Add((path, names));
        }

        private void Value(JsonElement value, string path)
        {
            if (value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in value.EnumerateArray())
                {
                    Value(item, path + "[]");
                }
            }
            else if (value.ValueKind == JsonValueKind.Object)
            {
                if (!_maps.Contains(path))
                {
                    Fields(value, path);
                }
                else if (_recordMaps.Contains(path))
                {
                    // A map's keys vary: its values are path{}, and a map of records has path{}.field.
                    foreach (var member in value.EnumerateObject())
                    {
                        Fields(member.Value, path + "{}");
                    }
                }
            }
        }
    }

    private static Walk WalkSimulation(SimulationOptions options)
    {
        var installation = new SimulatedInstallation(options);
        var walk = new Walk();
        using var snapshot = JsonDocument.Parse(TelemetryJson.Serialize(installation.CreateSnapshot()));
        using var deployment = JsonDocument.Parse(TelemetryJson.Serialize(installation.CreateDeployment()));
        walk.Fields(snapshot.RootElement.Clone(), "snapshot");
        walk.Fields(deployment.RootElement.Clone(), "deployment");
        return walk;
    }

    [Fact]
    public void Schema_IsTheReferenceFile()
    {
        Assert.Equal(555, s_schema.Value.Count);
        Assert.Equal(318, s_schema.Value.Count(r => r.Path.StartsWith("snapshot.", StringComparison.Ordinal)));
    }

    [Fact]
    public void Simulation_EmitsEveryPathOfCodersSchema_AndNoOther()
    {
        var expected = s_schema.Value.Select(r => r.Path).Except(s_neverSent).ToHashSet(StringComparer.Ordinal);

        var actual = WalkSimulation(s_options).Paths;

        var missing = expected.Except(actual).Order(StringComparer.Ordinal).ToList();
        var extra = actual.Except(expected).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0, $"missing:\n  {string.Join("\n  ", missing)}\nextra:\n  {string.Join("\n  ", extra)}");
    }

    [Fact]
    public void Simulation_BlankedOmitemptySecrets_AreNotSent_NestedOnesAreEmptyStrings()
    {
        using var json = JsonDocument.Parse(TelemetryJson.Serialize(new SimulatedInstallation(s_options).CreateDeployment()));
        var config = json.RootElement.GetProperty("config");

        Assert.All(s_neverSent, path => Assert.False(config.TryGetProperty(path["deployment.config.".Length..], out _), path));
        Assert.Equal("", config.GetProperty("oidc").GetProperty("client_secret").GetString());
        Assert.Equal("", config.GetProperty("oauth2").GetProperty("github").GetProperty("client_secret").GetString());
        Assert.Equal("", config.GetProperty("notifications").GetProperty("email").GetProperty("auth").GetProperty("password").GetString());
        Assert.Equal("", config.GetProperty("provisioner").GetProperty("daemon_psk").GetString());
        Assert.Equal("", config.GetProperty("trace").GetProperty("honeycomb_api_key").GetString());
    }

    [Fact]
    public void Simulation_OmitemptyFields_AreNeverWrittenEmpty()
    {
        var omittable = s_schema.Value.Where(r => r.Omittable).Select(r => r.Path).ToHashSet(StringComparer.Ordinal);

        var empty = WalkSimulation(s_options).Values
            .Where(v => omittable.Contains(v.Path) && IsEmpty(v.Value))
            .Select(v => $"{v.Path} = {v.Value.GetRawText()}")
            .Distinct()
            .ToList();

        Assert.True(omittable.Count > 40);
        Assert.Empty(empty);
    }

    [Fact]
    public void Simulation_FieldsInGoStructOrder()
    {
        var order = s_schema.Value.Select((r, i) => (r.Path, i)).ToDictionary(x => x.Path, x => x.i, StringComparer.Ordinal);

        var wrong = WalkSimulation(s_options).Objects
            .Where(o => o.Names.Select(n => order[$"{o.Path}.{n}"]).Zip(o.Names.Skip(1).Select(n => order[$"{o.Path}.{n}"])).Any(p => p.First > p.Second))
            .Select(o => o.Path)
            .Distinct()
            .ToList();

        Assert.Empty(wrong);
    }

    [Fact]
    public void Model_OmitemptyFields_LeftOutWhenEmpty()
    {
        var job = new ProvisionerJob { Id = Guid.Empty, Type = "template_version_dry_run" };
        var version = new TemplateVersion { TemplateId = null, SourceExampleId = null, HasAiTask = null };
        var user = new User { LoginType = "" };

        Assert.Equal(
            """{"id":"00000000-0000-0000-0000-000000000000","organization_id":"00000000-0000-0000-0000-000000000000","initiator_id":"00000000-0000-0000-0000-000000000000","created_at":"0001-01-01T00:00:00Z","updated_at":"0001-01-01T00:00:00Z","error":"","type":"template_version_dry_run"}""",
            Text(job));
        Assert.Equal(
            """{"id":"00000000-0000-0000-0000-000000000000","created_at":"0001-01-01T00:00:00Z","organization_id":"00000000-0000-0000-0000-000000000000","job_id":"00000000-0000-0000-0000-000000000000","has_ai_task":null}""",
            Text(version));
        Assert.Equal(
            """{"id":"00000000-0000-0000-0000-000000000000","created_at":"0001-01-01T00:00:00Z","email":null,"email_hashed":"","rbac_roles":null,"status":"","github_com_user_id":0}""",
            Text(user));
        Assert.StartsWith("""{"access_url":"","docs_url":"","derp":{"server":{"enable":false,"region_id":0,"region_code":"","region_name":"","stun_addresses":null,"relay_url":""}""", Text(new DeploymentConfig()), StringComparison.Ordinal);
        Assert.EndsWith("""},"address":""}""", Text(new DeploymentConfig()), StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_ThenDeserialize_GivesTheSameBytes()
    {
        var installation = new SimulatedInstallation(s_options);
        var snapshot = TelemetryJson.Serialize(installation.CreateSnapshot());
        var deployment = TelemetryJson.Serialize(installation.CreateDeployment(s_options.Now.AddMinutes(5)));

        var snapshotAgain = TelemetryJson.Serialize(TelemetryJson.DeserializeSnapshot(snapshot));
        var deploymentAgain = TelemetryJson.Serialize(JsonSerializer.Deserialize(deployment, TelemetryJsonContext.Default.Deployment)!);

        Assert.Equal(System.Text.Encoding.UTF8.GetString(snapshot), System.Text.Encoding.UTF8.GetString(snapshotAgain));
        Assert.Equal(System.Text.Encoding.UTF8.GetString(deployment), System.Text.Encoding.UTF8.GetString(deploymentAgain));
    }

    private static string Text(IGoJsonWritable value) => System.Text.Encoding.UTF8.GetString(TelemetryJson.Serialize(value));

    private static bool IsEmpty(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.False or JsonValueKind.Null => true,
        JsonValueKind.String => value.GetString()!.Length == 0,
        JsonValueKind.Number => value.GetRawText() == "0",
        JsonValueKind.Array => value.GetArrayLength() == 0,
        JsonValueKind.Object => !value.EnumerateObject().Any(),
        _ => false,
    };
}
