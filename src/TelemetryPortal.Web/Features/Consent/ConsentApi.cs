using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TelemetryPortal.Core.Consent;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Endpoints;

namespace TelemetryPortal.Web.Features.Consent;

/// <summary>One ledger entry.</summary>
/// <param name="HasReceipt">Whether <c>GET /api/v1/consent/{id}/receipt</c> answers for it (level decisions).</param>
public sealed record ConsentEntryResponse(
    long Id, DateTimeOffset OccurredAt, string Action, string ActionLabel, string ActorId, string ActorName, string ActorRole,
    string CollectionMethod, int? FromLevel, int? ToLevel, string Reason, string? PolicyVersion, string? Reference,
    string PreviousHash, string Hash, bool HasReceipt)
{
    public static ConsentEntryResponse From(ConsentRecord r) => new(
        r.Id, r.OccurredAt, r.Action, ConsentActions.Label(r.Action), r.ActorId, r.ActorName, r.ActorRole, r.CollectionMethod,
        r.FromLevel, r.ToLevel, r.Reason, r.PolicyVersion, r.Reference, r.PreviousHash, r.Hash, r.Action == ConsentActions.LevelChosen);
}

/// <summary>A page of the ledger, newest first.</summary>
public sealed record ConsentPageResponse(IReadOnlyList<ConsentEntryResponse> Items, int Total, int Page, int PageSize)
{
    public static ConsentPageResponse From(ConsentPage page, ConsentQuery query) =>
        new([.. page.Items.Select(ConsentEntryResponse.From)], page.Total, query.Page, query.PageSize);
}

/// <summary>The first entry that does not hold.</summary>
/// <param name="Check">Sequence, PreviousHash or Hash.</param>
public sealed record ChainBreakResponse(long Id, long Position, string Check, string Message);

/// <summary>A kept policy text that does not match its version, or a version a decision names that is not kept.</summary>
/// <param name="ActualHash">SHA-256 of the text kept now; null when none is kept.</param>
public sealed record PolicyMismatchResponse(string Version, string? ActualHash, string Message);

/// <summary>The result of walking the chain and checking the kept policy texts.</summary>
/// <param name="Valid">Whether every entry holds and every kept policy text matches its version.</param>
/// <param name="IntactEntries">How many entries, from the first, hold (all when the chain holds).</param>
/// <param name="FirstBroken">The first entry that does not hold, or null.</param>
/// <param name="PolicyMismatch">The first policy text that does not match its version, or null.</param>
public sealed record ConsentVerificationResponse(
    bool Valid, long Entries, string HeadHash, ChainBreakResponse? FirstBroken, long IntactEntries, PolicyMismatchResponse? PolicyMismatch)
{
    public static ConsentVerificationResponse From(ChainVerification v) => new(
        v.Valid, v.Entries, v.HeadHash,
        v.FirstBroken is { } b ? new ChainBreakResponse(b.Id, b.Position, b.Check.ToString(), b.Message) : null,
        v.IntactEntries,
        v.FirstPolicyMismatch is { } m ? new PolicyMismatchResponse(m.Version, m.ActualHash, m.Message) : null);
}

/// <summary>One check of a receipt: signature, readableCopy, entry, head, chain or policyText.</summary>
public sealed record ReceiptCheckItem(string Name, bool Ok, string Detail);

