using System.Globalization;
using System.Text;
using TelemetryPortal.Core.Consent;

namespace TelemetryPortal.Core.Tests.Consent;

public sealed class ConsentChainTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A chain of four entries with every kind of field, nulls included.</summary>
    internal static List<ConsentRecord> Chain(int length = 4)
    {
        var records = new List<ConsentRecord>();
        var previous = ConsentChain.GenesisHash;
        for (var i = 1; i <= length; i++)
        {
            var record = ConsentChain.Seal(new ConsentRecord(
                i,
                Start.AddMinutes(i).AddMilliseconds(i * 7),
                i % 2 == 0 ? ConsentActions.LevelChosen : ConsentActions.EffectiveLevelChanged,
                i % 2 == 0 ? "1" : "system",
                i % 2 == 0 ? "Administrator (admin) – Zoë" : "Telemetry Portal",
                i % 2 == 0 ? "Admin" : "System",
                i % 2 == 0 ? "Web" : "System",
                i == 1 ? null : 2,
                1,
                i % 2 == 0 ? "Fewer personal data, please." : "",
                i % 2 == 0 ? new string('a', 64) : null,
                i == 3 ? "request-42" : null,
                previous,
                ""));
            records.Add(record);
            previous = record.Hash;
        }

        return records;
    }

    [Fact]
    public void Verify_Empty_IsValidWithGenesisHead()
    {
        var result = ConsentChain.Verify([]);

        Assert.True(result.Valid);
        Assert.Equal(0, result.Entries);
        Assert.Equal(ConsentChain.GenesisHash, result.HeadHash);
        Assert.Null(result.FirstBroken);
    }

    [Fact]
    public void Verify_IntactChain_IsValidWithLastHashAsHead()
    {
        var chain = Chain();

        var result = ConsentChain.Verify(chain);

        Assert.True(result.Valid);
        Assert.Equal(4, result.Entries);
        Assert.Equal(chain[^1].Hash, result.HeadHash);
        Assert.Null(result.FirstBroken);
    }

    [Fact]
    public void ComputeHash_KnownRecord_MatchesTheDocumentedEncoding()
    {
        var record = new ConsentRecord(1, Start, ConsentActions.LevelChosen, "1", "A", "Admin", "Web", null, 1, "", null, null, ConsentChain.GenesisHash, "");
        var expected = new List<byte>();
        expected.AddRange("telemetry-portal/consent-entry/v1"u8.ToArray());
        foreach (var field in new[] { "1", "2026-11-27T09:00:00.000Z", "LevelChosen", "1", "A", "Admin", "Web", null, "1", "", null, null, ConsentChain.GenesisHash })
        {
            if (field is null)
            {
                expected.Add(0);
                continue;
            }

            var bytes = Encoding.UTF8.GetBytes(field);
            expected.Add(1);
            expected.AddRange([0, 0, (byte)(bytes.Length >> 8), (byte)bytes.Length]);
            expected.AddRange(bytes);
        }

        Assert.Equal([.. expected], ConsentChain.CanonicalBytes(record));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([.. expected])), ConsentChain.ComputeHash(record));
    }

    [Fact]
    public void ComputeHash_TextMovedBetweenNeighbouringFields_Differs()
    {
        var record = Chain(1)[0] with { ActorName = "ab", ActorRole = "c" };

        Assert.NotEqual(ConsentChain.ComputeHash(record), ConsentChain.ComputeHash(record with { ActorName = "a", ActorRole = "bc" }));
        Assert.NotEqual(ConsentChain.ComputeHash(record with { Reference = null }), ConsentChain.ComputeHash(record with { Reference = "" }));
    }

    public static TheoryData<string> Fields => new(
        "Id", "OccurredAt", "Action", "ActorId", "ActorName", "ActorRole", "CollectionMethod",
        "FromLevel", "ToLevel", "Reason", "PolicyVersion", "Reference", "PreviousHash", "Hash");

    [Theory]
    [MemberData(nameof(Fields))]
    public void Verify_AnySingleByteOfAFieldChanged_NamesThatEntry(string field)
    {
        var chain = Chain();
        var tampered = 0;
        for (var index = 0; index < chain.Count; index++)
        {
            var stored = Stored(chain[index], field);
            if (stored is null)
            {
                // A field stored as null: filling it in is the change.
                Check(chain, index, Replace(chain[index], field, "0"));
                tampered++;
                continue;
            }

            var bytes = Encoding.UTF8.GetBytes(stored);
            for (var position = 0; position < bytes.Length; position++)
            {
                if (ChangeByte(field, bytes, position) is not { } changed)
                {
                    continue;
                }

                Check(chain, index, Replace(chain[index], field, changed));
                tampered++;
            }
        }

        Assert.True(tampered >= chain.Count, $"Only {tampered} changes of {field} were tried.");
    }

    [Fact]
    public void Verify_EntryRemoved_NamesTheEntryAfterTheGap()
    {
        var chain = Chain();
        chain.RemoveAt(1);

        var result = ConsentChain.Verify(chain);

        Assert.False(result.Valid);
        Assert.Equal(3, result.Entries);
        Assert.Equal(new ChainBreak(3, 2, ChainCheck.Sequence, result.FirstBroken!.Message), result.FirstBroken);
    }

    [Fact]
    public void Verify_LastEntryRemoved_IsValidButHeadHashDiffers()
    {
        // Truncation at the end cannot be seen from the chain alone: compare with a head hash kept elsewhere (a receipt).
        var chain = Chain();
        var head = chain[^1].Hash;
        chain.RemoveAt(chain.Count - 1);

        var result = ConsentChain.Verify(chain);

        Assert.True(result.Valid);
        Assert.NotEqual(head, result.HeadHash);
    }

    [Fact]
    public void Verify_ChainRebuiltAfterAChange_FailsAtTheFirstUnchangedSuccessor()
    {
        var chain = Chain();
        // Re-sealing the changed entry hides it from its own hash check, but not from the next entry's link.
        chain[1] = ConsentChain.Seal(chain[1] with { ToLevel = 2 });

        var result = ConsentChain.Verify(chain);

        Assert.Equal(ChainCheck.PreviousHash, result.FirstBroken!.Check);
        Assert.Equal(3, result.FirstBroken.Id);
    }

    [Fact]
    public void Verify_ChangeResealedToTheHead_IsValidButEveryHashFromThereDiffers()
    {
        // What the chain alone cannot see, and why receipts pin the head: a rewrite re-sealed all the way up.
        var chain = Chain();
        var before = chain.Select(r => r.Hash).ToList();
        var previous = chain[0].Hash;
        for (var i = 1; i < chain.Count; i++)
        {
            chain[i] = ConsentChain.Seal(chain[i] with { ToLevel = i == 1 ? 2 : chain[i].ToLevel, PreviousHash = previous });
            previous = chain[i].Hash;
        }

        var result = ConsentChain.Verify(chain);

        Assert.True(result.Valid);
        Assert.Equal(before[0], chain[0].Hash);
        Assert.All(Enumerable.Range(1, chain.Count - 1), i => Assert.NotEqual(before[i], chain[i].Hash));
    }

    [Fact]
    public void IntactEntries_BrokenAtThree_IsTwo()
    {
        var chain = Chain();
        chain[2] = chain[2] with { Reason = "rewritten" };

        var result = ConsentChain.Verify(chain);

        Assert.Equal((4L, 2L), (result.Entries, result.IntactEntries));
        Assert.Equal(4, ConsentChain.Verify(Chain()).IntactEntries);
    }

    [Fact]
    public void WithPolicyCheck_Mismatch_MakesAnIntactChainInvalid()
    {
        var mismatch = new PolicyTextMismatch(new string('a', 64), new string('b', 64), "changed");

        var result = ConsentChain.Verify(Chain()).WithPolicyCheck(mismatch);

        Assert.False(result.Valid);
        Assert.Null(result.FirstBroken);
        Assert.Equal(mismatch, result.FirstPolicyMismatch);
        Assert.True(ConsentChain.Verify(Chain()).WithPolicyCheck(null).Valid);
    }

    private static void Check(List<ConsentRecord> chain, int index, ConsentRecord changed)
    {
        var copy = chain.ToList();
        copy[index] = changed;

        var result = ConsentChain.Verify(copy);

        Assert.False(result.Valid, $"Changing entry {index + 1} to {changed} went unnoticed.");
        Assert.Equal(index + 1, result.FirstBroken!.Position);
        Assert.Equal(chain.Count, result.Entries);
    }

    /// <summary>The field as the database stores it (text), or null.</summary>
    private static string? Stored(ConsentRecord r, string field) => field switch
    {
        "Id" => r.Id.ToString(CultureInfo.InvariantCulture),
        "OccurredAt" => ConsentChain.FormatTime(r.OccurredAt),
        "Action" => r.Action,
        "ActorId" => r.ActorId,
        "ActorName" => r.ActorName,
        "ActorRole" => r.ActorRole,
        "CollectionMethod" => r.CollectionMethod,
        "FromLevel" => r.FromLevel?.ToString(CultureInfo.InvariantCulture),
        "ToLevel" => r.ToLevel?.ToString(CultureInfo.InvariantCulture),
        "Reason" => r.Reason,
        "PolicyVersion" => r.PolicyVersion,
        "Reference" => r.Reference,
        "PreviousHash" => r.PreviousHash,
        "Hash" => r.Hash,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a field."),
    };

    private static ConsentRecord Replace(ConsentRecord r, string field, string value) => field switch
    {
        "Id" => r with { Id = long.Parse(value, CultureInfo.InvariantCulture) },
        "OccurredAt" => r with { OccurredAt = DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) },
        "Action" => r with { Action = value },
        "ActorId" => r with { ActorId = value },
        "ActorName" => r with { ActorName = value },
        "ActorRole" => r with { ActorRole = value },
        "CollectionMethod" => r with { CollectionMethod = value },
        "FromLevel" => r with { FromLevel = int.Parse(value, CultureInfo.InvariantCulture) },
        "ToLevel" => r with { ToLevel = int.Parse(value, CultureInfo.InvariantCulture) },
        "Reason" => r with { Reason = value },
        "PolicyVersion" => r with { PolicyVersion = value },
        "Reference" => r with { Reference = value },
        "PreviousHash" => r with { PreviousHash = value },
        "Hash" => r with { Hash = value },
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a field."),
    };

    /// <summary>
    /// The stored text with one byte changed. Text fields take any change; numbers and times need
    /// another digit that still reads as a number or a time, so the first such digit is used.
    /// </summary>
    private static string? ChangeByte(string field, byte[] bytes, int position)
    {
        var numeric = field is "Id" or "FromLevel" or "ToLevel" or "OccurredAt";
        if (!numeric)
        {
            var copy = (byte[])bytes.Clone();
            copy[position] ^= 0x01;
            return Encoding.UTF8.GetString(copy);
        }

        if (bytes[position] is < (byte)'0' or > (byte)'9')
        {
            return null;
        }

        for (var digit = (byte)'0'; digit <= '9'; digit++)
        {
            if (digit == bytes[position])
            {
                continue;
            }

            var copy = (byte[])bytes.Clone();
            copy[position] = digit;
            var text = Encoding.ASCII.GetString(copy);
            var readable = field == "OccurredAt"
                ? DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)
                : long.TryParse(text, CultureInfo.InvariantCulture, out _);
            if (readable)
            {
                return text;
            }
        }

        return null;
    }
}
