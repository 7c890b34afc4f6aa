using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TelemetryPortal.E2E.Infrastructure;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Components.Layout;
using TelemetryPortal.Web.Features.Accounts;
using TelemetryPortal.Web.Features.Telemetry;
using static Microsoft.Playwright.Assertions;

namespace TelemetryPortal.E2E;

/// <summary>
/// axe finds no violation of any impact on any page a role may open, in light and dark, at desktop and phone widths;
/// nor on the sign-in page and the level confirmation dialog. No rule is disabled.
/// </summary>
public sealed class AccessibilityTests(BrowserFixture browser)
{
    private static readonly (string Name, int Width, int Height)[] Screens = [("desktop", 1440, 900), ("phone", 390, 844)];

    public static TheoryData<string> Roles => [PortalRoles.Admin, PortalRoles.Support, PortalRoles.Customer];

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task EveryPage_ForTheRole_BothThemes_BothWidths_HasNoViolations(string role)
    {
        await using var server = new PortalServer(new Dictionary<string, string?> { ["Telemetry:FirstReportDelay"] = "1.00:00:00" });
        var scheduler = server.Services.GetRequiredService<TelemetryScheduler>();
        await scheduler.ReportAsync(CancellationToken.None);
        await scheduler.ReportAsync(CancellationToken.None);
        var (user, password) = await AccountForAsync(server, role);
        var accounts = server.Services.GetRequiredService<AccountService>();
        var userId = (await accounts.ListAsync()).Single(a => a.UserName == user).Id;
        var pages = PagesFor(role);
        var violations = new List<string>();

        foreach (var dark in new[] { false, true })
        {
            await accounts.SetPrefersDarkModeAsync(userId, dark);
            foreach (var (screen, width, height) in Screens)
            {
                var page = await PortalPage.OpenAsync(browser, server, width, height);
                await page.SignInAsync(user, password);
                foreach (var path in pages)
                {
                    await page.GotoAsync(path);
                    await page.WaitForCircuitAsync();
                    violations.AddRange(await ViolationsAsync(page, $"{path} as {role}, {(dark ? "dark" : "light")}, {screen}"));
                }

                await page.Context.CloseAsync();
            }
        }

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public async Task SignInPage_AndLevelConfirmation_HaveNoViolations()
    {
        await using var server = new PortalServer();
        var violations = new List<string>();
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            foreach (var (screen, width, height) in Screens)
            {
                var page = await PortalPage.OpenAsync(browser, server, width, height);
                await page.EmulateMediaAsync(new() { ColorScheme = scheme });
                await page.GotoAsync("/account/login");
                violations.AddRange(await ViolationsAsync(page, $"sign-in, {scheme}, {screen}"));
                await page.Context.CloseAsync();
            }
        }

        var admin = await PortalPage.OpenAsync(browser, server);
        await admin.SignInAsync("admin", PortalServer.AdminPassword);
        await admin.GotoAsync("/telemetry/level");
        await admin.WaitForCircuitAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Choose level 1" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        violations.AddRange(await ViolationsAsync(admin, "level confirmation dialog"));

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    /// <summary>Fails with every violation axe reports on the page as it is now, of any impact.</summary>
    internal static async Task AssertNoViolationsAsync(IPage page, string name)
    {
        var violations = (await ViolationsAsync(page, name)).ToList();
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    /// <summary>Every violation axe reports on the page as it is now, of any impact, one line each.</summary>
    internal static async Task<IEnumerable<string>> ViolationsAsync(IPage page, string name)
    {
        await page.WaitForTransitionsAsync();
        AxeResult result = await page.RunAxe();
        return result.Violations.Select(v =>
            $"{name}: {v.Id} ({v.Impact}): {v.Help} at {string.Join("; ", v.Nodes.Take(5).Select(n => $"{n.Target} [{string.Join(" ", n.Any.Concat(n.All).Concat(n.None).Select(c => c.Message))}]"))}");
    }

    /// <summary>The drawer's pages the role may open, and the pages reached from them (a payload, a comparison).</summary>
    private static List<string> PagesFor(string role)
    {
        var pages = NavigationCatalog.Items.Where(i => i.Audience.AdmitsRole(role)).Select(i => i.Href).ToList();
        if (Audience.Staff.AdmitsRole(role))
        {
            pages.AddRange(["/telemetry/history/1", "/telemetry/history/compare?from=1&to=3"]);
        }

        return pages;
    }

    private static async Task<(string User, string Password)> AccountForAsync(PortalServer server, string role)
    {
        if (role == PortalRoles.Admin)
        {
            return ("admin", PortalServer.AdminPassword);
        }

        var user = role.ToLowerInvariant() + "-axe";
        var password = $"{user}-password-1";
        await server.Services.GetRequiredService<AccountService>().CreateAsync(user, $"Axe {role}", role, password);
        return (user, password);
    }
}
