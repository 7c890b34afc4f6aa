using Microsoft.Extensions.Caching.Memory;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TelemetryPortal.Core.Consent;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Endpoints;

namespace TelemetryPortal.Web.Features.Consent;

/// <summary>
/// The consent ledger: appends hash-chained entries with writes serialised (one writer at a time in this process, and
/// against other processes an immediate SQLite transaction or a PostgreSQL advisory transaction lock), lists and filters
/// them in the database, verifies the chain and streams CSV.
/// </summary>
public sealed partial class ConsentLedgerService(
    IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider time,
    IMemoryCache cache,
    ILogger<ConsentLedgerService> logger)
{
    /// <summary>The problem title of a refusal because the ledger fails verification.</summary>
    public const string FailsVerification = "The consent ledger fails verification";

    /// <summary>How long a verification result is reused by <see cref="GetVerificationAsync"/>.</summary>
    public static readonly TimeSpan VerificationLifetime = TimeSpan.FromSeconds(30);

    // One writer at a time: an append reads the head and writes the next entry, which must not interleave.
    private static readonly SemaphoreSlim WriteLock = new(1, 1);

    // The last verification is kept in the shared cache (which runs on the portal's clock). A walk that started
    // before one of this process's appends must not be kept after it: the generation, read and bumped under the lock.
    private static readonly object VerificationKey = new();
    private readonly Lock _cacheLock = new();
    private long _generation;

    /// <summary>Appends an event as the next entry of the chain and returns it.</summary>
    public async Task<ConsentRecord> AppendAsync(ConsentEvent consentEvent, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(consentEvent);
        return (await AppendWhenAsync(_ => Task.FromResult<ConsentEvent?>(consentEvent), ct))!;
    }

    /// <summary>
    /// Records whether <c>CODER_TELEMETRY</c> pins the level, when that differs from the last
    /// recorded pin state (or the pinned level changed). Returns the new entry, if one was written.
    /// </summary>
    public Task<ConsentRecord?> RecordPinStateAsync(TelemetryLevel? pinned, CancellationToken ct = default) =>
        AppendWhenAsync(async db =>
        {
            var last = await LastOfAsync(db, [ConsentActions.LevelPinned, ConsentActions.LevelUnpinned], ct);
            var wasPinned = last?.Action == ConsentActions.LevelPinned ? last.ToLevel : null;
            var now = (int?)pinned;
            if (now == wasPinned)
            {
                return null;
            }

            return now is { } level
                ? new ConsentEvent(ConsentActions.LevelPinned, ConsentActor.System, CollectionMethods.Environment, wasPinned, level,
                    $"{TelemetryLevels.EnvironmentVariable}={level} pins the level; it cannot be changed in the portal.")
                : new ConsentEvent(ConsentActions.LevelUnpinned, ConsentActor.System, CollectionMethods.Environment, wasPinned, null,
                    $"{TelemetryLevels.EnvironmentVariable} is no longer set; the admin's choice or the settings decide the level again.");
        }, ct);

    /// <summary>
    /// Records the effective level when it differs from the last recorded effective level (on the
    /// first start, the first effective level). Returns the new entry, if one was written.
    /// </summary>
    public Task<ConsentRecord?> RecordEffectiveLevelAsync(LevelResolution resolution, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        return AppendWhenAsync(db => EffectiveLevelEventAsync(db, resolution, ct), ct);
    }

    /// <summary>The level of the admin's latest decision, or <see langword="null"/> when there is none.</summary>
    /// <param name="before">When given, only entries before this position count (the intact part of a broken chain).</param>
    public async Task<TelemetryLevel?> GetLatestDecisionAsync(long? before = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var decisions = db.ConsentLedger.AsNoTracking().Where(e => e.Action == ConsentActions.LevelChosen);
        if (before is { } limit)
        {
            // In the intact part ids are exactly the positions 1, 2, ...
            decisions = decisions.Where(e => e.Id >= 1 && e.Id < limit);
        }

        var level = await decisions
            .OrderByDescending(e => e.Id)
            .Select(e => e.ToLevel)
            .FirstOrDefaultAsync(ct);
        return level is { } value && TelemetryLevels.IsDefined(value) ? (TelemetryLevel)value : null;
    }

    /// <summary>A page of entries matching the filters, newest first.</summary>
    /// <exception cref="PortalProblemException">Invalid: a filter or the page is wrong; the message names it.</exception>
    public async Task<ConsentPage> ListAsync(ConsentQuery query, CancellationToken ct = default)
    {
        Check(query);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var matching = Filter(db.ConsentLedger.AsNoTracking(), query);
        var total = await matching.CountAsync(ct);
        var entries = await matching
            .OrderByDescending(e => e.Id)
            .Skip((query.Page - 1) * query.PageSize)
            .Take(query.PageSize)
            .ToListAsync(ct);
        return new ConsentPage(entries.ConvertAll(e => e.ToRecord()), total);
    }

    /// <summary>The entry with <paramref name="id"/>, or <see langword="null"/>.</summary>
    public async Task<ConsentRecord?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entry = await db.ConsentLedger.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
        return entry?.ToRecord();
    }

    /// <summary>The policy text kept under <paramref name="version"/>, or <see langword="null"/>.</summary>
    public async Task<KeptPolicyText?> GetPolicyTextAsync(string version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ConsentPolicies.AsNoTracking()
            .Where(p => p.Version == version)
            .Select(p => new KeptPolicyText(p.Version, p.Level, p.Text))
            .SingleOrDefaultAsync(ct);
    }

    /// <summary>
    /// Walks the whole chain in order, streaming it from the database, and checks every kept policy text against
    /// its version (and that every version a decision names is kept). The result is also kept for
    /// <see cref="GetVerificationAsync"/>.
    /// </summary>
    public async Task<ChainVerification> VerifyAsync(CancellationToken ct = default) => (await InspectAsync([], ct)).Verification;

    /// <summary>
    /// The last verification when it is at most <see cref="VerificationLifetime"/> old and nothing was appended by
    /// this process since; otherwise a new one. For callers that ask often (each level resolution).
    /// </summary>
    public async Task<ChainVerification> GetVerificationAsync(CancellationToken ct = default)
    {
        return cache.TryGetValue(VerificationKey, out ChainVerification? kept) ? kept! : await VerifyAsync(ct);
    }

    /// <summary>
    /// Verifies the ledger like <see cref="VerifyAsync"/> and, in the same read, finds where the entries with
    /// <paramref name="ids"/> sit now (position in the chain and stored hash), e.g. those a receipt names.
    /// </summary>
    public async Task<LedgerInspection> InspectAsync(IReadOnlyCollection<long> ids, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        long generation;
        lock (_cacheLock)
        {
            generation = _generation;
        }

        var found = new Dictionary<long, LedgerPosition>();
        var named = new HashSet<string>(StringComparer.Ordinal);
        var verifier = new ChainVerifier();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The chain first, then the texts: a decision commits with its text, so every version named is kept by then.
        long position = 0;
        await foreach (var entry in db.ConsentLedger.AsNoTracking().OrderBy(e => e.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            position++;
            var record = entry.ToRecord();
            verifier.Add(record);
            if (ids.Contains(record.Id))
            {
                found[record.Id] = new LedgerPosition(position, record);
            }

            if (record.PolicyVersion is { } version)
            {
                named.Add(version);
            }
        }

        PolicyTextMismatch? mismatch = null;
        await foreach (var policy in db.ConsentPolicies.AsNoTracking().OrderBy(p => p.FirstRecordedAt).ThenBy(p => p.Version).AsAsyncEnumerable().WithCancellation(ct))
        {
            named.Remove(policy.Version);
            mismatch ??= ConsentPolicy.CheckKeptText(policy.Version, policy.Text);
        }

        mismatch ??= named.Order(StringComparer.Ordinal).Select(version => ConsentPolicy.CheckKeptText(version, null)).FirstOrDefault();

        var result = verifier.Result.WithPolicyCheck(mismatch);
        if (result.FirstBroken is { } broken)
        {
            LogBroken(broken.Id, broken.Check, broken.Message);
        }

        if (result.FirstPolicyMismatch is { } policyMismatch)
        {
            LogPolicyMismatch(policyMismatch.Version, policyMismatch.Message);
        }

        lock (_cacheLock)
        {
            if (generation == _generation)
            {
                cache.Set(VerificationKey, result, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = VerificationLifetime, Size = 1024 });
            }
        }

        return new LedgerInspection(result, found);
    }

    /// <summary>
    /// Checks that the append-only triggers exist as <see cref="ConsentLedgerSql"/> creates them, and recreates any
    /// that are missing or were altered, recording that in the ledger. Returns the names of those recreated.
    /// </summary>
    public async Task<IReadOnlyList<string>> RestoreAppendOnlyProtectionAsync(CancellationToken ct = default)
    {
        IReadOnlyList<string> restored = [];
        await CommitAsync(async db =>
        {
            var (damaged, existing) = db.Provider == Data.DatabaseProvider.Postgres
                ? await DamagedPostgresTriggersAsync(db, ct)
                : await DamagedSqliteTriggersAsync(db, ct);
            if (damaged.Count == 0)
            {
                return [];
            }

            if (db.Provider == Data.DatabaseProvider.Postgres)
            {
                // The function every trigger calls, as it should be, before the triggers are put back.
                await db.Database.ExecuteSqlRawAsync(ConsentLedgerSql.PostgresFunctionSql, ct);
            }

            foreach (var trigger in damaged)
            {
                // The names and statements are the portal's own constants, not input.
#pragma warning disable EF1002
                if (db.Provider == Data.DatabaseProvider.Postgres)
                {
                    await db.Database.ExecuteSqlRawAsync($"DROP TRIGGER IF EXISTS \"{trigger.Name}\" ON \"{ConsentLedgerSql.TableOf(trigger.Name)}\";", ct);
                }
                else
                {
                    await db.Database.ExecuteSqlRawAsync($"DROP TRIGGER IF EXISTS \"{trigger.Name}\";", ct);
                }

                await db.Database.ExecuteSqlRawAsync(trigger.CreateSql, ct);
#pragma warning restore EF1002
            }

            restored = [.. damaged.Select(t => t.Name)];
            var missing = damaged.Where(t => !existing.Contains(t.Name)).Select(t => t.Name).ToList();
            var altered = damaged.Where(t => existing.Contains(t.Name)).Select(t => t.Name).ToList();
            LogProtectionRestored(string.Join(", ", restored));
            var what = (missing.Count, altered.Count) switch
            {
                (> 0, > 0) => $"the append-only triggers {Were(missing, "missing")} and {Were(altered, "altered")}",
                (> 0, _) => $"the append-only {(missing.Count == 1 ? "trigger" : "triggers")} {Were(missing, "missing")}",
                _ => $"the append-only {(altered.Count == 1 ? "trigger" : "triggers")} {Were(altered, "altered")}",
            };
            return [new ConsentEvent(ConsentActions.ProtectionRestored, ConsentActor.System, CollectionMethods.System, null, null,
                $"At start {what}; the portal recreated them. While they were missing, entries and policy texts could be changed or removed: only the hash chain and receipts show that.")];
        }, ct);
        return restored;
    }

    /// <summary>
    /// The entries matching the filters (paging ignored), oldest first, as RFC 4180 CSV: checks the filters now, and
    /// returns what writes the CSV to a stream (so a wrong filter is refused before anything is written).
    /// </summary>
    /// <exception cref="PortalProblemException">Invalid: a filter is wrong; the message names it.</exception>
    public Func<Stream, Task> ExportCsv(ConsentQuery query, CancellationToken ct = default)
    {
        Check(query);
        return output => WriteCsvAsync(query, output, ct);
    }

    private async Task WriteCsvAsync(ConsentQuery query, Stream output, CancellationToken ct)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteLineAsync("id,occurred_at,action,actor_id,actor_name,actor_role,collection_method,from_level,to_level,reason,policy_version,reference,previous_hash,hash");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await foreach (var entry in Filter(db.ConsentLedger.AsNoTracking(), query).OrderBy(e => e.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            var r = entry.ToRecord();
            string?[] fields =
            [
                r.Id.ToString(CultureInfo.InvariantCulture), ConsentChain.FormatTime(r.OccurredAt), r.Action, r.ActorId, r.ActorName, r.ActorRole,
                r.CollectionMethod, r.FromLevel?.ToString(CultureInfo.InvariantCulture), r.ToLevel?.ToString(CultureInfo.InvariantCulture),
                r.Reason, r.PolicyVersion, r.Reference, r.PreviousHash, r.Hash,
            ];
            await writer.WriteLineAsync(string.Join(',', fields.Select(Csv)));
        }
    }

    // The one check of a query, for the page and the API alike; the message names the parameter and what it should be.
    private static void Check(ConsentQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Page < 1)
        {
            throw PortalProblemException.Invalid($"page must be 1 or more; got {query.Page}.");
        }

        if (query.PageSize is < 1 or > ConsentQuery.MaxPageSize)
        {
            throw PortalProblemException.Invalid($"pageSize must be between 1 and {ConsentQuery.MaxPageSize}; got {query.PageSize}.");
        }

        if (query.Action is not null && !ConsentActions.IsDefined(query.Action))
        {
            throw PortalProblemException.Invalid($"action must be one of {string.Join(", ", ConsentActions.All)}; got \"{query.Action}\".");
        }

        if (query.Level is { } level && !TelemetryLevels.IsDefined(level))
        {
            throw PortalProblemException.Invalid(TelemetryLevels.NotALevel("level", level.ToString(CultureInfo.InvariantCulture)));
        }

        if (query.From is { } from && query.To is { } to && to < from)
        {
            throw PortalProblemException.Invalid("to must not be before from.");
        }

        if (query.Actor is { Length: > 256 })
        {
            throw PortalProblemException.Invalid("actor must be at most 256 characters.");
        }
    }

    private async Task<ConsentRecord?> AppendWhenAsync(Func<PortalDbContext, Task<ConsentEvent?>> decide, CancellationToken ct)
    {
        var records = await CommitAsync(async db => await decide(db) is { } consentEvent ? [consentEvent] : [], ct);
        return records.Count > 0 ? records[0] : null;
    }

    /// <summary>
    /// Commits what <paramref name="work"/> changes on the context it is given together with the ledger entries
    /// it returns, in one transaction, with appends serialised: an effect is never stored without its record,
    /// nor a record without its effect. <paramref name="work"/> runs while no other entry can be appended, so
    /// what it reads (the level in force, the last entry of a kind) is still true when its entries are sealed.
    /// Throwing from <paramref name="work"/> writes nothing.
    /// </summary>
    public async Task<IReadOnlyList<ConsentRecord>> CommitAsync(Func<PortalDbContext, Task<IReadOnlyList<ConsentEvent>>> work, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await WriteLock.WaitAsync(ct);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            // Another process appending waits here instead of forking the chain: SQLite's BEGIN IMMEDIATE takes the
            // file's write lock; on PostgreSQL every instance waits for the ledger's advisory lock, held until commit.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (db.Provider == Data.DatabaseProvider.Postgres)
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({PostgresLocks.Ledger})", ct);
            }
            var events = await work(db);
            var head = await db.ConsentLedger.AsNoTracking()
                .OrderByDescending(e => e.Id)
                .Select(e => new { e.Id, e.Hash })
                .FirstOrDefaultAsync(ct);
            var (id, hash) = (head?.Id ?? 0, head?.Hash ?? ConsentChain.GenesisHash);
            var now = time.GetUtcNow();
            var records = new List<ConsentRecord>(events.Count);
            foreach (var consentEvent in events)
            {
                // Sealed as stored: what is longer than its column (a desk filing's reason and organisation together,
                // a long name with its address) is shortened first, so the hash is of what the ledger keeps.
                var record = ConsentChain.Seal(new ConsentRecord(
                    ++id,
                    new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero),
                    consentEvent.Action,
                    StorableText.Clip(consentEvent.Actor.Id, ConsentEntryConfiguration.ActorIdLength),
                    StorableText.Clip(consentEvent.Actor.Name, ConsentEntryConfiguration.ActorNameLength),
                    consentEvent.Actor.Role,
                    consentEvent.CollectionMethod,
                    consentEvent.FromLevel,
                    consentEvent.ToLevel,
                    StorableText.Clip(consentEvent.Reason, ConsentEntryConfiguration.ReasonLength),
                    consentEvent.Policy?.Version,
                    consentEvent.Reference,
                    hash,
                    ""));
                hash = record.Hash;
                if (consentEvent.Policy is { } policy
                    && !db.ConsentPolicies.Local.Any(p => p.Version == policy.Version)
                    && !await db.ConsentPolicies.AnyAsync(p => p.Version == policy.Version, ct))
                {
                    db.ConsentPolicies.Add(new ConsentPolicyText { Version = policy.Version, Level = (int)policy.Level, Text = policy.Text, FirstRecordedAt = now.UtcDateTime });
                }

                db.ConsentLedger.Add(ConsentEntry.From(record));
                records.Add(record);
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            if (records.Count > 0)
            {
                InvalidateVerification();
            }

            foreach (var record in records)
            {
                LogAppended(record.Id, record.Action, record.ActorName, record.FromLevel, record.ToLevel);
            }

            return records;
        }
        finally
        {
            WriteLock.Release();
        }
    }

    /// <summary>
    /// The entry recording that the effective level is now <paramref name="resolution"/>'s, when it differs from
    /// the last one recorded in <paramref name="db"/>; for use inside <see cref="CommitAsync"/>.
    /// </summary>
    public static async Task<ConsentEvent?> EffectiveLevelEventAsync(PortalDbContext db, LevelResolution resolution, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(resolution);
        var last = await LastOfAsync(db, [ConsentActions.EffectiveLevelChanged], ct);
        var effective = (int)resolution.Effective;
        return last?.ToLevel == effective
            ? null
            : new ConsentEvent(ConsentActions.EffectiveLevelChanged, ConsentActor.System, CollectionMethods.System, last?.ToLevel, effective, resolution.Reason);
    }

    private static string Were(List<string> names, string state) =>
        names.Count == 1 ? $"{names[0]} was {state}" : $"{string.Join(", ", names)} were {state}";

    private void InvalidateVerification()
    {
        lock (_cacheLock)
        {
            _generation++;
            cache.Remove(VerificationKey);
        }
    }

    private static async Task<ConsentEntry?> LastOfAsync(PortalDbContext db, string[] actions, CancellationToken ct) =>
        await db.ConsentLedger.AsNoTracking()
            .Where(e => actions.Contains(e.Action))
            .OrderByDescending(e => e.Id)
            .FirstOrDefaultAsync(ct);

    private static IQueryable<ConsentEntry> Filter(IQueryable<ConsentEntry> entries, ConsentQuery query)
    {
        if (query.From is { } from)
        {
            var utc = from.ToUniversalTime();
            entries = entries.Where(e => e.OccurredAt >= utc);
        }

        if (query.To is { } to)
        {
            var utc = to.ToUniversalTime();
            entries = entries.Where(e => e.OccurredAt < utc);
        }

        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            entries = entries.Where(e => e.Action == query.Action);
        }

        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            var actor = query.Actor.Trim().ToLowerInvariant();
