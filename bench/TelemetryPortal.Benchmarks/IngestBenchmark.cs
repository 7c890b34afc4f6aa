using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;
using TelemetryPortal.Core.Simulation;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Benchmarks;

/// <summary>
/// Ingest throughput of portal processes sharing one PostgreSQL database, in proxy mode: Coder's snapshots posted to
/// <c>/snapshot</c> by a bounded number of concurrent clients spread over the instances, each redacted and stored
/// (the 202), then sent by the instances' outbox senders to a receiver on loopback. Measured for each instance count
/// in the same run, each on a fresh database, with the same payloads.
/// </summary>
internal static class IngestBenchmark
{
    private sealed record Phase(
        int Instances, double AcceptSeconds, double DeliverSeconds, List<double> AcceptLatencies, int Duplicates,
        double PortalCpuSeconds, double? PostgresCpuSeconds, double MachineBusySeconds, double OtherCpuSeconds, string Statuses, long StoredBytes);

    public static async Task<int> RunAsync(string[] args)
    {
        var instanceCounts = (HistoryBenchmark.OptionText(args, "--instances") ?? "1,2").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var count = HistoryBenchmark.Option(args, "--payloads", 2_000);
        var warmup = HistoryBenchmark.Option(args, "--warmup", 40);
        var clients = HistoryBenchmark.Option(args, "--clients", 8);
        var level = HistoryBenchmark.Option(args, "--level", 1);
        var directory = HistoryBenchmark.OptionText(args, "--data") ?? Path.Combine(Path.GetTempPath(), "telemetry-portal-bench");
        var connection = HistoryBenchmark.OptionText(args, "--connection");
        if (instanceCounts.Any(n => n is < 1 or > 8) || count < 1 || clients < 1 || level is < 1 or > 2)
        {
            Console.Error.WriteLine("--instances takes counts from 1 to 8 (e.g. 1,2); --payloads and --clients at least 1; --level 1 or 2 (0 sends nothing).");
            return 2;
        }

        var web = PipelineBenchmark.WebAssembly();
        Console.WriteLine($"portal: {web}; processors: {Environment.ProcessorCount}; runtime: {Environment.Version}");
        Directory.CreateDirectory(directory);
        var payloads = Snapshots(warmup + count);
        Console.WriteLine($"payloads: {warmup} warm-up + {count:N0} timed Coder snapshots, all different, average {payloads.Average(p => p.Length) / 1e3:F0} kB (smallest {payloads.Min(p => p.Length) / 1e3:F0} kB, largest {payloads.Max(p => p.Length) / 1e3:F0} kB); {clients} concurrent clients; level {level}");

        await using var cluster = connection is null ? await PostgresCluster.StartAsync(Path.Combine(directory, "postgres")) : null;
        var admin = connection ?? cluster!.AdminConnectionString;
        await using var receiver = await CountingReceiver.StartAsync();
        var phases = new List<Phase>();
        foreach (var instances in instanceCounts)
        {
            var phase = await RunPhaseAsync(web, admin, cluster, directory, instances, payloads, warmup, clients, level, receiver);
            phases.Add(phase);
            Console.WriteLine(Row(phase, count, phases[0]));
        }

        Console.WriteLine();
        Console.WriteLine("| instances | accepted/s | accept p50 (ms) | accept p95 (ms) | delivered/s (end to end) | vs first row: accepted, delivered | portal CPU (s) | PostgreSQL CPU (s) | machine busy (s, of cores x time) | the rest of the machine (s) | duplicates delivered | statuses after | database size |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---:|");
        phases.ForEach(p => Console.WriteLine(Row(p, count, phases[0])));
        return 0;
    }

    private static string Row(Phase p, int count, Phase first) => HistoryBenchmark.Invariant(
        $"| {p.Instances} | {count / p.AcceptSeconds:F1} | {HistoryBenchmark.Percentile(p.AcceptLatencies, 0.5) * 1e3:F0} | {HistoryBenchmark.Percentile(p.AcceptLatencies, 0.95) * 1e3:F0} | {count / p.DeliverSeconds:F1} | {first.AcceptSeconds / p.AcceptSeconds:F2}x, {first.DeliverSeconds / p.DeliverSeconds:F2}x | {p.PortalCpuSeconds:F1} | {(p.PostgresCpuSeconds is { } pg ? pg.ToString("F1", CultureInfo.InvariantCulture) : "n/a")} | {p.MachineBusySeconds:F1} of {p.DeliverSeconds * Environment.ProcessorCount:F1} | {p.OtherCpuSeconds:F1} | {p.Duplicates} | {p.Statuses} | {p.StoredBytes / 1e6:F0} MB |");

