using System.Buffers;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Configuration;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Endpoints;
using TelemetryPortal.Web.Features.Consent;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>The payload a preview starts from: what the source would report now, or what Coder last reported.</summary>
/// <param name="ReceivedAt">When Coder's payload arrived (proxy mode); <see langword="null"/> for the simulated installation.</param>
/// <param name="CapturedAt">When the simulated installation's payload was captured for the preview; <see langword="null"/> in proxy mode.</param>
public sealed record PreviewSource(PayloadKind Kind, IByteSource Captured, TelemetrySource Origin, string CoderVersion, DateTime? ReceivedAt, DateTime? CapturedAt = null);

/// <summary>The exact bytes that would leave at one level (none at level 0), and what the redactor did.</summary>
public sealed record LevelPreview(TelemetryLevel Level, IByteSource Content, RedactionResult Result);

/// <summary>A preview of one kind at one level, and what it was built from.</summary>
public sealed record KindPreview(PreviewSource Source, LevelPreview Preview);

/// <summary>
/// Builds the next payloads exactly as they would leave: the same source, the same redactor, the same bytes as the
/// sender uses. A preview is computed once per captured payload, for every level in one pass, and kept on disk
/// (<c>previews/</c> in the data folder) while it is current: a 400 MB snapshot is redacted once, not on every view,
/// and never held in memory. The simulated installation's payload is captured again when the kept one is older than
/// <see cref="SimulatedKeptFor"/> (or on <see cref="RefreshAsync"/>); Coder's, when Coder reports again.
/// </summary>
public sealed partial class PreviewService : IDisposable
{
    /// <summary>How long a simulated capture is previewed before the next view captures again.</summary>
    public static readonly TimeSpan SimulatedKeptFor = TimeSpan.FromMinutes(5);

    /// <summary>How many computed previews are kept (each kind, in each mode, plus one spare).</summary>
    private const int KeptSets = 4;

    private const int ReadChunkBytes = 256 * 1024;

    private readonly SimulatedTelemetrySource _simulated;
    private readonly IDbContextFactory<PortalDbContext> _dbFactory;
    private readonly PayloadStore _store;
    private readonly Redactor _redactor;
    private readonly TelemetryLevelService _levels;
    private readonly IOptionsMonitor<TelemetryOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PreviewService> _logger;
    private readonly string _directory;

    // Previews are heavy to compute (a whole payload read three times over): one at a time, and a second viewer waits
    // for the first one's result instead of computing it again.
    private readonly SemaphoreSlim _computing = new(1, 1);
    private readonly List<PreviewSet> _sets = [];
    private readonly Dictionary<PayloadKind, PreviewSource> _simulatedSources = [];

    public PreviewService(
        SimulatedTelemetrySource simulated,
        IDbContextFactory<PortalDbContext> dbFactory,
        PayloadStore store,
        Redactor redactor,
        TelemetryLevelService levels,
        IOptions<PortalOptions> portal,
        IOptionsMonitor<TelemetryOptions> options,
        TimeProvider time,
        ILogger<PreviewService> logger)
    {
        ArgumentNullException.ThrowIfNull(portal);
        (_simulated, _dbFactory, _store, _redactor, _levels, _options, _time, _logger) = (simulated, dbFactory, store, redactor, levels, options, time, logger);
        _directory = Path.Combine(portal.Value.DataDirectoryFullPath, "previews");
        // Previews of an earlier run are out of date, and hold payloads as captured: they go.
        if (Directory.Exists(_directory))
        {
            foreach (var stale in Directory.EnumerateFiles(_directory, "*.json"))
            {
                File.Delete(stale);
            }
        }
    }

    /// <summary>The payload to preview, or <see langword="null"/> in proxy mode before Coder reported anything of this kind.</summary>
    public async Task<PreviewSource?> GetSourceAsync(PayloadKind kind, CancellationToken ct = default)
    {
        if (_options.CurrentValue.Source == TelemetrySource.Simulated)
        {
            return await SimulatedSourceAsync(kind, refresh: false, ct);
        }

        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var name = PayloadKinds.Name(kind);
        var last = await db.IngestedPayloads.AsNoTracking().SingleOrDefaultAsync(i => i.Kind == name, ct);
        if (last is null)
        {
            return null;
        }

        var content = await _store.OpenAsync(db, last.Sha256, ct)
            ?? throw new InvalidDataException($"The last {name} received from Coder is missing from the database.");
        return new PreviewSource(kind, content, TelemetrySource.CoderProxy, last.CoderVersion ?? "unknown", last.ReceivedAt);
    }

