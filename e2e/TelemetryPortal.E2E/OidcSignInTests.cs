using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TelemetryPortal.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TelemetryPortal.E2E;

/// <summary>The portal with <c>Authentication:Mode=Oidc</c> and a real provider (oidc-provider), as each role sees it.</summary>
public sealed partial class OidcSignInTests(BrowserFixture browser, OidcPortalFixture portal) : IClassFixture<OidcPortalFixture>
{
    [Theory]
    [InlineData("ada-admin", "Admin", new[] { "Dashboard", "Telemetry level", "Preview", "History", "What we collect", "Consent history", "License", "Request a license", "License requests", "Accounts", "API tokens" })]
    [InlineData("sam-support", "Support", new[] { "Dashboard", "Preview", "History", "What we collect", "Consent history", "License", "License requests" })]
    [InlineData("cora-customer", "Customer", new[] { "Dashboard", "What we collect", "License", "Request a license" })]
    public async Task SignIn_ThroughTheProvider_SeesExactlyTheRolesNavigation(string user, string role, string[] links)
    {
        var page = await PortalPage.OpenAsync(browser, portal.Server);
        await page.GotoAsync("/telemetry/dictionary");
        await Expect(page).ToHaveURLAsync(LoginUrl());
        await Expect(page.GetByLabel("User name")).ToHaveCountAsync(0); // no local form in OIDC mode
        if (role == "Admin")
        {
            await page.ScreenshotAsync("oidc-sign-in");
        }

        await page.SignInAtProviderAsync(user);

        await Expect(page).ToHaveURLAsync($"{portal.Server.BaseUrl}/telemetry/dictionary");
        await page.WaitForCircuitAsync();
        await Expect(page.GetByTestId("current-role")).ToHaveTextAsync(role);
        var navigation = page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" });
        await Expect(navigation.GetByRole(AriaRole.Link)).ToHaveTextAsync(links);

        // Navigation inside the live circuit goes through the same matrix as a full page load.
        await page.EvaluateAsync("() => Blazor.navigateTo('/admin/tokens')");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = role == "Admin" ? "API tokens" : "You don't have access to this page" })).ToBeVisibleAsync();
        page.AssertNoCspViolations();
    }

    [Fact]
    public async Task SignIn_UserWithoutAMappedRole_SeesNoAccessAndNothingElse()
    {
        var page = await PortalPage.OpenAsync(browser, portal.Server);
        await page.GotoAsync("/");

        await page.SignInAtProviderAsync("nora-nobody");

        await Expect(page).ToHaveURLAsync($"{portal.Server.BaseUrl}/account/no-access");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No access to this portal" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Nora Nobody")).ToBeVisibleAsync();
        await page.ScreenshotAsync("oidc-no-access");
        await AccessibilityTests.AssertNoViolationsAsync(page, "no access");
        foreach (var path in new[] { "/", "/telemetry/dictionary", "/admin/tokens" })
        {
            await page.GotoAsync(path);
            await Expect(page).ToHaveURLAsync($"{portal.Server.BaseUrl}/account/no-access");
        }

        var api = await page.APIRequest.GetAsync("/api/v1/dictionary");
        Assert.Equal(403, api.Status);
        page.AssertNoCspViolations();
    }

    [Fact]
    public async Task SignOut_EndsThePortalAndTheProviderSession()
    {
        var page = await PortalPage.OpenAsync(browser, portal.Server);
        await page.GotoAsync("/");
        await page.SignInAtProviderAsync("ada-admin");
        await page.WaitForCircuitAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        // The provider asks to confirm ending its own session.
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, sign me out" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(LoginUrl());
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("You are signed out.");
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(LoginUrl());
        // Signing in again asks for credentials: the provider's session is gone too.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Sign in with {OidcPortalFixture.ProviderName}" }).ClickAsync();
        await Expect(page.Locator("input[name=login]")).ToBeVisibleAsync();
        Assert.StartsWith(portal.Provider.Issuer, page.Url, StringComparison.Ordinal);
        page.AssertNoCspViolations();
    }

    [GeneratedRegex("/account/login")]
    private static partial Regex LoginUrl();
}

/// <summary>One provider and one portal in OIDC mode for the tests of a class.</summary>
public sealed class OidcPortalFixture : IAsyncLifetime
{
    public const string ProviderName = "Test IdP";

    public OidcProvider Provider { get; private set; } = null!;

    public PortalServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        // The provider registers the portal's redirect address, so the portal's port is chosen first.
        var port = PortalServer.FreePort();
        Provider = await OidcProvider.StartAsync($"http://127.0.0.1:{port}");
        Server = new PortalServer(new Dictionary<string, string?>
        {
            ["Authentication:Mode"] = "Oidc",
            ["Authentication:Oidc:Authority"] = Provider.Issuer,
            ["Authentication:Oidc:ClientId"] = OidcProvider.ClientId,
            ["Authentication:Oidc:ClientSecret"] = OidcProvider.ClientSecret,
            ["Authentication:Oidc:Scopes"] = "openid profile email roles",
            ["Authentication:Oidc:RoleClaim"] = "roles",
            ["Authentication:Oidc:RoleMap:portal-admins"] = "Admin",
            ["Authentication:Oidc:RoleMap:portal-support"] = "Support",
            ["Authentication:Oidc:RoleMap:portal-customers"] = "Customer",
            ["Authentication:Oidc:DisplayName"] = ProviderName,
        }, port);
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (Provider is not null)
        {
            await Provider.DisposeAsync();
        }
    }
}
