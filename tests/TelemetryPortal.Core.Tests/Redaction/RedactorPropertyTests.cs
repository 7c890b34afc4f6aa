using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;
using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Simulation;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Core.Tests.Redaction;

/// <summary>Properties over simulated payloads whose every string field holds e-mail and IP addresses.</summary>
public partial class RedactorPropertyTests
{
    private const int Iterations = 150;

    private static readonly Gen<string> s_email = Gen.Select(
        Gen.Char['a', 'z'],
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789._+-"], 0, 10],
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-"], 1, 10],
        Gen.OneOf("com", "org", "example", "co.uk", "io", "dev", "de"),
        (first, rest, domain, tld) => $"{first}{rest}@{char.ToLowerInvariant(domain[0]) switch { '-' => 'x', var c => c }}{domain[1..].TrimEnd('-')}.{tld}");

    private static readonly Gen<string> s_ipv4 = Gen.Select(Gen.Int[0, 255], Gen.Int[0, 255], Gen.Int[0, 255], Gen.Int[0, 255], (a, b, c, d) => $"{a}.{b}.{c}.{d}");

    private static readonly Gen<string> s_ipv6 = Gen.Select(Gen.UShort.Array[8], Gen.Int[0, 3], Gen.Int[0, 4], (groups, zeros, form) =>
    {
        for (var i = 0; i < zeros; i++)
        {
            groups[2 + i] = 0;
        }

        var bytes = groups.SelectMany(g => new[] { (byte)(g >> 8), (byte)g }).ToArray();
        return form switch
        {
            0 => new IPAddress(bytes).ToString(),
            1 => string.Join(':', groups.Select(g => g.ToString("x4", CultureInfo.InvariantCulture))),
            2 => string.Join(':', groups.Select(g => g.ToString("X", CultureInfo.InvariantCulture))),
            3 => $"::ffff:{bytes[12]}.{bytes[13]}.{bytes[14]}.{bytes[15]}",
            _ => $"fe80::{groups[7]:x}",
        };
    });

    private static readonly Gen<string> s_address = Gen.OneOf(s_email, s_ipv4, s_ipv6);

    private static readonly Gen<string> s_separator = Gen.OneOf(" ", ", ", ": ", "(", ")", "[", "]", "<", ">", "\n", "\"", "'", "/", "=", ";", "\t", ". ", "\\", "|", "", "mailto:", "@ ");

    private static readonly Gen<string> s_filler = Gen.OneOf("error", "dial tcp", "user", "Fehler für", "连接失败", "host", "x", "", "ssh", "contact", "café");

    /// <summary>A piece of free text holding one to three addresses, and the addresses.</summary>
    private static readonly Gen<(string Text, string[] Addresses)> s_text =
        Gen.Select(s_filler, s_separator, s_address, s_separator, s_filler).Array[1, 3]
            .Select(parts => (
                string.Concat(parts.Select(p => p.Item1 + p.Item2 + p.Item3 + p.Item4 + p.Item5)),
                parts.Select(p => p.Item3).ToArray()));

    private static readonly Gen<SimulationOptions> s_installation = Gen.Select(
        Gen.Int[1, 1_000_000], Gen.Int[1, 6], Gen.Int[0, 8], Gen.Int[1, 3], Gen.Int[0, 3], Gen.Bool,
        (seed, users, workspaces, templates, groups, busy) => new SimulationOptions
        {
            Seed = seed,
            Users = users,
            Workspaces = workspaces,
            Templates = templates,
            Groups = groups,
            Organizations = 1 + (seed % 2),
            RecentActivity = busy ? 1 : 0.3,
            ActiveUsers = 1,
            FailedJobs = 0.5,
            Licenses = 1,
        });

    /// <summary>A payload (snapshot or deployment) with every string value replaced by text holding addresses, and extra unknown fields.</summary>
    private static readonly Gen<Payload> s_payload = Gen.Select(s_installation, Gen.Bool, s_text.Array[24], Gen.Bool, (options, snapshot, texts, unknown) =>
    {
        var installation = new SimulatedInstallation(options);
        var json = snapshot
            ? TelemetryJson.Serialize(installation.CreateSnapshot())
            : TelemetryJson.Serialize(installation.CreateDeployment(options.Now));
        var root = JsonNode.Parse(json)!;
        var addresses = new List<string>();
        var next = 0;
        Plant(root, texts, addresses, ref next, unknown);
        return new Payload(snapshot ? PayloadKind.Snapshot : PayloadKind.Deployment, JsonSerializer.SerializeToUtf8Bytes(root), addresses);
    });

    private static void Plant(JsonNode node, (string Text, string[] Addresses)[] texts, List<string> addresses, ref int next, bool unknown)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    if (child is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                    {
                        obj[name] = Take(texts, addresses, ref next);
                    }
                    else if (child is not null)
                    {
                        Plant(child, texts, addresses, ref next, unknown);
                    }
                }

                if (unknown)
                {
                    obj["x_future_field"] = Take(texts, addresses, ref next);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                    {
                        array[i] = Take(texts, addresses, ref next);
                    }
                    else if (array[i] is { } child)
                    {
                        Plant(child, texts, addresses, ref next, unknown);
                    }
                }

