using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Endpoints;
using TelemetryPortal.Web.Features.Consent;

namespace TelemetryPortal.Web.Features.Licensing.Desk;

/// <summary>
/// The vendor's desk: a portal holding <c>Licensing:SigningKey</c> takes requests from other installations (online, or
/// imported from an exported file) into the review queue, and answers each online one's decision to the holder of its
/// secret only. Approving and denying are <see cref="LicenseService"/>'s, as for requests filed here.
/// </summary>
public sealed class LicenseDeskService(
    IDbContextFactory<PortalDbContext> dbFactory,
    LicenseService licenses,
    ILicenseEvents events,
    IOptions<LicensingOptions> options,
    TimeProvider time)
{
    /// <summary>The header that carries a request's retrieval secret.</summary>
    public const string SecretHeader = "X-Desk-Secret";

    /// <summary>The one answer for an unknown id and a wrong secret alike, so that neither tells whether the id exists.</summary>
    public const string NoSuchRequest = "There is no request with this id and secret.";

    /// <summary>How the desk records what it received.</summary>
    public const string Method = "Desk";

    public bool IsDesk => options.Value.IsDesk;

    /// <summary>Queues a request sent by an installation; answers its id and retrieval secret (kept here only as a hash).</summary>
    public async Task<DeskReceipt> ReceiveAsync(DeskFiling filing, string clientAddress, CancellationToken ct = default)
    {
        RequireDesk();
        var input = filing.ToInput();
        licenses.Validate(input);
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var request = NewRequest(input, LicenseRequestSource.Online, $"online:{input.DeploymentId}",
            $"{input.ContactName.Trim()} (online from {clientAddress})");
        request.DeskId = Guid.NewGuid();
        request.SecretHash = Hash(secret);
        request.SourceAddress = clientAddress;
        var actor = new ConsentActor($"online:{clientAddress}", $"{input.ContactName.Trim()} <{input.ContactEmail.Trim()}>, from {clientAddress}", "Installation");
        await events.CommitAsync(async db =>
        {
            db.LicenseRequests.Add(request);
            await db.SaveChangesAsync(ct);
            return (request, (LicenseEvent?)new LicenseEvent(Method, LicenseEventKind.Requested, actor,
                $"Request {request.Id} received online from {clientAddress} for deployment {request.DeploymentId}: {request.Organisation}, {request.TermDays} days: {request.Reason}",
                request.Id, null));
        }, ct);
        return new DeskReceipt(request.DeskId.Value, secret, request.Status.ToString());
    }

    /// <summary>Imports an exported request file into the review queue (for sites the desk cannot reach); 400 naming what is wrong.</summary>
    public async Task<LicenseRequestView> ImportAsync(string json, ConsentActor actor, CancellationToken ct = default)
    {
        RequireDesk();
        LicenseRequestFile? file;
        try
        {
            file = JsonSerializer.Deserialize<LicenseRequestFile>(json);
        }
        catch (JsonException ex)
        {
            throw PortalProblemException.Invalid($"The file is not a license request: it is not valid JSON ({ex.Message}).");
        }

        if (file is null || file.Kind != LicenseRequestFile.FileKind)
        {
            throw PortalProblemException.Invalid($"The file is not a license request: \"kind\" must be \"{LicenseRequestFile.FileKind}\".");
        }

        var input = file.ToInput();
        licenses.Validate(input);
        var request = NewRequest(input, LicenseRequestSource.File, $"file:{input.DeploymentId}",
            $"{input.ContactName.Trim()} (file{(file.Id is { } id ? $", their request #{id}" : "")})");
        return LicenseRequestView.From(await events.CommitAsync(async db =>
        {
            db.LicenseRequests.Add(request);
            await db.SaveChangesAsync(ct);
            return (request, (LicenseEvent?)new LicenseEvent(Method, LicenseEventKind.Requested, actor,
                $"Request {request.Id} imported from a file for deployment {request.DeploymentId}: {request.Organisation}, {request.TermDays} days: {request.Reason}",
                request.Id, null));
        }, ct));
    }

    /// <summary>A request's decision, for the holder of its secret; otherwise (unknown id or wrong secret) the same 404.</summary>
    public async Task<DeskDecision> LookupAsync(Guid id, string? secret, CancellationToken ct = default)
    {
        RequireDesk();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var request = await db.LicenseRequests.AsNoTracking().SingleOrDefaultAsync(r => r.DeskId == id, ct);
        // Hash even when the id is unknown, and compare in constant time: the answer's timing tells nothing either.
        var offered = Encoding.ASCII.GetBytes(Hash(secret ?? ""));
        var expected = Encoding.ASCII.GetBytes(request?.SecretHash ?? new string('0', 64));
        if (!CryptographicOperations.FixedTimeEquals(offered, expected) || request is null || string.IsNullOrEmpty(secret))
        {
            throw PortalProblemException.NotFound(NoSuchRequest);
        }

        return DeskDecision.From(request);
    }

    /// <summary>The ledger entries about a request (received, reviewed, its license), oldest first.</summary>
    public async Task<IReadOnlyList<RequestHistoryEntry>> HistoryAsync(LicenseRequestView request, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var references = new List<string> { $"request:{request.Id}" };
        if (request.LicenseId is { } license)
        {
            references.Add($"license:{license}");
        }

        var entries = await db.ConsentLedger.AsNoTracking().Where(e => e.Reference != null && references.Contains(e.Reference))
            .OrderBy(e => e.Id).Select(e => new { e.Id, e.OccurredAt, e.Action, e.ActorName, e.Reason }).ToListAsync(ct);
        return [.. entries.Select(e => new RequestHistoryEntry(e.Id, e.OccurredAt, TelemetryPortal.Core.Consent.ConsentActions.Label(e.Action), e.ActorName, e.Reason))];
    }

    /// <summary>The SHA-256 of a secret, in lower-case hex.</summary>
    internal static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private LicenseRequest NewRequest(LicenseRequestInput input, LicenseRequestSource source, string requestedBy, string requestedByName) => new()
    {
        Organisation = input.Organisation.Trim(),
        ContactName = input.ContactName.Trim(),
        ContactEmail = input.ContactEmail.Trim(),
        DeploymentId = input.DeploymentId,
        Reason = input.Reason.Trim(),
        TermDays = input.TermDays,
        Status = LicenseRequestStatus.Pending,
        Source = source,
        RequestedBy = requestedBy,
        // A 200-character name with an IPv6 address and its zone can pass the column.
        RequestedByName = StorableText.Clip(requestedByName, LicenseRequestConfiguration.RequestedByNameLength),
        RequestedAt = time.GetUtcNow().UtcDateTime,
    };

    /// <summary>Refuses (404) on a portal that is no desk.</summary>
    public void RequireDesk()
    {
        if (!IsDesk)
        {
            throw PortalProblemException.NotFound("This portal is not a license desk: it holds no Licensing:SigningKey.");
        }
    }
}

/// <summary>One step in a request's history, from the consent ledger.</summary>
public sealed record RequestHistoryEntry(long EntryId, DateTime RecordedAt, string Action, string Actor, string Reason);
