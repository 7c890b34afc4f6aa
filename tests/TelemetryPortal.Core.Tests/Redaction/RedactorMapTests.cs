using System.Text;
using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Core.Tests.Redaction;

/// <summary>Maps (Go maps, keys that vary) and Go field names that are not snake_case, at level 1.</summary>
public class RedactorMapTests
{
    private static readonly Redactor s_redactor = new(new DataDictionary(
    [
        new("snapshot.deployment_id", FieldShape.Value, FieldCategory.Identifier, TelemetryLevel.Lightweight, "Id.", "Linking."),
        new("snapshot.events", FieldShape.RecordList, FieldCategory.Section, TelemetryLevel.Lightweight, "Events.", "Groups."),
        new("snapshot.events[].routes", FieldShape.Map, FieldCategory.UsageCount, TelemetryLevel.Lightweight, "Counts by route.", "Adoption."),
        new("snapshot.events[].mapping", FieldShape.Map, FieldCategory.OrganizationIdentity, TelemetryLevel.Full, "Group names.", "Adoption.", "Names the customer's groups."),
        new("snapshot.events[].lists", FieldShape.Map, FieldCategory.Configuration, TelemetryLevel.Lightweight, "Lists by key.", "Adoption."),
        new("snapshot.events[].Regions", FieldShape.Map, FieldCategory.Section, TelemetryLevel.Lightweight, "Regions.", "Groups."),
        new("snapshot.events[].Regions{}.RegionCode", FieldShape.Value, FieldCategory.Classification, TelemetryLevel.Lightweight, "Code.", "Networking."),
        new("snapshot.events[].Regions{}.host", FieldShape.Value, FieldCategory.OrganizationIdentity, TelemetryLevel.Full, "Host.", "Networking.", "Names the customer's host."),
    ]));

    private static (string Json, RedactionResult Result) Level1(string json)
    {
        var payload = s_redactor.RedactToArray(Encoding.UTF8.GetBytes(json), PayloadKind.Snapshot, TelemetryLevel.Lightweight);
        return (Encoding.UTF8.GetString(payload.Bytes.Span), payload.Result);
    }

    [Fact]
    public void Level1_MapOfValues_KeepsEveryKeyAndValue()
    {
        var (json, result) = Level1("""{"deployment_id":"d","events":[{"routes":{"/v1/chat":3,"/v1/messages":4},"lists":{"a":["x","y"],"b":[]}}]}""");

        Assert.Equal("""{"deployment_id":"d","events":[{"routes":{"/v1/chat":3,"/v1/messages":4},"lists":{"a":["x","y"],"b":[]}}]}""", json);
        Assert.False(result.Changed);
    }

    [Fact]
    public void Level1_MapSentOnlyAtLevel2_IsDroppedWhole()
    {
        var (json, result) = Level1("""{"deployment_id":"d","events":[{"mapping":{"acme-admins":"admin"},"routes":{"/a":1}}]}""");

        Assert.Equal("""{"deployment_id":"d","events":[{"routes":{"/a":1}}]}""", json);
        Assert.Equal(1, result.DroppedFields);
    }

    [Fact]
    public void Level1_MapOfRecords_AppliesTheRecordFieldsToEveryValue()
    {
        var (json, result) = Level1("""{"deployment_id":"d","events":[{"Regions":{"1":{"RegionCode":"fra","host":"derp.acme.com","extra":1},"10":{"RegionCode":"nyc","host":"x"}}}]}""");

        Assert.Equal("""{"deployment_id":"d","events":[{"Regions":{"1":{"RegionCode":"fra"},"10":{"RegionCode":"nyc"}}}]}""", json);
        Assert.Equal(2, result.DroppedFields);
        Assert.Equal([new UnknownField("snapshot.events[].Regions{}.extra", "number")], result.UnknownFields);
    }

    [Fact]
    public void Level1_MapKeyHoldingAnEmailOrIp_DropsThatMemberAndMasksValues()
    {
        var (json, result) = Level1("""{"deployment_id":"d","events":[{"routes":{"ada@example.com":1,"/ok":2,"10.1.2.3":3},"lists":{"k":["mail bob@example.com"]}}]}""");

        Assert.Equal("""{"deployment_id":"d","events":[{"routes":{"/ok":2},"lists":{"k":["mail [email removed]"]}}]}""", json);
        Assert.Equal(2, result.MaskedEmails);
        Assert.Equal(1, result.MaskedIpAddresses);
    }

    [Fact]
    public void Level1_MapValueOfAnUnexpectedShape_IsDropped()
    {
        var (json, result) = Level1("""{"deployment_id":"d","events":[{"routes":{"a":{"nested":true},"b":2}}]}""");

        Assert.Equal("""{"deployment_id":"d","events":[{"routes":{"b":2}}]}""", json);
        Assert.Equal(1, result.UnexpectedValuesDropped);
    }

    [Fact]
    public void Classify_Level2Payload_NamesUnknownFieldsWithTheirJsonTypes()
    {
        var input = Encoding.UTF8.GetBytes("""{"deployment_id":"d","new_list":[1],"events":[{"new_flag":true,"routes":{}}],"zz":null}""");

        var result = s_redactor.Classify(input, PayloadKind.Snapshot);

        Assert.Equal(
            [new UnknownField("snapshot.events[].new_flag", "boolean"), new UnknownField("snapshot.new_list", "array"), new UnknownField("snapshot.zz", "null")],
            result.UnknownFields);
    }

    [Fact]
    public void Level1_MaskedString_IsEscapedAsGoWouldWriteIt()
    {
        var (json, _) = Level1("""{"deployment_id":"d","events":[{"lists":{"k":["<b>ada@example.com</b> & \u2028 é"]}}]}""");

        Assert.Equal("""{"deployment_id":"d","events":[{"lists":{"k":["\u003cb\u003e[email removed]\u003c/b\u003e \u0026 \u2028 é"]}}]}""", json);
    }
}
