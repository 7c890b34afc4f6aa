using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Simulation;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Benchmarks;

/// <summary>
/// A sent log of two years: rows evenly spread over the period, alternating snapshot and deployment,
/// mostly sent at level 2, a stretch at level 1, three weeks suppressed at level 0, scattered
/// rejections and retried sends, and an outage in progress at the end. Contents are real simulated
/// payloads stored through <see cref="PayloadStore"/>; many rows share one content, as repeated sends do.
/// </summary>
internal static class HistorySeeder
{
    /// <summary>The moment the log ends (the benchmark's "now").</summary>
    public static readonly DateTime End = new(2026, 11, 27, 0, 0, 0, DateTimeKind.Utc);

    public static readonly DateTime Start = End.AddDays(-730);

    private const int SnapshotContents = 1_500;
    private const int LightweightSnapshotContents = 300;
    private const int DeploymentContents = 150;
    private const int LightweightDeploymentContents = 50;
    private const int RowsPerTransaction = 50_000;

    // Days (from Start) of the level changes an admin made over the two years.
    private const int LightweightFromDay = 200;
    private const int LightweightToDay = 320;
    private const int OffFromDay = 420;
    private const int OffToDay = 441;

    internal sealed record Content(string Sha256, long Length, long CapturedLength, RedactionResult? Redaction);

    public static string MarkerFile(string databaseFile) => databaseFile + ".complete";

    /// <summary>True when a complete seed of <paramref name="rows"/> rows is cached in <paramref name="databaseFile"/>.</summary>
    public static bool IsSeeded(string databaseFile, int rows) =>
        File.Exists(databaseFile) && File.Exists(MarkerFile(databaseFile))
        && File.ReadAllText(MarkerFile(databaseFile)).Trim() == rows.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static void Delete(string databaseFile)
    {
        foreach (var file in new[] { databaseFile, databaseFile + "-wal", databaseFile + "-shm", MarkerFile(databaseFile) })
        {
            File.Delete(file);
        }
    }

