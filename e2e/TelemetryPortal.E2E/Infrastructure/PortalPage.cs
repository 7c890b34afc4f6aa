using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TelemetryPortal.E2E.Infrastructure;

/// <summary>Steps every story takes: sign in, wait for the live circuit, sign out, screenshots.</summary>
public static class PortalPage
{
    public static async Task<IPage> OpenAsync(BrowserFixture browser, PortalServer server, int width = 1280, int height = 860)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        // Browser errors go to the test's output, where a failing test shows them.
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"[browser {message.Type}] {message.Text}");
            }
        };
        page.PageError += (_, error) => TestContext.Current.TestOutputHelper?.WriteLine($"[page error] {error}");
        return page;
    }

    public static async Task SignInAsync(this IPage page, string userName, string password)
    {
        if (!page.Url.Contains("/account/login", StringComparison.Ordinal))
        {
            await page.GotoAsync("/account/login");
        }

        await page.GetByLabel("User name").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForCircuitAsync();
    }

    /// <summary>Waits until the page is interactive: the marker renders only once the circuit is live.</summary>
    public static Task WaitForCircuitAsync(this IPage page) =>
        Expect(page.Locator("[data-testid=circuit-ready]")).ToBeAttachedAsync();

    /// <summary>Waits until no CSS transition or animation runs (colours mid-change would fool contrast checks).</summary>
    public static Task WaitForTransitionsAsync(this IPage page) =>
        page.WaitForFunctionAsync("() => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)");

    public static async Task ScreenshotAsync(this IPage page, string name)
    {
        await page.WaitForTransitionsAsync();
        var directory = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, $"{name}.png"), FullPage = true });
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TelemetryPortal.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? Path.GetTempPath();
    }
}
