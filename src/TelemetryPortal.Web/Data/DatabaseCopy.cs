using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using TelemetryPortal.Web.Configuration;
using TelemetryPortal.Web.Extensions;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Web.Data;

/// <summary>
/// <c>db copy --to CONNECTION</c>: copies the portal's SQLite database into an empty PostgreSQL database and verifies
/// the copy. Every table of the model is copied with its ids and its bytes exactly as stored (contents are not
/// recompressed), streamed from SQLite (one consistent read) into PostgreSQL's binary COPY, all in one transaction on
/// the target, so a failure leaves it without rows. Then, on a fresh connection to the copy, the consent chain is
/// verified, every content is read back and hashed against its SHA-256, and every table's row count is compared.
/// </summary>
public sealed class DatabaseCopy(
    IDbContextFactory<PortalDbContext> sourceFactory,
    IOptions<DatabaseOptions> database,
    IOptions<PortalOptions> portal,
    TimeProvider time)
{
    /// <summary>The exit code of a refusal: the arguments, the source or the target are not what a copy needs; nothing was written.</summary>
    public const int Refused = 2;

    /// <summary>The exit code of a copy that failed (nothing was written) or that does not verify.</summary>
    public const int Failed = 1;

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);

    /// <summary>Why <paramref name="connectionString"/> cannot be a target (never echoing it: it may hold a password), or <see langword="null"/>.</summary>
    public static string? CheckTarget(string connectionString)
    {
        NpgsqlConnectionStringBuilder target;
        try
        {
            target = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            return $"--to is not a PostgreSQL connection string: {ex.Message}";
        }

        if (string.IsNullOrWhiteSpace(target.Host))
        {
            return "--to is not a PostgreSQL connection string: it names no Host (e.g. \"Host=db;Database=portal;Username=portal;Password=...\")";
        }

        return string.IsNullOrWhiteSpace(target.Database)
            ? "--to names no Database: say which database to copy into (it is created when it does not exist)"
            : null;
    }

    /// <summary>
    /// Why the configured database cannot be the source, checked before the portal opens it (which would create an empty
    /// one): it must be SQLite, and its file must exist. <see langword="null"/> when it can.
    /// </summary>
    public string? CheckSource()
    {
        if (database.Value.Provider != DatabaseProvider.Sqlite)
        {
            return "db copy copies the portal's SQLite database, but Database:Provider is already Postgres";
        }

        var path = SourcePath();
        return File.Exists(path)
            ? null
            : $"there is no SQLite database at {path}; give the portal's data directory (--Portal:DataDirectory=...)";
    }

    /// <summary>Copies, verifies and prints the counts to <paramref name="output"/>, progress and errors to <paramref name="errors"/>; returns the exit code.</summary>
    public async Task<int> RunAsync(string targetConnectionString, TextWriter output, TextWriter errors, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        if ((CheckSource() ?? CheckTarget(targetConnectionString)) is { } refusal)
        {
            await errors.WriteLineAsync($"error: {refusal}");
            return Refused;
        }

        var target = new NpgsqlConnectionStringBuilder(targetConnectionString);
        var where = $"{target.Host}:{target.Port}/{target.Database}";
        var targetFactory = new TargetContextFactory(target.ConnectionString);
        var tables = CopyOrder(targetFactory.CreateDbContext().Model);

        if (await CheckTargetIsEmptyAsync(target.ConnectionString, where, tables, ct) is { } notEmpty)
        {
            await errors.WriteLineAsync($"error: {notEmpty}");
            return Refused;
        }

        Dictionary<string, long> sourceCounts;
        try
        {
            await errors.WriteLineAsync($"Creating the portal's tables in {where} (PostgreSQL migrations)...");
            await using (var db = targetFactory.CreateDbContext())
            {
                await db.Database.MigrateAsync(ct);
            }

            sourceCounts = await CopyAsync(targetFactory, tables, where, errors, ct);
        }
        catch (Exception ex) when (ex is DbException or DbUpdateException or InvalidOperationException or InvalidCastException or NotSupportedException or IOException)
        {
            await errors.WriteLineAsync($"error: the copy to {where} failed, so nothing was written to it (the empty tables the migrations created remain): {Describe(ex)}");
            return Failed;
        }

        return await VerifyAsync(targetFactory, tables, sourceCounts, where, output, errors, ct);
    }

    /// <summary>
    /// The tables in an order that satisfies their foreign keys (principals first); a table whose rows name rows of the
    /// same table (payload_contents' deltas name their keyframes) is copied in two passes, those naming none first.
    /// </summary>
    private static List<Table> CopyOrder(IModel model)
    {
        var types = model.GetEntityTypes().Where(t => t.GetTableName() is not null && !t.IsOwned()).ToList();
        var ordered = new List<Table>();
        var placed = new HashSet<IEntityType>();
        while (placed.Count < types.Count)
        {
            var next = types
                .Where(t => !placed.Contains(t) && t.GetForeignKeys().All(fk => fk.PrincipalEntityType == t || placed.Contains(fk.PrincipalEntityType)))
                .OrderBy(t => t.GetTableName(), StringComparer.Ordinal)
                .FirstOrDefault()
                ?? throw new InvalidOperationException("The model's foreign keys form a cycle between tables; db copy cannot order them.");
            placed.Add(next);
            ordered.Add(new Table(next));
        }

        return ordered;
    }

    private static async Task<string?> CheckTargetIsEmptyAsync(string connectionString, string where, List<Table> tables, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            // The database does not exist yet: the migrations create it.
            return null;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return $"cannot reach PostgreSQL at {where}: {Describe(ex)}";
        }

        try
        {
            return await FirstTableWithRowsAsync(connection, null, tables, ct) is { } table
                ? $"the target database {where} is not empty: table {table} has rows. db copy copies only into an empty database; nothing was changed"
                : null;
        }
        catch (NpgsqlException ex)
        {
            return $"cannot read the target database {where}: {Describe(ex)}";
        }
    }

    private static async Task<string?> FirstTableWithRowsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, List<Table> tables, CancellationToken ct)
    {
        var existing = new HashSet<string>(StringComparer.Ordinal);
        await using (var list = new NpgsqlCommand(
            "SELECT relname::text FROM pg_class WHERE relkind IN ('r', 'p') AND relnamespace = current_schema()::regnamespace AND relname = ANY(@names)",
            connection,
            transaction))
        {
            list.Parameters.AddWithValue("names", tables.Select(t => t.Name).ToArray());
            await using var reader = await list.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                existing.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables.Where(t => existing.Contains(t.Name)))
        {
            await using var any = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {table.Quoted})", connection, transaction);
            if (await any.ExecuteScalarAsync(ct) is true)
            {
                return table.Name;
            }
        }

        return null;
    }

    /// <summary>Copies every table in one transaction on the target, reading the source in one transaction too; returns the source's row counts.</summary>
    private async Task<Dictionary<string, long>> CopyAsync(TargetContextFactory targetFactory, List<Table> tables, string where, TextWriter progress, CancellationToken ct)
    {
        await using var source = await sourceFactory.CreateDbContextAsync(ct);
        await source.Database.OpenConnectionAsync(ct);
        // A deferred transaction: one consistent snapshot of the source, without taking its write lock.
        await using var read = ((SqliteConnection)source.Database.GetDbConnection()).BeginTransaction(deferred: true);
        await source.Database.UseTransactionAsync(read, ct);

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var count = source.Database.GetDbConnection().CreateCommand();
            count.Transaction = read;
            count.CommandText = $"SELECT count(*) FROM {table.Quoted}";
            counts[table.Name] = Convert.ToInt64(await count.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        }

        await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Copying {counts.Values.Sum():N0} rows in {tables.Count} tables from {SourcePath()} to {where}..."));
        await using var target = targetFactory.CreateDbContext();
        await using var write = await target.Database.BeginTransactionAsync(ct);
        var connection = (NpgsqlConnection)target.Database.GetDbConnection();
        var transaction = (NpgsqlTransaction)write.GetDbTransaction();
        if (await FirstTableWithRowsAsync(connection, transaction, tables, ct) is { } filled)
        {
            throw new InvalidOperationException($"table {filled} got rows while the copy started; another process is writing to the target");
        }

        var copyTable = typeof(DatabaseCopy).GetMethod(nameof(CopyTableAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
        foreach (var table in tables)
        {
            var reporter = new Progress(progress, table.Name, counts[table.Name]);
            var copied = await (Task<long>)copyTable.MakeGenericMethod(table.Type.ClrType).Invoke(null, [source, table, connection, reporter, ct])!;
            await reporter.DoneAsync(copied);
        }

        await ResetSequencesAsync(connection, transaction, ct);
        await write.CommitAsync(ct);
        return counts;
    }

    /// <summary>Streams one table's rows from the source into a binary COPY on the target, values converted as the model stores them.</summary>
    private static async Task<long> CopyTableAsync<TEntity>(PortalDbContext source, Table table, NpgsqlConnection target, Progress progress, CancellationToken ct)
        where TEntity : class
    {
        var columns = table.Type.GetProperties().ToArray();
        var storeObject = StoreObjectIdentifier.Table(table.Name, table.Type.GetSchema());
        if (columns.FirstOrDefault(p => p.IsShadowProperty()) is { } shadow)
        {
            throw new NotSupportedException($"{table.Name}.{shadow.Name} is a shadow property; db copy reads rows as entities and would lose it");
        }

        var getters = columns.Select(p => p.GetGetter()).ToArray();
        var converters = columns.Select(p => p.GetTypeMapping().Converter).ToArray();
        var storeTypes = columns.Select(p => ((RelationalTypeMapping)p.GetTypeMapping()).StoreTypeNameBase).ToArray();
        var copy = $"COPY {table.Quoted} ({string.Join(", ", columns.Select(p => Quote(p.GetColumnName(storeObject)!)))}) FROM STDIN (FORMAT BINARY)";

        long copied = 0;
        foreach (var rows in Passes(source.Set<TEntity>().AsNoTracking(), table.Type))
        {
            await using var importer = await target.BeginBinaryImportAsync(copy, ct);
            await foreach (var entity in rows.AsAsyncEnumerable().WithCancellation(ct))
            {
                await importer.StartRowAsync(ct);
                for (var i = 0; i < columns.Length; i++)
                {
                    var value = getters[i].GetClrValue(entity);
                    if (value is not null && converters[i] is { } converter)
                    {
                        value = converter.ConvertToProvider(value);
                    }

                    if (value is string text && StorableText.Problem(text) is { } problem)
                    {
                        // Kept by SQLite before the portal refused such text; PostgreSQL's error would not say where.
                        throw new InvalidOperationException(
                            $"{table.Name}.{columns[i].GetColumnName(storeObject)} of the row with key {KeyOf(table.Type, entity)} holds {problem}, which PostgreSQL cannot store. " +
                            "Correct or delete that row in the SQLite database, then copy again");
                    }

                    if (value is null)
                    {
                        await importer.WriteNullAsync(ct);
                    }
                    else
                    {
                        await importer.WriteAsync(value, storeTypes[i], ct);
                    }
                }

                copied++;
                await progress.ReportAsync(copied);
            }

            await importer.CompleteAsync(ct);
        }

        return copied;
    }

    private static string KeyOf(IEntityType type, object entity) =>
        StorableText.Escape(string.Join(", ", type.FindPrimaryKey()!.Properties.Select(p => Convert.ToString(p.GetGetter().GetClrValue(entity), CultureInfo.InvariantCulture))), 200);

    /// <summary>The rows in passes that satisfy a foreign key to the same table: those naming no row of it first, then the rest.</summary>
    private static IEnumerable<IQueryable<TEntity>> Passes<TEntity>(IQueryable<TEntity> rows, IEntityType type)
        where TEntity : class
    {
        var selfColumns = type.GetForeignKeys().Where(fk => fk.PrincipalEntityType == type).SelectMany(fk => fk.Properties).ToList();
        if (selfColumns.Count == 0)
        {
            yield return rows;
            yield break;
        }

        var row = Expression.Parameter(typeof(TEntity), "row");
        var namesNone = selfColumns
            .Select(p => (Expression)Expression.Equal(
                Expression.Call(typeof(EF), nameof(EF.Property), [p.ClrType], row, Expression.Constant(p.Name)),
                Expression.Constant(null, p.ClrType)))
            .Aggregate(Expression.AndAlso);
        yield return rows.Where(Expression.Lambda<Func<TEntity, bool>>(namesNone, row));
        yield return rows.Where(Expression.Lambda<Func<TEntity, bool>>(Expression.Not(namesNone), row));
    }

    /// <summary>Moves every identity column's sequence past the largest id copied, so that rows added on PostgreSQL get new ids.</summary>
    private static async Task ResetSequencesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var identities = new List<(string Table, string Column)>();
        await using (var list = new NpgsqlCommand(
            """
            SELECT c.relname::text, a.attname::text FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            WHERE a.attidentity <> '' AND NOT a.attisdropped AND c.relnamespace = current_schema()::regnamespace
            """,
            connection,
            transaction))
        {
            await using var reader = await list.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                identities.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (table, column) in identities)
        {
            await using var reset = new NpgsqlCommand(
                $"SELECT setval(pg_get_serial_sequence(@table, @column), coalesce(max({Quote(column)}), 0) + 1, false) FROM {Quote(table)}",
                connection,
                transaction);
            reset.Parameters.AddWithValue("table", Quote(table));
            reset.Parameters.AddWithValue("column", column);
            await reset.ExecuteScalarAsync(ct);
        }
    }

    /// <summary>Checks the copy on a fresh connection: row counts, the consent chain, and every content's bytes against its SHA-256.</summary>
    private async Task<int> VerifyAsync(
        TargetContextFactory targetFactory, List<Table> tables, Dictionary<string, long> sourceCounts, string where, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        var problems = new List<string>();
        await errors.WriteLineAsync($"Verifying the copy in {where}...");
        await using var db = targetFactory.CreateDbContext();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);

        var width = Math.Max("table".Length, tables.Max(t => t.Name.Length));
        await output.WriteLineAsync($"{"table".PadRight(width)} {"source",12} {"copy",12}");
        foreach (var table in tables.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table.Quoted}", connection);
            var copied = (long)(await count.ExecuteScalarAsync(ct))!;
            var source = sourceCounts[table.Name];
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{table.Name.PadRight(width)} {source,12} {copied,12}{(copied == source ? "" : "  MISMATCH")}"));
            if (copied != source)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{table.Name} has {copied} rows in the copy but {source} in the source"));
            }
        }

        var ledger = new ConsentLedgerService(targetFactory, time, new MemoryCache(new MemoryCacheOptions()), NullLogger<ConsentLedgerService>.Instance);
        var chain = await ledger.VerifyAsync(ct);
        if (chain.Valid)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"ledger: {chain.Entries} entries, verified"));
        }
        else
        {
            var why = chain.FirstBroken is { } broken
                ? string.Create(CultureInfo.InvariantCulture, $"broken at entry {broken.Id}: {broken.Message}")
                : $"policy text {chain.FirstPolicyMismatch?.Version}: {chain.FirstPolicyMismatch?.Message}";
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"ledger: {chain.Entries} entries, FAILS verification ({why})"));
            problems.Add($"the consent ledger fails verification on the copy ({why})");
        }

        var (contents, contentProblem) = await VerifyContentsAsync(db, targetFactory, errors, ct);
        if (contentProblem is null)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"payload contents: {contents}, SHA-256 verified"));
        }
        else
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"payload contents: {contents}, FAIL ({contentProblem})"));
            problems.Add(contentProblem);
        }

        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await errors.WriteLineAsync($"error: {problem}");
            }

            await errors.WriteLineAsync($"error: the copy in {where} was written but does not verify; do not start the portal on it (drop that database before copying again)");
            return Failed;
        }

        await errors.WriteLineAsync($"Done: start the portal with --Database:Provider=Postgres and ConnectionStrings:Portal set to the connection string given to --to.");
        return 0;
    }

    /// <summary>Reads every content back from the copy and hashes it; also that every payload's content is there. Returns how many and the first problem.</summary>
    private async Task<(long Contents, string? Problem)> VerifyContentsAsync(PortalDbContext db, TargetContextFactory targetFactory, TextWriter errors, CancellationToken ct)
    {
        var missing = await db.Payloads.CountAsync(p => p.Status != PayloadStatus.Suppressed && !db.PayloadContents.Any(c => c.Sha256 == p.Sha256), ct)
            + await db.IngestedPayloads.CountAsync(i => !db.PayloadContents.Any(c => c.Sha256 == i.Sha256), ct);
        if (missing > 0)
        {
            await using var source = await sourceFactory.CreateDbContextAsync(ct);
            var missingInSource = await source.Payloads.CountAsync(p => p.Status != PayloadStatus.Suppressed && !source.PayloadContents.Any(c => c.Sha256 == p.Sha256), ct)
                + await source.IngestedPayloads.CountAsync(i => !source.PayloadContents.Any(c => c.Sha256 == i.Sha256), ct);
            return (0, string.Create(CultureInfo.InvariantCulture, $"{missing} payloads name a content the copy does not hold ({missingInSource} in the source)"));
        }

        // The keys only (64 characters each), read whole so that each content can then be read on the same connection;
        // deltas after their keyframe, so that one decoded keyframe serves them all.
        var keys = await db.PayloadContents.AsNoTracking()
            .OrderBy(c => c.BaseSha256 ?? c.Sha256).ThenBy(c => c.BaseSha256 != null).ThenBy(c => c.Sha256)
            .Select(c => c.Sha256)
            .ToListAsync(ct);
        var store = new PayloadStore(targetFactory, time);
        var keyframes = new PayloadStore.KeyframeCache();
        var reporter = new Progress(errors, "payload contents verified", keys.Count);
        long verified = 0;
        var buffer = new byte[81920];
        foreach (var sha256 in keys)
        {
            var content = await store.OpenAsync(db, sha256, ct, keyframes);
            if (content is null)
            {
                return (verified, $"content {sha256} disappeared while it was verified");
            }

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            try
            {
                await using var stream = await content.OpenReadAsync(0, ct);
                int read;
                while ((read = await stream.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                }
            }
            catch (InvalidDataException ex)
            {
                return (verified, ex.Message);
            }

            if (!Convert.ToHexStringLower(hash.GetHashAndReset()).Equals(sha256, StringComparison.Ordinal))
            {
                return (verified, $"content {sha256} does not hash to its SHA-256 in the copy");
            }

            verified++;
            await reporter.ReportAsync(verified);
        }

        return (verified, null);
    }

    private string SourcePath()
    {
        var configured = database.Value.ConnectionString;
        var dataSource = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(portal.Value.DataDirectoryFullPath, "portal.db")
            : new SqliteConnectionStringBuilder(configured).DataSource;
        return Path.GetFullPath(dataSource);
    }

    /// <summary>An exception's messages down to its innermost cause, each once.</summary>
    private static string Describe(Exception ex)
    {
        var messages = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
        {
            var message = e is PostgresException pg ? $"{pg.MessageText} ({pg.SqlState})" : e.Message;
            if (!messages.Any(m => m.Contains(message, StringComparison.Ordinal)))
            {
                messages.Add(message);
            }
        }

        return string.Join(": ", messages);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private sealed class Table(IEntityType type)
    {
        public IEntityType Type { get; } = type;

        public string Name { get; } = type.GetTableName()!;

        public string Quoted => Quote(Name);
    }

    /// <summary>Rows done so far on standard error, every few seconds while a table takes long.</summary>
    private sealed class Progress(TextWriter writer, string what, long total)
    {
        private readonly Stopwatch _since = Stopwatch.StartNew();

        public async Task ReportAsync(long done)
        {
            if (_since.Elapsed >= ProgressInterval)
            {
                _since.Restart();
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {what}: {done:N0} of {total:N0}"));
            }
        }

        public Task DoneAsync(long done) =>
            writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {what}: {done:N0} rows"));
    }

    /// <summary>Contexts on the target, for the services that read through a factory (the ledger's verification, the payload store).</summary>
    private sealed class TargetContextFactory(string connectionString) : IDbContextFactory<PortalDbContext>
    {
        private readonly DbContextOptions<PostgresPortalDbContext> _options = Build(connectionString);

        public PortalDbContext CreateDbContext() => new PostgresPortalDbContext(_options);

        private static DbContextOptions<PostgresPortalDbContext> Build(string connectionString)
        {
            var options = new DbContextOptionsBuilder<PostgresPortalDbContext>();
            options.UsePostgres(connectionString);
            return options.Options;
        }
    }
}
