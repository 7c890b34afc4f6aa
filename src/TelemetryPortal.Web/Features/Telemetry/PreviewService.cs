using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Endpoints;
using TelemetryPortal.Web.Features.Consent;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>The payload a preview starts from: what the source would report now, or what Coder last reported.</summary>
/// <param name="ReceivedAt">When Coder's payload arrived (proxy mode); <see langword="null"/> for the simulated installation, captured just now.</param>
public sealed record PreviewSource(PayloadKind Kind, IByteSource Captured, TelemetrySource Origin, string CoderVersion, DateTime? ReceivedAt);

/// <summary>The exact bytes that would leave at one level (none at level 0), and what the redactor did.</summary>
public sealed record LevelPreview(TelemetryLevel Level, IByteSource Content, RedactionResult Result);

/// <summary>A preview of one kind at one level, and what it was built from.</summary>
public sealed record KindPreview(PreviewSource Source, LevelPreview Preview);

/// <summary>
/// Builds the next payloads exactly as they would leave: the same source, the same redactor, the
/// same bytes as the sender uses.
/// </summary>
public sealed class PreviewService(
    SimulatedTelemetrySource simulated,
    IDbContextFactory<PortalDbContext> dbFactory,
    PayloadStore store,
    Redactor redactor,
    TelemetryLevelService levels,
    IMemoryCache cache,
    IOptionsMonitor<TelemetryOptions> options)
{
    /// <summary>How long a redacted preview is kept after it was last viewed.</summary>
    private static readonly TimeSpan s_keptFor = TimeSpan.FromMinutes(10);

    /// <summary>The payload to preview, or <see langword="null"/> in proxy mode before Coder reported anything of this kind.</summary>
    public async Task<PreviewSource?> GetSourceAsync(PayloadKind kind, CancellationToken ct = default)
    {
        if (options.CurrentValue.Source == TelemetrySource.Simulated)
        {
            return new PreviewSource(kind, new MemoryByteSource(await simulated.CaptureAsync(kind, ct)), TelemetrySource.Simulated, simulated.CoderVersion, null);
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
        return new PreviewSource(kind, new MemoryByteSource(bytes), TelemetrySource.CoderProxy, last.CoderVersion ?? "unknown", last.ReceivedAt);
    }

    /// <summary>
    /// The preview of a kind at a level as the API's query text names them: <c>kind</c> (snapshot by default) and
    /// <c>level</c> (by default the level in force).
    /// </summary>
    /// <exception cref="PortalProblemException">
    /// A value is not a kind or a level (400), or in proxy mode Coder has not reported this kind yet (404).
    /// </exception>
    public async Task<KindPreview> PreviewAsync(string? kind, string? level, CancellationToken ct = default)
    {
        var payloadKind = QueryText.Kind("kind", kind) ?? PayloadKind.Snapshot;
        var target = QueryText.Level("level", level) ?? (await levels.ResolveAsync(ct)).Effective;
        var source = await GetSourceAsync(payloadKind, ct)
            ?? throw PortalProblemException.NotFound(
                $"Coder has not reported a {PayloadKinds.Name(payloadKind)} through the proxy yet.", "Nothing to preview yet");
        return new KindPreview(source, Apply(source, target));
    }

    /// <summary>
    /// The payload at <paramref name="level"/>, from <paramref name="source"/>; the same bytes and level are redacted once
    /// (kept in the shared memory cache, sized by their bytes, for ten minutes after they were last viewed).
    /// </summary>
    public LevelPreview Apply(PreviewSource source, TelemetryLevel level)
    {
        ArgumentNullException.ThrowIfNull(source);
        var captured = ((MemoryByteSource)source.Captured).Bytes;
        var key = new PreviewKey(PayloadStore.Hash(captured.Span), source.Kind, level);
        if (cache.TryGetValue(key, out LevelPreview? cached) && cached is not null)
        {
            return cached;
        }

        var redacted = redactor.RedactToArray(captured.Span, source.Kind, level);
        var preview = new LevelPreview(level, new MemoryByteSource(redacted.Bytes), redacted.Result);
        cache.Set(key, preview, new MemoryCacheEntryOptions
        {
            Size = Math.Max(1, preview.Content.Length),
            SlidingExpiration = s_keptFor,
        });
        return preview;
    }

    /// <summary>A preview's key in the shared cache: the captured content, its kind and the level.</summary>
    private sealed record PreviewKey(string Sha256, PayloadKind Kind, TelemetryLevel Level);
}
