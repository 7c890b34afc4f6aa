using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Core.Licensing;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Features.Accounts;
using TelemetryPortal.Web.Features.Licensing;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Licensing;

/// <summary>The zero-telemetry license path over HTTP, with the portal's own development key and a fake clock.</summary>
[Trait("Database", "Both")]
public sealed class LicensingApiTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new(new Dictionary<string, string?> { ["CODER_TELEMETRY"] = "0" });

    public async ValueTask InitializeAsync()
    {
        _portal.CreatePortalClient().Dispose();
        var accounts = _portal.Services.GetRequiredService<AccountService>();
        await accounts.CreateAsync("sam", "Sam Support", PortalRoles.Support, "support-password-1");
        await accounts.CreateAsync("cora", "Cora Customer", PortalRoles.Customer, "customer-password-1");
        await accounts.CreateAsync("carl", "Carl Customer", PortalRoles.Customer, "customer-password-2");
    }

    public ValueTask DisposeAsync() => _portal.DisposeAsync();

    private async Task<HttpClient> SignInAsync(string user, string password)
    {
        var client = _portal.CreatePortalClient();
        await client.SignInOrFailAsync(user, password);
        return client;
    }

    private async Task<object> RequestBodyAsync(int termDays = 90, string email = "cora@initech.example") => new
    {
        organisation = "Initech",
        contactName = "Cora Customer",
        contactEmail = email,
        deploymentId = await _portal.Services.GetRequiredService<DeploymentService>().GetDeploymentIdAsync(),
        reason = "Our regulator forbids any telemetry from this network.",
        termDays,
    };

    private async Task<long> FileRequestAsync(HttpClient customer)
    {
        var response = await customer.PostAsJsonAsync("/api/v1/licenses/requests", await RequestBodyAsync());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private static async Task<string[]> LedgerActionsAsync(HttpClient reader)
    {
        var page = await reader.GetFromJsonAsync<JsonElement>("/api/v1/consent?pageSize=100");
        return [.. page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()!).Reverse()];
    }

    [Fact]
    public async Task RequestApproveApply_ThisDeployment_UnlocksLevelZeroAndEveryStepIsInTheLedger()
    {
        using var customer = await SignInAsync("cora", "customer-password-1");
        using var support = await SignInAsync("sam", "support-password-1");
        var before = await customer.GetFromJsonAsync<JsonElement>("/api/v1/telemetry/level");
        Assert.Equal(1, before.GetProperty("effective").GetInt32());

        var id = await FileRequestAsync(customer);
        var approve = await support.PostAsJsonAsync($"/api/v1/licenses/requests/{id}/approve", new { termDays = 60 });

        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        var approved = await approve.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Approved", approved.GetProperty("status").GetString());
        Assert.Equal(3, approved.GetProperty("licenseToken").GetString()!.Split('.').Length);
        var license = await customer.GetFromJsonAsync<JsonElement>("/api/v1/license");
        Assert.Equal("Valid", license.GetProperty("state").GetString());
        Assert.True(license.GetProperty("development").GetBoolean());
        Assert.Equal(60, license.GetProperty("daysLeft").GetInt32());
        var after = await customer.GetFromJsonAsync<JsonElement>("/api/v1/telemetry/level");
        Assert.Equal(0, after.GetProperty("effective").GetInt32());

        var actions = await LedgerActionsAsync(support);
        Assert.Equal(["LicenseRequested", "LicenseApproved", "LicenseApplied", "EffectiveLevelChanged"], actions.SkipWhile(a => a != "LicenseRequested"));
        var verify = await support.GetFromJsonAsync<JsonElement>("/api/v1/consent/verify");
        Assert.True(verify.GetProperty("valid").GetBoolean());

        // Sending now at level 0 says that nothing leaves, not that a report appears within seconds.
        using var admin = await SignInAsync("admin", PortalFactory.AdminPassword);
        var sendNow = await admin.PostAsync("/api/v1/telemetry/send-now", null);
        Assert.Equal(HttpStatusCode.Accepted, sendNow.StatusCode);
        var message = (await sendNow.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString();
        Assert.Equal(TelemetryScheduler.NothingLeaves, message);
        Assert.DoesNotContain("within seconds", message, StringComparison.Ordinal);
    }

    [Fact]
    // Issue 15 changed the rule this pinned: a 45-day license warns in its last 11 days (min(30, max(1, 45 / 4))), not
    // its last 30, so at 29 days left it is still plainly valid.
    public async Task Expiry_WarnsInTheLastQuarterOfAShortTerm_AtExpiryLevelReturnsToOneAndIsRecorded()
    {
        using var customer = await SignInAsync("cora", "customer-password-1");
        using var support = await SignInAsync("sam", "support-password-1");
        var id = await FileRequestAsync(customer);
        await support.PostAsJsonAsync($"/api/v1/licenses/requests/{id}/approve", new { termDays = 45 });
        var watcher = _portal.Services.GetRequiredService<LicenseExpiryWatcher>();

        _portal.Time.Advance(TimeSpan.FromDays(16));
        // Sign-in cookies last hours, not weeks: sign in again after each jump of the clock.
        using var later = await SignInAsync("cora", "customer-password-1");
        var valid = await later.GetFromJsonAsync<JsonElement>("/api/v1/license");
        Assert.Equal("Valid", valid.GetProperty("state").GetString());
        Assert.Equal(29, valid.GetProperty("daysLeft").GetInt32());

        _portal.Time.Advance(TimeSpan.FromDays(18));
        using var nearTheEnd = await SignInAsync("cora", "customer-password-1");
        var soon = await nearTheEnd.GetFromJsonAsync<JsonElement>("/api/v1/license");
        Assert.Equal("ExpiringSoon", soon.GetProperty("state").GetString());
        Assert.Equal(11, soon.GetProperty("daysLeft").GetInt32());
        Assert.False(await watcher.CheckAsync(CancellationToken.None));

        _portal.Time.Advance(TimeSpan.FromDays(12));
        using var afterExpiry = await SignInAsync("cora", "customer-password-1");
        Assert.Equal("Expired", (await afterExpiry.GetFromJsonAsync<JsonElement>("/api/v1/license")).GetProperty("state").GetString());
        Assert.Equal(1, (await afterExpiry.GetFromJsonAsync<JsonElement>("/api/v1/telemetry/level")).GetProperty("effective").GetInt32());
        // The watcher's own timer may have noticed first; either way the expiry is recorded once.
        await watcher.CheckAsync(CancellationToken.None);
        Assert.False(await watcher.CheckAsync(CancellationToken.None), "An expiry is recorded once.");

        using var supportLater = await SignInAsync("sam", "support-password-1");
        var actions = await LedgerActionsAsync(supportLater);
        Assert.Single(actions, a => a == "LicenseExpired");
        Assert.Equal("EffectiveLevelChanged", actions[Array.IndexOf(actions, "LicenseExpired") + 1]);
    }

    [Fact]
    public async Task Revoke_ByAdmin_StopsLevelZero()
    {
        using var customer = await SignInAsync("cora", "customer-password-1");
        using var support = await SignInAsync("sam", "support-password-1");
        using var admin = await SignInAsync("admin", PortalFactory.AdminPassword);
        var id = await FileRequestAsync(customer);
        await support.PostAsJsonAsync($"/api/v1/licenses/requests/{id}/approve", new { termDays = 365 });

        Assert.Equal(HttpStatusCode.Forbidden, (await support.PostAsJsonAsync("/api/v1/license/revoke", new { reason = "no" })).StatusCode);
        var revoke = await admin.PostAsJsonAsync("/api/v1/license/revoke", new { reason = "Contract ended." });

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var revoked = await revoke.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Revoked", revoked.GetProperty("state").GetString());
        Assert.Equal(0, revoked.GetProperty("daysLeft").GetInt32());
        Assert.Equal("Contract ended.", revoked.GetProperty("revocationReason").GetString());
        Assert.Equal(1, (await admin.GetFromJsonAsync<JsonElement>("/api/v1/telemetry/level")).GetProperty("effective").GetInt32());
        Assert.Equal(["LicenseRevoked", "EffectiveLevelChanged"], (await LedgerActionsAsync(admin))[^2..]);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/v1/license/revoke", new { reason = "again" })).StatusCode);
    }

    [Fact]
    public async Task Apply_RevokedLicenseAgain_Is422ForGoodWhateverTheTokensEncoding_AndTheRefusalIsRecorded()
    {
        using var customer = await SignInAsync("cora", "customer-password-1");
        using var support = await SignInAsync("sam", "support-password-1");
        using var admin = await SignInAsync("admin", PortalFactory.AdminPassword);
        var id = await FileRequestAsync(customer);
        var approved = await (await support.PostAsJsonAsync($"/api/v1/licenses/requests/{id}/approve", new { termDays = 365 })).Content.ReadFromJsonAsync<JsonElement>();
        var token = approved.GetProperty("licenseToken").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/v1/license/revoke", new { reason = "Contract ended." })).StatusCode);

        // The same token, and the same token with its signature re-encoded (a base64url padding character the
        // decoder ignores, and surrounding whitespace): the license id inside is what counts.
        foreach (var replay in new[] { token, token + "=", $"  {token}\n" })
        {
            var response = await admin.PutAsJsonAsync("/api/v1/license", new { token = replay });

            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode}: {body}");
            if (body.Contains("revoked", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Contains("Contract ended.", body, StringComparison.Ordinal);
            }
        }

        Assert.Equal("Revoked", (await admin.GetFromJsonAsync<JsonElement>("/api/v1/license")).GetProperty("state").GetString());
        Assert.Equal(1, (await admin.GetFromJsonAsync<JsonElement>("/api/v1/telemetry/level")).GetProperty("effective").GetInt32());
        var actions = await LedgerActionsAsync(admin);
        Assert.Contains("LicenseRefused", actions);
        Assert.Equal(1, actions.Count(a => a == "LicenseApplied"));
        Assert.True((await admin.GetFromJsonAsync<JsonElement>("/api/v1/consent/verify")).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task Apply_AnOlderLicenseAfterANewerOne_Is422Superseded()
    {
        using var customer = await SignInAsync("cora", "customer-password-1");
        using var support = await SignInAsync("sam", "support-password-1");
        using var admin = await SignInAsync("admin", PortalFactory.AdminPassword);
        var first = await (await support.PostAsJsonAsync($"/api/v1/licenses/requests/{await FileRequestAsync(customer)}/approve", new { termDays = 365 })).Content.ReadFromJsonAsync<JsonElement>();
        await support.PostAsJsonAsync($"/api/v1/licenses/requests/{await FileRequestAsync(customer)}/approve", new { termDays = 200 });

        var response = await admin.PutAsJsonAsync("/api/v1/license", new { token = first.GetProperty("licenseToken").GetString() });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("replaced", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(200, (await admin.GetFromJsonAsync<JsonElement>("/api/v1/license")).GetProperty("daysLeft").GetInt32());
    }

    [Fact]
    public async Task Deny_RequesterSeesTheReason_AndTheRequestCannotChangeAgain()
    {
        using var customer = await SignInAsync("cora", "customer-password-1");
        using var support = await SignInAsync("sam", "support-password-1");
        var id = await FileRequestAsync(customer);

        var deny = await support.PostAsJsonAsync($"/api/v1/licenses/requests/{id}/deny", new { reason = "Level 1 already removes personal data." });
        var approveLater = await support.PostAsJsonAsync($"/api/v1/licenses/requests/{id}/approve", new { termDays = 30 });

        Assert.Equal(HttpStatusCode.OK, deny.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, approveLater.StatusCode);
        Assert.Contains("denied, not pending", await approveLater.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var mine = await customer.GetFromJsonAsync<JsonElement[]>("/api/v1/licenses/requests");
        Assert.Equal("Level 1 already removes personal data.", Assert.Single(mine!).GetProperty("denialReason").GetString());
    }

    [Fact]
    public async Task Withdraw_OnlyByTheRequester_AndCustomersSeeOnlyTheirOwn()
    {
        using var cora = await SignInAsync("cora", "customer-password-1");
        using var carl = await SignInAsync("carl", "customer-password-2");
        using var support = await SignInAsync("sam", "support-password-1");
        var id = await FileRequestAsync(cora);

        Assert.Empty((await carl.GetFromJsonAsync<JsonElement[]>("/api/v1/licenses/requests"))!);
        Assert.Single((await support.GetFromJsonAsync<JsonElement[]>("/api/v1/licenses/requests"))!);
        Assert.Equal(HttpStatusCode.Forbidden, (await carl.PostAsync($"/api/v1/licenses/requests/{id}/withdraw", null)).StatusCode);
        var withdraw = await cora.PostAsync($"/api/v1/licenses/requests/{id}/withdraw", null);

        Assert.Equal(HttpStatusCode.OK, withdraw.StatusCode);
        Assert.Equal("Withdrawn", (await withdraw.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await cora.PostAsync("/api/v1/licenses/requests/999/withdraw", null)).StatusCode);
    }

    [Fact]
    public async Task Request_BadFields_Is400NamingEach_AndSupportCannotFile()
    {
        using var customer = await SignInAsync("cora", "customer-password-1");
        using var support = await SignInAsync("sam", "support-password-1");

        var bad = await customer.PostAsJsonAsync("/api/v1/licenses/requests", await RequestBodyAsync(termDays: 0, email: "not-an-address"));
        var detail = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Contact e-mail", detail, StringComparison.Ordinal);
        Assert.Contains("Term", detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await support.PostAsJsonAsync("/api/v1/licenses/requests", await RequestBodyAsync())).StatusCode);
    }

    [Fact]
    public async Task Apply_InvalidTokens_Are422WithTheReason_AndChangeNothing()
    {
        using var admin = await SignInAsync("admin", PortalFactory.AdminPassword);
        using var stranger = LicenseKeys.Create();
        var deployment = await _portal.Services.GetRequiredService<DeploymentService>().GetDeploymentIdAsync();
        var now = _portal.Time.GetUtcNow();
        var foreign = new LicenseIssuer(stranger, "not-trusted").Issue(new ZeroTelemetryLicense(
            Guid.NewGuid(), "Initech", [deployment], [ZeroTelemetryLicense.ZeroTelemetryFeature], now, now, now.AddDays(30), "not-trusted"));

        var garbage = await admin.PutAsJsonAsync("/api/v1/license", new { token = "hello" });
        var unknown = await admin.PutAsJsonAsync("/api/v1/license", new { token = foreign });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, garbage.StatusCode);
        Assert.Equal("NotALicense", (await garbage.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("failure").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Contains("unknown key", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("None", (await admin.GetFromJsonAsync<JsonElement>("/api/v1/license")).GetProperty("state").GetString());
    }
}
