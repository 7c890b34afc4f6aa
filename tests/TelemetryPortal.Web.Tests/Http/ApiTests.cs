using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Http;

public sealed class ApiTests : IAsyncLifetime
{
    private readonly PortalFactory _factory = new(new Dictionary<string, string?> { ["CODER_TELEMETRY"] = "0" });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Theory]
    [InlineData("/api/v1/telemetry/level")]
    [InlineData("/api/v1/dictionary")]
    [InlineData("/openapi/v1.json")]
    public async Task Get_Anonymous_Is401NotARedirect(string path)
    {
        using var client = _factory.CreatePortalClient();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task GetLevel_SignedIn_SaysRequestedEffectiveSourceAndWhy()
    {
        using var client = _factory.CreatePortalClient();
        await client.SignInOrFailAsync("admin", PortalFactory.AdminPassword);

        var level = await client.GetFromJsonAsync<JsonElement>("/api/v1/telemetry/level");

        Assert.Equal(0, level.GetProperty("requested").GetInt32());
        Assert.Equal(1, level.GetProperty("effective").GetInt32());
        Assert.Equal("Environment", level.GetProperty("source").GetString());
        Assert.True(level.GetProperty("pinned").GetBoolean());
        Assert.Contains("license", level.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("license", level.GetProperty("warning").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetDictionary_SignedIn_ListsEveryFieldWithItsLevels()
    {
        using var client = _factory.CreatePortalClient();
        await client.SignInOrFailAsync("admin", PortalFactory.AdminPassword);

        var entries = await client.GetFromJsonAsync<JsonElement[]>("/api/v1/dictionary");

        Assert.Equal(DataDictionary.Default.Entries.Count, entries!.Length);
        var email = entries.Single(e => e.GetProperty("path").GetString() == "snapshot.users[].email");
        Assert.Equal(2, email.GetProperty("minimumLevel").GetInt32());
        Assert.Equal([2], email.GetProperty("sentAtLevels").EnumerateArray().Select(l => l.GetInt32()));
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheApi()
    {
        using var client = _factory.CreatePortalClient();
        await client.SignInOrFailAsync("admin", PortalFactory.AdminPassword);

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/telemetry/level", out _));
        Assert.True(paths.TryGetProperty("/api/v1/dictionary", out _));
    }
}
