using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace TelemetryPortal.Benchmarks;

/// <summary>
/// The benchmark's own PostgreSQL cluster, kept in a directory between runs (so a seeded database is reused) and
/// running only while a benchmark runs: started on a free loopback port, stopped (not removed) when disposed.
/// Unlike the tests' throw-away cluster (<c>scripts/test-postgres.sh</c>: fsync off), it keeps PostgreSQL's durable
/// defaults, so a write that the portal reports as stored is on disk as it would be in production.
/// </summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _binaries;
    private readonly string _data;

    private PostgresCluster(string binaries, string data, string adminConnectionString) =>
        (_binaries, _data, AdminConnectionString) = (binaries, data, adminConnectionString);

    /// <summary>User <c>postgres</c>, database <c>postgres</c>, trust authentication on loopback.</summary>
    public string AdminConnectionString { get; }

    /// <summary>Creates the cluster in <paramref name="directory"/> the first time, and starts it.</summary>
    public static async Task<PostgresCluster> StartAsync(string directory)
    {
        var binaries = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var major) ? major : 0)
                .LastOrDefault()
            : null;
        binaries ??= HistoryBenchmark.FindOnPath("initdb") is { } initdb ? Path.GetDirectoryName(initdb) : null;
        if (binaries is null)
        {
            throw new InvalidOperationException("PostgreSQL's initdb was not found (install Debian's postgresql package), or pass --connection.");
        }

        Directory.CreateDirectory(directory);
        if (Environment.UserName == "root")
        {
            // initdb refuses to run as root: the cluster runs as the postgres user the Debian package creates.
            await RunAsync("chown", ["postgres:", directory]);
            if (await TryRunAsync("runuser", ["-u", "postgres", "--", "test", "-w", directory]) != 0)
            {
                throw new InvalidOperationException($"the postgres user cannot write to {directory} (a parent directory is closed to it); pass --data with a directory under /tmp opened with chmod 755.");
            }
        }

        var data = Path.Combine(directory, "data");
        if (!File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            Console.WriteLine($"creating a PostgreSQL cluster in {data} ...");
            await RunAsOwnerAsync(Path.Combine(binaries, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
        }

        var pgCtl = Path.Combine(binaries, "pg_ctl");
        var (statusCommand, statusArguments) = Owner(pgCtl, ["-D", data, "status"]);
        if (await TryRunAsync(statusCommand, statusArguments) == 0)
        {
            Console.WriteLine("the benchmark cluster was left running by an interrupted run: stopping it first");
            await RunAsOwnerAsync(pgCtl, ["-D", data, "-m", "fast", "-w", "stop"]);
        }

        var port = FreePort();
        // Durable defaults; enough shared buffers to hold the sent log's indexes, as a server with a few GB would.
        var settings = $"-c listen_addresses=127.0.0.1 -p {port} -k {directory} -c max_connections=200 -c shared_buffers=512MB";
        await RunAsOwnerAsync(pgCtl, ["-D", data, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "120", "-o", settings, "start"]);
        var admin = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "postgres", Database = "postgres" }.ConnectionString;
        return new PostgresCluster(binaries, data, admin);
    }

    /// <summary>
    /// CPU seconds the cluster has used so far: the postmaster, its live children (backends, background workers), and
    /// the children it has reaped (counted in its own figures once they exit).
    /// </summary>
    public double CpuSeconds()
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(_data, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        var total = 0.0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                if (pid == postmaster)
                {
                    total += ticks + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
                }
                else if (int.Parse(fields[1], CultureInfo.InvariantCulture) == postmaster)
                {
                    total += ticks;
                }
            }
            catch (IOException)
            {
                // The process ended while it was read.
            }
        }

        return total / 100.0;
    }

    public async ValueTask DisposeAsync() =>
        await RunAsOwnerAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", _data, "-m", "fast", "-w", "stop"]);

    /// <summary>The connection string of database <paramref name="name"/> on the server <paramref name="admin"/> names.</summary>
    public static string Database(string admin, string name) =>
        new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;

    /// <summary>Drops database <paramref name="name"/> if it exists (closing its connections) and creates it empty.</summary>
    public static async Task RecreateAsync(string admin, string name)
    {
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        var quoted = Quote(name);
        await using (var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)", connection))
        {
            await drop.ExecuteNonQueryAsync();
        }

        await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
        await create.ExecuteNonQueryAsync();
    }

    public static async Task DropAsync(string admin, string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Quote(name)} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    public static async Task<bool> ExistsAsync(string admin, string name)
    {
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", connection) { Parameters = { new() { Value = name } } };
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A database name as an SQL identifier (names here are the benchmark's own: letters, digits and underscores).</summary>
    private static string Quote(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? $"\"{name}\"" : throw new ArgumentException($"\"{name}\" is not a database name the benchmark makes.", nameof(name));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static (string File, string[] Arguments) Owner(string file, string[] arguments) =>
        Environment.UserName == "root" ? ("runuser", ["-u", "postgres", "--", file, .. arguments]) : (file, arguments);

    private static async Task RunAsOwnerAsync(string file, string[] arguments)
    {
        var (command, args) = Owner(file, arguments);
        await RunAsync(command, args);
    }

    private static async Task RunAsync(string file, string[] arguments)
    {
        var (code, output) = await RunCapturedAsync(file, arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {code}: {output}");
        }
    }

    private static async Task<int> TryRunAsync(string file, string[] arguments) => (await RunCapturedAsync(file, arguments)).Code;

    private static async Task<(int Code, string Output)> RunCapturedAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }
}
