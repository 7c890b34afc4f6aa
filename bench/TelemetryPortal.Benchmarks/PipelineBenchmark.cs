using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Benchmarks;

/// <summary>
/// The whole pipeline on a real portal process, at several snapshot sizes: Coder's report posted to <c>/snapshot</c>
/// (capture, redaction at level 1, store), sent by the portal to a receiver on loopback, read back through the payload
/// API, and previewed; the portal's resident memory idle and at its peak. The floor is the bare redactor on the same
/// file in this process (level 1, output discarded), measured in the same run.
/// </summary>
internal static class PipelineBenchmark
{
    /// <summary>About 1 MB of snapshot per this many users (and 2.4x as many workspaces), measured on the simulation.</summary>
    private const int UsersPerMegabyte = 413;

    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = (HistoryBenchmark.OptionText(args, "--sizes") ?? "1,100,400").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var dataDirectory = HistoryBenchmark.OptionText(args, "--data") ?? Path.Combine(Path.GetTempPath(), "telemetry-portal-bench");
        var regenerate = args.Contains("--regenerate");
        var web = WebAssembly();
        Console.WriteLine($"portal: {web}; processors: {Environment.ProcessorCount}; runtime: {Environment.Version}");
        var rows = new List<string>();
        foreach (var megabytes in sizes)
        {
            var users = Math.Max(60, megabytes * UsersPerMegabyte);
            var file = RedactionBenchmark.EnsureSnapshot(dataDirectory, users, (int)(users * 2.4), regenerate);
            var size = new FileInfo(file).Length;
            var floor = Median([.. Enumerable.Range(0, 3).Select(_ => BareRedaction(file))]);
            var run = await RunPipelineAsync(web, file);
            var total = run.Capture + run.Send + run.ReadBack;
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {size / 1e6:F1} MB | {floor:F2} | {run.Capture:F2} | {run.Send:F2} | {run.ReadBack:F2} | {total / floor:F1}x | {run.PreviewFirst:F2} / {run.PreviewAgain:F3} | {run.IdleRss / 1e6:F0} | {run.PeakRss / 1e6:F0} | {(double)run.PeakRss / run.IdleRss:F2}x |"));
            Console.WriteLine(rows[^1]);
        }

        Console.WriteLine();
        Console.WriteLine("| snapshot | bare redaction (s) | capture+redact+store (s) | send (s) | read back (s) | end to end / bare | preview first byte: first / again (s) | idle RSS (MB) | peak RSS (MB) | peak / idle |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        rows.ForEach(Console.WriteLine);
        return 0;
    }

    private sealed record PipelineRun(double Capture, double Send, double ReadBack, double PreviewFirst, double PreviewAgain, long IdleRss, long PeakRss);

    private static async Task<PipelineRun> RunPipelineAsync(string web, string file)
    {
        var data = Directory.CreateTempSubdirectory("tp-pipeline-");
        try
        {
            await using var receiver = await HashingReceiver.StartAsync();
            var environment = new Dictionary<string, string>
            {
                ["Portal__DataDirectory"] = data.FullName,
                ["Portal__AdminPassword"] = "bench-admin-password-1",
                ["Telemetry__Source"] = "CoderProxy",
                ["Telemetry__Endpoint"] = receiver.BaseUri.AbsoluteUri,
                [TelemetryLevels.EnvironmentVariable] = "1",
            };
            var token = (await RunToCompletionAsync(web, ["tokens", "create", "--name", "bench", "--role", "Support"], environment)).Trim();
            using var portal = StartPortal(web, environment, out var baseUri);
            using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(10) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await http.GetAsync("/api/v1/history")).EnsureSuccessStatusCode();
            var idle = Status(portal.Id, "VmRSS:");

            // Coder posts its snapshot; the 202 means it is redacted and stored durably.
            var watch = Stopwatch.StartNew();
            await using (var body = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
            {
                using var content = new StreamContent(body, 1 << 16);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, "/snapshot") { Content = content };
                request.Headers.Add("X-Coder-Version", "v2.24.1");
                using var answer = await http.SendAsync(request);
                if (answer.StatusCode != HttpStatusCode.Accepted)
                {
                    throw new InvalidOperationException($"/snapshot answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
                }
            }

            var capture = watch.Elapsed.TotalSeconds;
            var peaks = new List<long> { Status(portal.Id, "VmHWM:") };
            watch.Restart();
            var sent = await receiver.WaitForAsync(TimeSpan.FromMinutes(10));
            var send = watch.Elapsed.TotalSeconds;
            peaks.Add(Status(portal.Id, "VmHWM:"));

            using var list = JsonDocument.Parse(await http.GetStringAsync("/api/v1/history?kind=snapshot"));
            var item = list.RootElement.GetProperty("items")[0];
            var id = item.GetProperty("id").GetInt64();
            var sha256 = item.GetProperty("sha256").GetString();
            watch.Restart();
            var (readSha, readLength) = await HashAsync(http, $"/api/v1/history/{id}/payload");
            var readBack = watch.Elapsed.TotalSeconds;
            peaks.Add(Status(portal.Id, "VmHWM:"));
            if (readSha != sha256 || sent.Sha256 != sha256 || readLength != sent.Length)
            {
                throw new InvalidDataException($"payload {id}: logged {sha256}, sent {sent.Sha256} ({sent.Length} bytes), read back {readSha} ({readLength} bytes)");
            }

            var previewFirst = await FirstByteAsync(http, "/api/v1/telemetry/preview?kind=snapshot&level=1");
            var previewAgain = await FirstByteAsync(http, "/api/v1/telemetry/preview?kind=snapshot&level=1");
            var peak = Status(portal.Id, "VmHWM:");
            Console.WriteLine($"  peak resident memory after capture, send, read back, preview: {string.Join(", ", peaks.Append(peak).Select(p => $"{p / 1e6:F0} MB"))}");
            portal.Kill(entireProcessTree: true);
            await portal.WaitForExitAsync();
            return new PipelineRun(capture, send, readBack, previewFirst, previewAgain, idle, peak);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    /// <summary>The bare redactor at level 1 over the file, output discarded: the floor any pipeline stands on.</summary>
    private static double BareRedaction(string file)
    {
        var redactor = new Redactor(DataDictionary.Default, new RedactorOptions { MaxPayloadBytes = 16L << 30 });
        using var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var watch = Stopwatch.StartNew();
        redactor.Redact(input, PayloadKind.Snapshot, TelemetryLevel.Lightweight, new ArrayBufferWriter<byte>(1 << 20).Recycling());
        return watch.Elapsed.TotalSeconds;
    }

    private static async Task<(string Sha256, long Length)> HashAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long length = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            length += read;
        }

        return (Convert.ToHexStringLower(hash.GetHashAndReset()), length);
    }

