using Npgsql;

namespace TelemetryPortal.Web.Data;

/// <summary>Creates the portal's PostgreSQL database when it does not exist yet, before the migrations run.</summary>
/// <remarks>
/// EF Core would create it too, but only after a failed connection that it logs as an error, which reads as a failed start
/// on a first start that went well. Connecting to the server's maintenance database needs no more rights than creating one.
/// </remarks>
public static partial class PostgresDatabase
{
    /// <summary>Creates the database <paramref name="connectionString"/> names unless it exists; returns whether it created it.</summary>
    /// <exception cref="NpgsqlException">The server cannot be reached, or the user may not create the database (the message says which).</exception>
    public static async Task<bool> EnsureExistsAsync(string connectionString, ILogger logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var name = target.Database ?? target.Username;
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
        }
        catch (PostgresException)
        {
            // No access to the maintenance database (a managed server, a narrow role): the migrations create it, or say why not.
            return false;
        }

        if (await ExistsAsync(connection, name, ct))
        {
            return false;
        }

        try
        {
            // The name is the operator's own setting, quoted as an identifier.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another instance starting at the same moment created it. When both CREATE DATABASE run at once, the later
            // one fails on pg_database's unique name index (23505) rather than with "already exists" (42P04).
            if (await ExistsAsync(connection, name, ct))
            {
                return false;
            }

            throw;
        }

        LogCreated(logger, name, target.Host ?? "");
        return true;
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string name, CancellationToken ct)
    {
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = name } } };
        return await exists.ExecuteScalarAsync(ct) is not null;
    }

    [LoggerMessage(LogLevel.Information, "Created the PostgreSQL database {Database} on {Host}")]
    private static partial void LogCreated(ILogger logger, string database, string host);
}
