using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Features.ApiTokens;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.ApiTokens;

/// <summary>API tokens: created by the admin (API, service, command line), used as bearer tokens, scoped, revoked, never kept in clear.</summary>
[Trait("Database", "Both")]
public sealed class ApiTokenTests : IAsyncLifetime
{
    private readonly PortalFactory _factory = new();

    public ValueTask InitializeAsync()
    {
        _factory.CreatePortalClient().Dispose(); // starts the portal
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task CreateToken_AdminByApi_ReturnsTheTokenOnceAndListsItWithoutSecret()
    {
        using var admin = _factory.CreatePortalClient();
        await admin.SignInOrFailAsync("admin", PortalFactory.AdminPassword);

        var response = await admin.PostAsJsonAsync("/api/v1/tokens", new { name = "nightly export", role = "support" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var token = created.RootElement.GetProperty("token").GetString()!;
        Assert.StartsWith("tp_", token, StringComparison.Ordinal);
        Assert.Equal("Support", created.RootElement.GetProperty("summary").GetProperty("role").GetString());
        Assert.Equal("admin", created.RootElement.GetProperty("summary").GetProperty("createdBy").GetString());
        var list = await admin.GetStringAsync("/api/v1/tokens", TestContext.Current.CancellationToken);
        Assert.Contains("nightly export", list, StringComparison.Ordinal);
        Assert.Contains(token[..ApiTokenRules.RecognitionLength], list, StringComparison.Ordinal);
        Assert.DoesNotContain(token, list, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "Support", "Name must be 1 to 80 characters")]
    [InlineData("script", "Superuser", "Role must be one of Admin, Support, Customer")]
    public async Task CreateToken_BadField_Is400NamingIt(string name, string role, string expected)
    {
        using var admin = _factory.CreatePortalClient();
        await admin.SignInOrFailAsync("admin", PortalFactory.AdminPassword);

        var response = await admin.PostAsJsonAsync("/api/v1/tokens", new { name, role }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bearer_ValidToken_ReadsTheApiAndRecordsLastUse()
    {
        var created = await CreateAsync("reader", PortalRoles.Customer);
        using var client = BearerClient(created.Token);

        var response = await client.GetAsync("/api/v1/telemetry/level", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = (await Tokens.ListAsync(TestContext.Current.CancellationToken)).Single(t => t.Id == created.Summary.Id);
        Assert.Equal(_factory.Time.GetUtcNow().UtcDateTime, stored.LastUsedAt);
    }

    [Fact]
    public async Task Bearer_RevokedToken_Is401()
    {
        var created = await CreateAsync("to revoke", PortalRoles.Admin);
        using var client = BearerClient(created.Token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tokens", TestContext.Current.CancellationToken)).StatusCode);

        // The token revokes itself through the API, as an admin script would revoke a leaked one.
        var revoke = await client.DeleteAsync($"/api/v1/tokens/{created.Summary.Id}", TestContext.Current.CancellationToken);
        var after = await client.GetAsync("/api/v1/telemetry/level", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("Bearer", after.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        var stored = (await Tokens.ListAsync(TestContext.Current.CancellationToken)).Single(t => t.Id == created.Summary.Id);
        Assert.NotNull(stored.RevokedAt);
    }

    [Theory]
    [InlineData("tp_not-a-real-token")]
    [InlineData("something-else")]
    public async Task Bearer_UnknownToken_Is401(string token)
    {
        using var client = BearerClient(token);

        var response = await client.GetAsync("/api/v1/dictionary", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Bearer_SupportToken_ReadsHistoryButMayNotSendOrManageTokens()
    {
        var created = await CreateAsync("support script", PortalRoles.Support);
        using var client = BearerClient(created.Token);

        var history = await client.GetAsync("/api/v1/history", TestContext.Current.CancellationToken);
        var sendNow = await client.PostAsync("/api/v1/telemetry/send-now", null, TestContext.Current.CancellationToken);
        var newToken = await client.PostAsJsonAsync("/api/v1/tokens", new { name = "escalate", role = "Admin" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, sendNow.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, newToken.StatusCode);
    }

    [Fact]
    public async Task Bearer_CustomerToken_MayNotReadHistory()
    {
        var created = await CreateAsync("customer script", PortalRoles.Customer);
        using var client = BearerClient(created.Token);

        var response = await client.GetAsync("/api/v1/history", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Bearer_OnAPage_IsNotASession()
    {
        var created = await CreateAsync("pages", PortalRoles.Admin);
        using var client = BearerClient(created.Token);

        var response = await client.GetAsync("/admin/accounts", TestContext.Current.CancellationToken);

        Assert.StartsWith("/account/login", response.RedirectTarget(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateToken_UsedAndStored_NeverInClearInTheDatabaseFile()
    {
        var created = await CreateAsync("secret keeper", PortalRoles.Admin);
        using var client = BearerClient(created.Token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/history", TestContext.Current.CancellationToken)).StatusCode);

        var bytes = ReadDatabaseFiles();

        var secret = created.Token[ApiTokenRules.RecognitionLength..];
        Assert.False(Holds(bytes, created.Token), "The token is in the database file.");
        Assert.False(Holds(bytes, secret), "The token's secret part is in the database file.");
        // The check reads the right file: the hash and the recognisable prefix are there.
        Assert.True(Holds(bytes, ApiTokenService.Hash(created.Token)), "The token's hash is not in the database file.");
        Assert.True(Holds(bytes, created.Summary.Prefix), "The token's prefix is not in the database file.");
    }

    [Fact]
    public async Task CommandLine_TokensCreate_PrintsATokenTheServerAccepts()
    {
        var dataDirectory = Path.Combine(TempDirectory.Create(), "data");

        var (exitCode, stdout, stderr) = await PortalProcess.RunAsync(
            ["tokens", "create", "--name", "ci pipeline", "--role", "Support", $"--Portal:DataDirectory={dataDirectory}"],
            new Dictionary<string, string>(TestDatabases.PortalSettings(dataDirectory).Select(s => KeyValuePair.Create(s.Key.Replace(":", "__", StringComparison.Ordinal), s.Value!)))
            {
                ["Portal__AdminPassword"] = PortalFactory.AdminPassword,
            });

        Assert.True(exitCode == 0, stderr);
        var token = Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("tp_", token, StringComparison.Ordinal);
        Assert.Contains("shown only this once", stderr, StringComparison.Ordinal);
        await using var portal = new PortalFactory(dataDirectory: dataDirectory);
        using var client = portal.CreatePortalClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/history", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/v1/telemetry/send-now", null, TestContext.Current.CancellationToken)).StatusCode);
        var stored = Assert.Single(await portal.Services.GetRequiredService<ApiTokenService>().ListAsync(TestContext.Current.CancellationToken));
        Assert.Equal("command line", stored.CreatedBy);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task RealProcess_DataDirectoryAndDatabaseFiles_AreReadableOnlyByThePortalsUser()
    {
        Assert.SkipWhen(TestDatabases.UsePostgres, "About the SQLite database file's mode; the SQLite run covers it, and on PostgreSQL there is no such file.");
        var dataDirectory = Path.Combine(TempDirectory.Create(), "data");
        // A data directory and a file from before this version, readable by everyone.
        Directory.CreateDirectory(dataDirectory);
        File.SetUnixFileMode(dataDirectory, (UnixFileMode)0b111_101_101);
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "old-notes.txt"), "x", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(Path.Combine(dataDirectory, "old-notes.txt"), (UnixFileMode)0b110_100_100);

        var (exitCode, _, stderr) = await PortalProcess.RunAsync(
            ["tokens", "create", "--name", "modes", "--role", "Support", $"--Portal:DataDirectory={dataDirectory}"],
            new Dictionary<string, string>(TestDatabases.PortalSettings(dataDirectory).Select(s => KeyValuePair.Create(s.Key.Replace(":", "__", StringComparison.Ordinal), s.Value!)))
            {
                ["Portal__AdminPassword"] = PortalFactory.AdminPassword,
            });

        Assert.True(exitCode == 0, stderr);
        Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(dataDirectory));
        var files = Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => Path.GetFileName(f) == "portal.db");
        Assert.All(files, f => Assert.True((File.GetUnixFileMode(f) & (UnixFileMode)0b000_111_111) == 0, $"{f} is {File.GetUnixFileMode(f)}"));
    }

    [Theory]
    [InlineData(new[] { "tokens" }, "tokens needs a command")]
    [InlineData(new[] { "tokens", "delete" }, "unknown tokens command \"delete\"")]
    [InlineData(new[] { "tokens", "create", "--role", "Admin" }, "tokens create needs --name")]
    [InlineData(new[] { "tokens", "create", "--name", "x" }, "tokens create needs --role")]
    [InlineData(new[] { "tokens", "create", "--name", "x", "--role", "Boss" }, "--role must be one of Admin, Support, Customer; got \"Boss\"")]
    [InlineData(new[] { "tokens", "create", "--name" }, "--name needs a value")]
    [InlineData(new[] { "tokens", "create", "--name", "x", "--role", "Admin", "--force" }, "unknown argument \"--force\"")]
    public async Task CommandLine_BadArguments_ExitNonZeroWithOneLine(string[] args, string expected)
    {
        var dataDirectory = Path.Combine(TempDirectory.Create(), "data");

        var (exitCode, stdout, stderr) = await PortalProcess.RunAsync([.. args, $"--Portal:DataDirectory={dataDirectory}"]);

        Assert.NotEqual(0, exitCode);
        Assert.Empty(stdout.Trim());
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dataDirectory), "Nothing is created when the arguments are refused.");
    }

    private ApiTokenService Tokens => _factory.Services.GetRequiredService<ApiTokenService>();

    private Task<CreatedApiToken> CreateAsync(string name, string role) => Tokens.CreateAsync(name, role, "test", TestContext.Current.CancellationToken);

    private HttpClient BearerClient(string token)
    {
        var client = _factory.CreatePortalClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static bool Holds(byte[] bytes, string text) => bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    private byte[] ReadDatabaseFiles()
    {
        if (TestDatabases.UsePostgres)
        {
            // On PostgreSQL there is no file of the portal's to read: every row of every table of its database, as text.
            using var db = _factory.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<TelemetryPortal.Web.Data.PortalDbContext>>().CreateDbContext();
            using var connection = new Npgsql.NpgsqlConnection(Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetConnectionString(db.Database));
            connection.Open();
            var text = new System.Text.StringBuilder();
            var tables = new List<string>();
            using (var list = new Npgsql.NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()", connection))
            using (var reader = list.ExecuteReader())
            {
                while (reader.Read())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            foreach (var table in tables)
            {
                using var rows = new Npgsql.NpgsqlCommand($"SELECT t::text FROM \"{table}\" t", connection);
                using var reader = rows.ExecuteReader();
                while (reader.Read())
                {
                    text.AppendLine(reader.GetString(0));
                }
            }

            return System.Text.Encoding.UTF8.GetBytes(text.ToString());
        }

        // The main file and the write-ahead log: a row may still sit in either.
        using var all = new MemoryStream();
        foreach (var path in Directory.GetFiles(_factory.DataDirectory, "portal.db*"))
        {
            try
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                file.CopyTo(all);
            }
            catch (FileNotFoundException)
            {
                // SQLite removes its shared-memory file when the last connection closes: nothing was in it.
            }
        }

        return all.ToArray();
    }
}
