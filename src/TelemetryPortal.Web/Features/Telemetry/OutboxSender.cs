using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Endpoints;
using TelemetryPortal.Web.Features.Consent;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// Sends what the outbox holds, oldest first, on Coder's protocol. The HTTP client retries quickly
/// on its own (resilience pipeline); a send that still fails waits in the outbox with a growing,
/// jittered delay, across restarts, and goes out again with the same idempotency key.
/// </summary>
public sealed partial class OutboxSender(
    IDbContextFactory<PortalDbContext> dbFactory,
    PayloadStore store,
    IHttpClientFactory httpClients,
    TelemetryEndpoint endpoint,
    OutboxSignal signal,
    IOptionsMonitor<TelemetryOptions> options,
    TelemetryLevelService levels,
    OutboxLevelEnforcer enforcer,
    ConsentGate gate,
    IOptions<DatabaseOptions> database,
    TimeProvider time,
    ILogger<OutboxSender> logger) : BackgroundService
{
    public const string HttpClientName = "telemetry";

    // Captures wake the sender at once; this only bounds how long it sleeps with nothing due.
    private static readonly TimeSpan s_maxIdle = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await ReleaseLeftLeasesAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                wait = await SendDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogLoopFailed(ex);
                wait = TimeSpan.FromSeconds(5);
            }

            await signal.WaitAsync(wait, time, stoppingToken);
        }
    }

    /// <summary>
    /// Sends every payload that is due, one claimed at a time (so instances on one database share the queue and none
    /// sends what another holds); returns how long until the next one falls due.
    /// </summary>
    public async Task<TimeSpan> SendDueAsync(CancellationToken ct)
    {
        while (await ClaimNextAsync(ct) is { } lease)
        {
            await SendClaimedAsync(lease, ct);
        }

        return await UntilNextDueAsync(ct);
    }

    /// <summary>
    /// Claims the payload due first that no instance holds: a lease of <see cref="DatabaseOptions.SendLease"/> in one
    /// statement, which on PostgreSQL skips rows another instance is claiming at the same moment (<c>FOR UPDATE SKIP
    /// LOCKED</c>), and on SQLite runs under the file's write lock. A lease that ended (its instance died) is taken over.
    /// </summary>
    private async Task<OutboxLease?> ClaimNextAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var until = now + database.Value.SendLease;
        var me = database.Value.InstanceName;
        string pending = nameof(PayloadStatus.Pending), retrying = nameof(PayloadStatus.Retrying);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // One statement for both providers; only PostgreSQL needs (and has) the row lock that lets instances skip each
        // other's claims. The clause is a constant of the format, never a parameter; the values stay parameters.
        var claim = FormattableStringFactory.Create(
            """
            UPDATE payloads SET "LeaseOwner" = {0}, "LeaseExpiresAt" = {1}
            WHERE "Id" = (
                SELECT "Id" FROM payloads
                WHERE "Status" IN ({2}, {3}) AND "NextAttemptAt" <= {4}
                  AND ("LeaseExpiresAt" IS NULL OR "LeaseExpiresAt" <= {4})
                ORDER BY "NextAttemptAt", "Id"
                LIMIT 1
            """ + (db.Provider == DatabaseProvider.Postgres ? "\n    FOR UPDATE SKIP LOCKED)" : ")") + """

            RETURNING "Id" AS "Value"
            """,
            me, until, pending, retrying, now);
        var claimed = await db.Database.SqlQuery<long>(claim).ToListAsync(ct);
        return claimed is [var id] ? new OutboxLease(id, me, until) : null;
    }

    private async Task SendClaimedAsync(OutboxLease lease, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The level in force is read at the moment of sending, and cannot change until the send is answered:
        // a payload captured above it is redacted again (or suppressed at 0) instead of leaving as it is.
        using (await gate.EnterToSendAsync(ct))
        {
            // A level change may have superseded or suppressed it since it was claimed.
            var payload = await db.Payloads.SingleOrDefaultAsync(p => p.Id == lease.PayloadId, ct);
            if (payload is null || payload.Status is not (PayloadStatus.Pending or PayloadStatus.Retrying) || payload.LeaseOwner != lease.Owner)
            {
                return;
            }

            var level = (await levels.ResolveAsync(ct)).Effective;
            TelemetryPayload? toSend;
            try
            {
                toSend = await enforcer.EnforceAsync(db, payload, level, ct, lease);
            }
            catch (InvalidDataException ex)
            {
                payload.Status = PayloadStatus.Rejected;
                payload.NextAttemptAt = null;
                payload.LeaseOwner = null;
                payload.LeaseExpiresAt = null;
                payload.CompletedAt = time.GetUtcNow().UtcDateTime;
                payload.LastError = ex.Message;
                await db.SaveChangesAsync(CancellationToken.None);
                return;
            }

            if (toSend is not null)
            {
                await using var renewal = RenewWhileSending(toSend.Id, lease.Owner);
                await SendAsync(db, toSend, ct);
            }
        }
    }

    /// <summary>How long until a payload falls due or a lease another instance holds ends; at most the idle bound.</summary>
    private async Task<TimeSpan> UntilNextDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var waiting = db.Payloads.Where(p => p.Status == PayloadStatus.Pending || p.Status == PayloadStatus.Retrying);
        var nextFree = await waiting.Where(p => p.LeaseExpiresAt == null || p.LeaseExpiresAt <= now).MinAsync(p => p.NextAttemptAt, ct);
        var nextLeaseEnd = await waiting.Where(p => p.LeaseExpiresAt > now).MinAsync(p => p.LeaseExpiresAt, ct);
        // On PostgreSQL other instances capture too, and nothing here hears of it: look again every poll interval.
        var idle = db.Provider == DatabaseProvider.Postgres ? database.Value.PollInterval : s_maxIdle;
        var next = (nextFree, nextLeaseEnd) switch
        {
            ({ } a, { } b) => a < b ? a : b,
            ({ } a, null) => a,
            (null, { } b) => b,
            _ => (DateTime?)null,
        };
        return next is not { } at ? idle
            // Due, yet another instance was claiming it at that moment: look again shortly.
            : at <= now ? TimeSpan.FromMilliseconds(100)
            : TimeSpan.FromTicks(Math.Min((at - now).Ticks, idle.Ticks));
    }

    /// <summary>
    /// At start: on SQLite this process alone sends from the file, so any lease is one left by a process that ended;
    /// on PostgreSQL only leases under this instance's own name (a restart with a fixed <see cref="DatabaseOptions.InstanceName"/>).
    /// </summary>
    private async Task ReleaseLeftLeasesAsync(CancellationToken ct)
    {
        var me = database.Value.InstanceName;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var leased = db.Payloads.Where(p => p.LeaseOwner != null);
        if (db.Provider == DatabaseProvider.Postgres)
        {
            leased = leased.Where(p => p.LeaseOwner == me);
        }

        await leased.ExecuteUpdateAsync(s => s.SetProperty(p => p.LeaseOwner, (string?)null).SetProperty(p => p.LeaseExpiresAt, (DateTime?)null), ct);
    }

    /// <summary>Renews the lease on <paramref name="payloadId"/> every third of <see cref="DatabaseOptions.SendLease"/> until disposed.</summary>
    private LeaseRenewal RenewWhileSending(long payloadId, string owner)
    {
        var every = database.Value.SendLease / 3;
        var renewal = new LeaseRenewal();
        renewal.Loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(every, time);
            try
            {
                while (await timer.WaitForNextTickAsync(renewal.Stopping.Token))
                {
                    var until = time.GetUtcNow().UtcDateTime + database.Value.SendLease;
                    await using var db = await dbFactory.CreateDbContextAsync(renewal.Stopping.Token);
                    await db.Payloads.Where(p => p.Id == payloadId && p.LeaseOwner == owner)
                        .ExecuteUpdateAsync(s => s.SetProperty(p => p.LeaseExpiresAt, until), renewal.Stopping.Token);
                }
            }
            catch (OperationCanceledException) when (renewal.Stopping.IsCancellationRequested)
            {
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException)
            {
                LogLeaseRenewalFailed(payloadId, ex);
            }
        });
        return renewal;
    }

    private sealed class LeaseRenewal : IAsyncDisposable
    {
        public CancellationTokenSource Stopping { get; } = new();

        public Task Loop { get; set; } = Task.CompletedTask;

        public async ValueTask DisposeAsync()
        {
            await Stopping.CancelAsync();
            await Loop;
            Stopping.Dispose();
        }
    }

    private async Task SendAsync(PortalDbContext db, TelemetryPayload payload, CancellationToken ct)
    {
        var leasedTo = payload.LeaseOwner;
        var settings = options.CurrentValue;
        var started = time.GetTimestamp();
        var attempts = AttemptCountingHandler.Begin();
        int? httpStatus = null;
        string? error;
        var outcome = PayloadStatus.Retrying;
        UploadContent? content = null;
        try
        {
            var url = endpoint.UrlFor(payload.Kind);
            payload.Endpoint = url.AbsoluteUri;
            var bytes = await store.OpenAsync(db, payload.Sha256, ct)
                ?? throw new InvalidDataException($"The content {payload.Sha256} of payload {payload.Id} is missing.");
            content = new UploadContent(bytes);
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("X-Coder-Version", payload.CoderVersion);
            request.Headers.Add("Idempotency-Key", payload.IdempotencyKey.ToString());

            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, ct);
            httpStatus = (int)response.StatusCode;
            error = response.IsSuccessStatusCode ? null : $"HTTP {httpStatus} {response.ReasonPhrase}".TrimEnd();
            outcome = response.IsSuccessStatusCode ? PayloadStatus.Sent
                : IsPermanent(response.StatusCode) ? PayloadStatus.Rejected
                : PayloadStatus.Retrying;
        }
        catch (Exception ex) when (Innermost(ex) is InvalidDataException damaged)
        {
            // The stored payload itself is broken (found while it was being read onto the wire): trying again cannot help.
            error = damaged.Message;
            outcome = PayloadStatus.Rejected;
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or InvalidOperationException
                                   || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            error = ex is TimeoutRejectedException ? $"No answer within {settings.RequestTimeout}." : ex.Message;
            if (content is { BodyStarted: true } && ex is HttpRequestException)
            {
                // A receiver that will not take a body this large often closes the connection instead of answering 413.
                // Once is a network fault. Closed on every send in a row, while smaller payloads went through, it is a
                // refusal, and trying forever helps nobody.
                var cutsInARow = CutsInARow(payload.LastError) + 1;
                error = $"{CutOffPrefix} ({cutsInARow} in a row) after {content.MostWritten} of {content.Length} bytes ({Innermost(ex).Message})";
                if (cutsInARow >= MaxCutOffSends && await SmallerOnesWentThroughAsync(db, payload, ct))
                {
                    outcome = PayloadStatus.Rejected;
                    error = $"Refused for its size, most likely: the endpoint closed the connection during the {content.Length}-byte body " +
                        $"on {cutsInARow} sends in a row, without answering, while smaller payloads were delivered. Raise the receiver's body limit, " +
                        $"or lower what is captured. Last: {error}";
                }
            }
        }

        var now = time.GetUtcNow().UtcDateTime;
        var elapsed = (long)time.GetElapsedTime(started).TotalMilliseconds;
        payload.Attempts += attempts.Value;
        payload.HttpStatus = httpStatus ?? payload.HttpStatus;
        payload.LastAttemptAt = now;
        payload.LastDurationMs = elapsed;
        payload.TotalDurationMs += elapsed;
        payload.LastError = error?[..Math.Min(error.Length, 1024)];
        payload.Status = outcome;
        payload.LeaseOwner = null;
        payload.LeaseExpiresAt = null;
        if (outcome == PayloadStatus.Retrying)
        {
            payload.FailedSends++;
            payload.NextAttemptAt = now + Backoff(payload.FailedSends, settings);
            LogRetrying(PayloadKinds.Name(payload.Kind), payload.Id, error, payload.NextAttemptAt.Value);
        }
        else
        {
            payload.FailedSends = outcome == PayloadStatus.Sent ? 0 : payload.FailedSends;
            payload.NextAttemptAt = null;
            payload.CompletedAt = now;
            LogCompleted(PayloadKinds.Name(payload.Kind), payload.Id, outcome, httpStatus);
        }

        // A lease that could not be renewed may have ended, and another instance taken the payload over: its record
        // stands (the receiver saw the same Idempotency-Key twice), and this one is not written over it.
        if (leasedTo is not null
            && !await db.Payloads.AsNoTracking().AnyAsync(p => p.Id == payload.Id && p.LeaseOwner == leasedTo, CancellationToken.None))
        {
            LogLeaseLost(payload.Id, outcome);
            db.ChangeTracker.Clear();
            return;
        }

        // Record what happened even when shutting down, so a delivered payload is not sent again.
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>
    /// Puts a <see cref="PayloadStatus.Rejected"/> payload back in the queue at once, with the same idempotency key, at the
    /// request of <paramref name="requestedBy"/>: a refusal may have been a fault that has since gone (a receiver's limit
    /// raised, a proxy that reset connections at random). The level in force still applies when it is sent: a payload
    /// captured above it is redacted again or kept back, as every queued payload is.
    /// </summary>
    /// <exception cref="PortalProblemException">There is no such payload (404), or it was not rejected (409).</exception>
    public async Task<PayloadRecord> SendAgainAsync(long id, string requestedBy, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var payload = await db.Payloads.SingleOrDefaultAsync(p => p.Id == id, ct)
            ?? throw PortalProblemException.NotFound(HistoryService.NotInLog(id));
        if (payload.Status != PayloadStatus.Rejected)
        {
            throw PortalProblemException.Conflict(
                "Only a rejected payload is sent again",
                $"Payload {id} is {payload.Status}: {(payload.Status is PayloadStatus.Pending or PayloadStatus.Retrying ? "it is in the queue already" : "there is nothing to send again")}.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var note = $"Sent again at the request of {requestedBy}; it had been refused: {payload.LastError}";
        payload.Status = PayloadStatus.Pending;
        payload.NextAttemptAt = now;
        payload.CompletedAt = null;
        payload.FailedSends = 0;
        payload.LastError = note[..Math.Min(note.Length, 1024)];
        await db.SaveChangesAsync(ct);
        LogSentAgain(PayloadKinds.Name(payload.Kind), payload.Id, requestedBy);
        signal.Notify();
        return PayloadRecord.From(payload);
    }

    /// <summary>How a send whose connection closed during the body starts its error.</summary>
    internal const string CutOffPrefix = "The connection closed while sending the body";

    /// <summary>Consecutive sends closed during the body after which the payload is taken as refused (Rejected), when smaller ones got through.</summary>
    internal const int MaxCutOffSends = 3;

    /// <summary>How many sends in a row ended with the connection closed during the body, as the last error says (0 when it was something else).</summary>
    internal static int CutsInARow(string? lastError) =>
        lastError is not null && CutOffCount().Match(lastError) is { Success: true } match
            ? int.Parse(match.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture)
            : 0;

    /// <summary>Whether a payload smaller than <paramref name="payload"/> was delivered since it was captured.</summary>
    private static Task<bool> SmallerOnesWentThroughAsync(PortalDbContext db, TelemetryPayload payload, CancellationToken ct) =>
        db.Payloads.AnyAsync(p => p.Status == PayloadStatus.Sent && p.SizeBytes < payload.SizeBytes && p.CompletedAt >= payload.CapturedAt, ct);

    private static Exception Innermost(Exception ex) => ex.InnerException is { } inner ? Innermost(inner) : ex;

    [System.Text.RegularExpressions.GeneratedRegex(@"^The connection closed while sending the body \((\d{1,3}) in a row\)")]
    private static partial System.Text.RegularExpressions.Regex CutOffCount();

    /// <summary>4xx means the receiver will never take it, except timeouts and rate limits.</summary>
    private static bool IsPermanent(HttpStatusCode status) =>
        (int)status is >= 400 and < 500 && status is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);

    /// <summary>Exponential from the base delay, capped, with "equal jitter": between half and all of it.</summary>
    internal static TimeSpan Backoff(int failures, TelemetryOptions settings)
    {
        var exponential = settings.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 30));
        var capped = Math.Min(exponential, settings.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped / 2 + (Random.Shared.NextDouble() * capped / 2));
    }

    [LoggerMessage(LogLevel.Information, "{Kind} payload {PayloadId} rejected earlier is queued again at the request of {RequestedBy}")]
    private partial void LogSentAgain(string kind, long payloadId, string requestedBy);

    [LoggerMessage(LogLevel.Warning, "Payload {PayloadId}: this instance's lease ended while it was sending and another instance took it over; this send's outcome ({Outcome}) is not recorded over the other's")]
    private partial void LogLeaseLost(long payloadId, PayloadStatus outcome);

    [LoggerMessage(LogLevel.Warning, "Renewing the lease on payload {PayloadId} failed; another instance may take it over when it ends")]
    private partial void LogLeaseRenewalFailed(long payloadId, Exception exception);

    [LoggerMessage(LogLevel.Error, "The telemetry sender failed; it tries again shortly")]
    private partial void LogLoopFailed(Exception exception);

    [LoggerMessage(LogLevel.Warning, "Sending {Kind} payload {PayloadId} failed ({Error}); next try at {NextAttemptAt:u}")]
    private partial void LogRetrying(string kind, long payloadId, string? error, DateTime nextAttemptAt);

    [LoggerMessage(LogLevel.Information, "{Kind} payload {PayloadId}: {Status} (HTTP {HttpStatus})")]
    private partial void LogCompleted(string kind, long payloadId, PayloadStatus status, int? httpStatus);
}

/// <summary>An instance's hold on a payload it is sending: no other instance takes it until <paramref name="Until"/>.</summary>
public sealed record OutboxLease(long PayloadId, string Owner, DateTime Until);
