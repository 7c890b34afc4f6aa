using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Extensions;
using TelemetryPortal.Web.Features.Accounts;
using TelemetryPortal.Web.Features.ApiTokens;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Features.Licensing;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Services;

namespace TelemetryPortal.Benchmarks;

/// <summary>
/// The portal's own services (the registrations <c>Program.cs</c> makes) over one SQLite file or one PostgreSQL
/// database, without the web host: the same DbContext options, migrations, HistoryService and capture path.
/// </summary>
internal sealed class BenchPortal : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly string? _databaseFile;

    private BenchPortal(ServiceProvider services, string? databaseFile)
    {
        _services = services;
        _databaseFile = databaseFile;
    }

    /// <summary>The SQLite file (only on SQLite).</summary>
    public string DatabaseFile => _databaseFile ?? throw new InvalidOperationException("This bench portal is on PostgreSQL; it has no database file.");

    public BenchClock Clock => _services.GetRequiredService<BenchClock>();

    /// <summary>Records the commands EF sends while <see cref="CommandRecorder.Recording"/> is on.</summary>
    public CommandRecorder Commands => _services.GetRequiredService<CommandRecorder>();

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Builds the services on a SQLite file and runs the portal's initializer (migrations, WAL, deployment id, first admin).</summary>
    public static async Task<BenchPortal> OpenAsync(string databaseFile, DateTimeOffset now) =>
        await OpenAsync(Path.GetDirectoryName(databaseFile)!, databaseFile, new() { ["ConnectionStrings:Portal"] = $"Data Source={databaseFile}" }, now);

    /// <summary>Builds the services on a PostgreSQL database and runs the portal's initializer; <paramref name="dataDirectory"/> holds the rest of the portal's files.</summary>
    public static async Task<BenchPortal> OpenPostgresAsync(string connectionString, string dataDirectory, DateTimeOffset now) =>
        await OpenAsync(dataDirectory, null, new() { ["Database:Provider"] = "Postgres", ["ConnectionStrings:Portal"] = connectionString }, now);

    private static async Task<BenchPortal> OpenAsync(string dataDirectory, string? databaseFile, Dictionary<string, string?> database, DateTimeOffset now)
    {
        Directory.CreateDirectory(dataDirectory);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>(database)
            {
                ["Portal:DataDirectory"] = dataDirectory,
                ["Portal:AdminPassword"] = "benchmark-admin-password",
                ["Telemetry:Level"] = "2",
            })
            .Build();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddPortalOptions().AddPortalData().AddPortalServices().AddAccounts().AddApiTokens().AddConsent().AddTelemetry().AddLicensing();
        var clock = new BenchClock(now);
        services.AddSingleton(clock);
        services.AddSingleton<TimeProvider>(clock);
        var recorder = new CommandRecorder();
        services.AddSingleton(recorder);
        // Options are built per concrete context type (one per provider), so the recorder goes on each.
        services.ConfigureDbContext<SqlitePortalDbContext>(options => options.AddInterceptors(recorder));
        services.ConfigureDbContext<PostgresPortalDbContext>(options => options.AddInterceptors(recorder));

        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<PortalInitializer>().InitializeAsync();
        return new BenchPortal(provider, databaseFile);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        // Pooled connections keep the file open (and the WAL un-checkpointed), or the database in use, until cleared.
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
    }
}

/// <summary>A clock the benchmark moves by hand.</summary>
internal sealed class BenchClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>One command as EF sent it: its text and its parameters' values.</summary>
internal sealed record RecordedCommand(string Text, IReadOnlyList<(string Name, object? Value)> Parameters);

/// <summary>Keeps the commands EF executes, with their parameter values, so the same SQL can be run elsewhere.</summary>
internal sealed class CommandRecorder : DbCommandInterceptor
{
    private readonly List<RecordedCommand> _commands = [];

    public bool Recording { get; set; }

    public IReadOnlyList<RecordedCommand> Take()
    {
        lock (_commands)
        {
            var taken = _commands.ToList();
            _commands.Clear();
            return taken;
        }
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    private void Record(DbCommand command)
    {
        if (!Recording)
        {
            return;
        }

        var parameters = command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList();
        lock (_commands)
        {
            _commands.Add(new RecordedCommand(command.CommandText, parameters));
        }
    }
}
