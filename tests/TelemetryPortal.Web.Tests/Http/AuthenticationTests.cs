using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Endpoints;
using TelemetryPortal.Web.Features.Accounts;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Services;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Http;

[Trait("Database", "Both")]
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

    private static string ErrorText(string html) =>
        System.Text.RegularExpressions.Regex.Match(html, "Wrong user name or password\\.|locked[^<]*|disabled[^<]*").Value;

    [Fact]
    public async Task SignIn_RepeatedFailures_LockTheAccountUntilTheLockoutEnds()
    {
        using var client = _factory.CreatePortalClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SignInAsync("sam", "wrong-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SignInAsync("sam", "wrong-2")).StatusCode);

        var third = await client.SignInAsync("sam", "wrong-3");
        var wrongWhileLocked = await client.SignInAsync("sam", "wrong-4");
        var unknownUser = await client.SignInAsync("nobody-here", "wrong-4");
        var rightButLocked = await client.SignInAsync("sam", SupportPassword);

        // Without the right password, a locked account reads exactly like a wrong password or an unknown user.
        Assert.Equal(HttpStatusCode.Unauthorized, third.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongWhileLocked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownUser.StatusCode);
        Assert.Equal(ErrorText(await unknownUser.Content.ReadAsStringAsync()), ErrorText(await wrongWhileLocked.Content.ReadAsStringAsync()));
        Assert.DoesNotContain("locked", await wrongWhileLocked.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
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

    [Fact]
    public async Task PasswordReset_EndsTheAccountsSessionsEverywhere_OthersStaySignedIn()
    {
        using var samOnLaptop = _factory.CreatePortalClient();
        using var samOnPhone = _factory.CreatePortalClient();
        using var cora = _factory.CreatePortalClient();
        await samOnLaptop.SignInOrFailAsync("sam", SupportPassword);
        await samOnPhone.SignInOrFailAsync("sam", SupportPassword);
        await cora.SignInOrFailAsync("cora", CustomerPassword);
        Assert.Equal(HttpStatusCode.OK, (await samOnLaptop.GetAsync("/api/v1/telemetry/level")).StatusCode);

        var accounts = _factory.Services.GetRequiredService<AccountService>();
        await accounts.ResetPasswordAsync((await accounts.ListAsync()).Single(a => a.UserName == "sam").Id, "sams-new-password");

        Assert.Equal(HttpStatusCode.Unauthorized, (await samOnLaptop.GetAsync("/api/v1/telemetry/level")).StatusCode);
        var page = await samOnPhone.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/login", page.RedirectTarget(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await cora.GetAsync("/")).StatusCode);
        // With the new password sam is back.
        await samOnLaptop.SignInOrFailAsync("sam", "sams-new-password");
        Assert.Equal(HttpStatusCode.OK, (await samOnLaptop.GetAsync("/api/v1/telemetry/level")).StatusCode);
    }

    [Fact]
    public async Task DisabledAccount_CannotSignIn_ItsSessionEnds_EnablingLetsItBackIn()
    {
        using var session = _factory.CreatePortalClient();
        await session.SignInOrFailAsync("sam", SupportPassword);
        var accounts = _factory.Services.GetRequiredService<AccountService>();
        var admin = (await accounts.ListAsync()).Single(a => a.UserName == "admin");
        var sam = (await accounts.ListAsync()).Single(a => a.UserName == "sam");

        var disabled = await accounts.SetDisabledAsync(sam.Id, disabled: true, actingUserId: admin.Id);

        Assert.NotNull(disabled.DisabledAt);
        Assert.Equal(HttpStatusCode.Redirect, (await session.GetAsync("/")).StatusCode);
        using var fresh = _factory.CreatePortalClient();
        var refused = await fresh.SignInAsync("sam", SupportPassword);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("This account is disabled", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Without the password nobody learns that the account exists and is disabled.
        var wrong = await fresh.SignInAsync("sam", "not-sams-password");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.DoesNotContain("disabled", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await accounts.SetDisabledAsync(sam.Id, disabled: false, actingUserId: admin.Id);
        await fresh.SignInOrFailAsync("sam", SupportPassword);
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SessionCheck_StampChangedByAnotherInstance_EndsTheSessionWithinHalfAMinute()
    {
        using var session = _factory.CreatePortalClient();
        await session.SignInOrFailAsync("sam", SupportPassword);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/api/v1/telemetry/level")).StatusCode);

        // Another portal instance on the same database resets the password: this one learns it from the database.
        var dbFactory = _factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            await db.Users.Where(u => u.UserName == "sam").ExecuteUpdateAsync(u => u.SetProperty(a => a.SecurityStamp, "changed-elsewhere"));
        }

        _factory.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/v1/telemetry/level")).StatusCode);
    }

    [Fact]
    public async Task Disable_OwnAccount_IsRefusedAndChangesNothing()
    {
        var accounts = _factory.Services.GetRequiredService<AccountService>();
        var admin = (await accounts.ListAsync()).Single(a => a.UserName == "admin");

        var error = await Assert.ThrowsAsync<PortalProblemException>(() => accounts.SetDisabledAsync(admin.Id, disabled: true, actingUserId: admin.Id));

        Assert.Equal((ProblemKind.Forbidden, "You cannot disable your own account."), (error.Kind, error.Message));
        Assert.Null((await accounts.ListAsync()).Single(a => a.UserName == "admin").DisabledAt);
        using var client = _factory.CreatePortalClient();
        await client.SignInOrFailAsync("admin", PortalFactory.AdminPassword);
    }

    [Fact]
    public async Task CircuitRevalidation_LocalSessionAfterReset_IsOver_ProviderSessionIsNotOurs()
    {
        var accounts = _factory.Services.GetRequiredService<AccountService>();
        var attempt = await accounts.CheckPasswordAsync("cora", CustomerPassword);
        var principal = PortalClaims.CreatePrincipal(attempt.Account!.Id, "cora", "Cora Customer", PortalRoles.Customer, attempt.SecurityStamp!);
        var provider = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, "oidc:abc")], "OpenIdConnect"));

        Assert.True(await LocalSessionValidation.IsValidAsync(accounts, principal, CancellationToken.None));
        await accounts.ResetPasswordAsync(attempt.Account.Id, "coras-new-password");

        Assert.False(await LocalSessionValidation.IsValidAsync(accounts, principal, CancellationToken.None));
        Assert.True(await LocalSessionValidation.IsValidAsync(accounts, provider, CancellationToken.None));
    }
}
