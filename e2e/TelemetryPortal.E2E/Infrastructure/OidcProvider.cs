using System.Diagnostics;
using System.Text.Json;

namespace TelemetryPortal.E2E.Infrastructure;

/// <summary>
/// The npm package <c>oidc-provider</c> in <c>e2e/oidc-provider/server.mjs</c>, on 127.0.0.1 and a free port:
/// a real OpenID Connect provider with a user per portal role and one without a role. <c>test.sh</c> installs
/// its packages (<c>npm ci</c>).
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    public const string ClientId = "telemetry-portal";
    public const string ClientSecret = "e2e-client-secret";

    private readonly Process _process;

    private OidcProvider(Process process, string issuer)
    {
        _process = process;
        Issuer = issuer;
    }

    /// <summary>E.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Issuer { get; }

    /// <summary>Starts the provider for a portal that will listen at <paramref name="portalUrl"/>.</summary>
    public static async Task<OidcProvider> StartAsync(string portalUrl)
    {
        var directory = Path.Combine(PortalPage.RepositoryRoot(), "e2e", "oidc-provider");
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "oidc-provider")))
        {
            throw new InvalidOperationException($"oidc-provider is not installed: run `npm ci` in {directory} (test.sh does).");
        }

        var start = new ProcessStartInfo("node", ["server.mjs"])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.Environment["PORTAL_URL"] = portalUrl;
        start.Environment["CLIENT_SECRET"] = ClientSecret;
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line && !line.Contains("oidc-provider WARNING", StringComparison.Ordinal))
            {
                Console.Error.WriteLine($"[oidc-provider] {line}");
            }
        };
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("{\"issuer\"", StringComparison.Ordinal))
                {
                    var issuer = JsonDocument.Parse(line).RootElement.GetProperty("issuer").GetString()!;
                    // Keep draining its output so that the process never blocks on a full pipe.
                    _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                    return new OidcProvider(process, issuer);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        process.Kill(entireProcessTree: true);
        process.Dispose();
        throw new InvalidOperationException("oidc-provider did not report its issuer within 30 seconds.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close(); // the script stops when its input ends
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }
}