    /// <summary>Captures the simulated installation's payload again for the preview (proxy mode: the same as <see cref="GetSourceAsync"/>).</summary>
    public async Task<PreviewSource?> RefreshAsync(PayloadKind kind, CancellationToken ct = default) =>
        _options.CurrentValue.Source == TelemetrySource.Simulated
            ? await SimulatedSourceAsync(kind, refresh: true, ct)
            : await GetSourceAsync(kind, ct);

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
        var target = QueryText.Level("level", level) ?? (await _levels.ResolveAsync(ct)).Effective;
        var source = await GetSourceAsync(payloadKind, ct)
            ?? throw PortalProblemException.NotFound(
                $"Coder has not reported a {PayloadKinds.Name(payloadKind)} through the proxy yet.", "Nothing to preview yet");
        return new KindPreview(source, await ApplyAsync(source, target, ct));
    }

    /// <summary>
    /// The payload at <paramref name="level"/>, from <paramref name="source"/>. The same bytes are redacted once, for
    /// every level together, and kept while they are among the last few previewed.
    /// </summary>
    /// <exception cref="RedactionException">The payload is malformed, too deep or too large.</exception>
    public async Task<LevelPreview> ApplyAsync(PreviewSource source, TelemetryLevel level, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        await _computing.WaitAsync(ct);
        try
        {
            var set = Find(source.Kind, source.Captured.Id);
            if (set is null)
            {
                await using var input = await source.Captured.OpenReadAsync(0, ct);
                set = Keep(await ComputeAsync(source.Kind, input, source.Captured, ct));
            }

            return set.Levels[level];
        }
        finally
        {
            _computing.Release();
        }
    }

    /// <summary>
    /// The kept preview of the capture <paramref name="of"/> (its SHA-256) at a level, as the API's query text names them;
    /// at level 0, the capture itself.
    /// </summary>
    /// <exception cref="PortalProblemException">A value is not a kind or a level (400), or that capture's preview is no longer kept (410).</exception>
    public async Task<(LevelPreview Preview, IByteSource Bytes)> KeptAsync(string? kind, string? level, string of, CancellationToken ct = default)
    {
        var payloadKind = QueryText.Kind("kind", kind) ?? PayloadKind.Snapshot;
        var target = QueryText.Level("level", level) ?? (await _levels.ResolveAsync(ct)).Effective;
        await _computing.WaitAsync(ct);
        try
        {
            var set = Find(payloadKind, of) ?? throw new PortalProblemException(
                ProblemKind.Gone,
                "Preview no longer kept",
                $"The preview of capture {of} is no longer kept (a newer capture replaced it); reload the preview and download again.");
            var preview = set.Levels[target];
            return (preview, target == TelemetryLevel.Off ? set.Levels[TelemetryLevel.Full].Content : preview.Content);
        }
        finally
        {
            _computing.Release();
        }
    }

    public void Dispose()
    {
        _computing.Dispose();
        foreach (var set in _sets)
        {
            set.Delete();
        }
    }

    private async Task<PreviewSource> SimulatedSourceAsync(PayloadKind kind, bool refresh, CancellationToken ct)
    {
        await _computing.WaitAsync(ct);
        try
        {
            var now = _time.GetUtcNow().UtcDateTime;
            if (!refresh && _simulatedSources.TryGetValue(kind, out var kept) && now - kept.CapturedAt < SimulatedKeptFor
                && Find(kind, kept.Captured.Id) is not null)
            {
                return kept;
            }

            // Captured as the scheduler captures it (streamed from the simulation), and previewed at every level in the
            // same pass: the bytes at level 2 are the capture itself.
            await using var input = await _simulated.OpenAsync(kind, ct);
            var set = Keep(await ComputeAsync(kind, input, captured: null, ct));
            var source = new PreviewSource(kind, set.Levels[TelemetryLevel.Full].Content, TelemetrySource.Simulated, _simulated.CoderVersion, null, now);
            _simulatedSources[kind] = source;
            return source;
        }
        finally
        {
            _computing.Release();
        }
    }

    /// <summary>
    /// Reads <paramref name="input"/> once: level 1 is the one redaction (it also checks the payload whole, as every level
    /// does); level 2 is the bytes as they are (<paramref name="captured"/> when they are stored already, else written to
    /// a file as they pass); level 0 sends nothing.
    /// </summary>
    private async Task<PreviewSet> ComputeAsync(PayloadKind kind, Stream input, IByteSource? captured, CancellationToken ct)
    {
        Directory.CreateDirectory(_directory);
        var started = _time.GetTimestamp();
        await using var full = captured is null ? new PreviewFile(_directory) : null;
        await using var lightweight = new PreviewFile(_directory);
        using var atLightweight = _redactor.Begin(kind, TelemetryLevel.Lightweight, lightweight);
        var buffer = ArrayPool<byte>.Shared.Rent(ReadChunkBytes);
        try
        {
            int read;
            while ((read = await input.ReadAsync(buffer.AsMemory(0, ReadChunkBytes), ct)) > 0)
            {
                atLightweight.Write(buffer.AsSpan(0, read));
                full?.Write(buffer.AsSpan(0, read));
                await lightweight.FlushAsync(ct);
                if (full is not null)
                {
                    await full.FlushAsync(ct);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var lightweightResult = atLightweight.Finish();
        var fullContent = captured ?? await full!.CompleteAsync(ct);
        var length = lightweightResult.InputBytes;
        var set = new PreviewSet(kind, fullContent.Id, new Dictionary<TelemetryLevel, LevelPreview>
        {
            [TelemetryLevel.Full] = new(TelemetryLevel.Full, fullContent, new RedactionResult { Kind = kind, Level = TelemetryLevel.Full, InputBytes = length, OutputBytes = length }),
            [TelemetryLevel.Lightweight] = new(TelemetryLevel.Lightweight, await lightweight.CompleteAsync(ct), lightweightResult),
            [TelemetryLevel.Off] = new(TelemetryLevel.Off, MemoryByteSource.Empty, new RedactionResult { Kind = kind, Level = TelemetryLevel.Off, InputBytes = length, OutputBytes = 0 }),
        });
        LogComputed(PayloadKinds.Name(kind), fullContent.Length, (long)_time.GetElapsedTime(started).TotalMilliseconds);
        return set;
    }

    private PreviewSet? Find(PayloadKind kind, string capturedId) =>
        _sets.FirstOrDefault(s => s.Kind == kind && s.CapturedId == capturedId);

    /// <summary>
    /// Keeps <paramref name="set"/>, or the one already kept for the same bytes (a capture that came out the same): the
    /// new one's files go, and pages showing the kept one keep reading it. Returns the set kept.
    /// </summary>
    private PreviewSet Keep(PreviewSet set)
    {
        if (Find(set.Kind, set.CapturedId) is { } kept)
        {
            set.Delete();
            return kept;
        }

        _sets.Insert(0, set);
        while (_sets.Count > KeptSets)
        {
            _sets[^1].Delete();
            _sets.RemoveAt(_sets.Count - 1);
        }

        return set;
    }

    [LoggerMessage(LogLevel.Information, "Previewed a {Kind} of {Bytes} bytes at every level in {ElapsedMs} ms")]
    private partial void LogComputed(string kind, long bytes, long elapsedMs);

    /// <summary>One captured payload at every level.</summary>
    private sealed record PreviewSet(PayloadKind Kind, string CapturedId, IReadOnlyDictionary<TelemetryLevel, LevelPreview> Levels)
    {
        /// <summary>Removes the files behind it (readers that still hold one open keep reading it).</summary>
        public void Delete()
        {
            foreach (var preview in Levels.Values)
            {
                if (preview.Content is FileByteSource file)
                {
                    file.Delete();
                }
            }
        }
    }
}

/// <summary>
/// A preview being written to a file of its own in the previews folder, as the redactor produces it; a file that is
/// not completed is removed.
/// </summary>
internal sealed class PreviewFile : IBufferWriter<byte>, IAsyncDisposable
{
    private readonly ArrayBufferWriter<byte> _pending = new(64 * 1024);
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly FileStream _file;
    private readonly string _path;
    private long _length;
    private bool _completed;

    public PreviewFile(string directory)
    {
        _path = Path.Combine(directory, $"{Guid.NewGuid():N}.json");
        _file = new FileStream(_path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, 64 * 1024, useAsync: true);
    }

    public void Advance(int count) => _pending.Advance(count);

    public Memory<byte> GetMemory(int sizeHint = 0) => _pending.GetMemory(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => _pending.GetSpan(sizeHint);

    public async ValueTask FlushAsync(CancellationToken ct)
    {
        if (_pending.WrittenCount == 0)
        {
            return;
        }

        _hash.AppendData(_pending.WrittenSpan);
        await _file.WriteAsync(_pending.WrittenMemory, ct);
        _length += _pending.WrittenCount;
        _pending.ResetWrittenCount();
    }

    public async Task<IByteSource> CompleteAsync(CancellationToken ct)
    {
        await FlushAsync(ct);
        await _file.FlushAsync(ct);
        _completed = true;
        return new FileByteSource(_path, _length, Convert.ToHexStringLower(_hash.GetHashAndReset()));
    }

    public async ValueTask DisposeAsync()
    {
        await _file.DisposeAsync();
        _hash.Dispose();
        if (!_completed)
        {
            File.Delete(_path);
        }
    }
}

/// <summary>Bytes in a file that nobody else writes (a kept preview).</summary>
internal sealed class FileByteSource(string path, long length, string sha256) : IByteSource
{
    public long Length => length;

    public string Id => sha256;

    public Task<Stream> OpenReadAsync(long offset, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, length);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, useAsync: true);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // Newer captures pushed this preview out while a page still showed it (streams already open keep reading).
            throw new PreviewReplacedException(
                "This preview was replaced by newer captures and is no longer kept. Refresh the preview to see what would leave now.", ex);
        }

        stream.Seek(offset, SeekOrigin.Begin);
        return Task.FromResult<Stream>(stream);
    }

    public void Delete() => File.Delete(path);
}

/// <summary>A page reads a preview that newer captures replaced: its bytes are gone, and the page should load the preview again.</summary>
public sealed class PreviewReplacedException(string message, Exception innerException) : IOException(message, innerException);