    private static async Task<Phase> RunPhaseAsync(
        string web, string admin, PostgresCluster? cluster, string directory, int instances, IReadOnlyList<byte[]> payloads, int warmup, int clients, int level, CountingReceiver receiver)
    {
        var name = $"ingest_{instances}";
        await PostgresCluster.RecreateAsync(admin, name);
        var database = PostgresCluster.Database(admin, name);
        var portals = new List<(Process Process, HttpClient Http, DirectoryInfo Data, StreamWriter Log)>();
        var logs = Directory.CreateDirectory(Path.Combine(directory, "ingest-logs"));
        try
        {
            for (var i = 0; i < instances; i++)
            {
                var data = Directory.CreateTempSubdirectory("tp-ingest-");
                var environment = new Dictionary<string, string>
                {
                    ["Portal__DataDirectory"] = data.FullName,
                    ["Portal__AdminPassword"] = "bench-admin-password-1",
                    ["Database__Provider"] = "Postgres",
                    ["ConnectionStrings__Portal"] = database,
                    ["Database__InstanceName"] = $"bench-{i + 1}",
                    ["Telemetry__Source"] = "CoderProxy",
                    ["Telemetry__Endpoint"] = receiver.BaseUri.AbsoluteUri,
                    [TelemetryLevels.EnvironmentVariable] = level.ToString(CultureInfo.InvariantCulture),
                };
                // One after another: the first applies the migrations (others would wait on EF's migration lock anyway).
                var log = new StreamWriter(Path.Combine(logs.FullName, $"{name}-instance-{i + 1}.log"));
                var process = PipelineBenchmark.StartPortal(web, environment, out var baseUri, log);
                portals.Add((process, new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(5) }, data, log));
            }

            Console.WriteLine($"{instances} instance(s) on database {name}: warming up with {warmup} payloads ...");
            receiver.Reset(warmup);
            await PostAllAsync(portals.Select(p => p.Http).ToList(), payloads.Take(warmup).ToList(), clients, []);
            await receiver.Delivered.WaitAsync(TimeSpan.FromMinutes(5));

            var timed = payloads.Skip(warmup).ToList();
            receiver.Reset(timed.Count);
            var cpuBefore = portals.Sum(p => CpuSeconds(p.Process.Id));
            var selfBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            var machineBefore = MachineBusySeconds();
            var postgresBefore = cluster?.CpuSeconds();
            var latencies = new ConcurrentBag<double>();
            var watch = Stopwatch.StartNew();
            await PostAllAsync(portals.Select(p => p.Http).ToList(), timed, clients, latencies);
            var accepted = watch.Elapsed.TotalSeconds;
            await receiver.Delivered.WaitAsync(TimeSpan.FromMinutes(30));
            var delivered = watch.Elapsed.TotalSeconds;
            var portalCpu = portals.Sum(p => CpuSeconds(p.Process.Id)) - cpuBefore;
            var self = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - selfBefore;
            var machine = MachineBusySeconds() - machineBefore;
            var postgres = cluster?.CpuSeconds() - postgresBefore;
            var (statuses, stored) = await StatusesAsync(database);
            Console.WriteLine(HistoryBenchmark.Invariant($"  accepted {timed.Count} in {accepted:F1} s, delivered in {delivered:F1} s; this process (clients and receiver) used {self:F1} s of CPU"));
            return new Phase(instances, accepted, delivered, [.. latencies], receiver.Duplicates, portalCpu, postgres, machine, machine - portalCpu - self - (postgres ?? 0), statuses, stored);
        }
        finally
        {
            foreach (var (process, http, data, log) in portals)
            {
                http.Dispose();
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }

                process.Dispose();
                data.Delete(recursive: true);
                await log.DisposeAsync();
            }

            Console.WriteLine($"  the portals' logs: {logs.FullName}");

