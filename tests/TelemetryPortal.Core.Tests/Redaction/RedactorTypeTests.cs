using System.Text;
using System.Text.Json;
using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Core.Tests.Redaction;

/// <summary>At level 1 a value whose JSON type is not the one the dictionary declares is dropped and counted (fail-closed).</summary>
public class RedactorTypeTests
{
    private static (JsonElement Agent, RedactionResult Result) Level1Agent(string fieldJson)
    {
        var json = $$"""{"deployment_id":"d","workspace_agents":[{"id":"a1",{{fieldJson}},"architecture":"amd64"}]}""";
        var payload = Redactor.Default.RedactToArray(Encoding.UTF8.GetBytes(json), PayloadKind.Snapshot, TelemetryLevel.Lightweight);
        using var document = JsonDocument.Parse(payload.Bytes);
        return (document.RootElement.GetProperty("workspace_agents")[0].Clone(), payload.Result);
    }

    [Theory]
    [InlineData("\"environment_variables\":\"GITHUB_TOKEN=ghp_abc; OWNER=ada.lovelace\"", "environment_variables")]
    [InlineData("\"environment_variables\":{\"GITHUB_TOKEN\":\"ghp_abc\"}", "environment_variables")]
    [InlineData("\"connection_timeout_seconds\":\"120 seconds, ask ada\"", "connection_timeout_seconds")]
    [InlineData("\"connection_timeout_seconds\":[120]", "connection_timeout_seconds")]
    [InlineData("\"operating_system\":42", "operating_system")]
    [InlineData("\"directory\":\"/home/ada/projects\"", "directory")]
    public void Level1_ValueOfAnotherTypeThanDeclared_IsDroppedAndCounted(string field, string name)
    {
        var (agent, result) = Level1Agent(field);

        Assert.False(agent.TryGetProperty(name, out _), $"{name} was kept: {agent}");
        Assert.Equal("amd64", agent.GetProperty("architecture").GetString());
        Assert.Equal(1, result.UnexpectedValuesDropped);
    }

    [Theory]
    [InlineData("\"environment_variables\":true")]
    [InlineData("\"environment_variables\":null")]
    [InlineData("\"connection_timeout_seconds\":120")]
    [InlineData("\"operating_system\":\"linux\"")]
    public void Level1_ValueOfTheDeclaredType_IsKept(string field)
    {
        var (agent, result) = Level1Agent(field);

        Assert.True(agent.TryGetProperty(field.Split('"')[1], out _));
        Assert.Equal(0, result.UnexpectedValuesDropped);
    }

    [Fact]
    public void Level1_ListElementsOfAnotherType_AreDroppedOneByOne()
    {
        var (agent, result) = Level1Agent("\"subsystems\":[\"envbox\",7,{\"x\":1},\"exectrace\",true]");

        Assert.Equal(["envbox", "exectrace"], agent.GetProperty("subsystems").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(3, result.UnexpectedValuesDropped);
    }

    [Fact]
    public void Level2_ForwardsEveryTypeAsItIs()
    {
        var input = Encoding.UTF8.GetBytes("""{"deployment_id":"d","workspace_agents":[{"environment_variables":"GITHUB_TOKEN=x"}]}""");

        var payload = Redactor.Default.RedactToArray(input, PayloadKind.Snapshot, TelemetryLevel.Full);

        Assert.Equal(input, payload.Bytes.ToArray());
    }

    [Fact]
    public void Dictionary_EveryValueEntry_DeclaresItsJsonType()
    {
        var untyped = DataDictionary.Default.Entries
            .Where(e => e.CarriesValues && e.ValueType == FieldValueType.Any)
            .Select(e => e.Path)
            .ToList();

        Assert.Empty(untyped);
    }
}
