using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Endpoints;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Web.Features.Licensing.Desk;

/// <summary>What a request sent to the desk carries, and where to: shown to the requester before anything leaves.</summary>
/// <param name="Address">Where it is posted.</param>
/// <param name="Body">The exact bytes (UTF-8 JSON) that are sent.</param>
public sealed record DeskSending(string Address, string Body);

/// <summary>
/// The installation's side of the vendor's desk (<c>Licensing:DeskUrl</c>): a request the requester confirmed is
/// delivered as it was shown (retried with backoff while the desk cannot be reached), then the desk is asked for its
/// decision with backoff; an approval's license is verified against the trusted keys and this deployment and applied,
/// a denial's reason kept for the requester. Each step that the consent ledger holds is recorded with its change.
/// </summary>
public sealed partial class LicenseDeskClient(
    IDbContextFactory<PortalDbContext> dbFactory,
    LicenseService licenses,
    LicenseKeyring keys,
    DeploymentService deployment,
    ILicenseEvents events,
    IHttpClientFactory httpClients,
    IOptions<LicensingOptions> options,
    IOptions<DatabaseOptions> database,
    TimeProvider time,
    ILogger<LicenseDeskClient> logger) : BackgroundService
{
    public const string HttpClientName = "license-desk";

    private static readonly JsonSerializerOptions s_shown = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private static readonly JsonSerializerOptions s_read = new(JsonSerializerDefaults.Web);
    private static readonly ConsentActor s_desk = new("license-desk", "The vendor's license desk", "System");
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Raised after a request's delivery state changed (pages follow it).</summary>
    public event Action? Changed;

    /// <summary>Whether requests go to a desk (<c>Licensing:DeskUrl</c> is set).</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(options.Value.DeskUrl);

    /// <summary>Where requests are posted: <c>{DeskUrl}/desk/requests</c>.</summary>
    public string? FilingAddress => Enabled ? FilingAddressOf(options.Value.DeskUrl!) : null;

    /// <summary>Checks the fields (400 naming each that is wrong) and answers exactly what would leave, and where to.</summary>
    public DeskSending Prepare(LicenseRequestInput input)
    {
        var address = FilingAddress ?? throw PortalProblemException.Invalid("Licensing:DeskUrl is not set: export the request as a file instead.");
        licenses.Validate(input);
        return new DeskSending(address, JsonSerializer.Serialize(DeskFiling.From(input), s_shown));
    }

    /// <summary>
    /// Files the request the requester confirmed (<paramref name="confirmed"/>, as <see cref="Prepare"/> showed it) and
    /// queues its delivery; the confirmation of what leaves and to where is recorded in the consent ledger.
    /// </summary>
    public async Task<LicenseRequestView> FileAsync(DeskSending confirmed, ConsentActor actor, string method = CollectionMethods.Web, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(confirmed);
        if (!Enabled)
        {
            throw PortalProblemException.Invalid("Licensing:DeskUrl is not set: export the request as a file instead.");
        }

        if (confirmed.Address != FilingAddress)
        {
            throw PortalProblemException.Invalid($"The request was confirmed for {confirmed.Address}, but the desk is now {FilingAddress ?? "not set"}; confirm it again.");
        }

        DeskFiling? filing;
        try
        {
            filing = JsonSerializer.Deserialize<DeskFiling>(confirmed.Body, s_read);
        }
        catch (JsonException ex)
        {
            throw PortalProblemException.Invalid($"The confirmed request is not JSON: {ex.Message}");
        }

        var input = (filing ?? throw PortalProblemException.Invalid("The confirmed request is empty.")).ToInput();
        licenses.Validate(input);
        // Only the request's own fields ever leave, in the form the preview showed: a body with anything more, or
        // written differently, is refused rather than sent as it is.
        if (confirmed.Body != JsonSerializer.Serialize(DeskFiling.From(input), s_shown))
        {
            throw PortalProblemException.Invalid("The body must be exactly the one the preview answered (POST /api/v1/licenses/requests/preview), unchanged.");
        }

        var now = Now;
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
            RequestedAt = now,
            DeskUrl = options.Value.DeskUrl!.Trim(),
            DeskBody = confirmed.Body,
            Delivery = DeskDelivery.Waiting,
            NextDeliveryAt = now,
        };
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(confirmed.Body)));
        var view = LicenseRequestView.From(await events.CommitAsync(async db =>
        {
            db.LicenseRequests.Add(request);
            await db.SaveChangesAsync(ct);
            return (request, (LicenseEvent?)new LicenseEvent(method, LicenseEventKind.Requested, actor,
                $"Request {request.Id}: {actor.Name} confirmed sending to the vendor's desk at {confirmed.Address} exactly this: " +
                $"organisation \"{request.Organisation}\", contact \"{request.ContactName}\" <{request.ContactEmail}>, deployment {request.DeploymentId}, " +
                $"reason \"{request.Reason}\", term {request.TermDays} days (body SHA-256 {hash}).", request.Id, null));
        }, ct));
        Wake();
        return view;
    }

    /// <summary>Delivers what is due and asks the desk about what is pending there; returns when something is next due.</summary>
    public async Task<DateTime?> RunDueAsync(CancellationToken ct)
    {
        var now = Now;
        List<LicenseRequest> due;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            due = await db.LicenseRequests.AsNoTracking()
                .Where(r => (r.Delivery == DeskDelivery.Waiting || r.Delivery == DeskDelivery.AtDesk) && r.NextDeliveryAt <= now)
                .OrderBy(r => r.NextDeliveryAt).ToListAsync(ct);
        }

        foreach (var request in due)
        {
            // Instances sharing the database take each request in turn: only the one whose claim moves it on works on it
            // (the work sets when it is next due; a claim left by an instance that died ends after the lease).
            await using (var claim = await dbFactory.CreateDbContextAsync(ct))
            {
                var until = now + database.Value.SendLease;
                var claimed = await claim.LicenseRequests
                    .Where(r => r.Id == request.Id && r.Delivery == request.Delivery && r.NextDeliveryAt == request.NextDeliveryAt)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.NextDeliveryAt, until), ct);
                if (claimed == 0)
                {
                    continue;
                }
            }

            if (request.Delivery == DeskDelivery.Waiting)
            {
                await DeliverAsync(request, ct);
            }
            else
            {
                await AskAsync(request, ct);
            }

            Changed?.Invoke();
        }

        await using var read = await dbFactory.CreateDbContextAsync(ct);
        return await read.LicenseRequests.AsNoTracking()
            .Where(r => r.Delivery == DeskDelivery.Waiting || r.Delivery == DeskDelivery.AtDesk)
            .MinAsync(r => r.NextDeliveryAt, ct);
    }

    /// <summary>Looks at the queue now (a request was filed).</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already woken.
            }
        }

        Changed?.Invoke();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = TimeSpan.FromHours(1);
            try
            {
                if (await RunDueAsync(stoppingToken) is { } next)
                {
                    var until = next - Now;
                    wait = until < TimeSpan.Zero ? TimeSpan.Zero : until < wait ? until : wait;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRunFailed(ex);
                wait = options.Value.DeskRetryBaseDelay;
            }

            using var timeout = new CancellationTokenSource(wait, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
            try
            {
                await _wake.WaitAsync(linked.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // Something is due.
            }
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    private async Task DeliverAsync(LicenseRequest request, CancellationToken ct)
    {
        var address = FilingAddressOf(request.DeskUrl!);
        try
        {
            using var content = new StringContent(request.DeskBody!, Encoding.UTF8, "application/json");
            using var response = await Client.PostAsync(address, content, ct);
            if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK
                && await response.Content.ReadFromJsonAsync<DeskReceipt>(s_read, ct) is { Id: var id, Secret: { Length: > 0 } secret })
            {
                await UpdateAsync(request.Id, r =>
                {
                    r.DeskRequestId = id;
                    r.DeskSecret = secret;
                    r.Delivery = DeskDelivery.AtDesk;
                    r.DeliveryAttempts = 0;
                    r.NextDeliveryAt = Now + options.Value.DeskPollBaseDelay;
                    r.LastDeskContactAt = Now;
                    r.DeliveryError = null;
                }, ct);
                LogDelivered(request.Id, id);
                return;
            }

            var detail = await DetailAsync(response, ct);
            if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnprocessableEntity)
            {
                await UpdateAsync(request.Id, r =>
                {
                    r.Delivery = DeskDelivery.Failed;
                    r.NextDeliveryAt = null;
                    r.LastDeskContactAt = Now;
                    r.DeliveryError = $"The vendor's desk refused the request ({(int)response.StatusCode}): {detail}";
                }, ct);
                return;
            }

            await RetryDeliveryAsync(request, $"The vendor's desk at {address} answered {(int)response.StatusCode}: {detail}", ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            await RetryDeliveryAsync(request, $"The vendor's desk at {address} cannot be reached: {ex.Message}", ct);
        }
    }

    private Task RetryDeliveryAsync(LicenseRequest request, string error, CancellationToken ct)
    {
        LogDeliveryFailed(request.Id, error);
        return UpdateAsync(request.Id, r =>
        {
            r.DeliveryAttempts++;
            r.NextDeliveryAt = Now + Backoff(options.Value.DeskRetryBaseDelay, options.Value.DeskRetryMaxDelay, r.DeliveryAttempts);
            r.DeliveryError = error;
        }, ct);
    }

    private async Task AskAsync(LicenseRequest request, CancellationToken ct)
    {
        var address = $"{FilingAddressOf(request.DeskUrl!)}/{request.DeskRequestId}";
        DeskDecision? decision;
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, address);
            message.Headers.Add(LicenseDeskService.SecretHeader, request.DeskSecret);
            using var response = await Client.SendAsync(message, ct);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                var detail = await DetailAsync(response, ct);
                await UpdateAsync(request.Id, r =>
                {
                    r.Delivery = DeskDelivery.Failed;
                    r.NextDeliveryAt = null;
                    r.LastDeskContactAt = Now;
                    r.DeliveryError = $"The vendor's desk no longer answers for this request: {detail}";
                }, ct);
                return;
            }

            if (!response.IsSuccessStatusCode)
            {
                await RetryAskAsync(request, $"The vendor's desk answered {(int)response.StatusCode}: {await DetailAsync(response, ct)}", ct);
                return;
            }

            decision = await response.Content.ReadFromJsonAsync<DeskDecision>(s_read, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            await RetryAskAsync(request, $"The vendor's desk at {request.DeskUrl} cannot be reached: {ex.Message}", ct);
            return;
        }

        switch (decision?.Status)
        {
            case nameof(LicenseRequestStatus.Approved) when !string.IsNullOrWhiteSpace(decision.License):
                await ReceiveLicenseAsync(request, decision, ct);
                break;
            case nameof(LicenseRequestStatus.Denied):
                await events.CommitAsync(async db =>
                {
                    var r = await db.LicenseRequests.SingleAsync(x => x.Id == request.Id, ct);
                    r.Status = LicenseRequestStatus.Denied;
                    r.DenialReason = decision.DenialReason;
                    r.ReviewedBy = s_desk.Name;
                    r.ReviewedAt = decision.DecidedAt ?? Now;
                    Settle(r, DeskDelivery.Done, null);
                    return (r, (LicenseEvent?)new LicenseEvent(LicenseDeskService.Method, LicenseEventKind.Denied, s_desk,
                        $"Request {r.Id} denied by the vendor's desk at {r.DeskUrl}: {decision.DenialReason}", r.Id, null));
                }, ct);
                break;
            case nameof(LicenseRequestStatus.Withdrawn):
                await UpdateAsync(request.Id, r =>
                {
                    r.Status = LicenseRequestStatus.Withdrawn;
                    Settle(r, DeskDelivery.Done, null);
                }, ct);
                break;
            default:
                await UpdateAsync(request.Id, r =>
                {
                    r.DeliveryAttempts++;
                    r.NextDeliveryAt = Now + Backoff(options.Value.DeskPollBaseDelay, options.Value.DeskPollMaxDelay, r.DeliveryAttempts + 1);
                    r.LastDeskContactAt = Now;
                    r.DeliveryError = null;
                }, ct);
                break;
        }
    }

    /// <summary>
    /// The desk approved: its license is kept with the request and applied when it verifies against the trusted keys and
    /// names this deployment; otherwise it is refused here (recorded), and the requester sees why.
    /// </summary>
    private async Task ReceiveLicenseAsync(LicenseRequest request, DeskDecision decision, CancellationToken ct)
    {
        var token = decision.License!.Trim();
        var verdict = await keys.Verifier.VerifyAsync(token, await deployment.GetDeploymentIdAsync(ct), time.GetUtcNow());
        await events.CommitAsync(async db =>
        {
            var r = await db.LicenseRequests.SingleAsync(x => x.Id == request.Id, ct);
            r.Status = LicenseRequestStatus.Approved;
            r.GrantedTermDays = decision.GrantedTermDays;
            r.LicenseToken = token;
            r.LicenseId = verdict.License?.LicenseId;
            r.ReviewedBy = s_desk.Name;
            r.ReviewedAt = decision.DecidedAt ?? Now;
            Settle(r, verdict.IsValid ? DeskDelivery.Done : DeskDelivery.Failed, verdict.IsValid ? null : $"The license the desk sent is not applied: {verdict.Message}");
            return (r, (LicenseEvent?)(verdict.IsValid
                ? new LicenseEvent(LicenseDeskService.Method, LicenseEventKind.Approved, s_desk,
                    $"Request {r.Id} approved by the vendor's desk at {r.DeskUrl} for {decision.GrantedTermDays} days; license {verdict.License!.LicenseId} received and verified (key {verdict.License.KeyId}).",
                    r.Id, verdict.License.LicenseId)
                : new LicenseEvent(LicenseDeskService.Method, LicenseEventKind.Refused, s_desk,
                    $"Request {r.Id} was approved by the vendor's desk at {r.DeskUrl}, but the license it sent is refused here: {verdict.Message}", r.Id, null)));
        }, ct);
        if (!verdict.IsValid)
        {
            LogLicenseRefused(request.Id, verdict.Message);
            return;
        }

        var applied = await licenses.VerifyAndApplyAsync(token, s_desk, LicenseDeskService.Method, ct);
        if (!applied.IsValid)
        {
            await UpdateAsync(request.Id, r => Settle(r, DeskDelivery.Failed, $"The license the desk sent is not applied: {applied.Message}"), ct);
        }
    }

    private Task RetryAskAsync(LicenseRequest request, string error, CancellationToken ct)
    {
        LogAskFailed(request.Id, error);
        return UpdateAsync(request.Id, r =>
        {
            r.DeliveryAttempts++;
            r.NextDeliveryAt = Now + Backoff(options.Value.DeskPollBaseDelay, options.Value.DeskPollMaxDelay, r.DeliveryAttempts);
            r.DeliveryError = error;
        }, ct);
    }

    private void Settle(LicenseRequest r, DeskDelivery delivery, string? error)
    {
        r.Delivery = delivery;
        r.NextDeliveryAt = null;
        r.LastDeskContactAt = Now;
        r.DeliveryError = error;
    }

    private async Task UpdateAsync(long id, Action<LicenseRequest> change, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var request = await db.LicenseRequests.SingleAsync(r => r.Id == id, ct);
        change(request);
        await db.SaveChangesAsync(ct);
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            using var problem = JsonDocument.Parse(text);
            if (problem.RootElement.ValueKind == JsonValueKind.Object && problem.RootElement.TryGetProperty("detail", out var detail)
                && detail.ValueKind == JsonValueKind.String && detail.GetString() is { } d)
            {
                return StorableText.Escape(d, 1000);
            }
        }
        catch (JsonException)
        {
            // Not problem details: the text itself, shortened.
        }

        // The desk's own words, kept as the request's error: escaped, so that whatever it sent can be stored and shown.
        return text.Length == 0 ? response.ReasonPhrase ?? "no answer" : StorableText.Escape(text, 301);
    }

    /// <summary>base × 2^(attempt−1), at most <paramref name="max"/>.</summary>
    internal static TimeSpan Backoff(TimeSpan baseDelay, TimeSpan max, int attempt)
    {
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(baseDelay.Ticks * factor, max.Ticks));
        return delay < max ? delay : max;
    }

    private static string FilingAddressOf(string deskUrl) => $"{deskUrl.Trim().TrimEnd('/')}{DeskEndpoints.Prefix}/requests";

    private HttpClient Client => httpClients.CreateClient(HttpClientName);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [LoggerMessage(LogLevel.Information, "License request {RequestId} delivered to the vendor's desk as {DeskId}")]
    private partial void LogDelivered(long requestId, Guid deskId);

    [LoggerMessage(LogLevel.Warning, "License request {RequestId} did not reach the vendor's desk; it is retried: {Error}")]
    private partial void LogDeliveryFailed(long requestId, string error);

    [LoggerMessage(LogLevel.Warning, "Asking the vendor's desk about license request {RequestId} failed; asked again later: {Error}")]
    private partial void LogAskFailed(long requestId, string error);

    [LoggerMessage(LogLevel.Warning, "The license the vendor's desk sent for request {RequestId} is refused: {Reason}")]
    private partial void LogLicenseRefused(long requestId, string reason);

    [LoggerMessage(LogLevel.Error, "The license desk client failed; it tries again soon")]
    private partial void LogRunFailed(Exception exception);
}
