using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Core.Simulation;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Http;

/// <summary>
/// An error nobody planned for (here a damaged database: the sent log's table is gone), as the README's command runs
/// the portal (Production): programs get problem details they can read and log, people get the error page. Neither
/// shows the exception.
/// </summary>
public sealed class UnexpectedErrorTests : IAsyncDisposable
{
    private readonly PortalFactory _factory = new(new Dictionary<string, string?> { ["Telemetry:Source"] = "CoderProxy", ["CODER_TELEMETRY"] = "1" })
    {
        Environment = "Production",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private async Task DamageTheDatabaseAsync()
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await db.Database.ExecuteSqlRawAsync("DROP TABLE payloads", Ct);
    }

    [Fact]
    public async Task CoderReport_WhenTheDatabaseFails_Is500ProblemDetailsWithAReference_NotTheHtmlPage()
    {
        // Over Kestrel on loopback, as Coder reaches it (the ingest takes loopback callers by default).
        using var client = new HttpClient { BaseAddress = _factory.StartOnKestrel() };
        await DamageTheDatabaseAsync();

        // As Coder's reporter posts it: Go's client sends no Accept header.
        using var content = new ByteArrayContent(TelemetryJson.Serialize(new SimulatedInstallation(new SimulationOptions { Users = 3, Workspaces = 2 }).CreateSnapshot()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/snapshot") { Content = content };
        request.Headers.Add("X-Coder-Version", "v2.25.0");
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync(Ct);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(500, problem.RootElement.GetProperty("status").GetInt32());
        var reference = problem.RootElement.GetProperty("traceId").GetString();
        Assert.False(string.IsNullOrEmpty(reference));
        Assert.Contains(reference, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("payloads", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Sqlite", body, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/api/v1/history", "application/problem+json", "\"traceId\"")]
    [InlineData("/telemetry/history/1", "text/html", "Something went wrong")]
    public async Task SignedIn_WhenTheDatabaseFails_TheApiAnswersProblemDetails_APageTheErrorPage(string path, string mediaType, string shows)
    {
        using var client = _factory.CreatePortalClient();
        await client.SignInOrFailAsync("admin", PortalFactory.AdminPassword);
        await DamageTheDatabaseAsync();

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains(shows, body, StringComparison.Ordinal);
        Assert.DoesNotContain("SQLite Error", body, StringComparison.OrdinalIgnoreCase);
    }
}
