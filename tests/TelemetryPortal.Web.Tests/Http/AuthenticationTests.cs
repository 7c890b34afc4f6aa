using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Services;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Http;

public sealed class AuthenticationTests : IAsyncLifetime
{
    private const string SupportPassword = "support-password-1";
    private const string CustomerPassword = "customer-password-1";

    private readonly PortalFactory _factory = new(new Dictionary<string, string?> { ["Portal:MaxFailedSignIns"] = "3" });

    public async ValueTask InitializeAsync()
    {
        _factory.CreatePortalClient().Dispose(); // starts the portal, which creates the admin
        var accounts = _factory.Services.GetRequiredService<AccountService>();
        await accounts.CreateAsync("sam", "Sam Support", PortalRoles.Support, SupportPassword);
        await accounts.CreateAsync("cora", "Cora Customer", PortalRoles.Customer, CustomerPassword);
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Theory]
    [InlineData("/")]
    [InlineData("/admin/accounts")]
    [InlineData("/no-such-page")]
    public async Task Get_Anonymous_RedirectsToSignIn(string path)
    {
        using var client = _factory.CreatePortalClient();

        var response = await client.GetAsync(path);

        var target = response.RedirectTarget();
        Assert.StartsWith("/account/login?", target, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString(path), target, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_Anonymous_WithoutAntiforgeryToken_IsRefused()
    {
        using var client = _factory.CreatePortalClient();

        var response = await client.PostAsync("/account/logout", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_Anonymous_IsOk()
    {
        using var client = _factory.CreatePortalClient();

        var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SignIn_Admin_SeesDashboardWithLevelAndDeploymentId()
    {
        using var client = _factory.CreatePortalClient();

        var signIn = await client.SignInAsync("admin", PortalFactory.AdminPassword, returnUrl: "/admin/accounts");
        Assert.Equal("/admin/accounts", signIn.RedirectTarget());

        var html = await client.GetStringAsync("/");
        var deploymentId = await _factory.Services.GetRequiredService<DeploymentService>().GetDeploymentIdAsync();
        Assert.Contains("data-testid=\"level-card\"", html, StringComparison.Ordinal);
        Assert.Contains(deploymentId.ToString(), html, StringComparison.Ordinal);
        Assert.Contains(AppInfo.Version, html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/accounts")).StatusCode);
    }

    [Fact]
    public async Task SignIn_UserNameInOtherCase_Succeeds()
    {
        using var client = _factory.CreatePortalClient();

        var response = await client.SignInAsync("SAM", SupportPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Theory]
    [InlineData("sam", SupportPassword)]
    [InlineData("cora", CustomerPassword)]
    public async Task Get_AdminPage_AsOtherRole_IsRefused(string userName, string password)
    {
        using var client = _factory.CreatePortalClient();
        await client.SignInOrFailAsync(userName, password);

        var response = await client.GetAsync("/admin/accounts");

        Assert.StartsWith("/account/access-denied", response.RedirectTarget(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }

    [Theory]
    [InlineData("//evil.example/phish")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    public async Task SignIn_ForeignReturnUrl_GoesToDashboard(string returnUrl)
    {
        using var client = _factory.CreatePortalClient();

        var response = await client.SignInAsync("admin", PortalFactory.AdminPassword, returnUrl);

        Assert.Equal("/", response.RedirectTarget());
    }

    [Fact]
    public async Task SignIn_WrongPassword_FailsWithoutCookie()
    {
        using var client = _factory.CreatePortalClient();

        var response = await client.SignInAsync("admin", "not-the-password");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Wrong user name or password.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SignIn_UnknownUser_FailsWithSameMessage()
    {
        using var client = _factory.CreatePortalClient();

        var response = await client.SignInAsync("nobody", "whatever-password");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Wrong user name or password.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_RepeatedFailures_LockTheAccountUntilTheLockoutEnds()
    {
        using var client = _factory.CreatePortalClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SignInAsync("sam", "wrong-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SignInAsync("sam", "wrong-2")).StatusCode);

        var third = await client.SignInAsync("sam", "wrong-3");
        var rightButLocked = await client.SignInAsync("sam", SupportPassword);

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, rightButLocked.StatusCode);
        Assert.Contains("locked", await rightButLocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        _factory.Time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync("sam", SupportPassword)).StatusCode);
    }

    [Fact]
    public async Task SignIn_LockedAccount_IsUnlockedByPasswordReset()
    {
        using var client = _factory.CreatePortalClient();
        for (var i = 0; i < 3; i++)
        {
            await client.SignInAsync("cora", "wrong-password");
        }

        var accounts = _factory.Services.GetRequiredService<AccountService>();
        var cora = (await accounts.ListAsync()).Single(a => a.UserName == "cora");
        Assert.NotNull(cora.LockedUntil);
        await accounts.ResetPasswordAsync(cora.Id, "a-brand-new-password");

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SignInAsync("cora", CustomerPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync("cora", "a-brand-new-password")).StatusCode);
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        using var client = _factory.CreatePortalClient();
        await client.SignInOrFailAsync("admin", PortalFactory.AdminPassword);

        var response = await client.SignOutAsync();

        Assert.Equal("/account/login?signedOut=true", response.RedirectTarget());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }
}
