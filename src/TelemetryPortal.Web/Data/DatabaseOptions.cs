using Microsoft.Extensions.Options;

namespace TelemetryPortal.Web.Data;

/// <summary>Which database the portal keeps its data in.</summary>
public enum DatabaseProvider
{
    /// <summary>One SQLite file in the data directory (the embedded default, one portal process).</summary>
    Sqlite,

    /// <summary>A PostgreSQL database (Npgsql), which several portal instances may share.</summary>
    Postgres,
}

/// <summary>The <c>Database</c> settings section, with the connection string <c>ConnectionStrings:Portal</c>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>The name of the connection string (<c>ConnectionStrings:Portal</c>).</summary>
    public const string ConnectionName = "Portal";

    /// <summary><c>Sqlite</c> (the default) or <c>Postgres</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary><c>ConnectionStrings:Portal</c>; for SQLite it defaults to <c>portal.db</c> in the data directory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// This instance's name in leases and logs (which instance is sending a payload, which ran a scheduled job).
    /// Defaults to the host name and process id.
    /// </summary>
    public string InstanceName { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>
    /// How long an instance holds a payload it is sending before another may take it over; renewed every third of it
    /// while the send goes on. Defaults to one minute: a payload left by an instance that died is sent within it.
    /// </summary>
    public TimeSpan SendLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// On PostgreSQL, how often an idle sender looks for payloads another instance captured (or left behind). Defaults
    /// to 5 seconds. (On SQLite one process sends what it captures, woken at once.)
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Rules for <see cref="DatabaseOptions"/>; every failure names its setting.</summary>
public sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Provider))
        {
            failures.Add($"Database:Provider must be Sqlite or Postgres; got \"{options.Provider}\".");
        }

        if (options.Provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                failures.Add("Database:Provider is Postgres, so ConnectionStrings:Portal must be set (e.g. \"Host=db;Database=portal;Username=portal;Password=...\").");
            }
            else
            {
                try
                {
                    _ = new Npgsql.NpgsqlConnectionStringBuilder(options.ConnectionString);
                }
                catch (ArgumentException ex)
                {
                    failures.Add($"ConnectionStrings:Portal is not a PostgreSQL connection string: {ex.Message}");
                }
            }
        }

        if (options.SendLease < TimeSpan.FromSeconds(3) || options.SendLease > TimeSpan.FromHours(1))
        {
            failures.Add($"Database:SendLease must be between 00:00:03 and 01:00:00; got {options.SendLease}.");
        }

        if (options.PollInterval < TimeSpan.FromMilliseconds(100) || options.PollInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"Database:PollInterval must be between 00:00:00.1 and 01:00:00; got {options.PollInterval}.");
        }

        if (string.IsNullOrWhiteSpace(options.InstanceName) || options.InstanceName.Length > 200)
        {
            failures.Add("Database:InstanceName must be 1 to 200 characters.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
