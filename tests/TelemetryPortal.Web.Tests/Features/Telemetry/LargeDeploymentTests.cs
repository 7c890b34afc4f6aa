using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

/// <summary>
/// The largest deployments, on a real portal process: a snapshot of about 200 MB captured from the simulated
/// installation, sent to a receiver on loopback and read back through the API, with the process's peak resident
/// memory bounded well below what holding the payload whole would take.
/// </summary>
[Trait("Database", "Both")]
public sealed class LargeDeploymentTests
{
    /// <summary>About 200 MB of snapshot (the simulation writes about 1 MB per 413 users and 990 workspaces).</summary>
    private const int Users = 83_000;

    private const int Workspaces = 200_000;

    /// <summary>
    /// The most the portal may hold resident at its peak. It idles at about 200 MB (a debug build); the snapshot alone is
    /// 200 MB, so a portal that held it whole even once would pass this, and the pipeline before streaming held it
    /// several times over (1.5 GB for a 152 MB snapshot).
    /// </summary>
    private const long PeakCeilingBytes = 400L * 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RealProcess_A200MBSnapshot_IsCapturedSentAndReadBackExactly_InBoundedMemory()
    {
        await using var receiver = await HashingReceiver.StartAsync();
        var dataDirectory = Path.Combine(TempDirectory.Create(), "data");
        // On PostgreSQL in that run: its blocks go to a server, not a file beside the process.
        var environment = TestDatabases.PortalSettings(dataDirectory)
            .ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["Portal__DataDirectory"] = dataDirectory,
            ["Portal__AdminPassword"] = PortalFactory.AdminPassword,
            ["Telemetry__Endpoint"] = receiver.BaseUri.AbsoluteUri,
            ["Telemetry__Simulation__Users"] = Users.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Telemetry__Simulation__Workspaces"] = Workspaces.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            environment[key] = value;
        }

        var (exitCode, token, stderr) = await PortalProcess.RunAsync(["tokens", "create", "--name", "large", "--role", "Support"], environment);
        Assert.True(exitCode == 0, stderr);

        // The simulated installation reports shortly after start: a deployment report, then the snapshot.
        using var portal = await RunningPortal.StartAsync(environment);
        using var http = new HttpClient { BaseAddress = portal.BaseUri, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
        await Eventually.WaitUntilAsync(() => Task.FromResult(receiver.Requests.Any(r => r.Path == "/snapshot")), "the snapshot reached the receiver", seconds: 300);
        var received = receiver.Requests.Single(r => r.Path == "/snapshot");
        Assert.True(received.Length > 180_000_000, $"The snapshot is only {received.Length} bytes; the test needs about 200 MB.");

        JsonElement item = default;
        await Eventually.WaitUntilAsync(
            async () =>
            {
                var page = await http.GetFromJsonAsync<JsonElement>("/api/v1/history?kind=snapshot", Ct);
                item = page.GetProperty("items")[0];
                return item.GetProperty("status").GetString() == "Sent";
            },
            "the snapshot recorded as sent");
        Assert.Equal((received.Sha256, received.Length), (item.GetProperty("sha256").GetString(), item.GetProperty("sizeBytes").GetInt64()));

        // Read back through the API as it streams out of the store: the same bytes.
        using (var response = await http.GetAsync($"/api/v1/history/{item.GetProperty("id").GetInt64()}/payload", HttpCompletionOption.ResponseHeadersRead, Ct))
        {
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(Ct);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[64 * 1024];
            long length = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, Ct)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                length += read;
            }

            Assert.Equal((received.Sha256, received.Length), (Convert.ToHexStringLower(hash.GetHashAndReset()), length));
        }

        var peak = portal.PeakResidentBytes();
        TestContext.Current.TestOutputHelper?.WriteLine($"snapshot {received.Length / 1e6:F1} MB; portal peak resident memory {peak / 1e6:F0} MB");
        Assert.True(peak < PeakCeilingBytes, $"The portal peaked at {peak / 1e6:F0} MB resident for a {received.Length / 1e6:F0} MB snapshot (ceiling {PeakCeilingBytes / 1e6:F0} MB).");
    }
}
