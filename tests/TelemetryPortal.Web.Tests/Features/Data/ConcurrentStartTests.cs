using System.Net;
using Npgsql;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Data;

/// <summary>Instances started together on a new PostgreSQL database (replicas of one deployment on Kubernetes) all come up, on one set of data.</summary>
[Trait("Database", "Postgres")]
public sealed class ConcurrentStartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_ThreeInstancesAtOnceOnANewOrMissingDatabase_AllServeOneDeploymentOneAdminOneFirstLedgerEntry()
    {
        for (var round = 0; round < 3; round++)
        {
            // The first round on a database that does not exist yet: the instances race to create it too.
            var connection = round == 0
                ? new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(TestDatabases.AdminVariable)) { Database = $"portal_new_{Guid.NewGuid():N}"[..27] }.ConnectionString
                : TestDatabases.CreatePostgres();
            var starting = Enumerable.Range(0, 3).Select(_ => RunningPortal.StartAsync(new Dictionary<string, string>
            {
                ["Database__Provider"] = "Postgres",
                ["ConnectionStrings__Portal"] = connection,
                ["Portal__DataDirectory"] = TempDirectory.Create(),
                ["Portal__AdminPassword"] = PortalFactory.AdminPassword,
                ["Telemetry__FirstReportDelay"] = "1.00:00:00",
            })).ToList();
            try
            {
                var portals = await Task.WhenAll(starting);

                using var http = new HttpClient();
                foreach (var portal in portals)
                {
                    Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(portal.BaseUri, "/health"), Ct)).StatusCode);
                }

                await using var db = new NpgsqlConnection(connection);
                await db.OpenAsync(Ct);
                Assert.Equal(1L, await ScalarAsync(db, "SELECT count(*) FROM deployment"));
                Assert.Equal(1L, await ScalarAsync(db, "SELECT count(*) FROM users WHERE \"UserName\" = 'admin'"));
                Assert.Equal(1L, await ScalarAsync(db, "SELECT count(*) FROM consent_ledger WHERE \"Action\" = 'EffectiveLevelChanged'"));
                Assert.Equal(1L, await ScalarAsync(db, "SELECT count(*) FROM portal_keys WHERE \"Name\" = 'license-development'"));
            }
            finally
            {
                // Every start has ended here (Task.WhenAll waits for all, even when one fails).
                await Task.WhenAll(starting.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default)));
                foreach (var started in starting.Where(s => s.IsCompletedSuccessfully))
                {
                    (await started).Dispose();
                }
            }
        }
    }

    [Fact]
    public async Task EnsureExists_ManyAtOnceOnAMissingDatabase_OneCreatesIt_NoneFails()
    {
        // Two CREATE DATABASE at the same moment: the later one fails on pg_database's unique index (23505), not with
        // "already exists" (42P04). Each round races eight callers on a new name; CI once lost a start to this.
        var admin = Environment.GetEnvironmentVariable(TestDatabases.AdminVariable)!;
        for (var round = 0; round < 5; round++)
        {
            var name = $"portal_race_{Guid.NewGuid():N}"[..28];
            var connection = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
            using var go = new ManualResetEventSlim();
            var racers = Enumerable.Range(0, 8).Select(_ => Task.Run(
                async () =>
                {
                    go.Wait(Ct);
                    return await PostgresDatabase.EnsureExistsAsync(connection, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, Ct);
                },
                Ct)).ToList();
            go.Set();
            var created = await Task.WhenAll(racers);

            Assert.Equal(1, created.Count(c => c));
            await using var db = new NpgsqlConnection(admin);
            await db.OpenAsync(Ct);
            Assert.Equal(1L, await ScalarAsync(db, $"SELECT count(*) FROM pg_database WHERE datname = '{name}'"));
        }
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
