using System.Buffers;
using System.Text;
using System.Text.Json;
using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Core.Tests.Redaction;

public class RedactorTests
{
    private const string Snapshot = """
        {
          "deployment_id": "7d1f3b2a-0000-4000-8000-000000000001",
          "users": [
            {"id": "00000000-0000-4000-8000-000000000002", "created_at": "2024-05-01T12:34:56+00:00",
             "email": "admin@acme.example", "email_hashed": "5e88489@acme.example", "rbac_roles": ["owner"],
             "status": "active", "github_com_user_id": 1234567, "login_type": "github"}
          ],
          "api_keys": [{"id": "k1", "user_id": "00000000-0000-4000-8000-000000000002", "ip_address": "203.0.113.9", "login_type": "password"}],
          "provisioner_jobs": [{"id": "00000000-0000-4000-8000-000000000003", "error": "ssh admin@10.1.2.3 failed: permission denied (2001:db8::7)", "type": "workspace_build"}],
          "licenses": [{"jwt": "eyJhbGciOiJFZERTQSJ9.eyJ9.sig", "email": "buyer@acme.example", "trial": false, "uuid": "00000000-0000-4000-8000-000000000004"}]
        }
        """;

    private static RedactedPayload Redact(string json, TelemetryLevel level, PayloadKind kind = PayloadKind.Snapshot) =>
        Redactor.Default.RedactToArray(Encoding.UTF8.GetBytes(json), kind, level);

    private static string Text(RedactedPayload payload) => Encoding.UTF8.GetString(payload.Bytes.Span);

    [Fact]
    public void Redact_Level2_OutputIsInputByteForByte()
    {
        var input = Encoding.UTF8.GetBytes(Snapshot + "\n");

        var payload = Redactor.Default.RedactToArray(input, PayloadKind.Snapshot, TelemetryLevel.Full);

        Assert.Equal(input, payload.Bytes.ToArray());
        Assert.Equal(input.Length, payload.Result.OutputBytes);
        Assert.False(payload.Result.Changed);
    }

    [Fact]
    public void Redact_Level0_WritesNothing()
    {
        var payload = Redact(Snapshot, TelemetryLevel.Off);

        Assert.True(payload.Bytes.IsEmpty);
        Assert.True(payload.Result.Suppressed);
        Assert.Equal(0, payload.Result.OutputBytes);
    }

    [Fact]
    public void Redact_Level1_DropsLevel2FieldsAndCountsThem()
    {
        var payload = Redact(Snapshot, TelemetryLevel.Lightweight);
        using var json = JsonDocument.Parse(payload.Bytes);
        var root = json.RootElement;

        var user = root.GetProperty("users")[0];
        Assert.False(user.TryGetProperty("email", out _));
        Assert.False(user.TryGetProperty("email_hashed", out _));
        Assert.False(user.TryGetProperty("github_com_user_id", out _));
        Assert.Equal("active", user.GetProperty("status").GetString());
        Assert.Equal("owner", user.GetProperty("rbac_roles")[0].GetString());
        Assert.False(root.GetProperty("api_keys")[0].TryGetProperty("ip_address", out _));
        var license = root.GetProperty("licenses")[0];
        Assert.False(license.TryGetProperty("jwt", out _));
        Assert.False(license.TryGetProperty("email", out _));
        Assert.False(license.TryGetProperty("uuid", out _));
        Assert.False(license.GetProperty("trial").GetBoolean());
        Assert.Equal(7, payload.Result.DroppedFields);
    }

    [Fact]
    public void Redact_Level1_MasksAddressesInFreeText()
    {
        var payload = Redact(Snapshot, TelemetryLevel.Lightweight);
        using var json = JsonDocument.Parse(payload.Bytes);

        var error = json.RootElement.GetProperty("provisioner_jobs")[0].GetProperty("error").GetString();

        Assert.Equal("ssh [email removed] failed: permission denied ([ip removed])", error);
        Assert.Equal(1, payload.Result.MaskedEmails);
        Assert.Equal(1, payload.Result.MaskedIpAddresses);
        Assert.Equal(1, payload.Result.MaskedValues);
        Assert.True(payload.Result.Changed);
    }

