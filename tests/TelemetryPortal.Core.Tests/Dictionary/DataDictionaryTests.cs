using System.Text.Json.Serialization.Metadata;
using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Core.Tests.Dictionary;

public class DataDictionaryTests
{
    /// <summary>Every (path, shape) the JSON contract of the model can produce.</summary>
    private static List<(string Path, FieldShape Shape)> ModelFields()
    {
        var fields = new List<(string, FieldShape)>();
        Walk(TelemetryJsonContext.Default.GetTypeInfo(typeof(Snapshot))!, "snapshot", fields);
        Walk(TelemetryJsonContext.Default.GetTypeInfo(typeof(Deployment))!, "deployment", fields);
        return fields;
    }

    private static void Walk(JsonTypeInfo type, string parent, List<(string, FieldShape)> fields)
    {
        Assert.Equal(JsonTypeInfoKind.Object, type.Kind);
        foreach (var property in type.Properties)
        {
            var path = $"{parent}.{property.Name}";
            var info = TelemetryJsonContext.Default.GetTypeInfo(property.PropertyType)!;
            switch (info.Kind)
            {
                case JsonTypeInfoKind.Object:
                    fields.Add((path, FieldShape.Record));
                    Walk(info, path, fields);
                    break;
                case JsonTypeInfoKind.Enumerable:
                    var element = TelemetryJsonContext.Default.GetTypeInfo(info.ElementType!)!;
                    if (element.Kind == JsonTypeInfoKind.Object)
                    {
                        fields.Add((path, FieldShape.RecordList));
                        Walk(element, path + "[]", fields);
                    }
                    else
                    {
                        Assert.Equal(JsonTypeInfoKind.None, element.Kind);
                        fields.Add((path, FieldShape.ValueList));
                    }

                    break;
                case JsonTypeInfoKind.None:
                    fields.Add((path, FieldShape.Value));
                    break;
                default:
                    Assert.Fail($"{path} is a {info.Kind}, which the dictionary cannot describe by path.");
                    break;
            }
        }
    }

    [Fact]
    public void Default_EveryModelProperty_HasExactlyOneEntryWithItsShape()
    {
        var entries = DataDictionary.Default.Entries;

        var missing = ModelFields()
            .Where(f => entries.Count(e => e.Path == f.Path) != 1 || entries.Single(e => e.Path == f.Path).Shape != f.Shape)
            .Select(f => $"{f.Path} ({f.Shape})")
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void Default_EveryEntry_MatchesARealModelProperty()
    {
        var model = ModelFields().Select(f => f.Path).ToHashSet(StringComparer.Ordinal);

        var invented = DataDictionary.Default.Entries.Where(e => !model.Contains(e.Path)).Select(e => e.Path).ToList();

        Assert.Empty(invented);
    }

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
    public void Default_PersonalField_IsWithheldAtLevel1(string path)
    {
        var entry = DataDictionary.Default.Find(path);

        Assert.NotNull(entry);
        Assert.False(entry.IsSentAt(TelemetryLevel.Lightweight));
        Assert.True(entry.IsSentAt(TelemetryLevel.Full));
        Assert.Contains(entry, DataDictionary.Default.WithheldAt(TelemetryLevel.Lightweight));
    }

    [Fact]
    public void Default_Entries_HaveSentencesForDescriptionAndPurpose()
    {
        Assert.All(DataDictionary.Default.Entries, e =>
        {
            Assert.EndsWith(".", e.Description, StringComparison.Ordinal);
            Assert.EndsWith(".", e.Purpose, StringComparison.Ordinal);
        });
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