                break;
        }
    }

    private static string Take((string Text, string[] Addresses)[] texts, List<string> addresses, ref int next)
    {
        var (text, planted) = texts[next++ % texts.Length];
        addresses.AddRange(planted);
        return text;
    }

    [Fact]
    public void Redact_Level1_NoEmailOrIpReachesTheOutput()
    {
        s_payload.Sample(payload =>
        {
            var output = Redactor.Default.RedactToArray(payload.Json, payload.Kind, TelemetryLevel.Lightweight);
            var raw = Encoding.UTF8.GetString(output.Bytes.Span);
            var decoded = string.Join('\n', Strings(JsonNode.Parse(output.Bytes.Span)));

            foreach (var text in new[] { raw, decoded })
            {
                Assert.DoesNotMatch(EmailPattern(), text);
                Assert.DoesNotMatch(Ipv4Pattern(), text);
                Assert.DoesNotMatch(FullIpv6Pattern(), text);
                foreach (var address in payload.Addresses)
                {
                    Assert.DoesNotContain(address, text, StringComparison.OrdinalIgnoreCase);
                }
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Redact_Level1_EveryPlantedAddressIsCounted()
    {
        s_payload.Sample(payload =>
        {
            var result = Redactor.Default.RedactToArray(payload.Json, payload.Kind, TelemetryLevel.Lightweight).Result;

            // Dropped fields take their addresses with them; the rest are masked, at most one placeholder per address.
            Assert.True(result.MaskedEmails + result.MaskedIpAddresses <= payload.Addresses.Count);
            Assert.True(result.DroppedFields > 0 || payload.Kind == PayloadKind.Snapshot);
            Assert.True(result.MaskedValues > 0);
        }, iter: Iterations);
    }

    [Fact]
    public void Redact_Level2_OutputEqualsInputByteForByte()
    {
        s_payload.Sample(payload =>
        {
            var output = Redactor.Default.RedactToArray(payload.Json, payload.Kind, TelemetryLevel.Full);

            Assert.Equal(payload.Json, output.Bytes.ToArray());
        }, iter: Iterations);
    }

    [Fact]
    public void Redact_Level0_ProducesNothing()
    {
        s_payload.Sample(payload =>
        {
            var output = new ArrayBufferWriter<byte>();

            var result = Redactor.Default.Redact(payload.Json, payload.Kind, TelemetryLevel.Off, output);

            Assert.Equal(0, output.WrittenCount);
            Assert.True(result.Suppressed);
        }, iter: Iterations);
    }

    [Fact]
    public void Redact_StreamedInAnyChunkSize_SameAsInMemory()
    {
        Gen.Select(s_payload, Gen.Int[16, 2048], Gen.OneOf(TelemetryLevel.Lightweight, TelemetryLevel.Full)).Sample((payload, chunk, level) =>
        {
            var redactor = new Redactor(Redactor.Default.Dictionary, new RedactorOptions { ChunkBytes = chunk });
            var expected = redactor.RedactToArray(payload.Json, payload.Kind, level);
            var output = new ArrayBufferWriter<byte>();

            using var stream = new MemoryStream(payload.Json);
            redactor.Redact(stream, payload.Kind, level, output);

            Assert.Equal(expected.Bytes.ToArray(), output.WrittenSpan.ToArray());
        }, iter: Iterations);
    }

    [Fact]
    public void Redact_Level1UntouchedSimulation_KeepsEveryRecordAndLevel1Field()
    {
        s_installation.Sample(options =>
        {
            var installation = new SimulatedInstallation(options);
            foreach (var (kind, json) in new[] { (PayloadKind.Snapshot, TelemetryJson.Serialize(installation.CreateSnapshot())), (PayloadKind.Deployment, TelemetryJson.Serialize(installation.CreateDeployment())) })
            {
                var redacted = Redactor.Default.RedactToArray(json, kind, TelemetryLevel.Lightweight);

                // What the dictionary promises at level 1: every record stays, level-2 fields go, strings are masked.
                var expected = Level1(JsonNode.Parse(json)!.AsObject(), PayloadKinds.Name(kind));
                Assert.Equal(expected.ToJsonString(), JsonNode.Parse(redacted.Bytes.Span)!.ToJsonString());
            }
        }, iter: 50);
    }

    private static JsonObject Level1(JsonObject record, string path)
    {
        var result = new JsonObject();
        foreach (var (name, value) in record)
        {
            var child = $"{path}.{name}";
            var entry = DataDictionary.Default.Find(child);
            Assert.True(entry is not null, $"{child} is not in the dictionary");
            if (entry.IsSentAt(TelemetryLevel.Lightweight))
            {
                result[name] = Level1(value, child, entry.Shape);
            }
        }

        return result;
    }

    private static JsonNode? Level1(JsonNode? value, string path, FieldShape shape) => value switch
    {
        // A map's keys travel with it, except one holding an address, which drops its member.
        JsonObject map when shape == FieldShape.Map => new JsonObject(map
            .Where(m => !PersonalDataMasker.ContainsPersonalData(m.Key))
            .Select(m => KeyValuePair.Create(m.Key, m.Value is JsonObject record && DataDictionary.Default.Children(path + "{}").Count > 0
                ? Level1(record, path + "{}")
                : Level1(m.Value, path + "{}", FieldShape.Value)))),
        JsonObject record => Level1(record, path),
        JsonArray list => new JsonArray([.. list.Select(item => item is JsonObject record ? Level1(record, path + "[]") : Level1(item, path + "[]", FieldShape.Value))]),
        JsonValue text when text.GetValueKind() == JsonValueKind.String => JsonValue.Create(PersonalDataMasker.Mask(text.GetValue<string>())),
        _ => value?.DeepClone(),
    };

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => Strings(p.Value).Prepend(p.Key)),
        JsonArray array => array.SelectMany(Strings),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => [value.GetValue<string>()],
        _ => [],
    };

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"(?<![0-9])(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?![0-9])")]
    private static partial Regex Ipv4Pattern();

    [GeneratedRegex(@"(?i)(?<![0-9a-f:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![0-9a-f:])")]
    private static partial Regex FullIpv6Pattern();

    public sealed record Payload(PayloadKind Kind, byte[] Json, IReadOnlyList<string> Addresses)
    {
        public override string ToString() => Encoding.UTF8.GetString(Json);
    }
}
