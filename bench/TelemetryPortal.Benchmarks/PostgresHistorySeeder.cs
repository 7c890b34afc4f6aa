using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace TelemetryPortal.Benchmarks;

/// <summary>
/// The sent log of <see cref="HistorySeeder"/> (the same rows, the same contents through <see cref="Web.Features.Telemetry.PayloadStore"/>)
/// in a PostgreSQL database, the rows by binary <c>COPY</c>. A table <c>bench_seed</c>, written in the transaction that
/// copies the rows, marks a complete seed; a database without it is dropped and seeded again.
/// </summary>
internal static class PostgresHistorySeeder
{
    public static string DatabaseName(int rows) => $"history_{rows}";

    /// <summary>True when the database holds a complete seed of <paramref name="rows"/> rows.</summary>
    public static async Task<bool> IsSeededAsync(string admin, int rows)
    {
        if (!await PostgresCluster.ExistsAsync(admin, DatabaseName(rows)))
        {
            return false;
        }

        await using var connection = new NpgsqlConnection(PostgresCluster.Database(admin, DatabaseName(rows)));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT CASE WHEN to_regclass('bench_seed') IS NULL THEN NULL ELSE (SELECT max(rows) FROM bench_seed) END", connection);
        return await command.ExecuteScalarAsync() is int seeded && seeded == rows;
    }

    /// <summary>Fills a freshly migrated portal database, then vacuums and analyzes it.</summary>
    public static async Task SeedAsync(BenchPortal portal, string connectionString, int rows)
    {
        var watch = Stopwatch.StartNew();
        var contents = await HistorySeeder.StoreContentsAsync(portal);
        Console.WriteLine($"  contents stored in {watch.Elapsed.TotalSeconds:F1} s");

        watch.Restart();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using (var copy = await connection.BeginBinaryImportAsync("""
                COPY payloads ("IdempotencyKey", "Kind", "Level", "Source", "Endpoint", "CoderVersion", "Status", "Sha256", "SizeBytes", "CapturedBytes",
                    "CapturedAt", "NextAttemptAt", "LastAttemptAt", "CompletedAt", "Attempts", "FailedSends", "HttpStatus", "LastDurationMs", "TotalDurationMs",
                    "LastError", "DroppedFields", "UnknownFieldsDropped", "MaskedEmails", "MaskedIpAddresses") FROM STDIN (FORMAT BINARY)
                """))
            {
                var i = 0;
                foreach (var row in HistorySeeder.Rows(rows, contents))
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(row.IdempotencyKey, NpgsqlDbType.Uuid);
                    await copy.WriteAsync(row.Kind, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(row.Level, NpgsqlDbType.Integer);
                    await copy.WriteAsync("Simulated", NpgsqlDbType.Varchar);
                    await copy.WriteAsync(row.Endpoint, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(row.CoderVersion, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(row.Status.ToString(), NpgsqlDbType.Varchar);
                    await copy.WriteAsync(row.Content.Sha256, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(row.Content.Length, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(row.Content.CapturedLength, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(row.CapturedAt, NpgsqlDbType.TimestampTz);
                    await WriteNullableAsync(copy, row.NextAttemptAt, NpgsqlDbType.TimestampTz);
                    await WriteNullableAsync(copy, row.LastAttemptAt, NpgsqlDbType.TimestampTz);
                    await WriteNullableAsync(copy, row.CompletedAt, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(row.Attempts, NpgsqlDbType.Integer);
                    await copy.WriteAsync(row.FailedSends, NpgsqlDbType.Integer);
                    await WriteNullableAsync(copy, row.HttpStatus, NpgsqlDbType.Integer);
                    await WriteNullableAsync(copy, row.LastDurationMs, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(row.TotalDurationMs, NpgsqlDbType.Bigint);
                    await WriteNullableAsync(copy, row.LastError, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(row.Content.Redaction?.DroppedFields ?? 0, NpgsqlDbType.Integer);
                    await copy.WriteAsync(0, NpgsqlDbType.Integer);
                    await copy.WriteAsync(row.Content.Redaction?.MaskedEmails ?? 0, NpgsqlDbType.Integer);
                    await copy.WriteAsync(row.Content.Redaction?.MaskedIpAddresses ?? 0, NpgsqlDbType.Integer);
                    if (++i % 100_000 == 0)
                    {
                        Console.WriteLine($"  {i:N0} / {rows:N0} rows ({watch.Elapsed.TotalSeconds:F0} s)");
                    }
                }

                await copy.CompleteAsync();
            }

            // The marker commits with the rows: a seed cut short leaves no marker, and the next run starts again.
            await using (var create = new NpgsqlCommand("CREATE TABLE bench_seed (rows integer NOT NULL, seeded_at timestamptz NOT NULL DEFAULT now())", connection, transaction))
            {
                await create.ExecuteNonQueryAsync();
            }

            await using (var mark = new NpgsqlCommand("INSERT INTO bench_seed (rows) VALUES ($1)", connection, transaction) { Parameters = { new() { Value = rows } } })
            {
                await mark.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        Console.WriteLine($"  rows copied in {watch.Elapsed.TotalSeconds:F1} s");
        watch.Restart();
        // Statistics for the planner, and the visibility map set so that counts can be answered from an index alone
        // (what autovacuum would do on its own after a bulk load, some time later).
        await using (var vacuum = new NpgsqlCommand("VACUUM (ANALYZE) payloads", connection) { CommandTimeout = 0 })
        {
            await vacuum.ExecuteNonQueryAsync();
        }

        Console.WriteLine($"  VACUUM (ANALYZE) in {watch.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type) where T : struct
    {
        if (value is { } present)
        {
            await copy.WriteAsync(present, type);
        }
        else
        {
            await copy.WriteNullAsync();
        }
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type)
    {
        if (value is not null)
        {
            await copy.WriteAsync(value, type);
        }
        else
        {
            await copy.WriteNullAsync();
        }
    }
}
