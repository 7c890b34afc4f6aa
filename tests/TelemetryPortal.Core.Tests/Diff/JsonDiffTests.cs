using System.Text;
using TelemetryPortal.Core.Diff;

namespace TelemetryPortal.Core.Tests.Diff;

public class JsonDiffTests
{
    private static JsonDiffResult Compare(string a, string b) => JsonDiff.Compare(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    [Fact]
    public void Compare_SameDocumentsDifferentSpacing_NoChanges()
    {
        var result = Compare("{\"a\":1,\"b\":[1,2]}", "{ \"b\": [1, 2], \"a\": 1 }");

        Assert.Empty(result.Changes);
        Assert.False(result.Truncated);
    }

    [Fact]
    public void Compare_RecordsMatchedById_ReportsChangedAddedAndRemovedRecords()
    {
        var result = Compare(
            "{\"users\":[{\"id\":\"u1\",\"status\":\"active\"},{\"id\":\"u2\",\"status\":\"active\"}]}",
            "{\"users\":[{\"id\":\"u3\",\"status\":\"active\"},{\"id\":\"u1\",\"status\":\"dormant\"}]}");

        Assert.Equal(
            [
                new JsonChange("users[id=u1].status", JsonChangeKind.Changed, "\"active\"", "\"dormant\""),
                new JsonChange("users[id=u2]", JsonChangeKind.Removed, "{\"id\":\"u2\",\"status\":\"active\"}", null),
                new JsonChange("users[id=u3]", JsonChangeKind.Added, null, "{\"id\":\"u3\",\"status\":\"active\"}"),
            ],
            result.Changes);
        Assert.Equal((1, 1, 1), (result.Added, result.Removed, result.Changed));
    }

    [Fact]
    public void Compare_ListsWithoutIds_ComparedByPosition()
    {
        var result = Compare("{\"tags\":[\"a\",\"b\"]}", "{\"tags\":[\"a\",\"c\",\"d\"]}");

        Assert.Equal(["tags[1]", "tags[2]"], result.Changes.Select(c => c.Path));
        Assert.Equal([JsonChangeKind.Changed, JsonChangeKind.Added], result.Changes.Select(c => c.Kind));
    }

    [Fact]
    public void Compare_FieldAddedAndRemoved_Reported()
    {
        var result = Compare("{\"a\":1,\"gone\":true}", "{\"a\":1,\"new\":null}");

        Assert.Equal([("gone", JsonChangeKind.Removed), ("new", JsonChangeKind.Added)], result.Changes.Select(c => (c.Path, c.Kind)));
    }

    [Fact]
    public void Compare_ManyChanges_StopsAtTheLimitAndSaysSo()
    {
        var a = "[" + string.Join(",", Enumerable.Range(0, JsonDiff.MaxChanges + 10)) + "]";
        var b = "[" + string.Join(",", Enumerable.Range(1, JsonDiff.MaxChanges + 10)) + "]";

        var result = Compare(a, b);

        Assert.Equal(JsonDiff.MaxChanges, result.Changes.Count);
        Assert.True(result.Truncated);
    }

    [Fact]
    public void Compare_Malformed_Throws()
    {
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => Compare("{", "{}"));
    }
}
