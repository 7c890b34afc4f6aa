using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Data;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>The payload a preview starts from: what the source would report now, or what Coder last reported.</summary>
/// <param name="ReceivedAt">When Coder's payload arrived (proxy mode); <see langword="null"/> for the simulated installation, captured just now.</param>
public sealed record PreviewSource(PayloadKind Kind, byte[] Captured, TelemetrySource Origin, string CoderVersion, DateTime? ReceivedAt);

/// <summary>The exact bytes that would leave at one level (none at level 0), and what the redactor did.</summary>
public sealed record LevelPreview(TelemetryLevel Level, byte[] Bytes, RedactionResult Result);

/// <summary>
/// Builds the next payloads exactly as they would leave: the same source, the same redactor, the
/// same bytes as the sender uses.
/// </summary>
public sealed class PreviewService(
    SimulatedTelemetrySource simulated,
    IDbContextFactory<PortalDbContext> dbFactory,
    PayloadStore store,
    Redactor redactor,
    IOptionsMonitor<TelemetryOptions> options) : IDisposable
{
    /// <summary>Redacted previews by (content, kind, level): a view of the same payload does not redo the work.</summary>
    private readonly MemoryCache _previews = new(new MemoryCacheOptions { SizeLimit = 256L * 1024 * 1024 });

    public void Dispose() => _previews.Dispose();

    /// <summary>The payload to preview, or <see langword="null"/> in proxy mode before Coder reported anything of this kind.</summary>
    public async Task<PreviewSource?> GetSourceAsync(PayloadKind kind, CancellationToken ct = default)
    {
        if (options.CurrentValue.Source == TelemetrySource.Simulated)
        {
            return new PreviewSource(kind, await simulated.CaptureAsync(kind, ct), TelemetrySource.Simulated, simulated.CoderVersion, null);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var name = PayloadKinds.Name(kind);
        var last = await db.IngestedPayloads.AsNoTracking().SingleOrDefaultAsync(i => i.Kind == name, ct);
        if (last is null)
        {
            return null;
        }

        var bytes = await store.GetAsync(db, last.Sha256, ct)
            ?? throw new InvalidDataException($"The last {name} received from Coder is missing from the database.");
        return new PreviewSource(kind, bytes, TelemetrySource.CoderProxy, last.CoderVersion ?? "unknown", last.ReceivedAt);
    }

    /// <summary>The payload at <paramref name="level"/>, from <paramref name="source"/>; the same bytes and level are redacted once.</summary>
    public LevelPreview Apply(PreviewSource source, TelemetryLevel level)
    {
        ArgumentNullException.ThrowIfNull(source);
        var key = (PayloadStore.Hash(source.Captured), source.Kind, level);
        if (_previews.TryGetValue(key, out LevelPreview? cached) && cached is not null)
        {
            return cached;
        }

        var redacted = redactor.RedactToArray(source.Captured, source.Kind, level);
        var preview = new LevelPreview(level, redacted.Bytes.ToArray(), redacted.Result);
        _previews.Set(key, preview, new MemoryCacheEntryOptions
        {
            Size = Math.Max(1, preview.Bytes.Length),
            SlidingExpiration = TimeSpan.FromMinutes(10),
        });
        return preview;
    }
}