#pragma warning disable CA1862, CA1304, CA1311 // Translated to SQL lower() and instr(); culture rules do not apply there.
            entries = entries.Where(e => e.ActorId == actor || e.ActorName.ToLower().Contains(actor) || e.ActorRole.ToLower() == actor);
#pragma warning restore CA1862, CA1304, CA1311
        }

        if (query.Level is { } level)
        {
            entries = entries.Where(e => e.FromLevel == level || e.ToLevel == level);
        }

        return entries;
    }

    private static string Csv(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        // A cell starting like a formula is quoted with a leading apostrophe so spreadsheets show it as text.
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || value[0] == '\''
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }

    [LoggerMessage(LogLevel.Information, "Consent ledger entry {Id}: {Action} by {Actor}, level {FromLevel} -> {ToLevel}")]
    private partial void LogAppended(long id, string action, string actor, int? fromLevel, int? toLevel);

    [LoggerMessage(LogLevel.Error, "The consent ledger's chain is broken at entry {Id} ({Check}): {Message}")]
    private partial void LogBroken(long id, ChainCheck check, string message);

    [LoggerMessage(LogLevel.Error, "A consent policy text does not match its version {Version}: {Message}")]
    private partial void LogPolicyMismatch(string version, string message);

    [LoggerMessage(LogLevel.Warning, "The consent ledger's append-only triggers {Triggers} were missing or altered; recreated them")]
    private partial void LogProtectionRestored(string triggers);

    // SQLite keeps each trigger's statement: one missing, or whose statement differs, is damaged.
    private static async Task<(List<AppendOnlyTrigger> Damaged, HashSet<string> Existing)> DamagedSqliteTriggersAsync(PortalDbContext db, CancellationToken ct)
    {
        var existing = (await db.Database
                .SqlQueryRaw<SqliteObject>("SELECT name AS Name, sql AS Sql FROM sqlite_master WHERE type = 'trigger'")
                .ToListAsync(ct))
            .ToDictionary(t => t.Name, t => t.Sql, StringComparer.OrdinalIgnoreCase);
        var damaged = ConsentLedgerSql.Triggers
            .Where(t => !existing.TryGetValue(t.Name, out var sql) || ConsentLedgerSql.Normalize(sql ?? "") != ConsentLedgerSql.Normalize(t.CreateSql))
            .ToList();
        return (damaged, existing.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase));
    }

    // PostgreSQL: a trigger is damaged when it is missing, disabled, or calls anything but the function, or when the
    // function's body was replaced (then every trigger is put back with it).
    private static async Task<(List<AppendOnlyTrigger> Damaged, HashSet<string> Existing)> DamagedPostgresTriggersAsync(PortalDbContext db, CancellationToken ct)
    {
        var triggers = await db.Database.SqlQueryRaw<PostgresTrigger>(
                """
                SELECT t.tgname::text AS "Name", t.tgenabled::text AS "Enabled",
                       coalesce(p.proname::text = 'portal_append_only' AND p.prosrc = {0}, false) AS "CallsFunction"
                FROM pg_trigger t
                JOIN pg_class c ON c.oid = t.tgrelid
                LEFT JOIN pg_proc p ON p.oid = t.tgfoid
                WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace
                """,
                "\n" + ConsentLedgerSql.PostgresFunctionBody + "\n")
            .ToListAsync(ct);
        var intact = triggers.Where(t => t.Enabled is "O" or "A" && t.CallsFunction).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var damaged = ConsentLedgerSql.PostgresTriggers.Where(t => !intact.Contains(t.Name)).ToList();
        return (damaged, triggers.Select(t => t.Name).ToHashSet(StringComparer.Ordinal));
    }

    private sealed class SqliteObject
    {
        public required string Name { get; init; }

        public string? Sql { get; init; }
    }

    private sealed class PostgresTrigger
    {
        public required string Name { get; init; }

        public required string Enabled { get; init; }

        public bool CallsFunction { get; init; }
    }
}

/// <summary>Where an entry sits in the chain now.</summary>
/// <param name="Position">Its position (1-based) in id order.</param>
/// <param name="Record">The entry as stored.</param>
public sealed record LedgerPosition(long Position, ConsentRecord Record);

/// <summary>A verification and where the entries asked about sit, read at one moment.</summary>
public sealed record LedgerInspection(ChainVerification Verification, IReadOnlyDictionary<long, LedgerPosition> Found);
