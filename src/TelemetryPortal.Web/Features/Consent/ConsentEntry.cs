using TelemetryPortal.Core.Consent;

namespace TelemetryPortal.Web.Features.Consent;

/// <summary>
/// One entry of the consent ledger. Append-only: the database refuses UPDATE and DELETE
/// (<see cref="ConsentLedgerSql"/>), and each entry is hash-chained to the one before it.
/// See <see cref="ConsentRecord"/> for the meaning of each field.
/// </summary>
public sealed class ConsentEntry
{
    /// <summary>The entry's position in the chain (1, 2, ...), assigned by the ledger, not the database.</summary>
    public long Id { get; set; }

    /// <summary>UTC, whole milliseconds.</summary>
    public DateTime OccurredAt { get; set; }

    /// <summary>One of <see cref="ConsentActions"/>.</summary>
    public required string Action { get; set; }

    public required string ActorId { get; set; }

    public required string ActorName { get; set; }

    public required string ActorRole { get; set; }

    public required string CollectionMethod { get; set; }

    public int? FromLevel { get; set; }

    public int? ToLevel { get; set; }

    public required string Reason { get; set; }

    public string? PolicyVersion { get; set; }

    public string? Reference { get; set; }

    public required string PreviousHash { get; set; }

    public required string Hash { get; set; }

    /// <summary>The entry as the chain hashes it.</summary>
    public ConsentRecord ToRecord() => new(
        Id, new DateTimeOffset(DateTime.SpecifyKind(OccurredAt, DateTimeKind.Utc)), Action, ActorId, ActorName, ActorRole,
        CollectionMethod, FromLevel, ToLevel, Reason, PolicyVersion, Reference, PreviousHash, Hash);

    public static ConsentEntry From(ConsentRecord record) => new()
    {
        Id = record.Id,
        OccurredAt = record.OccurredAt.UtcDateTime,
        Action = record.Action,
        ActorId = record.ActorId,
        ActorName = record.ActorName,
        ActorRole = record.ActorRole,
        CollectionMethod = record.CollectionMethod,
        FromLevel = record.FromLevel,
        ToLevel = record.ToLevel,
        Reason = record.Reason,
        PolicyVersion = record.PolicyVersion,
        Reference = record.Reference,
        PreviousHash = record.PreviousHash,
        Hash = record.Hash,
    };
}

/// <summary>
/// The exact policy text shown with a level decision, kept under its version (SHA-256 of the
/// text) so that the wording of any recorded version can be shown later. Append-only too.
/// </summary>
public sealed class ConsentPolicyText
{
    /// <summary>SHA-256 (lower-case hex) of <see cref="Text"/> in UTF-8.</summary>
    public required string Version { get; set; }

    public int Level { get; set; }

    public required string Text { get; set; }

    /// <summary>When this version was first shown with a decision (UTC).</summary>
    public DateTime FirstRecordedAt { get; set; }
}