/// <summary>The result of checking a receipt against this portal's key and its ledger now.</summary>
/// <param name="Valid">Whether every check holds.</param>
/// <param name="Checks">Each check, in order; after a failed signature no other check is made.</param>
/// <param name="ReceiptId">The receipt's <c>consentReceiptID</c>.</param>
/// <param name="Entry">The decision's entry the receipt records.</param>
/// <param name="RecordedHead">The ledger head the receipt recorded when issued (null on receipts from before heads were recorded).</param>
/// <param name="CurrentHead">The ledger's last entry now (null when the signature failed and the ledger was not read).</param>
/// <param name="KeyId">The key id the receipt's signature names.</param>
/// <param name="Level">The level the decision chose.</param>
/// <param name="IssuedAt">When the receipt was issued.</param>
public sealed record ReceiptCheckResponse(
    bool Valid, IReadOnlyList<ReceiptCheckItem> Checks, string ReceiptId, ReceiptLedgerEntry Entry, ReceiptLedgerEntry? RecordedHead,
    ReceiptLedgerEntry? CurrentHead, string KeyId, int Level, DateTimeOffset IssuedAt)
{
    public static ReceiptCheckResponse From(ReceiptCheckResult r) => new(
        r.Valid, [.. r.Checks.Select(c => new ReceiptCheckItem(c.Name, c.Ok, c.Detail))], r.Receipt.ConsentReceiptId, r.Receipt.LedgerEntry,
        r.Receipt.LedgerHead, r.CurrentHead, r.KeyId, r.Receipt.Level, DateTimeOffset.FromUnixTimeSeconds(r.Receipt.IssuedAt));
}

/// <summary>A signed consent receipt as it is downloaded (and given back to be checked).</summary>
/// <param name="Receipt">The receipt, readable.</param>
/// <param name="Jws">The same receipt as a compact JWS (ES256); its payload is what counts.</param>
/// <param name="PublicKey">The portal's receipt key as a JWK.</param>
public sealed record ConsentReceiptResponse(ConsentReceipt Receipt, string Jws, ReceiptPublicKey PublicKey)
{
    public static ConsentReceiptResponse From(SignedConsentReceipt r) => new(r.Receipt, r.Jws, r.PublicKey);
}

/// <summary>A policy text kept with a decision.</summary>
public sealed record ConsentPolicyResponse(string Version, int Level, string Text)
{
    public static ConsentPolicyResponse From(KeptPolicyText p) => new(p.Version, p.Level, p.Text);
}

/// <summary>A level decision.</summary>
/// <param name="Level">0, 1 or 2.</param>
/// <param name="Confirm">Must be <see langword="true"/>: the caller confirms the choice explicitly.</param>
/// <param name="Reason">Why, in words (optional, at most <see cref="TelemetryLevelService.MaxReasonLength"/> characters).</param>
/// <param name="PolicyVersion">The version of the policy text the caller showed; when given, it must be the current one.</param>
public sealed record LevelChangeRequest(int? Level, bool? Confirm, string? Reason, string? PolicyVersion);

/// <summary>A recorded decision and the level in force after it.</summary>
public sealed record LevelChangeResponse(long EntryId, string PolicyVersion, LevelResponse Level)
{
    public static LevelChangeResponse From(LevelDecision d) => new(d.Entry.Id, d.Policy.Version, LevelResponse.From(d.Resolution));
}

/// <summary>The level in force and why.</summary>
/// <param name="Requested">0, 1 or 2: the level the winning source asked for.</param>
/// <param name="Effective">0, 1 or 2: the level that applies to what is sent.</param>
/// <param name="Source">Environment, AdminChoice, AppSettings or Default.</param>
/// <param name="Pinned">Whether <c>CODER_TELEMETRY</c> pins the level.</param>
/// <param name="Reason">Why the effective level is in force, in one sentence.</param>
/// <param name="Warning">What the admin should know, or null.</param>
/// <param name="Description">What the effective level sends, in one sentence.</param>
/// <param name="LedgerBrokenAt">
/// The first consent ledger entry that fails verification, when one does (and nothing pins the level): decisions from
/// there on were not trusted, and the level is the most private of the last intact decision and the settings.
/// </param>
public sealed record LevelResponse(int Requested, int Effective, string Source, bool Pinned, string Reason, string? Warning, string Description, long? LedgerBrokenAt)
{
    public static LevelResponse From(LevelResolution resolution) => new(
        (int)resolution.Requested,
        (int)resolution.Effective,
        resolution.Source.ToString(),
        resolution.Pinned,
        resolution.Reason,
        resolution.Warning,
        TelemetryLevels.Describe(resolution.Effective),
        resolution.LedgerBrokenAt);
}

