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
        server.CloseWithServer(context);
        context.SetDefaultTimeout(15_000);
        // The browser's own report of a blocked resource or script, whatever the console says.
        await context.AddInitScriptAsync(
            "document.addEventListener('securitypolicyviolation', e => console.error(`Content Security Policy violation: ${e.violatedDirective} blocked ${e.blockedURI}`));");
        var page = await context.NewPageAsync();
        var violations = CspViolations.GetOrCreateValue(page);
        // Browser errors go to the test's output, where a failing test shows them.
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"[browser {message.Type}] {message.Text}");
            }

            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)
                && page.Url.StartsWith(server.BaseUrl, StringComparison.Ordinal))
            {
                lock (violations)
                {
                    violations.Add($"{page.Url}: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) => TestContext.Current.TestOutputHelper?.WriteLine($"[page error] {error}");
        return page;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IPage, List<string>> CspViolations = [];

    /// <summary>Fails when the browser reported a content security policy violation on one of the portal's pages.</summary>
    public static void AssertNoCspViolations(this IPage page)
    {
        var violations = CspViolations.GetOrCreateValue(page);
        lock (violations)
        {
            Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        }
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

    /// <summary>
    /// From the portal's sign-in page in OIDC mode: "Sign in with ...", the provider's development login form
    /// (any password), its consent, and back to the portal.
    /// </summary>
    public static async Task SignInAtProviderAsync(this IPage page, string login)
    {
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Sign in with ") }).ClickAsync();
        await page.Locator("input[name=login]").FillAsync(login);
        await page.Locator("input[name=password]").FillAsync("any-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign-in" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
    }

    /// <summary>Waits until the page is interactive: the marker renders only once the circuit is live.</summary>
    public static Task WaitForCircuitAsync(this IPage page) =>
        Expect(page.Locator("[data-testid=circuit-ready]")).ToBeAttachedAsync();

    /// <summary>Waits until no CSS transition or animation runs (colours mid-change would fool contrast checks).</summary>
    /// <summary>
    /// Waits until no finite animation or transition runs. Styles are flushed first (reading a layout value): a theme
    /// switch's colour transitions start only at the next style recalculation, and a check made before it would see
    /// none and let axe read colours half way.
    /// </summary>
    public static Task WaitForTransitionsAsync(this IPage page) =>
        page.WaitForFunctionAsync("() => { void document.body.offsetHeight; return document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity); }");

    /// <summary>
    /// Closes every snackbar and waits until they are gone: one that closes by itself could start fading while axe reads
    /// its colours.
    /// </summary>
    public static async Task DismissSnackbarsAsync(this IPage page)
    {
        var snackbars = page.Locator(".mud-snackbar");
        for (var count = await snackbars.CountAsync(); count > 0; count = await snackbars.CountAsync())
        {
            await snackbars.First.GetByRole(AriaRole.Button).First.ClickAsync();
            await Expect(snackbars).ToHaveCountAsync(count - 1);
        }
    }

    public static async Task ScreenshotAsync(this IPage page, string name)
    {
        await page.WaitForTransitionsAsync();
        var directory = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, $"{name}.png"), FullPage = true });
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TelemetryPortal.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? Path.GetTempPath();
    }
}
