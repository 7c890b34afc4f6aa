using System.Net;
using System.Net.Http.Json;
using System.Text;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Http;

/// <summary>State changes made with the session cookie come only from the portal's own pages; no answer echoes what the caller sent.</summary>
public sealed class RequestForgeryTests : IAsyncDisposable
{
    private readonly PortalFactory _factory = new() { Environment = "Production" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private async Task<HttpClient> AdminAsync()
    {
        var client = _factory.CreatePortalClient();
        await client.SignInOrFailAsync("admin", PortalFactory.AdminPassword);
        return client;
    }

    [Theory]
    [InlineData("https://evil.example", null)]
    [InlineData("null", null)]
    [InlineData(null, "cross-site")]
    [InlineData(null, "same-site")]
    public async Task CookieStateChange_FromAnotherSite_Is403AndChangesNothing(string? origin, string? fetchSite)
    {
        using var admin = await AdminAsync();
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/telemetry/level") { Content = JsonContent.Create(new { level = 1, confirm = true }) };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        var response = await admin.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("own pages", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var level = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/telemetry/level", Ct);
        Assert.Equal(2, level.GetProperty("effective").GetInt32());
    }

    [Fact]
    public async Task CookieStateChange_FromThePortalItself_Works()
    {
        using var admin = await AdminAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/telemetry/send-now");
        request.Headers.Add("Origin", admin.BaseAddress!.GetLeftPart(UriPartial.Authority));
        request.Headers.Add("Sec-Fetch-Site", "same-origin");

        var response = await admin.SendAsync(request, Ct);

        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}");
    }

    [Fact]
    public async Task ErrorResponses_NeverEchoTheCallersCookieOrAuthorization()
    {
        const string Marker = "SECRET-MARKER-7f3a";
        using var client = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var attempts = new (HttpMethod Method, string Path, HttpContent? Body)[]
        {
            (HttpMethod.Post, "/account/login", new StringContent("garbage=%%%", Encoding.UTF8, "application/x-www-form-urlencoded")),
            (HttpMethod.Post, "/account/login", new StringContent("{", Encoding.UTF8, "application/json")),
            (HttpMethod.Post, "/account/logout", null),
            (HttpMethod.Put, "/api/v1/telemetry/level", new StringContent("{", Encoding.UTF8, "application/json")),
            (HttpMethod.Get, "/api/v1/history/not-a-number", null),
            (HttpMethod.Post, "/snapshot", new StringContent("{", Encoding.UTF8, "application/json")),
            (HttpMethod.Get, "/no/such/page", null),
        };
        foreach (var (method, path, body) in attempts)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body };
            request.Headers.TryAddWithoutValidation("Cookie", $"TelemetryPortal.Auth={Marker}; other={Marker}");
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {Marker}");
            request.Headers.TryAddWithoutValidation("X-Custom", Marker);

            var response = await client.SendAsync(request, Ct);

            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(!text.Contains(Marker, StringComparison.Ordinal), $"{method} {path} ({(int)response.StatusCode}) echoed the caller's headers.");
            Assert.DoesNotContain(response.Headers.Concat(response.Content.Headers), h => h.Value.Any(v => v.Contains(Marker, StringComparison.Ordinal)));
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        }
    }
}
