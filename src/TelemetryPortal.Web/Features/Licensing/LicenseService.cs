using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TelemetryPortal.Core.Licensing;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Endpoints;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Web.Features.Licensing;

/// <summary>What a requester fills in.</summary>
public sealed record LicenseRequestInput(string Organisation, string ContactName, string ContactEmail, Guid DeploymentId, string Reason, int TermDays);

/// <summary>
/// The zero-telemetry license path: customers request, support staff approve (which signs a license)
/// or deny, the admin applies a license (verified offline), and the license in force unlocks level 0
/// until it expires or is revoked. Every step is recorded through <see cref="ILicenseEvents"/>. Every value is checked
/// here, for the pages and the API alike; a refusal is a <see cref="PortalProblemException"/> whose message says what
/// is wrong.
/// </summary>
public sealed class LicenseService(
    IDbContextFactory<PortalDbContext> dbFactory,
    LicenseKeyring keys,
    DeploymentService deployment,
    ILicenseEvents events,
    IOptions<LicensingOptions> options,
    TimeProvider time)
{
    /// <summary>Files a request; each field that breaks its rule is named in one refusal (400).</summary>
    public async Task<LicenseRequestView> RequestAsync(LicenseRequestInput input, ConsentActor actor, string method = CollectionMethods.Web, CancellationToken ct = default)
    {
        Validate(input);
        var request = new LicenseRequest
        {
            Organisation = input.Organisation.Trim(),
            ContactName = input.ContactName.Trim(),
            ContactEmail = input.ContactEmail.Trim(),
            DeploymentId = input.DeploymentId,
            Reason = input.Reason.Trim(),
            TermDays = input.TermDays,
            Status = LicenseRequestStatus.Pending,
            RequestedBy = actor.Id,
            RequestedByName = actor.Name,
            RequestedAt = Now,
        };
        return LicenseRequestView.From(await events.CommitAsync(async db =>
        {
            db.LicenseRequests.Add(request);
            await db.SaveChangesAsync(ct);
            return (request, (LicenseEvent?)new LicenseEvent(method, LicenseEventKind.Requested, actor, $"Request {request.Id} from {request.Organisation} for {request.TermDays} days: {request.Reason}", request.Id, null));
        }, ct));
    }

    /// <summary>The requests <paramref name="actor"/> may see: all for support staff, their own for others.</summary>
    public async Task<IReadOnlyList<LicenseRequestView>> ListAsync(ConsentActor actor, bool all, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.LicenseRequests.AsNoTracking();
        if (!all)
        {
            query = query.Where(r => r.RequestedBy == actor.Id);
        }

        var requests = await query.OrderBy(r => r.Status == LicenseRequestStatus.Pending ? 0 : 1).ThenByDescending(r => r.RequestedAt).ToListAsync(ct);
        return [.. requests.Select(LicenseRequestView.From)];
    }

    public async Task<LicenseRequestView> WithdrawAsync(long id, ConsentActor actor, string method = CollectionMethods.Web, CancellationToken ct = default)
    {
        return LicenseRequestView.From(await events.CommitAsync(async db =>
        {
            var request = await FindAsync(db, id, ct);
            if (request.RequestedBy != actor.Id)
            {
                throw PortalProblemException.Forbidden("Only the person who filed a request can withdraw it.");
            }

            RequirePending(request);
            if (request.Delivery == DeskDelivery.AtDesk)
            {
                throw PortalProblemException.Invalid($"Request {id} is already at the vendor's desk; ask the vendor to withdraw it there.");
            }

            request.Status = LicenseRequestStatus.Withdrawn;
            // Not sent yet: it never will be.
            request.Delivery = request.Delivery == DeskDelivery.Waiting ? DeskDelivery.None : request.Delivery;
            request.NextDeliveryAt = null;
            request.ReviewedAt = Now;
            return (request, (LicenseEvent?)new LicenseEvent(method, LicenseEventKind.Withdrawn, actor, $"Request {id} withdrawn by its requester.", id, null));
        }, ct));
    }

    /// <summary>Approves a pending request: signs a license for its deployment; applies it when it is for this portal's deployment.</summary>
    public async Task<LicenseRequestView> ApproveAsync(long id, int termDays, ConsentActor actor, string method = CollectionMethods.Web, CancellationToken ct = default)
    {
        CheckTerm(termDays, "termDays");
        var issuer = keys.Issuer ?? throw PortalProblemException.Invalid(
            "This portal holds no license signing key, so it cannot issue licenses; set Licensing:SigningKey, or approve on the vendor's portal.");
        var request = await events.CommitAsync(async db =>
        {
            var request = await FindAsync(db, id, ct);
            RequirePending(request);

            var now = time.GetUtcNow();
            var license = new ZeroTelemetryLicense(
                Guid.NewGuid(), request.Organisation, [request.DeploymentId], [ZeroTelemetryLicense.ZeroTelemetryFeature],
                now, now, now.AddDays(termDays), issuer.KeyId);
            request.Status = LicenseRequestStatus.Approved;
            request.GrantedTermDays = termDays;
            request.ReviewedBy = actor.Name;
            request.ReviewedAt = now.UtcDateTime;
            request.LicenseToken = issuer.Issue(license);
            request.LicenseId = license.LicenseId;
            return (request, (LicenseEvent?)new LicenseEvent(method, LicenseEventKind.Approved, actor,
                $"Request {id} approved for {termDays} days; license {license.LicenseId} signed with key {issuer.KeyId}{(keys.IssuesDevelopmentLicenses ? " (development)" : "")}.", id, license.LicenseId));
        }, ct);

        if (request.DeploymentId == await deployment.GetDeploymentIdAsync(ct))
        {
            // Just signed for this deployment, so valid; should it not be, the approval stands and the admin applies a license.
            await VerifyAndApplyAsync(request.LicenseToken!, actor, method, ct);
        }

        return LicenseRequestView.From(request);
    }

    public async Task<LicenseRequestView> DenyAsync(long id, string reason, ConsentActor actor, string method = CollectionMethods.Web, CancellationToken ct = default)
    {
        reason = reason?.Trim() ?? "";
        if (reason.Length is < 5 or > 2000)
        {
            throw PortalProblemException.Invalid("Reason must be 5 to 2000 characters; the requester sees it.");
        }

        return LicenseRequestView.From(await events.CommitAsync(async db =>
        {
            var request = await FindAsync(db, id, ct);
            RequirePending(request);
            request.Status = LicenseRequestStatus.Denied;
            request.DenialReason = reason;
            request.ReviewedBy = actor.Name;
            request.ReviewedAt = Now;
            return (request, (LicenseEvent?)new LicenseEvent(method, LicenseEventKind.Denied, actor, $"Request {id} denied: {reason}", id, null));
        }, ct));
    }

    /// <summary>
    /// Verifies and applies a license; returns the verdict, which is valid. A license that is not valid for this
    /// deployment, or was revoked or replaced here, changes nothing and is refused: 422 "Invalid license", with the
    /// <see cref="LicenseFailure"/> as the <c>failure</c> extension (the refusal of a revoked or replaced one is recorded).
    /// </summary>
    public async Task<LicenseVerification> ApplyAsync(string token, ConsentActor actor, string method = CollectionMethods.Web, CancellationToken ct = default)
    {
        var verdict = await VerifyAndApplyAsync(token, actor, method, ct);
        return verdict.IsValid ? verdict : throw Refused(verdict);
    }

    private static PortalProblemException Refused(LicenseVerification verdict) =>
        new(ProblemKind.Unprocessable, "Invalid license", verdict.Message, new Dictionary<string, object?> { ["failure"] = verdict.Failure.ToString() });

    /// <summary>Verifies and applies a license. An invalid one changes nothing; the verdict says why.</summary>
    internal async Task<LicenseVerification> VerifyAndApplyAsync(string token, ConsentActor actor, string method, CancellationToken ct)
    {
        var verdict = await keys.Verifier.VerifyAsync(token, await deployment.GetDeploymentIdAsync(ct), time.GetUtcNow());
        if (!verdict.IsValid)
        {
            return verdict;
        }

        var license = verdict.License!;
        return await events.CommitAsync(async db =>
        {
            // A license id is applied once: revoked, or replaced by a newer one, it is refused for good (the id is
            // signed inside the token, so no re-encoding of the token gets past this).
            var before = await db.AppliedLicenses.AsNoTracking().Where(l => l.LicenseId == license.LicenseId).ToListAsync(ct);
            var newest = await NewestAsync(db.AppliedLicenses.AsNoTracking(), ct);
            if (before.FirstOrDefault(l => l.RevokedAt is not null) is { } revoked)
            {
                var refusal = new LicenseVerification(null, LicenseFailure.Revoked,
                    $"License {license.LicenseId} was revoked on {revoked.RevokedAt:yyyy-MM-dd HH:mm} UTC ({revoked.RevocationReason}); a revoked license is refused for good. Ask for a new license.");
                return (refusal, (LicenseEvent?)new LicenseEvent(method, LicenseEventKind.Refused, actor, refusal.Message, null, license.LicenseId));
            }

            if (before.Count > 0 && newest is not null && newest.LicenseId != license.LicenseId)
            {
                var refusal = new LicenseVerification(null, LicenseFailure.Superseded,
                    $"License {license.LicenseId} was replaced by license {newest.LicenseId} on {newest.AppliedAt:yyyy-MM-dd HH:mm} UTC; an older license is not applied again.");
                return (refusal, (LicenseEvent?)new LicenseEvent(method, LicenseEventKind.Refused, actor, refusal.Message, null, license.LicenseId));
            }

            if (before.Count > 0)
            {
                // Already the license in force: nothing changes, nothing to record.
                return (verdict, (LicenseEvent?)null);
            }

            db.AppliedLicenses.Add(new AppliedLicense
            {
                LicenseId = license.LicenseId,
                Token = token.Trim(),
                Organisation = license.Organisation,
                KeyId = license.KeyId,
                Development = verdict.Development,
                IssuedAt = license.IssuedAt.UtcDateTime,
                NotBefore = license.NotBefore.UtcDateTime,
                ExpiresAt = license.ExpiresAt.UtcDateTime,
                AppliedAt = Now,
                AppliedBy = actor.Name,
            });
            return (verdict, (LicenseEvent?)new LicenseEvent(method, LicenseEventKind.Applied, actor,
                $"License {license.LicenseId} for {license.Organisation} applied, valid until {license.ExpiresAt:yyyy-MM-dd}{(verdict.Development ? " (development license)" : "")}.", null, license.LicenseId));
        }, ct);
    }

    /// <summary>The longest reason recorded with a revocation, in characters.</summary>
    public const int MaxRevocationReasonLength = 1000;

    /// <summary>What a revocation without a reason records.</summary>
    public const string DefaultRevocationReason = "Revoked by the admin.";

    /// <summary>Revokes the license in force, recording <paramref name="reason"/> (or <see cref="DefaultRevocationReason"/>); level 0 stops at once.</summary>
    /// <exception cref="PortalProblemException">Invalid: the reason is longer than <see cref="MaxRevocationReasonLength"/>. Not found: no license in force.</exception>
    public async Task RevokeAsync(string? reason, ConsentActor actor, string method = CollectionMethods.Web, CancellationToken ct = default)
    {
        if (reason?.Trim() is { Length: > MaxRevocationReasonLength } tooLong)
        {
            throw PortalProblemException.Invalid($"Reason must be at most {MaxRevocationReasonLength} characters; got {tooLong.Length}.");
        }

        await events.CommitAsync(async db =>
        {
            var current = await NewestAsync(db.AppliedLicenses, ct);
            if (current is null || current.RevokedAt is not null)
            {
                throw PortalProblemException.NotFound("There is no license in force to revoke.");
            }

            current.RevokedAt = Now;
            current.RevokedBy = actor.Name;
            current.RevocationReason = string.IsNullOrWhiteSpace(reason) ? DefaultRevocationReason : reason.Trim();
            return (true, (LicenseEvent?)new LicenseEvent(method, LicenseEventKind.Revoked, actor, $"License {current.LicenseId} revoked: {current.RevocationReason}", null, current.LicenseId));
        }, ct);
    }

    /// <summary>The newest applied license and how it stands now.</summary>
    public async Task<LicenseStatus> GetStatusAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return StatusOf(await NewestAsync(db.AppliedLicenses.AsNoTracking(), ct), time.GetUtcNow());
    }

    /// <summary>The license in force is the newest one applied; revoked or expired, it still decides the state.</summary>
    internal static Task<AppliedLicense?> NewestAsync(IQueryable<AppliedLicense> licenses, CancellationToken ct) =>
        licenses.OrderByDescending(l => l.AppliedAt).ThenByDescending(l => l.Id).FirstOrDefaultAsync(ct);

    internal static LicenseStatus StatusOf(AppliedLicense? license, DateTimeOffset now)
    {
        if (license is null)
        {
            return new LicenseStatus(LicenseState.None, null, 0);
        }

        // Stored in UTC; SQLite gives it back without its kind.
        var notBefore = new DateTimeOffset(license.NotBefore.Ticks, TimeSpan.Zero);
        var expiresAt = new DateTimeOffset(license.ExpiresAt.Ticks, TimeSpan.Zero);
        var state = license.RevokedAt is not null ? LicenseState.Revoked
            : now >= expiresAt ? LicenseState.Expired
            : ZeroTelemetryLicense.ExpiresSoon(notBefore, expiresAt, now) ? LicenseState.ExpiringSoon
            : LicenseState.Valid;
        // A revoked license has no days left, however far its term would have run.
        var daysLeft = state == LicenseState.Revoked ? 0 : ZeroTelemetryLicense.DaysLeft(expiresAt, now);
        return new LicenseStatus(state, AppliedLicenseView.From(license), daysLeft);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Checks a request's fields; one refusal (400) names each that breaks its rule.</summary>
    internal void Validate(LicenseRequestInput input)
    {
        var problems = new List<string>();
        if (input.Organisation?.Trim().Length is not (>= 2 and <= 200))
        {
            problems.Add("Organisation must be 2 to 200 characters.");
        }

        if (input.ContactName?.Trim().Length is not (>= 2 and <= 200))
        {
            problems.Add("Contact name must be 2 to 200 characters.");
        }

        if (!IsEmail(input.ContactEmail))
        {
            problems.Add("Contact e-mail must be an e-mail address such as name@company.example.");
        }

        if (input.DeploymentId == Guid.Empty)
        {
            problems.Add("Deployment id must be the id of the deployment to cover, such as 6a4c2a52-0f57-4a5c-9d0e-7a2f3b1c9e11.");
        }

        if (input.Reason?.Trim().Length is not (>= 10 and <= 2000))
        {
            problems.Add("Reason must be 10 to 2000 characters.");
        }

        if (input.TermDays < 1 || input.TermDays > options.Value.MaxTermDays)
        {
            problems.Add($"Term must be between 1 and {options.Value.MaxTermDays} days.");
        }

        foreach (var (name, text) in new[] { ("Organisation", input.Organisation), ("Contact name", input.ContactName), ("Contact e-mail", input.ContactEmail), ("Reason", input.Reason) })
        {
            if (StorableText.Problem(text) is { } unstorable)
            {
                problems.Add($"{name} contains {unstorable}; remove it.");
            }
        }

        if (problems.Count > 0)
        {
            throw PortalProblemException.Invalid(string.Join(" ", problems));
        }
    }

    private void CheckTerm(int termDays, string name)
    {
        if (termDays < 1 || termDays > options.Value.MaxTermDays)
        {
            throw PortalProblemException.Invalid($"{name} must be between 1 and {options.Value.MaxTermDays} days; got {termDays}.");
        }
    }

    private static bool IsEmail(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Trim().Length <= 320 && MailAddress.TryCreate(value.Trim(), out var address)
        && address.Address == value.Trim() && address.Host.Contains('.', StringComparison.Ordinal);

    private static async Task<LicenseRequest> FindAsync(PortalDbContext db, long id, CancellationToken ct) =>
        await db.LicenseRequests.SingleOrDefaultAsync(r => r.Id == id, ct)
        ?? throw PortalProblemException.NotFound($"There is no license request {id}.");

    private static void RequirePending(LicenseRequest request)
    {
        if (request.Status != LicenseRequestStatus.Pending)
        {
            throw PortalProblemException.Invalid($"Request {request.Id} is {request.Status.ToString().ToLowerInvariant()}, not pending; it cannot change any more.");
        }
    }
}