/// <summary>The filters of the ledger's CSV export.</summary>
/// <param name="From">Entries at or after this time.</param>
/// <param name="To">Entries before this time (exclusive).</param>
/// <param name="Action">One of the ledger's actions.</param>
/// <param name="Actor">Part of the actor's name, or their id or role.</param>
/// <param name="Level">0, 1 or 2: entries from or to this level.</param>
public sealed record ConsentFilterRequest(DateTimeOffset? From, DateTimeOffset? To, string? Action, string? Actor, int? Level)
{
    public ConsentQuery ToQuery() => new(From?.UtcDateTime, To?.UtcDateTime, Action, Actor, Level);
}

/// <summary>The filters and the page of the ledger's list.</summary>
/// <param name="From">Entries at or after this time.</param>
/// <param name="To">Entries before this time (exclusive).</param>
/// <param name="Action">One of the ledger's actions.</param>
/// <param name="Actor">Part of the actor's name, or their id or role.</param>
/// <param name="Level">0, 1 or 2: entries from or to this level.</param>
/// <param name="Page">The page, from 1 (default 1).</param>
/// <param name="PageSize">Entries per page, 1 to 500 (default 50).</param>
public sealed record ConsentPageRequest(DateTimeOffset? From, DateTimeOffset? To, string? Action, string? Actor, int? Level, int? Page, int? PageSize)
{
    public ConsentQuery ToQuery() => new(From?.UtcDateTime, To?.UtcDateTime, Action, Actor, Level, Page ?? 1, PageSize ?? 50);
}

public static class ConsentApi
{
    internal static RouteGroupBuilder Map(RouteGroupBuilder api)
    {
        var consent = api.MapGroup("/consent").WithTags("Consent").RequireAccess(Audience.Staff);

        consent.MapGet("/", ListAsync)
            .WithName("ListConsent")
            .WithSummary("The consent ledger, newest first, filtered by time (from inclusive, to exclusive), action, actor and level, a page at a time.");

        consent.MapGet("/verify", VerifyAsync)
            .WithName("VerifyConsent")
            .WithSummary("Walks the hash chain and checks every kept policy text against its version: whether all holds, how many entries, the head hash, the first entry that does not match and the first policy text that does not.");

        consent.MapPost("/receipts/verify", CheckReceiptAsync)
            .Accepts<ConsentReceiptResponse>("application/json", "text/plain")
            .WithName("VerifyConsentReceipt")
            .WithSummary("Checks a receipt this portal issued (the JSON the receipt endpoint returns, or the bare JWS): its signature against the portal's key, that its entry and the ledger head it recorded are still there unchanged, that the chain verifies up to the current head, and that the policy text is unchanged. 400 when the body is not a receipt.");

        consent.MapGet("/export", Export)
            .WithName("ExportConsent")
            .WithSummary("The ledger entries matching the filters, oldest first, as CSV (streamed).")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");

        consent.MapGet("/{id:long}/receipt", GetReceiptAsync)
            .WithName("GetConsentReceipt")
            .WithSummary("The signed consent receipt (Kantara-style, ES256 JWS) of a level decision, recording the ledger head it was issued at. 409 while the ledger fails verification.");

        consent.MapGet("/policies/{version}", GetPolicyAsync)
            .WithName("GetConsentPolicy")
            .WithSummary("The exact policy text shown with a decision, by its version (SHA-256 of the text). 500 when the kept text no longer matches its version.");

        var level = api.MapGroup("/telemetry/level").WithTags("Telemetry");
        level.MapGet("/", GetLevelAsync)
            .RequireAccess(Audience.AnyRole)
            .WithName("GetLevel")
            .WithSummary("The telemetry level in force: requested, effective, where it came from and why.");

        level.MapPut("/", ChangeLevelAsync)
            .RequireAccess(Audience.Admin)
            .WithName("ChangeLevel")
            .WithSummary("Records the admin's level decision in the consent ledger; it applies to the next capture. 409 when CODER_TELEMETRY pins the level.");
        return api;
    }

