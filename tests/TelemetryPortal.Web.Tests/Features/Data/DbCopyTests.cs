using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Npgsql;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Accounts;
using TelemetryPortal.Web.Features.ApiTokens;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Features.Licensing;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Data;

/// <summary>
/// A SQLite portal with a year of history, made with the portal's own services: a report a day for 365 days on the
/// moving clock, two months of them at level 1 (level decisions in the ledger), one content above the inline limit
/// (stored in blocks), a license request, a second account and an API token. What its API answers is kept for the
/// copy to be compared with; the portal is stopped before it is copied, as the README says.
/// </summary>
public sealed class DbCopySource : IAsyncLifetime
{
    public const string SupportPassword = "support-password-1";

    public string DataDirectory { get; } = TempDirectory.Create();

    /// <summary>The history's total, the consent verification and the SHA-256 of some payloads' bytes by id, as the source's API answers them.</summary>
    public long HistoryTotal { get; private set; }

    public JsonElement Verification { get; private set; }

    public Dictionary<long, string> PayloadHashes { get; } = [];

    public long LargePayloadId { get; private set; }

    public long MaxPayloadId { get; private set; }

    public DateTimeOffset Now { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var portal = new PortalFactory(
            new Dictionary<string, string?>
            {
                // A SQLite portal in either run: this is what the copy starts from.
                ["Database:Provider"] = "Sqlite",
                ["Telemetry:RetentionDays"] = "3650",
                ["Telemetry:Simulation:Users"] = "5",
                ["Telemetry:Simulation:Workspaces"] = "5",
            },
            DataDirectory)
        {
            // The test captures on the days it chooses; nothing sends, prunes or reports on its own as the clock moves.
            ConfigureTestServices = services => services.RemoveAll<IHostedService>(),
        };
        portal.CreatePortalClient().Dispose();
        var services = portal.Services;
        var scheduler = services.GetRequiredService<TelemetryScheduler>();
        var levels = services.GetRequiredService<TelemetryLevelService>();
        var admin = new ConsentActor("user:1", "admin", PortalRoles.Admin);

        await services.GetRequiredService<AccountService>().CreateAsync("sam", "Sam Support", PortalRoles.Support, SupportPassword, ct);
        await services.GetRequiredService<ApiTokenService>().CreateAsync("ci", PortalRoles.Support, "admin", ct);
        var deploymentId = await services.GetRequiredService<DeploymentService>().EnsureCreatedAsync(ct);
        await services.GetRequiredService<LicenseService>().RequestAsync(
            new LicenseRequestInput("Initech", "Cora Customer", "cora@initech.example", deploymentId, "Our regulator forbids telemetry.", 90), admin, ct: ct);

        for (var day = 0; day < 365; day++)
        {
            if (day == 100)
            {
                await levels.ChooseAsync(TelemetryLevel.Lightweight, admin, CollectionMethods.Web, "Two months at level 1.", ct: ct);
            }
            else if (day == 160)
            {
                await levels.ChooseAsync(TelemetryLevel.Full, admin, CollectionMethods.Web, "Back to full.", ct: ct);
            }

            if (day == 200)
            {
                LargePayloadId = await AddLargePayloadAsync(services, portal.Time.GetUtcNow().UtcDateTime, ct);
            }

            await scheduler.ReportAsync(ct);
            portal.Time.Advance(TimeSpan.FromDays(1));
        }

        Now = portal.Time.GetUtcNow();
        using var client = portal.CreatePortalClient();
        await client.SignInOrFailAsync("admin", PortalFactory.AdminPassword);
        var history = await client.GetFromJsonAsync<JsonElement>("/api/v1/history?pageSize=100", ct);
        HistoryTotal = history.GetProperty("total").GetInt64();
        var ids = history.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();
        MaxPayloadId = ids.Max();
        await using (var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct))
        {
            // A delta at level 1, the first and the last payload, and the one in blocks.
            var levelOne = await db.Payloads.Where(p => p.Level == 1 && db.PayloadContents.Any(c => c.Sha256 == p.Sha256 && c.BaseSha256 != null)).MinAsync(p => p.Id, ct);
            foreach (var id in new[] { levelOne, 1, MaxPayloadId, LargePayloadId })
            {
                PayloadHashes[id] = Convert.ToHexStringLower(SHA256.HashData(await client.GetByteArrayAsync($"/api/v1/history/{id}/payload", ct)));
            }
        }

