using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TelemetryPortal.E2E.Infrastructure;
using TelemetryPortal.Web.Features.Accounts;
using static Microsoft.Playwright.Assertions;

namespace TelemetryPortal.E2E;

/// <summary>The foundation, as a person sees it in a real browser against the portal on real Kestrel.</summary>
public sealed partial class FoundationTests(BrowserFixture browser)
{
    [Fact]
    public async Task Admin_SignsIn_SeesLevel_SwitchesDarkMode_AndSignsOut()
    {
        await using var server = new PortalServer();
        var page = await PortalPage.OpenAsync(browser, server);

        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(LoginUrl());
        await page.ScreenshotAsync("sign-in");
        await page.SignInAsync("admin", PortalServer.AdminPassword);

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("effective-level")).ToHaveTextAsync("2");
        await Expect(page.GetByTestId("level-source")).ToHaveTextAsync("Default (nothing configured)");
        await Expect(page.GetByTestId("deployment-id")).ToHaveTextAsync(GuidPattern());
        await Expect(page.GetByTestId("current-role")).ToHaveTextAsync("Admin");
        Assert.False(await IsDarkAsync(page));
        await page.ScreenshotAsync("dashboard-light");

        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark mode" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Switch to light mode" })).ToBeVisibleAsync();
        Assert.True(await IsDarkAsync(page));

        // Remembered: a fresh load of the page comes back dark.
        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Switch to light mode" })).ToBeVisibleAsync();
        Assert.True(await IsDarkAsync(page));
        await page.ScreenshotAsync("dashboard-dark");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(LoginUrl());
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("You are signed out.");

        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(LoginUrl());
    }

    [Fact]
    public async Task Admin_CreatesSupportAccount_SupportSeesOnlyItsNavigation()
    {
        await using var server = new PortalServer();
        var admin = await PortalPage.OpenAsync(browser, server);
        await admin.SignInAsync("admin", PortalServer.AdminPassword);

        await admin.GetByRole(AriaRole.Link, new() { Name = "Accounts" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Accounts" })).ToBeVisibleAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        var dialog = admin.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("User name").FillAsync("sam");
        await dialog.GetByLabel("Display name").FillAsync("Sam Support");
        await dialog.GetByLabel("Initial password").FillAsync("sam-support-password");
        await admin.ScreenshotAsync("accounts-create-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        await Expect(admin.GetByText("Account sam (Support) created.")).ToBeVisibleAsync();
        await Expect(admin.GetByRole(AriaRole.Row).Filter(new() { HasText = "Sam Support" })).ToContainTextAsync("Support");
        await admin.ScreenshotAsync("accounts");

        var support = await PortalPage.OpenAsync(browser, server);
        await support.SignInAsync("sam", "sam-support-password");
        await Expect(support.GetByTestId("current-role")).ToHaveTextAsync("Support");
        var navigation = support.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" });
        await Expect(navigation.GetByRole(AriaRole.Link)).ToHaveTextAsync(["Dashboard", "Preview", "History", "What we collect", "Consent history", "License", "License requests"]);

        await support.GotoAsync("/admin/accounts");
        await Expect(support.GetByRole(AriaRole.Heading, new() { Name = "You don't have access to that page" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Admin_DisablesAnAccountWithConfirmation_ItsSessionEnds_ItCannotSignInUntilEnabled()
    {
        await using var server = new PortalServer();
        await server.Services.GetRequiredService<AccountService>().CreateAsync("sam", "Sam Support", "Support", "sam-support-password");
        var support = await PortalPage.OpenAsync(browser, server);
        await support.SignInAsync("sam", "sam-support-password");
        await Expect(support.GetByTestId("current-role")).ToHaveTextAsync("Support");

        var admin = await PortalPage.OpenAsync(browser, server);
        await admin.SignInAsync("admin", PortalServer.AdminPassword);
        await admin.GotoAsync("/admin/accounts");
        await admin.WaitForCircuitAsync();
        // No admin can lock themselves out.
        await Expect(admin.GetByRole(AriaRole.Button, new() { Name = "Disable admin" })).ToBeDisabledAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Disable sam" }).ClickAsync();
        var confirm = admin.GetByRole(AriaRole.Dialog);
        await Expect(confirm).ToContainTextAsync("signed out everywhere");
        await admin.ScreenshotAsync("accounts-disable-confirm");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Disable account" }).ClickAsync();
        await Expect(admin.GetByText("Account sam disabled; its sessions end.")).ToBeVisibleAsync();
        var row = admin.GetByRole(AriaRole.Row).Filter(new() { HasText = "Sam Support" });
        await Expect(row.GetByTestId("account-disabled")).ToBeVisibleAsync();
        await admin.ScreenshotAsync("accounts-disabled");

        // Sam's next page load finds the session over; signing in again is refused with the reason.
        await support.GotoAsync("/telemetry/history");
        await Expect(support).ToHaveURLAsync(LoginUrl());
        await support.GetByLabel("User name").FillAsync("sam");
        await support.GetByLabel("Password").FillAsync("sam-support-password");
        await support.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(support.GetByRole(AriaRole.Alert)).ToHaveTextAsync("This account is disabled. Ask the admin to enable it.");

        await row.GetByRole(AriaRole.Button, new() { Name = "Enable sam" }).ClickAsync();
        await Expect(admin.GetByText("Account sam enabled.")).ToBeVisibleAsync();
        await support.SignInAsync("sam", "sam-support-password");
        await Expect(support.GetByTestId("current-role")).ToHaveTextAsync("Support");
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsErrorAndStaysOnSignIn()
    {
        await using var server = new PortalServer();
        var page = await PortalPage.OpenAsync(browser, server);
        await page.GotoAsync("/account/login");

        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong user name or password.");
        await Expect(page).ToHaveURLAsync(LoginUrl());
    }

    [Fact]
    public async Task Dashboard_NarrowScreen_ShowsTheLevelCardReadably()
    {
        await using var server = new PortalServer(new Dictionary<string, string?> { ["CODER_TELEMETRY"] = "0" });
        var page = await PortalPage.OpenAsync(browser, server, width: 390, height: 844);
        await page.SignInAsync("admin", PortalServer.AdminPassword);

        await Expect(page.GetByTestId("effective-level")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("level-warning")).ToContainTextAsync("zero-telemetry license");
        var card = await page.GetByTestId("level-card").BoundingBoxAsync();
        Assert.NotNull(card);
        Assert.True(card.Width <= 390, $"The level card is {card.Width}px wide on a 390px screen.");
        await page.ScreenshotAsync("dashboard-narrow-level0");
    }

    private static async Task<bool> IsDarkAsync(IPage page)
    {
        var rgb = await page.EvaluateAsync<int[]>(
            "() => (getComputedStyle(document.body).backgroundColor.match(/\\d+/g) ?? []).slice(0, 3).map(Number)");
        var background = rgb.Length == 3 ? rgb : [255, 255, 255];
        return background.Sum() < 3 * 128;
    }

    [GeneratedRegex("/account/login")]
    private static partial Regex LoginUrl();

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex GuidPattern();
}