    [Fact]
    public void Redact_Level1_OutputDeserialisesIntoTheModel()
    {
        var payload = Redact(Snapshot, TelemetryLevel.Lightweight);

        var snapshot = TelemetryJson.DeserializeSnapshot(payload.Bytes.Span);

        Assert.Null(Assert.Single(snapshot.Users!).Email);
        Assert.Equal("workspace_build", Assert.Single(snapshot.ProvisionerJobs!).Type);
    }

    [Fact]
    public void Redact_Level1_UnknownFieldsAreDroppedCountedAndNamed()
    {
        const string json = """{"deployment_id":"x","future_list":[{"a":{"b":[1,2]}}],"users":[{"id":"u","username":"alice","status":"active"}]}""";

        var payload = Redact(json, TelemetryLevel.Lightweight);

        Assert.Equal("""{"deployment_id":"x","users":[{"id":"u","status":"active"}]}""", Text(payload));
        Assert.Equal(2, payload.Result.UnknownFieldsDropped);
        Assert.Equal(["snapshot.future_list", "snapshot.users[].username"], payload.Result.UnknownFields.Select(f => f.Path));
    }

    [Fact]
    public void Redact_Level1_ValueOfUnexpectedShapeIsDropped()
    {
        const string json = """{"deployment_id":{"nested":"admin@acme.example"},"users":["alice@acme.example",null],"workspaces":[{"autostart_schedule":["x"]}]}""";

        var payload = Redact(json, TelemetryLevel.Lightweight);

        Assert.Equal("""{"users":[null],"workspaces":[{}]}""", Text(payload));
        Assert.Equal(3, payload.Result.UnexpectedValuesDropped);
    }

    [Fact]
    public void Redact_Level1_EscapedAddressIsUnescapedAndMasked()
    {
        const string json = """{"provisioner_jobs":[{"error":"mail alice\u0040acme.example \"quoted\"\n"}]}""";

        var payload = Redact(json, TelemetryLevel.Lightweight);

        Assert.Equal("""{"provisioner_jobs":[{"error":"mail [email removed] \"quoted\"\n"}]}""", Text(payload));
    }

    [Fact]
    public void Redact_Level1_EscapedPropertyNameIsRecognised()
    {
        const string json = """{"users":[{"em\u0061il":"alice@acme.example","st\u0061tus":"active"}]}""";

        var payload = Redact(json, TelemetryLevel.Lightweight);

        Assert.Equal("""{"users":[{"st\u0061tus":"active"}]}""", Text(payload));
        Assert.Equal(1, payload.Result.DroppedFields);
    }

    [Fact]
    public void Redact_Level1_CleanEscapedStringKeepsItsSpelling()
    {
        const string json = """{"provisioner_jobs":[{"error":"caf\u00e9 \"dev\""}]}""";

        Assert.Equal(json, Text(Redact(json, TelemetryLevel.Lightweight)));
    }

    [Fact]
    public void Redact_Level1Deployment_DropsAccessAndHttpAddressAndMasksMetricsAddress()
    {
        const string json = """{"id":"d","config":{"access_url":"https://coder.acme.example","http_address":"10.0.0.5:3000","prometheus":{"address":"10.0.0.5:2112"},"telemetry":{"enable":true}},"os_type":"linux"}""";

        var payload = Redact(json, TelemetryLevel.Lightweight, PayloadKind.Deployment);

        Assert.Equal("""{"id":"d","config":{"prometheus":{"address":"[ip removed]:2112"},"telemetry":{"enable":true}},"os_type":"linux"}""", Text(payload));
    }

    [Fact]
    public void Redact_Level1SnapshotFieldsInDeployment_AreUnknown()
    {
        var payload = Redact("""{"users":[]}""", TelemetryLevel.Lightweight, PayloadKind.Deployment);

        Assert.Equal("{}", Text(payload));
        Assert.Equal(1, payload.Result.UnknownFieldsDropped);
    }