    /// <summary>Seconds until the first bytes of the answer arrive (the rest is read and dropped).</summary>
    private static async Task<double> FirstByteAsync(HttpClient http, string path)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1 << 16];
        await body.ReadAtLeastAsync(buffer, 1);
        var seconds = watch.Elapsed.TotalSeconds;
        while (await body.ReadAsync(buffer) > 0)
        {
        }

        return seconds;
    }

    /// <summary>Starts the portal and waits until it listens; its output goes to <paramref name="log"/> when given (the caller disposes it after the process).</summary>
    internal static Process StartPortal(string web, Dictionary<string, string> environment, out Uri baseUri, TextWriter? log = null)
    {
        var start = new ProcessStartInfo("dotnet", [web]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            var at = e.Data?.IndexOf("Now listening on: ", StringComparison.Ordinal) ?? -1;
            if (at >= 0)
            {
                listening.TrySetResult(new Uri(e.Data![(at + "Now listening on: ".Length)..].Trim()));
            }

            if (e.Data is not null && log is not null)
            {
                lock (log)
                {
                    log.WriteLine(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null && log is not null)
            {
                lock (log)
                {
                    log.WriteLine(e.Data);
                }
            }
        };
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("The portal exited before it listened."));
        process.EnableRaisingEvents = true;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            baseUri = listening.Task.WaitAsync(TimeSpan.FromMinutes(2)).GetAwaiter().GetResult();
            return process;
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    private static async Task<string> RunToCompletionAsync(string web, string[] args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [web, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await stdout : throw new InvalidOperationException($"portal {string.Join(' ', args)} failed: {await stderr}");
    }

    /// <summary>A line of /proc/PID/status in bytes (VmRSS: resident now; VmHWM: the peak).</summary>
    private static long Status(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no {field}");
    }

    /// <summary>The web project's build in this benchmark's configuration.</summary>
    internal static string WebAssembly()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "TelemetryPortal.sln")))
        {
            root = root.Parent;
        }

        var path = Path.Combine(root!.FullName, "src", "TelemetryPortal.Web", "bin", output.Parent!.Name, output.Name, "TelemetryPortal.Web.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the portal first: {path}");
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    /// <summary>A buffer writer that forgets what it was given once it holds a megabyte: the bare floor keeps nothing.</summary>
    private static RecyclingWriter Recycling(this ArrayBufferWriter<byte> writer) => new(writer);

    private sealed class RecyclingWriter(ArrayBufferWriter<byte> inner) : IBufferWriter<byte>
    {
        public void Advance(int count)
        {
            inner.Advance(count);
            if (inner.WrittenCount > 1 << 20)
            {
                inner.ResetWrittenCount();
            }
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);
    }

    /// <summary>A telemetry endpoint on loopback that hashes and counts each body as it arrives, keeping nothing.</summary>
    private sealed class HashingReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly TaskCompletionSource<(string Sha256, long Length)> _received = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private HashingReceiver(WebApplication app, Uri baseUri) => (_app, BaseUri) = (app, baseUri);

        public Uri BaseUri { get; }

        public static async Task<HashingReceiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            HashingReceiver? receiver = null;
            app.MapPost("/{**path}", async (HttpContext context) =>
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[1 << 16];
                long length = 0;
                int read;
                while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    length += read;
                }

                receiver!._received.TrySetResult((Convert.ToHexStringLower(hash.GetHashAndReset()), length));
                return Results.Accepted();
            });
            await app.StartAsync();
            var address = app.Urls.First();
            receiver = new HashingReceiver(app, new Uri(address.EndsWith('/') ? address : address + "/"));
            return receiver;
        }

        public async Task<(string Sha256, long Length)> WaitForAsync(TimeSpan timeout) => await _received.Task.WaitAsync(timeout);

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
