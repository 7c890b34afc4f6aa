using Microsoft.EntityFrameworkCore;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Data;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>How sending is going, for the dashboard.</summary>
/// <param name="Waiting">Payloads captured but not yet delivered (pending or retrying).</param>
/// <param name="Failing">Payloads whose last send failed and that wait for another try.</param>
public sealed record SendingStatus(
    DateTime? LastSentAt, string? LastSentKind, DateTimeOffset? NextReportAt, string Endpoint, bool BuiltInCollector,
    int Waiting, int Failing, string? LastError, DateTime? LastErrorAt, int SentLast30Days, long BytesSentLast30Days, int SuppressedLast30Days);

public sealed class SendingStatusService(
    IDbContextFactory<PortalDbContext> dbFactory, TelemetryScheduler scheduler, TelemetryEndpoint endpoint, TimeProvider time)
{
    public async Task<SendingStatus> GetAsync(CancellationToken ct = default)
    {
        var since = time.GetUtcNow().UtcDateTime.AddDays(-30);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lastSent = await db.Payloads.Where(p => p.Status == PayloadStatus.Sent)
            .OrderByDescending(p => p.CompletedAt).Select(p => new { p.CompletedAt, p.Kind }).FirstOrDefaultAsync(ct);
        var waiting = await db.Payloads.CountAsync(p => p.Status == PayloadStatus.Pending || p.Status == PayloadStatus.Retrying, ct);
        var failing = await db.Payloads.CountAsync(p => p.Status == PayloadStatus.Retrying, ct);
        var lastError = await db.Payloads.Where(p => p.LastError != null)
            .OrderByDescending(p => p.LastAttemptAt).Select(p => new { p.LastError, p.LastAttemptAt }).FirstOrDefaultAsync(ct);
        var sent = await db.Payloads.Where(p => p.Status == PayloadStatus.Sent && p.CompletedAt >= since)
            .GroupBy(_ => 1).Select(g => new { Count = g.Count(), Bytes = g.Sum(p => p.SizeBytes) }).FirstOrDefaultAsync(ct);
        var suppressed = await db.Payloads.CountAsync(p => p.Status == PayloadStatus.Suppressed && p.CapturedAt >= since, ct);

        string url;
        try
        {
            url = endpoint.BaseUri().AbsoluteUri;
        }
        catch (InvalidOperationException ex)
        {
            url = ex.Message;
        }

        return new SendingStatus(
            lastSent?.CompletedAt, lastSent is null ? null : PayloadKinds.Name(lastSent.Kind), scheduler.NextReportAt, url, endpoint.IsBuiltInCollector,
            waiting, failing, lastError?.LastError, lastError?.LastAttemptAt, sent?.Count ?? 0, sent?.Bytes ?? 0, suppressed);
    }
}
