using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Endpoints;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Data;

/// <summary>
/// Text neither database keeps (a NUL, half a surrogate pair) or longer than its column: the same clear 400 on
/// SQLite and PostgreSQL, where PostgreSQL answered 500 and SQLite stored what no copy could carry.
/// </summary>
[Trait("Database", "Both")]
public sealed class StorableTextTests : IAsyncDisposable
{
    private readonly PortalFactory _factory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Theory]
    [InlineData("", null)]
    [InlineData("plain text, tabs\tand\nlines", null)]
    [InlineData("a pair 😀 is one character", null)]
    [InlineData("a\0b", "a NUL character (U+0000) at character 2")]
    public void Problem_NamesWhatNeitherDatabaseKeeps(string text, string? expected) =>
        Assert.Equal(expected, StorableText.Problem(text));

    [Fact]
    public void Problem_HalfAPair_NamesIt()
    {
        // Not as theory data: the test runner turns half a pair into U+FFFD on its way to the test.
        Assert.Equal("half of a surrogate pair (U+D800) at character 2, which is not a character", StorableText.Problem("x\ud800"));
        Assert.Equal("half of a surrogate pair (U+DC00) at character 1, which is not a character", StorableText.Problem("\udc00\ud800"));
        Assert.Equal("half of a surrogate pair (U+D800) at character 3, which is not a character", StorableText.Problem("😀\ud800"));
    }

    [Fact]
    public void Escape_ControlsHalfPairsAndBackslashes_ReadBackUnambiguously_PairsKept()
    {
        Assert.Equal(@"a\u0000b\\c\u001b😀\ud800", StorableText.Escape("a\0b\\c\u001b😀\ud800"));
        Assert.Same("plain", StorableText.Escape("plain"));
        Assert.Null(StorableText.Problem(StorableText.Escape("\0\ud800\udc00\udc00")));
    }

    [Theory]
    [InlineData("abcdef", 6, "abcdef")]
    [InlineData("abcdefg", 6, "abcde…")]
    [InlineData("abcd😀fg", 6, "abcd…")]
    public void Clip_NeverEndsInHalfAPair(string text, int max, string expected) =>
        Assert.Equal(expected, StorableText.Clip(text, max));

    [Fact]
    public async Task Save_TextNoDatabaseKeepsOrTooLong_RefusedNamingTheField_NothingWritten()
    {
        var factory = _factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync(Ct);
        UnclassifiedField Field(string path) => new() { Path = path, Kind = "snapshot", JsonType = "string", FirstSeenAt = DateTime.UtcNow, LastSeenAt = DateTime.UtcNow, Reports = 1 };

        db.UnclassifiedFields.Add(Field("snapshot.a\0b"));
        var nul = await Assert.ThrowsAsync<PortalProblemException>(() => db.SaveChangesAsync(Ct));
        db.ChangeTracker.Clear();
        db.UnclassifiedFields.Add(Field("snapshot." + new string('x', UnclassifiedFields.MaxPathLength)));
        var tooLong = await Assert.ThrowsAsync<PortalProblemException>(() => db.SaveChangesAsync(Ct));
        db.ChangeTracker.Clear();
        // A pair is one character to PostgreSQL: at the limit in characters, it is kept.
        db.UnclassifiedFields.Add(Field(string.Concat(Enumerable.Repeat("😀", UnclassifiedFields.MaxPathLength / 2)) + new string('y', UnclassifiedFields.MaxPathLength / 2)));
        await db.SaveChangesAsync(Ct);

        Assert.Equal(ProblemKind.Invalid, nul.Kind);
        Assert.Equal("Path (UnclassifiedField) contains a NUL character (U+0000) at character 11; it cannot be stored. Remove it and try again.", nul.Message);
        Assert.Equal($"Path (UnclassifiedField) is {UnclassifiedFields.MaxPathLength + 9} characters long; at most {UnclassifiedFields.MaxPathLength} can be stored.", tooLong.Message);
        await using var check = await factory.CreateDbContextAsync(Ct);
        Assert.Equal(1, await check.UnclassifiedFields.CountAsync(Ct));
    }

    [Fact]
    public async Task HistorySearch_WithANul_Is400NamingQ()
    {
        using var admin = _factory.CreatePortalClient();
        await admin.SignInOrFailAsync("admin", PortalFactory.AdminPassword);

        using var response = await admin.GetAsync("/api/v1/history?q=ab%00cd", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("q (the text to search for) contains a NUL character (U+0000) at character 3", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LevelDecision_ReasonWithANul_Is400_NothingRecorded()
    {
        using var admin = _factory.CreatePortalClient();
        await admin.SignInOrFailAsync("admin", PortalFactory.AdminPassword);
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(Ct);
        var before = await db.ConsentLedger.CountAsync(Ct);

        using var response = await admin.PutAsJsonAsync("/api/v1/telemetry/level", new { level = 1, confirm = true, reason = "fewer\0personal data" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("reason contains a NUL character (U+0000) at character 6; remove it.", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString());
        Assert.Equal(before, await db.ConsentLedger.CountAsync(Ct));
    }
}