            await PostgresCluster.DropAsync(admin, name);
        }
    }

    /// <summary>Posts every payload once; client <c>k</c> posts to instance <c>k mod n</c>, taking the next payload when its last one is accepted.</summary>
    private static async Task PostAllAsync(List<HttpClient> instances, List<byte[]> payloads, int clients, ConcurrentBag<double> latencies)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            var http = instances[client % instances.Count];
            int index;
            while ((index = Interlocked.Increment(ref next)) < payloads.Count)
            {
                using var content = new ByteArrayContent(payloads[index]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, "/snapshot") { Content = content };
                request.Headers.Add("X-Coder-Version", "v2.24.1");
                var watch = Stopwatch.StartNew();
                using var answer = await http.SendAsync(request);
                if (answer.StatusCode != HttpStatusCode.Accepted)
                {
                    throw new InvalidOperationException($"/snapshot on {http.BaseAddress} answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
                }

                latencies.Add(watch.Elapsed.TotalSeconds);
            }
        }));
    }

    /// <summary>
    /// Snapshots as a Coder deployment of 80 to 160 users reports them (about 200 to 400 kB), every one different: each
    /// is taken half an hour after the one before, as Coder reports.
    /// </summary>
    private static byte[][] Snapshots(int count)
    {
        var watch = Stopwatch.StartNew();
        var snapshots = new byte[count][];
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        Parallel.For(0, count, i =>
        {
            var users = 80 + (int)((i * 7919L) % 81);
            var installation = new SimulatedInstallation(new SimulationOptions
            {
                Seed = 11,
                Users = users,
                Workspaces = users * 2,
                Templates = 4 + (users / 40),
                RecentActivity = 0.1 + ((i % 5) * 0.04),
                Now = start.AddMinutes(30 * i),
            });
            using var buffer = new MemoryStream();
            installation.WriteSnapshot(buffer);
            snapshots[i] = buffer.ToArray();
        });
        Console.WriteLine($"generated {count:N0} snapshots in {watch.Elapsed.TotalSeconds:F1} s");
        return snapshots;
    }

    private static async Task<(string Statuses, long StoredBytes)> StatusesAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT (SELECT string_agg("Status" || ' ' || n, ', ' ORDER BY "Status") FROM (SELECT "Status", count(*) AS n FROM payloads GROUP BY "Status") s),
                   pg_database_size(current_database())
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetString(0), reader.GetInt64(1));
    }

    /// <summary>User + system CPU seconds of a process (from /proc/PID/stat, in clock ticks of 1/100 s).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>CPU seconds the whole machine spent busy (all cores, everything but idle and iowait), from /proc/stat.</summary>
    private static double MachineBusySeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return (fields.Take(8).Sum() - fields[3] - fields[4]) / 100.0;
    }

    /// <summary>A telemetry endpoint on loopback that reads each body, counts distinct idempotency keys, and keeps nothing.</summary>
    private sealed class CountingReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly Lock _lock = new();
        private HashSet<string> _keys = [];
        private int _target;
        private TaskCompletionSource _delivered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private CountingReceiver(WebApplication app, Uri baseUri) => (_app, BaseUri) = (app, baseUri);

        public Uri BaseUri { get; }

        public int Duplicates { get; private set; }

        /// <summary>Completes when the target of the last <see cref="Reset"/> is reached.</summary>
        public Task Delivered => _delivered.Task;

        public void Reset(int target)
        {
            lock (_lock)
            {
                (_keys, _target, Duplicates) = ([], target, 0);
                _delivered = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public static async Task<CountingReceiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            CountingReceiver? receiver = null;
            app.MapPost("/{**path}", async (HttpContext context) =>
            {
                var buffer = new byte[1 << 16];
                while (await context.Request.Body.ReadAsync(buffer) > 0)
                {
                }

                receiver!.Count(context.Request.Headers["Idempotency-Key"].ToString());
                return Results.Accepted();
            });
            await app.StartAsync();
            var address = app.Urls.First();
            receiver = new CountingReceiver(app, new Uri(address.EndsWith('/') ? address : address + "/"));
            return receiver;
        }

        private void Count(string key)
        {
            lock (_lock)
            {
                if (!_keys.Add(key))
                {
                    Duplicates++;
                }

                if (_keys.Count >= _target)
                {
                    _delivered.TrySetResult();
                }
            }
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
