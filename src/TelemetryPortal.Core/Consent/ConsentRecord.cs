namespace TelemetryPortal.Core.Consent;

/// <summary>
/// One entry of the consent ledger as it is stored and hashed. Every field except
/// <see cref="Hash"/> goes into the hash (see <see cref="ConsentChain.CanonicalBytes"/>).
/// </summary>
/// <param name="Id">The entry's position in the chain: 1 for the first entry, then one more each time.</param>
/// <param name="OccurredAt">When it happened (UTC, whole milliseconds).</param>
/// <param name="Action">One of <see cref="ConsentActions"/>.</param>
/// <param name="ActorId">Who did it: a local account id, or <c>system</c>.</param>
/// <param name="ActorName">The actor's name as it was at the time.</param>
/// <param name="ActorRole">The actor's role as it was at the time (<c>System</c> for the portal itself).</param>
/// <param name="CollectionMethod">How the event was captured, e.g. <c>Web</c>, <c>Api</c>, <c>Environment</c>, <c>System</c>.</param>
/// <param name="FromLevel">The level before, when the event changes one.</param>
/// <param name="ToLevel">The level after, when the event sets one.</param>
/// <param name="Reason">Why, in words (may be empty).</param>
/// <param name="PolicyVersion">SHA-256 (hex) of the policy text that was on screen, when one was.</param>
/// <param name="Reference">What the event is about outside the ledger, e.g. a license request id.</param>
/// <param name="PreviousHash">The previous entry's <see cref="Hash"/>; <see cref="ConsentChain.GenesisHash"/> for the first.</param>
/// <param name="Hash">SHA-256 (lower-case hex) of <see cref="ConsentChain.CanonicalBytes"/> of this entry.</param>
public sealed record ConsentRecord(
    long Id,
    DateTimeOffset OccurredAt,
    string Action,
    string ActorId,
    string ActorName,
    string ActorRole,
    string CollectionMethod,
    int? FromLevel,
    int? ToLevel,
    string Reason,
    string? PolicyVersion,
    string? Reference,
    string PreviousHash,
    string Hash);
