using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TelemetryPortal.Core.Consent;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Services;
using TelemetryPortal.Web.Services.Consent;

namespace TelemetryPortal.Web.Endpoints.Api;

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
public sealed record ConsentPageResponse(IReadOnlyList<ConsentEntryResponse> Items, int Total, int Page, int PageSize);

/// <summary>The first entry that does not hold.</summary>
/// <param name="Check">Sequence, PreviousHash or Hash.</param>
public sealed record ChainBreakResponse(long Id, long Position, string Check, string Message);

/// <summary>The result of walking the chain.</summary>
public sealed record ConsentVerificationResponse(bool Valid, long Entries, string HeadHash, ChainBreakResponse? FirstBroken)
{
    public static ConsentVerificationResponse From(ChainVerification v) => new(
        v.Valid, v.Entries, v.HeadHash,
        v.FirstBroken is { } b ? new ChainBreakResponse(b.Id, b.Position, b.Check.ToString(), b.Message) : null);
}

/// <summary>A policy text kept with a decision.</summary>
public sealed record ConsentPolicyResponse(string Version, int Level, string Text);

/// <summary>A level decision.</summary>
/// <param name="Level">0, 1 or 2.</param>
/// <param name="Confirm">Must be <see langword="true"/>: the caller confirms the choice explicitly.</param>
/// <param name="Reason">Why, in words (optional, at most 1000 characters).</param>
/// <param name="PolicyVersion">The version of the policy text the caller showed; when given, it must be the current one.</param>
public sealed record LevelChangeRequest(int? Level, bool? Confirm, string? Reason, string? PolicyVersion);

/// <summary>A recorded decision and the level in force after it.</summary>
public sealed record LevelChangeResponse(long EntryId, string PolicyVersion, LevelResponse Level);

public static class ConsentApi
{
    private const int MaxReasonLength = 1000;

    public static RouteGroupBuilder MapConsentApi(this RouteGroupBuilder api)
    {
        var consent = api.MapGroup("/consent").WithTags("Consent");

        consent.MapGet("/", ListAsync)
            .WithName("ListConsent")
            .WithSummary("The consent ledger, newest first, filtered by time (from inclusive, to exclusive), action, actor and level, a page at a time.");

        consent.MapGet("/verify", async (ConsentLedgerService ledger, CancellationToken ct) =>
                ConsentVerificationResponse.From(await ledger.VerifyAsync(ct)))
            .WithName("VerifyConsent")
            .WithSummary("Walks the hash chain: whether it holds, how many entries, the head hash and the first entry that does not match.");

        consent.MapGet("/export", ExportAsync)
            .WithName("ExportConsent")
            .WithSummary("The ledger entries matching the filters, oldest first, as CSV (streamed).")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");

        consent.MapGet("/{id:long}/receipt", async Task<Results<Ok<SignedConsentReceipt>, ProblemHttpResult>> (long id, ConsentReceiptService receipts, CancellationToken ct) =>
                await receipts.GetAsync(id, ct) is { } receipt
                    ? TypedResults.Ok(receipt)
                    : TypedResults.Problem($"There is no level decision with id {id}; receipts exist only for level decisions.", statusCode: StatusCodes.Status404NotFound))
            .WithName("GetConsentReceipt")
            .WithSummary("The signed consent receipt (Kantara-style, ES256 JWS) of a level decision.");

        consent.MapGet("/policies/{version}", async Task<Results<Ok<ConsentPolicyResponse>, ProblemHttpResult>> (string version, ConsentLedgerService ledger, CancellationToken ct) =>
                await ledger.GetPolicyTextAsync(version, ct) is { } policy
                    ? TypedResults.Ok(new ConsentPolicyResponse(policy.Version, policy.Level, policy.Text))
                    : TypedResults.Problem($"No policy text of version \"{version}\" was recorded with a decision.", statusCode: StatusCodes.Status404NotFound))
            .WithName("GetConsentPolicy")
            .WithSummary("The exact policy text shown with a decision, by its version (SHA-256 of the text).");

        api.MapGroup("/telemetry").WithTags("Telemetry")
            .MapPut("/level", ChangeLevelAsync)
            .WithName("ChangeLevel")
            .WithSummary("Records the admin's level decision in the consent ledger; it applies to the next capture. 409 when CODER_TELEMETRY pins the level.");
        return api;
    }

    private static async Task<Results<Ok<ConsentPageResponse>, ProblemHttpResult>> ListAsync(
        ConsentLedgerService ledger, CancellationToken ct,
        DateTimeOffset? from = null, DateTimeOffset? to = null, string? action = null, string? actor = null, int? level = null, int page = 1, int pageSize = 50)
    {
        var query = new ConsentQuery(from?.UtcDateTime, to?.UtcDateTime, action, actor, level, page, pageSize);
        if (query.Validate() is { } error)
        {
            return TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest);
        }

        var result = await ledger.ListAsync(query, ct);
        return TypedResults.Ok(new ConsentPageResponse([.. result.Items.Select(ConsentEntryResponse.From)], result.Total, page, pageSize));
    }

    private static async Task<IResult> ExportAsync(
        HttpContext context, ConsentLedgerService ledger, CancellationToken ct,
        DateTimeOffset? from = null, DateTimeOffset? to = null, string? action = null, string? actor = null, int? level = null)
    {
        var query = new ConsentQuery(from?.UtcDateTime, to?.UtcDateTime, action, actor, level);
        if (query.Validate() is { } error)
        {
            return TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest);
        }

        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = "attachment; filename=\"consent-ledger.csv\"";
        await ledger.WriteCsvAsync(query, context.Response.Body, ct);
        return TypedResults.Empty;
    }

    private static async Task<Results<Ok<LevelChangeResponse>, ProblemHttpResult>> ChangeLevelAsync(
        [FromBody] LevelChangeRequest? request, ClaimsPrincipal user, TelemetryLevelService levels, CancellationToken ct)
    {
        if (request?.Level is not { } level || !TelemetryLevels.IsDefined(level))
        {
            return TypedResults.Problem($"level must be 0, 1 or 2; got {request?.Level?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"}.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (request.Confirm is not true)
        {
            return TypedResults.Problem("confirm must be true: a level decision is recorded only when it is confirmed explicitly.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (request.Reason is { Length: > MaxReasonLength })
        {
            return TypedResults.Problem($"reason must be at most {MaxReasonLength} characters; got {request.Reason.Length}.", statusCode: StatusCodes.Status400BadRequest);
        }

        try
        {
            var decision = await levels.ChooseAsync((TelemetryLevel)level, ConsentActor.From(user), CollectionMethods.Api, request.Reason, request.PolicyVersion, ct);
            return TypedResults.Ok(new LevelChangeResponse(decision.Entry.Id, decision.Policy.Version, LevelResponse.From(decision.Resolution)));
        }
        catch (LevelChangeException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }
}
