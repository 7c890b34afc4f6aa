using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Features.Accounts;
using TelemetryPortal.Web.Features.ApiTokens;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Authentication;

/// <summary>
/// Walks every endpoint the portal maps (pages, API, downloads, machine endpoints, Blazor's own, static files)
/// and, for anonymous callers and every role (by session cookie and by API token), compares the answer with
/// the access the endpoint declares. An endpoint that declares none fails; so does a README whose table differs.
/// </summary>
public sealed class AccessTests : IAsyncLifetime
{
    private const string SupportPassword = "support-password-1";
    private const string CustomerPassword = "customer-password-1";

    // Values for route parameters; an endpoint with a parameter not listed here fails the test until it is.
    private static readonly Dictionary<string, string> SampleValues = new(StringComparer.OrdinalIgnoreCase)
    {
        ["kind"] = "snapshot",
        ["id"] = "999999",
        ["documentName"] = "v1",
        ["version"] = "0000",
        ["requestId"] = "6a4c2a52-0f57-4a5c-9d0e-7a2f3b1c9e11",
    };

    private readonly PortalFactory _factory = new();
    private readonly List<Caller> _callers = [];
    private Uri _baseAddress = null!;

    public async ValueTask InitializeAsync()
    {
        // Real Kestrel on loopback, so that the ingest endpoints see a real (allowlisted) client address.
        _baseAddress = _factory.StartOnKestrel();
        var accounts = _factory.Services.GetRequiredService<AccountService>();
        await accounts.CreateAsync("sam", "Sam Support", PortalRoles.Support, SupportPassword);
        await accounts.CreateAsync("cora", "Cora Customer", PortalRoles.Customer, CustomerPassword);

        _callers.Add(new Caller("anonymous", null, NewClient()));
        foreach (var (role, user, password) in new[]
        {
            (PortalRoles.Admin, "admin", PortalFactory.AdminPassword),
            (PortalRoles.Support, "sam", SupportPassword),
            (PortalRoles.Customer, "cora", CustomerPassword),
        })
        {
            var client = NewClient();
            await client.SignInOrFailAsync(user, password);
            _callers.Add(new Caller($"{role} (cookie)", role, client));
        }

        var tokens = _factory.Services.GetRequiredService<ApiTokenService>();
        foreach (var role in PortalRoles.All)
        {
            var token = await tokens.CreateAsync($"matrix {role}", role, "test");
            var client = NewClient();
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Token);
            _callers.Add(new Caller($"{role} (API token)", role, client, TokenOnly: true));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var caller in _callers)
        {
            caller.Client.Dispose();
        }

        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task EveryEndpoint_EveryCaller_GetsWhatTheEndpointDeclares()
    {
        var endpoints = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var problems = new List<string>();
        var checkedRoutes = 0;
        foreach (var endpoint in Representatives(endpoints))
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            var method = methods.Contains(HttpMethods.Get) || methods.Count == 0 ? HttpMethods.Get : methods[0];
            var route = endpoint.RoutePattern.RawText ?? "";
            if (endpoint.Metadata.GetMetadata<AccessAttribute>() is not { } access)
            {
                problems.Add($"{method} {route}: declares no access (RequireAccess on the endpoint or group, [Access] on the page)");
                continue;
            }

            if (!TryBuildUrl(endpoint, out var url, out var missing))
            {
                problems.Add($"{method} {route}: no sample value for the route parameter \"{missing}\" (add one to {nameof(SampleValues)})");
                continue;
            }

            checkedRoutes++;
            foreach (var caller in _callers)
            {
                // A token counts only on the API; elsewhere its bearer is an anonymous caller.
                var isApi = url.StartsWith("/api/", StringComparison.Ordinal) || url.StartsWith("/openapi/", StringComparison.Ordinal);
                var signedIn = caller.Role is not null && (!caller.TokenOnly || isApi);
                var expectAllowed = access.Audience.AdmitsRole(signedIn ? caller.Role : null, signedIn);
                using var response = await SendAsync(caller.Client, method, url, AcceptsForm(endpoint));
                var outcome = Classify(response);
                var expected = expectAllowed ? Outcome.Allowed : signedIn ? Outcome.Forbidden : Outcome.Challenged;
                if (outcome != expected)
                {
                    problems.Add($"{method} {url} as {caller.Name}: expected {expected} ({access.Audience}), got {outcome} ({(int)response.StatusCode} {response.Headers.Location})");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.True(checkedRoutes > 30, $"Only {checkedRoutes} endpoints were checked; the walk missed the app's endpoints.");
    }

    [Fact]
    public void EveryPage_DeclaresWhoMayOpenIt()
    {
        var pages = typeof(Program).Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes(typeof(Microsoft.AspNetCore.Components.RouteAttribute), inherit: false).Length > 0)
            .ToList();

        Assert.NotEmpty(pages);
        Assert.All(pages, page => Assert.True(
            page.GetCustomAttributes(typeof(AccessAttribute), inherit: false).Length == 1,
            $"{page.FullName} has an @page but no [Access(...)]: navigation inside the live page would not check it."));
    }

    [Fact]
    public void Readme_ShowsExactlyTheAccessTheAppDeclares()
    {
        var table = AccessTable.ToMarkdown(AccessTable.From(_factory.Services.GetRequiredService<EndpointDataSource>()));
        var readmePath = Path.Combine(PortalProcess.RepositoryRoot(), "README.md");
        var readme = File.ReadAllText(readmePath).ReplaceLineEndings("\n");
        const string Start = "<!-- access-table:start -->\n";
        const string End = "<!-- access-table:end -->";
        var from = readme.IndexOf(Start, StringComparison.Ordinal);
        var to = readme.IndexOf(End, StringComparison.Ordinal);

        Assert.True(from >= 0 && to > from, $"README.md has no {Start.Trim()} ... {End} section.");
        var shown = readme[(from + Start.Length)..to];
        Assert.False(table.Contains("nobody (no access declared)", StringComparison.Ordinal), "A route declares no access:\n" + table);
        if (shown != table && Environment.GetEnvironmentVariable("UPDATE_README") == "1")
        {
            File.WriteAllText(readmePath, readme[..(from + Start.Length)] + table + readme[to..]);
            return;
        }

        Assert.True(shown == table, "README.md's access table differs from what the app declares (rerun with UPDATE_README=1 to write it):\n" + table);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Fallback_UndeclaredRoute_IsRefusedEvenToTheAdmin(bool signedIn)
    {
        var policy = await _factory.Services.GetRequiredService<IAuthorizationPolicyProvider>().GetFallbackPolicyAsync();
        var context = new DefaultHttpContext { RequestServices = _factory.Services };
        context.SetEndpoint(new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/not-declared"), 0, EndpointMetadataCollection.Empty, "test"));
        var user = signedIn ? PortalClaims.CreatePrincipal(1, "admin", "Admin", PortalRoles.Admin, "stamp") : new ClaimsPrincipal(new ClaimsIdentity());

        var result = await _factory.Services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(user, context, policy!);

        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Fallback_NoRouteAtAll_NeedsAPortalRole()
    {
        var policy = await _factory.Services.GetRequiredService<IAuthorizationPolicyProvider>().GetFallbackPolicyAsync();
        var authorization = _factory.Services.GetRequiredService<IAuthorizationService>();
        var context = new DefaultHttpContext { RequestServices = _factory.Services };

        var admin = await authorization.AuthorizeAsync(PortalClaims.CreatePrincipal(1, "admin", "Admin", PortalRoles.Admin, "stamp"), context, policy!);
        var anonymous = await authorization.AuthorizeAsync(new ClaimsPrincipal(new ClaimsIdentity()), context, policy!);

        Assert.True(admin.Succeeded);
        Assert.False(anonymous.Succeeded);
    }

    // Static files are many and alike: one per distinct route shape is enough (the rest share the line).
    private static IEnumerable<RouteEndpoint> Representatives(List<RouteEndpoint> endpoints) =>
        endpoints.Where(e => e.Metadata.GetMetadata<StaticAssetDescriptor>() is null)
            .Concat(endpoints.Where(e => e.Metadata.GetMetadata<StaticAssetDescriptor>() is not null)
                .Where(e => e.RoutePattern.RawText is "css/app.css" or "_framework/blazor.web.js" or "favicon.svg"));

    private static bool TryBuildUrl(RouteEndpoint endpoint, out string url, out string? missing)
    {
        var builder = new StringBuilder();
        missing = null;
        foreach (var segment in endpoint.RoutePattern.PathSegments)
        {
            builder.Append('/');
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal:
                        builder.Append(literal.Content);
                        break;
                    case RoutePatternSeparatorPart separator:
                        builder.Append(separator.Content);
                        break;
                    case RoutePatternParameterPart parameter:
                        if (!SampleValues.TryGetValue(parameter.Name, out var value))
                        {
                            missing = parameter.Name;
                            url = "";
                            return false;
                        }

                        builder.Append(value);
                        break;
                }
            }
        }

        url = builder.Length == 0 ? "/" : builder.ToString();
        return true;
    }

    private static bool AcceptsForm(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.Contains("application/x-www-form-urlencoded") == true;

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string url, bool form)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "POST" or "PUT" or "PATCH")
        {
            // Without an antiforgery token, forms answer 400: refused for a reason that is not who is asking.
            request.Content = form
                ? new FormUrlEncodedContent(new Dictionary<string, string> { ["returnUrl"] = "/" })
                : new StringContent("{}", Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static Outcome Classify(HttpResponseMessage response)
    {
        var location = response.Headers.Location?.OriginalString ?? "";
        if (location.Contains("ReturnUrl=%2Fnot-found", StringComparison.Ordinal) && response.RequestMessage?.RequestUri?.AbsolutePath != "/not-found")
        {
            // The endpoint ran and answered 404 or 405; the friendly "not found" page then asks for sign-in.
            return Outcome.Allowed;
        }

        if (response.StatusCode == HttpStatusCode.Unauthorized || (IsRedirect(response) && location.Contains("/account/login", StringComparison.Ordinal)))
        {
            return Outcome.Challenged;
        }

        if (response.StatusCode == HttpStatusCode.Forbidden
            || (IsRedirect(response) && (location.Contains("/account/access-denied", StringComparison.Ordinal) || location.Contains("/account/no-access", StringComparison.Ordinal))))
        {
            return Outcome.Forbidden;
        }

        return Outcome.Allowed;
    }

    private static bool IsRedirect(HttpResponseMessage response) => (int)response.StatusCode is >= 300 and < 400;

    private HttpClient NewClient() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
    {
        BaseAddress = _baseAddress,
    };

    private enum Outcome
    {
        Allowed,
        Challenged,
        Forbidden,
    }

    private sealed record Caller(string Name, string? Role, HttpClient Client, bool TokenOnly = false);
}