        Verification = await client.GetFromJsonAsync<JsonElement>("/api/v1/consent/verify", ct);
    }

    /// <summary>A content above <see cref="PayloadStore.InlineLimit"/> (written in blocks) and the payload naming it, in one transaction.</summary>
    private static async Task<long> AddLargePayloadAsync(IServiceProvider services, DateTime capturedAt, CancellationToken ct)
    {
        var text = new StringBuilder("{\"users\":[");
        var random = new Random(7);
        for (var i = 0; text.Length < PayloadStore.InlineLimit + (PayloadStore.BlockBytes / 2); i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ",")}{{\"id\":{i},\"seen\":\"{random.NextInt64():x16}{random.NextInt64():x16}\"}}");
        }

        var bytes = Encoding.UTF8.GetBytes(text.Append("]}").ToString());
        await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var payload = new TelemetryPayload
        {
            IdempotencyKey = Guid.NewGuid(),
            Kind = PayloadKind.Snapshot,
            Level = 2,
            Source = TelemetrySource.Simulated,
            Endpoint = "http://127.0.0.1/collector",
            CoderVersion = "v2.24.1",
            Status = PayloadStatus.Pending,
            Sha256 = await services.GetRequiredService<PayloadStore>().PutAsync(db, bytes, ct),
            SizeBytes = bytes.Length,
            CapturedBytes = bytes.Length,
            CapturedAt = capturedAt,
        };
        db.Payloads.Add(payload);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return payload.Id;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary><c>db copy --to CONNECTION</c> run as the operator runs it, from a SQLite portal into the test cluster.</summary>
[Trait("Database", "Postgres")]
public sealed class DbCopyTests(DbCopySource source) : IClassFixture<DbCopySource>
{
    [Fact]
    public async Task DbCopy_YearOfHistory_CopiesEveryTableAndThePortalRunsOnTheCopy()
    {
        var ct = TestContext.Current.CancellationToken;
        var target = TestDatabases.CreatePostgres("dbcopy");

        var (exitCode, stdout, stderr) = await PortalProcess.RunAsync(["db", "copy", "--to", target, $"--Portal:DataDirectory={source.DataDirectory}"]);

        Assert.True(exitCode == 0, $"{stdout}\n{stderr}");
        var counts = stdout.Split('\n', StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(cells => cells.Length == 3 && long.TryParse(cells[1], CultureInfo.InvariantCulture, out _))
            .ToDictionary(cells => cells[0], cells => (Source: long.Parse(cells[1], CultureInfo.InvariantCulture), Copy: long.Parse(cells[2], CultureInfo.InvariantCulture)));
        Assert.All(counts, c => Assert.True(c.Value.Source == c.Value.Copy, $"{c.Key}: {c.Value}"));
        Assert.Equal(source.HistoryTotal, counts["payloads"].Copy);
        Assert.True(counts["payload_blocks"].Copy > 4, stdout);
        Assert.True(counts["payload_contents"].Copy > 100, stdout);
        foreach (var table in new[] { "users", "api_tokens", "license_requests", "consent_ledger", "consent_policies", "deployment", "portal_keys", "data_protection_keys" })
        {
            Assert.True(counts[table].Copy > 0, $"{table} was copied empty:\n{stdout}");
        }

        var entries = source.Verification.GetProperty("entries").GetInt64();
        Assert.Contains($"ledger: {entries} entries, verified", stdout, StringComparison.Ordinal);
        Assert.Contains($"payload contents: {counts["payload_contents"].Copy}, SHA-256 verified", stdout, StringComparison.Ordinal);
        Assert.Contains("payloads:", stderr, StringComparison.Ordinal);

        await using var copy = new PortalFactory(
            new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Postgres",
                ["ConnectionStrings:Portal"] = target,
                ["Telemetry:RetentionDays"] = "3650",
                ["Telemetry:Simulation:Users"] = "5",
                ["Telemetry:Simulation:Workspaces"] = "5",
            })
        {
            ConfigureTestServices = services => services.RemoveAll<IHostedService>(),
        };
        copy.Time.SetUtcNow(source.Now);
        using var client = copy.CreatePortalClient();
        await client.SignInOrFailAsync("admin", PortalFactory.AdminPassword);
        var history = await client.GetFromJsonAsync<JsonElement>("/api/v1/history?pageSize=1", ct);
        Assert.Equal(source.HistoryTotal, history.GetProperty("total").GetInt64());
        foreach (var (id, sha256) in source.PayloadHashes)
        {
            var bytes = await client.GetByteArrayAsync($"/api/v1/history/{id}/payload", ct);
            Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }

        var verification = await client.GetFromJsonAsync<JsonElement>("/api/v1/consent/verify", ct);
        Assert.True(verification.GetProperty("valid").GetBoolean());
        Assert.Equal(entries, verification.GetProperty("entries").GetInt64());
        Assert.Equal(source.Verification.GetProperty("headHash").GetString(), verification.GetProperty("headHash").GetString());
        using (var support = copy.CreatePortalClient())
        {
            await support.SignInOrFailAsync("sam", DbCopySource.SupportPassword);
        }

        // New rows on PostgreSQL take ids after the copied ones: the sequences were moved past them.
        await copy.Services.GetRequiredService<TelemetryScheduler>().ReportAsync(ct);
        var after = await client.GetFromJsonAsync<JsonElement>("/api/v1/history?pageSize=2", ct);
        Assert.Equal(source.HistoryTotal + 2, after.GetProperty("total").GetInt64());
        Assert.All(after.GetProperty("items").EnumerateArray(), i => Assert.True(i.GetProperty("id").GetInt64() > source.MaxPayloadId));
        await copy.Services.GetRequiredService<TelemetryLevelService>().ChooseAsync(
            TelemetryLevel.Lightweight, new ConsentActor("user:1", "admin", PortalRoles.Admin), CollectionMethods.Web, "After the move.", ct: ct);
        await copy.Services.GetRequiredService<AccountService>().CreateAsync("nina", "Nina New", PortalRoles.Customer, "customer-password-1", ct);
        await copy.Services.GetRequiredService<ApiTokenService>().CreateAsync("after", PortalRoles.Admin, "admin", ct);
        await copy.Services.GetRequiredService<LicenseService>().RequestAsync(
            new LicenseRequestInput("Initech", "Cora Customer", "cora@initech.example", await copy.Services.GetRequiredService<DeploymentService>().GetDeploymentIdAsync(ct), "Second request.", 30),
            new ConsentActor("user:1", "admin", PortalRoles.Admin), ct: ct);
        var verifiedAfter = await client.GetFromJsonAsync<JsonElement>("/api/v1/consent/verify", ct);
        Assert.True(verifiedAfter.GetProperty("valid").GetBoolean());
        Assert.True(verifiedAfter.GetProperty("entries").GetInt64() > entries);
    }