    private static async Task<Ok<ConsentPageResponse>> ListAsync([AsParameters] ConsentPageRequest request, ConsentLedgerService ledger, CancellationToken ct)
    {
        var query = request.ToQuery();
        return TypedResults.Ok(ConsentPageResponse.From(await ledger.ListAsync(query, ct), query));
    }

    private static async Task<Ok<ConsentVerificationResponse>> VerifyAsync(ConsentLedgerService ledger, CancellationToken ct) =>
        TypedResults.Ok(ConsentVerificationResponse.From(await ledger.VerifyAsync(ct)));

    private static PushStreamHttpResult Export([AsParameters] ConsentFilterRequest request, ConsentLedgerService ledger, CancellationToken ct) =>
        TypedResults.Stream(ledger.ExportCsv(request.ToQuery(), ct), "text/csv; charset=utf-8", "consent-ledger.csv");

    private static async Task<Results<Ok<ConsentReceiptResponse>, ProblemHttpResult>> GetReceiptAsync(long id, ConsentReceiptService receipts, CancellationToken ct) =>
        await receipts.GetAsync(id, ct) is { } receipt
            ? TypedResults.Ok(ConsentReceiptResponse.From(receipt))
            : Problems.NotFound($"There is no level decision with id {id}; receipts exist only for level decisions.");

    private static async Task<Results<Ok<ConsentPolicyResponse>, ProblemHttpResult>> GetPolicyAsync(string version, ConsentLedgerService ledger, CancellationToken ct)
    {
        if (await ledger.GetPolicyTextAsync(version, ct) is not { } policy)
        {
            return Problems.NotFound($"No policy text of version \"{version}\" was recorded with a decision.");
        }

        // A text that no longer hashes to its version is not what the admin was shown: never serve it as if it were.
        return ConsentPolicy.CheckKeptText(policy.Version, policy.Text) is { } mismatch
            ? Problems.Of(ProblemKind.Damaged, "The kept policy text does not match its version", mismatch.Message)
            : TypedResults.Ok(ConsentPolicyResponse.From(policy));
    }

    private static async Task<Results<Ok<ReceiptCheckResponse>, ProblemHttpResult>> CheckReceiptAsync(
        HttpRequest request, ConsentReceiptChecker checker, CancellationToken ct)
    {
        // Read by hand: the body is JSON or a bare JWS, and at most a receipt's size is read.
        using var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8);
        var buffer = new char[ConsentReceiptChecker.MaxLength + 1];
        var length = await reader.ReadBlockAsync(buffer.AsMemory(), ct);
        if (length > ConsentReceiptChecker.MaxLength)
        {
            return Problems.Of(ProblemKind.TooLarge, "Payload Too Large", $"The body is larger than {ConsentReceiptChecker.MaxLength} characters; a receipt is a few kilobytes.");
        }

        var submission = ConsentReceiptChecker.Read(new string(buffer, 0, length));
        return TypedResults.Ok(ReceiptCheckResponse.From(await checker.CheckAsync(submission, ct)));
    }

    private static async Task<Ok<LevelResponse>> GetLevelAsync(TelemetryLevelService levels, CancellationToken ct) =>
        TypedResults.Ok(LevelResponse.From(await levels.ResolveAsync(ct)));

    private static async Task<Results<Ok<LevelChangeResponse>, ProblemHttpResult>> ChangeLevelAsync(
        [FromBody] LevelChangeRequest? request, ClaimsPrincipal user, TelemetryLevelService levels, CancellationToken ct)
    {
        var level = TelemetryLevelService.LevelOf(request?.Level);
        if (request?.Confirm is not true)
        {
            return Problems.Invalid("confirm must be true: a level decision is recorded only when it is confirmed explicitly.");
        }

        var decision = await levels.ChooseAsync(level, ConsentActor.From(user), CollectionMethods.Api, request.Reason, request.PolicyVersion, ct);
        return TypedResults.Ok(LevelChangeResponse.From(decision));
    }
}