    [Theory]
    [InlineData("{\"users\":[}", TelemetryLevel.Full)]
    [InlineData("{\"users\":[]", TelemetryLevel.Lightweight)]
    [InlineData("{\"a\":1} trailing", TelemetryLevel.Off)]
    [InlineData("{\"a\":1,}", TelemetryLevel.Lightweight)]
    [InlineData("{/*c*/}", TelemetryLevel.Full)]
    [InlineData("", TelemetryLevel.Lightweight)]
    [InlineData("   ", TelemetryLevel.Full)]
    public void Redact_MalformedJson_ThrowsMalformed(string json, TelemetryLevel level)
    {
        var error = Assert.Throws<RedactionException>(() => Redact(json, level));

        Assert.Equal(RedactionError.Malformed, error.Error);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_InvalidUtf8_ThrowsMalformed()
    {
        byte[] json = [.. "{\"workspaces\":[{\"name\":\""u8, 0xC3, 0x28, .. "\"}]}"u8];

        var error = Assert.Throws<RedactionException>(() => Redactor.Default.RedactToArray(json, PayloadKind.Snapshot, TelemetryLevel.Lightweight));

        Assert.Equal(RedactionError.Malformed, error.Error);
    }

    [Theory]
    [InlineData(TelemetryLevel.Off)]
    [InlineData(TelemetryLevel.Lightweight)]
    [InlineData(TelemetryLevel.Full)]
    public void Redact_DeeperThanLimit_ThrowsTooDeepNamingTheLimit(TelemetryLevel level)
    {
        var redactor = new Redactor(DataDictionary.Default, new RedactorOptions { MaxDepth = 8 });
        var json = "{\"x\":" + new string('[', 8) + new string(']', 8) + "}";

        var error = Assert.Throws<RedactionException>(() => redactor.RedactToArray(Encoding.UTF8.GetBytes(json), PayloadKind.Snapshot, level));

        Assert.Equal(RedactionError.TooDeep, error.Error);
        Assert.Contains("limit of 8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_AtDepthLimit_Succeeds()
    {
        var redactor = new Redactor(DataDictionary.Default, new RedactorOptions { MaxDepth = 8 });
        var json = "{\"x\":" + new string('[', 7) + new string(']', 7) + "}";

        var payload = redactor.RedactToArray(Encoding.UTF8.GetBytes(json), PayloadKind.Snapshot, TelemetryLevel.Full);

        Assert.Equal(json, Text(payload));
    }

    [Theory]
    [InlineData(TelemetryLevel.Off)]
    [InlineData(TelemetryLevel.Lightweight)]
    [InlineData(TelemetryLevel.Full)]
    public void Redact_LargerThanLimit_ThrowsTooLarge(TelemetryLevel level)
    {
        var redactor = new Redactor(DataDictionary.Default, new RedactorOptions { MaxPayloadBytes = 10 });

        var error = Assert.Throws<RedactionException>(() => redactor.RedactToArray("{\"deployment_id\":\"x\"}"u8, PayloadKind.Snapshot, level));

        Assert.Equal(RedactionError.TooLarge, error.Error);
        Assert.Contains("limit of 10 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_StreamLargerThanLimit_ThrowsTooLarge()
    {
        var redactor = new Redactor(DataDictionary.Default, new RedactorOptions { MaxPayloadBytes = 64, ChunkBytes = 16 });
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(Snapshot));

        var error = Assert.Throws<RedactionException>(() => redactor.Redact(input, PayloadKind.Snapshot, TelemetryLevel.Lightweight, new ArrayBufferWriter<byte>()));

        Assert.Equal(RedactionError.TooLarge, error.Error);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void Redact_NotAnObject_ThrowsNotAnObject(string json)
    {
        foreach (var level in TelemetryLevels.All)
        {
            var error = Assert.Throws<RedactionException>(() => Redact(json, level));
            Assert.Equal(RedactionError.NotAnObject, error.Error);
        }
    }

    [Theory]
    [InlineData(TelemetryLevel.Lightweight)]
    [InlineData(TelemetryLevel.Full)]
    [InlineData(TelemetryLevel.Off)]
    public void Redact_StreamInTinyChunks_SameAsInMemory(TelemetryLevel level)
    {
        var redactor = new Redactor(DataDictionary.Default, new RedactorOptions { ChunkBytes = 16 });
        var input = Encoding.UTF8.GetBytes(Snapshot);
        var expected = redactor.RedactToArray(input, PayloadKind.Snapshot, level);
        var output = new ArrayBufferWriter<byte>();

        using var stream = new MemoryStream(input);
        var result = redactor.Redact(stream, PayloadKind.Snapshot, level, output);

        Assert.Equal(expected.Bytes.ToArray(), output.WrittenSpan.ToArray());
        Assert.Equal(expected.Result with { UnknownFields = [] }, result with { UnknownFields = [] });
    }

    [Fact]
    public async Task RedactAsync_Stream_SameAsInMemory()
    {
        var input = Encoding.UTF8.GetBytes(Snapshot);
        var expected = Redactor.Default.RedactToArray(input, PayloadKind.Snapshot, TelemetryLevel.Lightweight);
        var output = new ArrayBufferWriter<byte>();

        using var stream = new MemoryStream(input);
        await Redactor.Default.RedactAsync(stream, PayloadKind.Snapshot, TelemetryLevel.Lightweight, output, TestContext.Current.CancellationToken);

        Assert.Equal(expected.Bytes.ToArray(), output.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(TelemetryLevel.Lightweight)]
    [InlineData(TelemetryLevel.Full)]
    public void Redact_SegmentedSequence_SameAsInMemory(TelemetryLevel level)
    {
        var input = Encoding.UTF8.GetBytes(Snapshot);
        var expected = Redactor.Default.RedactToArray(input, PayloadKind.Snapshot, level);
        var output = new ArrayBufferWriter<byte>();

        Redactor.Default.Redact(Segments(input, 7), PayloadKind.Snapshot, level, output);

        Assert.Equal(expected.Bytes.ToArray(), output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Redact_Level1DropsFirstMiddleAndLastMembers_SameJsonForEveryChunkSize()
    {
        const string json = """
            { "users" : [ { "email" : "a@b.example" ,"id":"u1", "email_hashed":"h@b.example", "status":"active" , "github_com_user_id" : 7 } ,
              {"github_com_user_id":1,"email":null}, 42, {"login_type":"oidc"} ],
              "future": {"x": [1, {"y": 2}]} , "deployment_id" : "d" }
            """;
        const string expected = """{"users":[{"id":"u1","status":"active"},{},{"login_type":"oidc"}],"deployment_id":"d"}""";
        var input = Encoding.UTF8.GetBytes(json);

        for (var chunk = 16; chunk <= 64; chunk++)
        {
            var redactor = new Redactor(DataDictionary.Default, new RedactorOptions { ChunkBytes = chunk });
            var output = new ArrayBufferWriter<byte>();
            using var stream = new MemoryStream(input);

            var result = redactor.Redact(stream, PayloadKind.Snapshot, TelemetryLevel.Lightweight, output);

            using var parsed = JsonDocument.Parse(output.WrittenMemory);
            Assert.Equal(expected, JsonSerializer.Serialize(parsed.RootElement));
            Assert.Equal(5, result.DroppedFields);
            Assert.Equal(1, result.UnexpectedValuesDropped);
            Assert.Equal(1, result.UnknownFieldsDropped);
        }
    }

    [Fact]
    public void Redact_UndefinedLevel_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Redact(Snapshot, (TelemetryLevel)3));
    }

    private static ReadOnlySequence<byte> Segments(byte[] data, int size)
    {
        Segment? first = null;
        Segment? last = null;
        for (var at = 0; at < data.Length; at += size)
        {
            var memory = data.AsMemory(at, Math.Min(size, data.Length - at));
            if (last is null)
            {
                first = last = new Segment(memory, 0);
            }
            else
            {
                last = last.Append(memory);
            }
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