    [Fact]
    public async Task DbCopy_TargetHasRows_RefusesNamingTheTableAndLeavesItUnchanged()
    {
        var target = TestDatabases.CreatePostgres("dbcopy");
        await ExecuteAsync(target, """CREATE TABLE users ("Id" integer); INSERT INTO users VALUES (7);""");

        var (exitCode, stdout, stderr) = await PortalProcess.RunAsync(["db", "copy", $"--to={target}", $"--Portal:DataDirectory={source.DataDirectory}"]);

        Assert.Equal(DatabaseCopy.Refused, exitCode);
        Assert.Empty(stdout.Trim());
        Assert.Contains("error: the target database", stderr, StringComparison.Ordinal);
        Assert.Contains("table users has rows", stderr, StringComparison.Ordinal);
        Assert.Equal("users", await ScalarAsync(target, "SELECT string_agg(tablename::text, ',') FROM pg_tables WHERE schemaname = 'public'"));
        Assert.Equal(1L, await ScalarAsync(target, "SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task DbCopy_FailsHalfWay_LeavesTheTargetWithoutRows()
    {
        // A copy of the source whose last content names a keyframe that is not there (written with SQLite's foreign
        // keys off): PostgreSQL refuses that row after every table before it was copied.
        var dataDirectory = TempDirectory.Create();
        File.Copy(Path.Combine(source.DataDirectory, "portal.db"), Path.Combine(dataDirectory, "portal.db"));
        await using (var damaged = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dataDirectory, "portal.db")};Pooling=false"))
        {
            await damaged.OpenAsync(TestContext.Current.CancellationToken);
            await using var insert = damaged.CreateCommand();
            insert.CommandText = $"""
                PRAGMA foreign_keys = OFF;
                INSERT INTO payload_contents ("Sha256", "Length", "Encoding", "BaseSha256", "Compressed") VALUES ('{new string('a', 64)}', 1, 'ZstdDelta', '{new string('f', 64)}', x'00');
                """;
            await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var target = TestDatabases.CreatePostgres("dbcopy");

        var (exitCode, stdout, stderr) = await PortalProcess.RunAsync(["db", "copy", "--to", target, $"--Portal:DataDirectory={dataDirectory}"]);

        Assert.Equal(DatabaseCopy.Failed, exitCode);
        Assert.Empty(stdout.Trim());
        Assert.Contains("consent_ledger: ", stderr, StringComparison.Ordinal);
        Assert.Contains("failed, so nothing was written to it", stderr, StringComparison.Ordinal);
        Assert.Contains("FK_payload_contents_payload_contents_BaseSha256", stderr, StringComparison.Ordinal);
        var rows = await ScalarAsync(target, """
            SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM consent_ledger) + (SELECT count(*) FROM api_tokens)
                 + (SELECT count(*) FROM payload_contents) + (SELECT count(*) FROM payloads)
            """);
        Assert.Equal(0L, rows);
    }

    [Fact]
    public async Task DbCopy_TextPostgresCannotStore_FailsNamingTableColumnAndRow_NothingWritten()
    {
        // An earlier version kept a new field's name with a NUL in it (SQLite takes one); PostgreSQL cannot.
        var dataDirectory = TempDirectory.Create();
        File.Copy(Path.Combine(source.DataDirectory, "portal.db"), Path.Combine(dataDirectory, "portal.db"));
        await using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dataDirectory, "portal.db")};Pooling=false"))
        {
            await old.OpenAsync(TestContext.Current.CancellationToken);
            await using var insert = old.CreateCommand();
            insert.CommandText = """
                INSERT INTO unclassified_fields ("Path", "Kind", "JsonType", "FirstSeenAt", "LastSeenAt", "Reports")
                VALUES ('snapshot.nul' || char(0) || 'key', 'snapshot', 'number', '2026-11-01 00:00:00', '2026-11-01 00:00:00', 1);
                """;
            await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var target = TestDatabases.CreatePostgres("dbcopy");

        var (exitCode, stdout, stderr) = await PortalProcess.RunAsync(["db", "copy", "--to", target, $"--Portal:DataDirectory={dataDirectory}"]);

        Assert.Equal(DatabaseCopy.Failed, exitCode);
        Assert.Empty(stdout.Trim());
        Assert.Contains("failed, so nothing was written to it", stderr, StringComparison.Ordinal);
        Assert.Contains(@"unclassified_fields.Path of the row with key snapshot.nul\u0000key holds", stderr, StringComparison.Ordinal);
        Assert.Contains("holds a NUL character (U+0000) at character 13, which PostgreSQL cannot store", stderr, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync(target, "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM consent_ledger) + (SELECT count(*) FROM unclassified_fields)"));
    }

    [Theory]
    [InlineData("Data Source=portal.db", "--to is not a PostgreSQL connection string")]
    [InlineData("Host=127.0.0.1;Password=hunter2-secret;Port=not-a-port;Database=x", "--to is not a PostgreSQL connection string")]
    [InlineData("Host=127.0.0.1;Password=hunter2-secret", "--to names no Database")]
    public async Task DbCopy_NotAPostgresConnectionString_RefusesWithoutEchoingIt(string connection, string expected)
    {
        var (exitCode, stdout, stderr) = await PortalProcess.RunAsync(["db", "copy", "--to", connection, $"--Portal:DataDirectory={source.DataDirectory}"]);

        Assert.Equal(DatabaseCopy.Refused, exitCode);
        Assert.Empty(stdout.Trim());
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith($"error: {expected}", line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DbCopy_UnreachableHost_FailsFastSayingWhy()
    {
        // A loopback port nothing listens on: taken from the system, then closed.
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var started = System.Diagnostics.Stopwatch.StartNew();

        var (exitCode, _, stderr) = await PortalProcess.RunAsync(
            ["db", "copy", "--to", $"Host=127.0.0.1;Port={port};Username=portal;Password=hunter2-secret;Database=portal", $"--Portal:DataDirectory={source.DataDirectory}"]);

        Assert.Equal(DatabaseCopy.Refused, exitCode);
        Assert.Contains($"error: cannot reach PostgreSQL at 127.0.0.1:{port}/portal", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", stderr, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task DbCopy_SourceAlreadyPostgres_RefusesBeforeTouchingEither()
    {
        var portalDatabase = TestDatabases.CreatePostgres("dbcopy");
        var target = TestDatabases.CreatePostgres("dbcopy");
        var dataDirectory = Path.Combine(TempDirectory.Create(), "data");

        var (exitCode, stdout, stderr) = await PortalProcess.RunAsync(
            ["db", "copy", "--to", target, $"--Portal:DataDirectory={dataDirectory}", "--Database:Provider=Postgres", $"--ConnectionStrings:Portal={portalDatabase}"]);

        Assert.Equal(DatabaseCopy.Refused, exitCode);
        Assert.Empty(stdout.Trim());
        Assert.Contains("error: db copy copies the portal's SQLite database, but Database:Provider is already Postgres", stderr, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync(portalDatabase, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
        Assert.Equal(0L, await ScalarAsync(target, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
        Assert.False(Directory.Exists(dataDirectory), "Nothing is created when the copy is refused.");
    }

    [Fact]
    public async Task DbCopy_NoSqliteDatabaseInTheDataDirectory_RefusesInsteadOfCopyingANewEmptyPortal()
    {
        var target = TestDatabases.CreatePostgres("dbcopy");
        var dataDirectory = Path.Combine(TempDirectory.Create(), "data");

        var (exitCode, _, stderr) = await PortalProcess.RunAsync(["db", "copy", "--to", target, $"--Portal:DataDirectory={dataDirectory}"]);

        Assert.Equal(DatabaseCopy.Refused, exitCode);
        Assert.Contains("there is no SQLite database at", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dataDirectory), "Nothing is created when the copy is refused.");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }
}
