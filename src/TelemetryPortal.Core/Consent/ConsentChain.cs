using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TelemetryPortal.Core.Consent;

/// <summary>Why verification stopped at an entry.</summary>
public enum ChainCheck
{
    /// <summary>The entry's id is not its position in the chain (an entry was removed, inserted or moved).</summary>
    Sequence,

    /// <summary>The entry's previous hash is not the hash of the entry before it.</summary>
    PreviousHash,

    /// <summary>The entry's stored hash is not the hash of its contents (a field was changed).</summary>
    Hash,
}

/// <summary>The first entry that does not hold.</summary>
/// <param name="Id">The entry's stored id.</param>
/// <param name="Position">Its position in the chain as read (1-based).</param>
/// <param name="Check">Which check failed.</param>
/// <param name="Message">What is wrong, in one sentence.</param>
public sealed record ChainBreak(long Id, long Position, ChainCheck Check, string Message);

/// <summary>The result of walking the chain (and, in the portal, of checking the kept policy texts).</summary>
/// <param name="Valid">Whether every entry holds and every kept policy text matches its version.</param>
/// <param name="Entries">How many entries were read.</param>
/// <param name="HeadHash">The last entry's stored hash, or <see cref="ConsentChain.GenesisHash"/> when the ledger is empty.</param>
/// <param name="FirstBroken">The first entry that does not hold, or <see langword="null"/>.</param>
/// <param name="FirstPolicyMismatch">The first policy text that does not match its version, or <see langword="null"/>.</param>
public sealed record ChainVerification(bool Valid, long Entries, string HeadHash, ChainBreak? FirstBroken, PolicyTextMismatch? FirstPolicyMismatch = null)
{
    /// <summary>
    /// How many entries, from the first, hold: all of them, or those before the first broken one. Entries past
    /// these are not to be trusted for anything, e.g. the level in force.
    /// </summary>
    public long IntactEntries => FirstBroken is { } broken ? broken.Position - 1 : Entries;

    /// <summary>This result with the policy texts' check added: <see cref="Valid"/> only when both hold.</summary>
    public ChainVerification WithPolicyCheck(PolicyTextMismatch? mismatch) =>
        this with { Valid = FirstBroken is null && mismatch is null, FirstPolicyMismatch = mismatch };
}

/// <summary>
/// The ledger's hash chain. Each entry's hash is SHA-256 over its canonical encoding, which
/// includes the previous entry's hash, so changing, removing or reordering any entry breaks
/// every hash from there on.
/// </summary>
/// <remarks>
/// The canonical encoding (version 1) is the ASCII tag <c>telemetry-portal/consent-entry/v1</c>
/// followed by the fields of <see cref="ConsentRecord"/> in declaration order, <see cref="ConsentRecord.Hash"/>
/// excluded. Each field is one byte (0 = null, 1 = present) and, when present, a 4-byte big-endian
/// length and that many bytes of UTF-8 text. Numbers are written in invariant decimal; the time is
/// written as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> in UTC. The length prefixes make the encoding
/// unambiguous: no two different records encode to the same bytes.
/// </remarks>
public static class ConsentChain
{
    /// <summary>The "previous hash" of the first entry: 64 zeros.</summary>
    public static readonly string GenesisHash = new('0', 64);

    private static readonly byte[] Tag = "telemetry-portal/consent-entry/v1"u8.ToArray();

    /// <summary>The bytes the entry's hash is taken over; see the remarks on <see cref="ConsentChain"/>.</summary>
    public static byte[] CanonicalBytes(ConsentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var buffer = new MemoryStream();
        buffer.Write(Tag);
        Write(buffer, record.Id.ToString(CultureInfo.InvariantCulture));
        Write(buffer, FormatTime(record.OccurredAt));
        Write(buffer, record.Action);
        Write(buffer, record.ActorId);
        Write(buffer, record.ActorName);
        Write(buffer, record.ActorRole);
        Write(buffer, record.CollectionMethod);
        Write(buffer, record.FromLevel?.ToString(CultureInfo.InvariantCulture));
        Write(buffer, record.ToLevel?.ToString(CultureInfo.InvariantCulture));
        Write(buffer, record.Reason);
        Write(buffer, record.PolicyVersion);
        Write(buffer, record.Reference);
        Write(buffer, record.PreviousHash);
        return buffer.ToArray();
    }

    /// <summary>SHA-256 (lower-case hex) of the entry's canonical encoding; ignores <see cref="ConsentRecord.Hash"/>.</summary>
    public static string ComputeHash(ConsentRecord record) => Convert.ToHexStringLower(SHA256.HashData(CanonicalBytes(record)));

    /// <summary>The record with its <see cref="ConsentRecord.Hash"/> computed.</summary>
    public static ConsentRecord Seal(ConsentRecord record) => record with { Hash = ComputeHash(record) };

    /// <summary>The time as the encoding writes it: UTC, milliseconds.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Walks <paramref name="records"/> in chain order and names the first entry that does not hold.</summary>
    public static ChainVerification Verify(IEnumerable<ConsentRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var verifier = new ChainVerifier();
        foreach (var record in records)
        {
            verifier.Add(record);
        }

        return verifier.Result;
    }

    private static void Write(MemoryStream buffer, string? value)
    {
        if (value is null)
        {
            buffer.WriteByte(0);
            return;
        }

        buffer.WriteByte(1);
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        buffer.Write(length);
        buffer.Write(bytes);
    }
}

/// <summary>
/// Verifies a chain one entry at a time, so a caller can stream entries from storage without
/// holding them all. After the first broken entry it only counts the rest and follows the head.
/// </summary>
public sealed class ChainVerifier
{
    private long _position;
    private string _expectedPrevious = ConsentChain.GenesisHash;
    private string _head = ConsentChain.GenesisHash;
    private ChainBreak? _broken;

    /// <summary>Checks the next entry; <see langword="false"/> once an entry failed (later entries are counted, not checked).</summary>
    public bool Add(ConsentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _position++;
        _head = record.Hash;
        if (_broken is not null)
        {
            return false;
        }

        if (record.Id != _position)
        {
            _broken = new ChainBreak(record.Id, _position, ChainCheck.Sequence,
                $"Entry {record.Id} sits at position {_position}: an entry was removed, inserted or moved.");
        }
        else if (!string.Equals(record.PreviousHash, _expectedPrevious, StringComparison.Ordinal))
        {
            _broken = new ChainBreak(record.Id, _position, ChainCheck.PreviousHash,
                $"Entry {record.Id} does not point to the hash of the entry before it.");
        }
        else if (!string.Equals(ConsentChain.ComputeHash(record), record.Hash, StringComparison.Ordinal))
        {
            _broken = new ChainBreak(record.Id, _position, ChainCheck.Hash,
                $"Entry {record.Id} was changed after it was written: its contents no longer match its hash.");
        }

        _expectedPrevious = record.Hash;
        return _broken is null;
    }

    /// <summary>The result so far.</summary>
    public ChainVerification Result => new(_broken is null, _position, _head, _broken);
}
