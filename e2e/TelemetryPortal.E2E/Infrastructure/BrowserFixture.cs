using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(TelemetryPortal.E2E.Infrastructure.BrowserFixture))]

namespace TelemetryPortal.E2E.Infrastructure;

/// <summary>
/// One headless Chromium for the whole run. Debian's Chromium by default; set
/// <c>PORTAL_E2E_CHROMIUM</c> to another executable, or to an empty value to use Playwright's own browser.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private const string DebianChromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable("PORTAL_E2E_CHROMIUM");
        var executable = configured ?? (File.Exists(DebianChromium) ? DebianChromium : null);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            Headless = true,
            ExecutablePath = string.IsNullOrEmpty(executable) ? null : executable,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
