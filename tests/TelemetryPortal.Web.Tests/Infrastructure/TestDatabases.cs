using Npgsql;

namespace TelemetryPortal.Web.Tests.Infrastructure;

/// <summary>
/// Which database the portal under test uses. <c>test.sh</c> starts a private PostgreSQL cluster and names it in
/// <see cref="AdminVariable"/>; it runs this project once on SQLite (the default) and once more with
/// <see cref="ProviderVariable"/>=<c>Postgres</c> for the tests that must hold on both providers
/// (<c>[Trait("Database", "Both")]</c>) and those about several instances (<c>[Trait("Database", "Postgres")]</c>).
/// </summary>
public static class TestDatabases
{
    /// <summary>The test cluster's admin connection string (user <c>postgres</c>, database <c>postgres</c>).</summary>
    public const string AdminVariable = "PORTAL_TEST_POSTGRES";

    /// <summary><c>Postgres</c> runs every portal of this test run on a database of its own on the test cluster.</summary>
    public const string ProviderVariable = "PORTAL_TEST_PROVIDER";

    /// <summary>Whether this run's portals use PostgreSQL.</summary>
    public static bool UsePostgres =>
        string.Equals(Environment.GetEnvironmentVariable(ProviderVariable), "Postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The settings that put a portal on PostgreSQL when this run uses it (none otherwise): the database that belongs to
    /// <paramref name="dataDirectory"/>, created the first time, so that a portal started again on the same data directory
    /// finds its data, as it does in its SQLite file.
    /// </summary>
    public static IDictionary<string, string?> PortalSettings(string dataDirectory)
    {
        if (!UsePostgres)
        {
            return new Dictionary<string, string?>();
        }

        var marker = Path.Combine(dataDirectory, "test-postgres-connection");
        lock (Lock)
        {
            if (!File.Exists(marker))
            {
                Directory.CreateDirectory(dataDirectory);
                File.WriteAllText(marker, CreatePostgres());
            }
        }

        return new Dictionary<string, string?> { ["Database:Provider"] = "Postgres", ["ConnectionStrings:Portal"] = File.ReadAllText(marker) };
    }

    private static readonly Lock Lock = new();

    /// <summary>Creates an empty database on the test cluster and returns its connection string.</summary>
    public static string CreatePostgres(string prefix = "portal")
    {
        var admin = Environment.GetEnvironmentVariable(AdminVariable);
        if (string.IsNullOrWhiteSpace(admin))
        {
            throw new InvalidOperationException(
                $"{AdminVariable} is not set: the PostgreSQL tests need the private cluster ./test.sh starts (scripts/test-postgres.sh start DIR prints its connection string).");
        }

        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 17, 63)];
        using (var connection = new NpgsqlConnection(admin))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            create.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 40 }.ConnectionString;
    }
}
