using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Components.Layout;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Layout;

public sealed class NavMenuTests : PortalComponentTestContext
{
    [Theory]
    [InlineData(PortalRoles.Admin, new[] { "Dashboard", "Telemetry level", "Preview", "History", "What we collect", "Consent history", "License", "Request a license", "License requests", "Accounts", "API tokens" })]
    [InlineData(PortalRoles.Support, new[] { "Dashboard", "Preview", "History", "What we collect", "Consent history", "License", "License requests" })]
    [InlineData(PortalRoles.Customer, new[] { "Dashboard", "What we collect", "License", "Request a license" })]
    [InlineData(null, new string[0])]
    public void Render_ForRole_ShowsOnlyWhatTheRoleMayOpen(string? role, string[] expected)
    {
        SignInAs(role);

        var cut = Render<CascadingAuthenticationState>(p => p.AddChildContent<NavMenu>());

        cut.WaitForAssertion(() =>
        {
            var links = cut.FindAll("a.mud-nav-link").Select(a => a.TextContent.Trim()).ToArray();
            Assert.Equal(expected, links);
        });
    }
}
