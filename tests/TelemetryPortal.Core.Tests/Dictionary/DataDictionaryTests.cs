using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Core.Tests.Dictionary;

public class DataDictionaryTests
{
    [Fact]
    public void Default_IdentifyingCategories_AreSentOnlyAtLevel2AndTheRestAtLevel1()
    {
        var wrong = DataDictionary.Default.Entries
            .Where(e => e.MinimumLevel != (FieldCategories.IsIdentifying(e.Category) ? TelemetryLevel.Full : TelemetryLevel.Lightweight))
            .Select(e => e.Path)
            .ToList();

        Assert.Empty(wrong);
    }

    [Theory]
    [InlineData("snapshot.users[].email")]
    [InlineData("snapshot.users[].email_hashed")]
    [InlineData("snapshot.users[].github_com_user_id")]
    [InlineData("snapshot.api_keys[].ip_address")]
    [InlineData("snapshot.licenses[].jwt")]
    [InlineData("snapshot.licenses[].email")]
    [InlineData("snapshot.network_events[].p2p_endpoint.hash")]
    [InlineData("deployment.config.access_url")]
    [InlineData("deployment.machine_id")]
    [InlineData("snapshot.licenses[].uuid")]
    [InlineData("snapshot.workspaces[].name")]
    [InlineData("snapshot.user_tailnet_connections[].device_id")]
    [InlineData("snapshot.external_provisioners[].tags")]
    [InlineData("deployment.config.pg_connection_url")]
    [InlineData("deployment.config.tls.key_file")]
    public void Default_PersonalField_IsWithheldAtLevel1(string path)
    {
        var entry = DataDictionary.Default.Find(path);

        Assert.NotNull(entry);
        Assert.False(entry.IsSentAt(TelemetryLevel.Lightweight));
        Assert.True(entry.IsSentAt(TelemetryLevel.Full));
        Assert.Contains(entry, DataDictionary.Default.WithheldAt(TelemetryLevel.Lightweight));
    }

    [Fact]
    public void Default_Entries_HaveSentencesForDescriptionPurposeAndReason()
    {
        Assert.All(DataDictionary.Default.Entries, e =>
        {
            Assert.EndsWith(".", e.Description, StringComparison.Ordinal);
            Assert.EndsWith(".", e.Purpose, StringComparison.Ordinal);
            if (e.Reason is not null)
            {
                Assert.EndsWith(".", e.Reason, StringComparison.Ordinal);
            }
        });
    }

    [Theory]
    [InlineData("snapshot.workspaces[].name", FieldCategory.Name)]
    [InlineData("snapshot.licenses[].uuid", FieldCategory.LicenseKey)]
    [InlineData("deployment.machine_id", FieldCategory.MachineIdentifier)]
    [InlineData("deployment.config.oidc.client_secret", FieldCategory.Secret)]
    [InlineData("deployment.config.cache_directory", FieldCategory.FilePath)]
    [InlineData("snapshot.network_events[].latest_netcheck.global_v4.hash", FieldCategory.HashedIpAddress)]
    public void Default_IdentifyingField_HasItsCategory(string path, FieldCategory category)
    {
        Assert.Equal(category, DataDictionary.Default.Find(path)?.Category);
    }

    [Theory]
    [InlineData("snapshot.provisioner_jobs[].error")]
    [InlineData("snapshot.tasks[].prompt_hash")]
    [InlineData("snapshot.telemetry_items[].value")]
    [InlineData("deployment.config.prometheus.address")]
    [InlineData("snapshot.network_events[].derp_map.Regions{}.nodes[].name")]
    public void Default_KeptFieldThatCouldLookIdentifying_IsSentAtLevel1WithAReason(string path)
    {
        var entry = DataDictionary.Default.Find(path);

        Assert.NotNull(entry);
        Assert.True(entry.IsSentAt(TelemetryLevel.Lightweight));
        Assert.False(string.IsNullOrWhiteSpace(entry.Reason));
    }

    [Fact]
    public void Find_MapOfRecords_DescribesItsValuesFields()
    {
        var dictionary = DataDictionary.Default;

        Assert.Equal(FieldShape.Map, dictionary.Find("snapshot.network_events[].derp_map.Regions")?.Shape);
        Assert.Equal("snapshot.network_events[].derp_map.Regions{}", dictionary.ChildPath("snapshot.network_events[].derp_map.Regions", "1"));
        Assert.Equal(
            ["region_id", "embedded_relay", "RegionCode", "RegionName", "Avoid", "nodes"],
            dictionary.Children("snapshot.network_events[].derp_map.Regions{}").Select(e => e.Name));
    }

    [Fact]
    public void Children_ListOfRecords_ListsItsFields()
    {
        var names = DataDictionary.Default.Children("snapshot.users[]").Select(e => e.Name).ToList();

        Assert.Equal(["id", "created_at", "email", "email_hashed", "rbac_roles", "status", "github_com_user_id", "login_type"], names);
    }

    [Fact]
    public void Constructor_DuplicatePath_ThrowsNamingThePath()
    {
        var entry = new DictionaryEntry("snapshot.deployment_id", FieldShape.Value, FieldCategory.Identifier, TelemetryLevel.Lightweight, "Id.", "Linking.");

        var error = Assert.Throws<ArgumentException>(() => new DataDictionary([entry, entry]));

        Assert.Contains("snapshot.deployment_id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_MissingParent_ThrowsNamingTheParent()
    {
        var entry = new DictionaryEntry("snapshot.users[].email", FieldShape.Value, FieldCategory.Email, TelemetryLevel.Full, "Mail.", "Contact.");

        var error = Assert.Throws<ArgumentException>(() => new DataDictionary([entry]));

        Assert.Contains("snapshot.users[]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("users.id")]
    [InlineData("snapshot.Users[].id")]
    [InlineData("snapshot..id")]
    public void Constructor_MalformedPath_Throws(string path)
    {
        var entry = new DictionaryEntry(path, FieldShape.Value, FieldCategory.Identifier, TelemetryLevel.Lightweight, "Id.", "Linking.");

        Assert.Throws<ArgumentException>(() => new DataDictionary([entry]));
    }

    [Fact]
    public void Constructor_LevelOff_Throws()
    {
        var entry = new DictionaryEntry("snapshot.deployment_id", FieldShape.Value, FieldCategory.Identifier, TelemetryLevel.Off, "Id.", "Linking.");

        Assert.Throws<ArgumentException>(() => new DataDictionary([entry]));
    }
}