    /// <summary>Fills a freshly migrated portal database (SQLite).</summary>
    public static async Task SeedAsync(BenchPortal portal, int rows)
    {
        var watch = Stopwatch.StartNew();
        var contents = await StoreContentsAsync(portal);
        Console.WriteLine($"  contents stored in {watch.Elapsed.TotalSeconds:F1} s");

        watch.Restart();
        await using var connection = new SqliteConnection($"Data Source={portal.DatabaseFile};Pooling=False");
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA cache_size = -262144;";
            await pragma.ExecuteNonQueryAsync();
        }

        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO payloads ("IdempotencyKey", "Kind", "Level", "Source", "Endpoint", "CoderVersion", "Status", "Sha256", "SizeBytes", "CapturedBytes",
                "CapturedAt", "NextAttemptAt", "LastAttemptAt", "CompletedAt", "Attempts", "FailedSends", "HttpStatus", "LastDurationMs", "TotalDurationMs",
                "LastError", "DroppedFields", "UnknownFieldsDropped", "MaskedEmails", "MaskedIpAddresses")
            VALUES ($key, $kind, $level, 'Simulated', $endpoint, $version, $status, $sha, $size, $captured,
                $capturedAt, $next, $last, $completed, $attempts, $failed, $http, $duration, $total,
                $error, $dropped, 0, $emails, $ips)
            """;
        var p = new Dictionary<string, SqliteParameter>();
        foreach (var name in new[] { "key", "kind", "level", "endpoint", "version", "status", "sha", "size", "captured", "capturedAt", "next", "last", "completed", "attempts", "failed", "http", "duration", "total", "error", "dropped", "emails", "ips" })
        {
            p[name] = insert.Parameters.Add(new SqliteParameter("$" + name, null));
        }

        insert.Prepare();
        var transaction = connection.BeginTransaction();
        insert.Transaction = transaction;
        var i = 0;
        foreach (var row in Rows(rows, contents))
        {
            p["key"].Value = row.IdempotencyKey.ToString().ToUpperInvariant();
            p["kind"].Value = row.Kind;
            p["level"].Value = row.Level;
            p["endpoint"].Value = row.Endpoint;
            p["version"].Value = row.CoderVersion;
            p["status"].Value = row.Status.ToString();
            p["sha"].Value = row.Content.Sha256;
            p["size"].Value = row.Content.Length;
            p["captured"].Value = row.Content.CapturedLength;
            p["capturedAt"].Value = row.CapturedAt;
            p["next"].Value = row.NextAttemptAt is { } next ? next : DBNull.Value;
            p["last"].Value = row.LastAttemptAt is { } last ? last : DBNull.Value;
            p["completed"].Value = row.CompletedAt is { } c ? c : DBNull.Value;
            p["attempts"].Value = row.Attempts;
            p["failed"].Value = row.FailedSends;
            p["http"].Value = row.HttpStatus is { } h ? h : DBNull.Value;
            p["duration"].Value = row.LastDurationMs is { } d ? d : DBNull.Value;
            p["total"].Value = row.TotalDurationMs;
            p["error"].Value = row.LastError is null ? DBNull.Value : row.LastError;
            p["dropped"].Value = row.Content.Redaction?.DroppedFields ?? 0;
            p["emails"].Value = row.Content.Redaction?.MaskedEmails ?? 0;
            p["ips"].Value = row.Content.Redaction?.MaskedIpAddresses ?? 0;
            await insert.ExecuteNonQueryAsync();

            if (++i % RowsPerTransaction == 0 || i == rows)
            {
                await transaction.CommitAsync();
                await transaction.DisposeAsync();
                Console.WriteLine($"  {i:N0} / {rows:N0} rows ({watch.Elapsed.TotalSeconds:F0} s)");
                transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
            }
        }

        await transaction.CommitAsync();
        await transaction.DisposeAsync();
        await using (var checkpoint = connection.CreateCommand())
        {
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await checkpoint.ExecuteNonQueryAsync();
        }

        Console.WriteLine($"  rows inserted in {watch.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>One row of the seeded sent log, whatever database it goes into.</summary>
    internal sealed record SeedRow(
        Guid IdempotencyKey, string Kind, int Level, string Endpoint, string CoderVersion, PayloadStatus Status, Content Content,
        DateTime CapturedAt, DateTime? NextAttemptAt, DateTime? LastAttemptAt, DateTime? CompletedAt, int Attempts, int FailedSends,
        int? HttpStatus, long? LastDurationMs, long TotalDurationMs, string? LastError);

    /// <summary>The contents the rows point at, stored through <see cref="PayloadStore"/>.</summary>
    internal sealed record SeedContents(List<Content> Snapshots, List<Content> LightSnapshots, List<Content> Deployments, List<Content> LightDeployments);

    /// <summary>The <paramref name="rows"/> rows of the log, oldest first (the same log on every database: a fixed random seed).</summary>
    internal static IEnumerable<SeedRow> Rows(int rows, SeedContents contents)
    {
        var random = new Random(42);
        var step = (End - Start).Ticks / rows;
        var outageFrom = End.AddHours(-3);
        for (var i = 0; i < rows; i++)
        {
            var capturedAt = Start.AddTicks((i * step) + random.NextInt64(step / 4));
            var day = (capturedAt - Start).Days;
            var snapshot = i % 2 == 0;
            var level = day is >= OffFromDay and < OffToDay ? 0 : day is >= LightweightFromDay and < LightweightToDay ? 1 : 2;
            // Consecutive reports often repeat: the same content is sent for a few sends in a row.
            var slot = i / 2 / 3;
            var content = (snapshot, level) switch
            {
                (true, 1) => contents.LightSnapshots[slot % contents.LightSnapshots.Count],
                (true, _) => contents.Snapshots[slot % contents.Snapshots.Count],
                (false, 1) => contents.LightDeployments[slot % contents.LightDeployments.Count],
                (false, _) => contents.Deployments[slot % contents.Deployments.Count],
            };

            var status = PayloadStatus.Sent;
            int? http = 202;
            string? error = null;
            var attempts = 1;
            var failed = 0;
            if (level == 0)
            {
                status = PayloadStatus.Suppressed;
                http = null;
                attempts = 0;
            }
            else if (i >= rows - 2)
            {
                status = PayloadStatus.Pending;
                http = null;
                attempts = 0;
            }
            else if (capturedAt >= outageFrom)
            {
                status = PayloadStatus.Retrying;
                http = 503;
                failed = 1 + random.Next(4);
                attempts = failed * 3;
                error = "HTTP 503 Service Unavailable from https://telemetry.coder.com";
            }
            else if (random.Next(1000) < 4)
            {
                status = PayloadStatus.Rejected;
                http = snapshot && random.Next(2) == 0 ? 413 : 400;
                error = http == 413 ? "HTTP 413 Payload Too Large: the receiver refused the payload" : "HTTP 400 Bad Request: invalid payload";
            }
            else if (random.Next(100) < 3)
            {
                // Sent after the endpoint recovered.
                failed = 1 + random.Next(3);
                attempts = 1 + (failed * 3);
                error = random.Next(2) == 0 ? "The request timed out after 60 seconds." : "Connection refused (telemetry.coder.com:443)";
            }

            var duration = 40 + random.Next(snapshot ? 900 : 200);
            var completed = status is PayloadStatus.Sent or PayloadStatus.Rejected ? capturedAt.AddMilliseconds(duration + (failed * 30_000)) : (DateTime?)null;
            if (status == PayloadStatus.Suppressed)
            {
                completed = capturedAt;
            }

            yield return new SeedRow(
                Guid.NewGuid(),
                snapshot ? "snapshot" : "deployment",
                level,
                level == 0 ? "" : snapshot ? "https://telemetry.coder.com/snapshot" : "https://telemetry.coder.com/deployment",
                $"v2.{14 + (day / 61)}.{day % 4}",
                status,
                content,
                capturedAt,
                status is PayloadStatus.Retrying or PayloadStatus.Pending ? capturedAt.AddMinutes(5) : null,
                attempts > 0 ? capturedAt.AddMilliseconds(failed * 30_000) : null,
                completed,
                attempts,
                failed,
                http,
                attempts > 0 ? duration : null,
                attempts > 0 ? duration * attempts : 0,
                error);
        }
    }

    /// <summary>Real simulated payloads (and their level-1 redactions), stored through the portal's <see cref="PayloadStore"/>.</summary>
    internal static async Task<SeedContents> StoreContentsAsync(BenchPortal portal)
    {
        var redactor = new Redactor(DataDictionary.Default);
        var snapshots = new List<Content>();
        var lightSnapshots = new List<Content>();
        var deployments = new List<Content>();
        var lightDeployments = new List<Content>();
        var factory = portal.Get<IDbContextFactory<PortalDbContext>>();
        var store = portal.Get<PayloadStore>();
        await using var db = await factory.CreateDbContextAsync();
        long totalBytes = 0;
        const int batch = 64;
        for (var first = 0; first < SnapshotContents; first += batch)
        {
            var count = Math.Min(batch, SnapshotContents - first);
            var generated = new (byte[] Full, RedactedPayload? Light)[count];
            Parallel.For(0, count, k =>
            {
                var c = first + k;
                var full = Snapshot(c);
                generated[k] = (full, c < LightweightSnapshotContents ? redactor.RedactToArray(full, PayloadKind.Snapshot, TelemetryLevel.Lightweight) : null);
            });

            await using var transaction = await db.Database.BeginTransactionAsync();
            foreach (var (full, light) in generated)
            {
                snapshots.Add(new Content(await store.PutAsync(db, full, default), full.Length, full.Length, null));
                totalBytes += full.Length;
                if (light is not null)
                {
                    lightSnapshots.Add(new Content(await store.PutAsync(db, light.Bytes, default), light.Bytes.Length, full.Length, light.Result));
                }
            }

            await transaction.CommitAsync();
            Console.WriteLine($"  {first + count:N0} / {SnapshotContents:N0} snapshot contents");
        }

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            for (var c = 0; c < DeploymentContents; c++)
            {
                var full = TelemetryJson.Serialize(Installation(c).CreateDeployment());
                deployments.Add(new Content(await store.PutAsync(db, full, default), full.Length, full.Length, null));
                if (c < LightweightDeploymentContents)
                {
                    var light = redactor.RedactToArray(full, PayloadKind.Deployment, TelemetryLevel.Lightweight);
                    lightDeployments.Add(new Content(await store.PutAsync(db, light.Bytes, default), light.Bytes.Length, full.Length, light.Result));
                }
            }

            await transaction.CommitAsync();
        }

        Console.WriteLine($"  snapshot contents: {snapshots.Count:N0}, average {totalBytes / snapshots.Count / 1e3:F0} kB, smallest {snapshots.Min(s => s.Length) / 1e3:F0} kB, largest {snapshots.Max(s => s.Length) / 1e3:F0} kB");
        return new SeedContents(snapshots, lightSnapshots, deployments, lightDeployments);
    }

    /// <summary>Installations of different sizes (20 to 500 users), so payload sizes vary as they do across real deployments and over time.</summary>
    private static SimulatedInstallation Installation(int c)
    {
        var users = 20 + (int)((c * 7919L) % 480);
        return new SimulatedInstallation(new SimulationOptions
        {
            Seed = 7,
            Users = users,
            Workspaces = users * 2,
            Templates = 4 + (users / 40),
            Groups = 3 + (users / 50),
            RecentActivity = 0.1 + ((c % 7) * 0.03),
            Now = Start.AddHours(c * 11),
        });
    }

    private static byte[] Snapshot(int c)
    {
        using var buffer = new MemoryStream();
        Installation(c).WriteSnapshot(buffer);
        return buffer.ToArray();
    }
}
