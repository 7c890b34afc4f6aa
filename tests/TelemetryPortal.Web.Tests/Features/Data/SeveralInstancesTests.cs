using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Npgsql;
using TelemetryPortal.Core.Simulation;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Data;

/// <summary>
/// Two real portal processes on one PostgreSQL database, as two replicas behind a load balancer: the outbox shared and
/// taken over when one is killed, level decisions serialised across both, the level in force and sign-ins the same on
/// both, and the report schedule kept once per interval between them.
/// </summary>
[Trait("Database", "Postgres")]
public sealed class SeveralInstancesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Outbox_1000PayloadsThroughTwoInstancesOneKilledHalfWay_EachDeliveredByOneInstanceWithOneKey()
    {
        const int Total = 1000;
        const int Parallel = 8;
        await using var receiver = await TestReceiver.StartAsync();
        var connection = TestDatabases.CreatePostgres("instances");
        // Each instance forwards to the one receiver under a path of its own, so the receiver knows who sent what.
        var (a, b) = await StartTwoAsync(connection, name => new() { ["Telemetry__Endpoint"] = $"{receiver.BaseUri.AbsoluteUri.TrimEnd('/')}/{name}" });
        using var stopA = a;
        using var stopB = b;
        using var toA = new HttpClient { BaseAddress = a.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        using var toB = new HttpClient { BaseAddress = b.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        var template = new SimulatedInstallation(new SimulationOptions { Users = 3, Workspaces = 2 }).CreateDeployment();

        // Accepted (202) by A or B; unanswered: posted to A, which died before it answered (it may have captured it);
        // refused: A's port refused the connection (nothing reached it).
        var acceptedBy = new ConcurrentDictionary<string, string>();
        var unanswered = new ConcurrentDictionary<string, bool>();
        var failures = new ConcurrentQueue<string>();
        var accepted = 0;
        var killed = 0;
        var next = -1;
        async Task PostAllAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Total)
            {
                var id = $"instances-payload-{i:D4}";
                var body = TelemetryJson.Serialize(template with { Id = id });
                // Alternately to A and B, as a load balancer spreads them; once A is down, to B only.
                if (i % 2 == 0 && Volatile.Read(ref killed) == 0)
                {
                    try
                    {
                        await PostDeploymentAsync(toA, body, "a", id);
                        continue;
                    }
                    catch (HttpRequestException ex) when (Volatile.Read(ref killed) == 1)
                    {
                        if (!(ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused }))
                        {
                            unanswered[id] = true;
                        }
                    }
                }

                await PostDeploymentAsync(toB, body, "b", id);
            }
        }

        async Task PostDeploymentAsync(HttpClient client, byte[] body, string instance, string id)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/deployment") { Content = content };
            request.Headers.Add("X-Coder-Version", "v2.26.1");
            using var response = await client.SendAsync(request, Ct);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                failures.Enqueue($"{id} to {instance}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
                return;
            }

            acceptedBy[id] = instance;
            if (Interlocked.Increment(ref accepted) == Total / 2)
            {
                // Half way: A dies at once, whatever it holds (requests being read, a payload being sent).
                Volatile.Write(ref killed, 1);
                a.Kill();
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => Task.Run(PostAllAsync, Ct)));

        Assert.True(failures.IsEmpty, $"Posts refused: {string.Join("; ", failures.Take(5))}\nB's output:\n{b.RecentOutput}");
        Assert.Equal(1, killed);
        Assert.Equal(Total, acceptedBy.Count);
        Assert.True(unanswered.Count <= Parallel, $"{unanswered.Count} posts unanswered; at most {Parallel} can be in flight.");

        // Every payload reaches the receiver, A's left-overs through B once A's lease on the one it was sending ends.
        List<(string Id, string Instance, string Key)> deliveries = [];
        await Eventually.WaitUntilAsync(
            () =>
            {
                deliveries = Deliveries(receiver);
                return Task.FromResult(acceptedBy.Keys.All(deliveries.Select(d => d.Id).ToHashSet().Contains));
            },
            $"every accepted payload delivered (B's output:\n{b.RecentOutput})",
            seconds: 90);
        await Eventually.WaitUntilAsync(
            async () => await ScalarAsync(connection, """SELECT count(*) FROM payloads WHERE "Status" <> 'Sent'""") == 0,
            "every payload recorded as sent");
        deliveries = Deliveries(receiver);

        // One key per payload: captured once. A post whose answer was lost in the kill may have been captured twice.
        foreach (var payload in deliveries.GroupBy(d => d.Id))
        {
            var keys = payload.Select(d => d.Key).Distinct().Count();
            Assert.True(keys == 1 || (keys == 2 && unanswered.ContainsKey(payload.Key)),
                $"{payload.Key} was delivered with {keys} idempotency keys ({(unanswered.ContainsKey(payload.Key) ? "its post was unanswered" : "its post was answered")}).");
        }

        // Each capture delivered by one instance, once; only the payload A was sending when it died goes again, from B,
        // with the same key (A sends one at a time, so at most one).
        foreach (var capture in deliveries.GroupBy(d => d.Key))
        {
            Assert.True(capture.Count() == capture.Select(d => d.Instance).Distinct().Count(),
                $"{capture.First().Id} (key {capture.Key}) was delivered {capture.Count()} times: {string.Join(", ", capture.Select(d => d.Instance))}.");
        }

        var byBoth = deliveries.GroupBy(d => d.Key).Count(g => g.Count() > 1);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{deliveries.Count} deliveries ({deliveries.Count(d => d.Instance == "a")} by A, {deliveries.Count(d => d.Instance == "b")} by B); " +
            $"{unanswered.Count} posts unanswered at the kill; {deliveries.Select(d => d.Key).Distinct().Count() - Total} captured twice; {byBoth} delivered by both.");
        Assert.True(byBoth <= 1, $"{byBoth} payloads were delivered by both instances; only the one A was sending at the kill may be.");
        Assert.Contains(deliveries, d => d.Instance == "a");
        Assert.Contains(deliveries, d => d.Instance == "b");

        // The database agrees: one row per capture, every one sent, no lease left behind.
        Assert.Equal(deliveries.Select(d => d.Key).Distinct().Count(), await ScalarAsync(connection, "SELECT count(*) FROM payloads"));
        Assert.Equal(0, await ScalarAsync(connection, """SELECT count(*) FROM payloads WHERE "LeaseOwner" IS NOT NULL OR "LeaseExpiresAt" IS NOT NULL"""));
    }

    [Fact]
    public async Task Level_200ConcurrentChangesSpreadOverTwoInstances_LedgerVerifiesAndFromAndToAgreeEntryByEntry()
    {
        const int Changes = 200;
        var connection = TestDatabases.CreatePostgres("instances");
        var token = await CreateAdminTokenAsync(connection);
        var (a, b) = await StartTwoAsync(connection);
        using var stopA = a;
        using var stopB = b;
        using var toA = BearerClient(a, token);
        using var toB = BearerClient(b, token);

        var failures = new ConcurrentQueue<string>();
        await Task.WhenAll(Enumerable.Range(0, Changes).Select(async i =>
        {
            // Levels 1 and 2 (0 needs a license); a mix, so that many decisions change the level and some do not.
            var level = Random.Shared.Next(1, 3);
            using var response = await (i % 2 == 0 ? toA : toB).PutAsJsonAsync("/api/v1/telemetry/level", new { level, confirm = true, reason = $"change {i}" }, Ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failures.Enqueue($"change {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
            }
        }));

        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(5)));
        var verification = await toB.GetFromJsonAsync<JsonElement>("/api/v1/consent/verify", Ct);
        Assert.True(verification.GetProperty("valid").GetBoolean(), verification.ToString());
        var ledger = await LedgerAsync(toA);
        Assert.Equal(verification.GetProperty("entries").GetInt64(), ledger.Count);

        var decisions = ledger.Where(e => e.Action == "LevelChosen").ToList();
        Assert.Equal(Changes, decisions.Count);
        Assert.Equal(2, decisions[0].From);
        for (var i = 1; i < decisions.Count; i++)
        {
            Assert.True(decisions[i].From == decisions[i - 1].To,
                $"Decision {decisions[i].Id} is from level {decisions[i].From}, but the decision before it ({decisions[i - 1].Id}) chose {decisions[i - 1].To}.");
        }

        // Entry by entry: a decision that changes the level in force is followed at once by the change, from the level
        // in force before it; one that does not is followed by none.
        int? effective = null;
        for (var i = 0; i < ledger.Count; i++)
        {
            var entry = ledger[i];
            if (entry.Action == "EffectiveLevelChanged")
            {
                Assert.True(entry.From == effective, $"Entry {entry.Id} changes the level in force from {entry.From}; it was {effective}.");
                effective = entry.To;
            }
            else if (entry.Action == "LevelChosen" && entry.To != effective)
            {
                var following = i + 1 < ledger.Count ? ledger[i + 1] : null;
                Assert.True(following is { Action: "EffectiveLevelChanged" } && following.To == entry.To,
                    $"Decision {entry.Id} chose {entry.To} while {effective} was in force, but the next entry is {following?.Action ?? "none"}.");
            }
        }

        Assert.Equal(decisions[^1].To, effective);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{ledger.Count} entries: {decisions.Count} decisions, {decisions.Count(d => d.From != d.To)} of them changing the level, {ledger.Count(e => e.Action == "EffectiveLevelChanged")} changes of the level in force.");
        foreach (var client in new[] { toA, toB })
        {
            var level = await client.GetFromJsonAsync<JsonElement>("/api/v1/telemetry/level", Ct);
            Assert.Equal(decisions[^1].To, level.GetProperty("effective").GetInt32());
        }
    }

    [Fact]
    public async Task Level_ChosenOnOneInstance_IsInForceOnTheOtherWithinASecond()
    {
        var connection = TestDatabases.CreatePostgres("instances");
        var token = await CreateAdminTokenAsync(connection);
        var (a, b) = await StartTwoAsync(connection);
        using var stopA = a;
        using var stopB = b;
        using var toA = BearerClient(a, token);
        using var toB = BearerClient(b, token);

        foreach (var (level, chooseOn, readOn) in new[] { (1, toA, toB), (2, toA, toB), (1, toB, toA), (2, toB, toA), (1, toA, toB) })
        {
            using var chosen = await chooseOn.PutAsJsonAsync("/api/v1/telemetry/level", new { level, confirm = true }, Ct);
            Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);
            await Eventually.WaitUntilAsync(
                async () => (await readOn.GetFromJsonAsync<JsonElement>("/api/v1/telemetry/level", Ct)).GetProperty("effective").GetInt32() == level,
                $"level {level} chosen on {chooseOn.BaseAddress} in force on {readOn.BaseAddress}",
                seconds: 1);
        }
    }

    [Fact]
    public async Task SignIn_OnOneInstance_IsSignedInOnTheOther()
    {
        var connection = TestDatabases.CreatePostgres("instances");
        var (a, b) = await StartTwoAsync(connection);
        using var stopA = a;
        using var stopB = b;
        var cookies = new CookieContainer();
        using var onA = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = a.BaseUri };
        await onA.SignInOrFailAsync("admin", PortalFactory.AdminPassword);

        // The same cookie sent to B (a load balancer without sticky sessions), and B without it for contrast.
        using var onB = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = b.BaseUri };
        var cookie = cookies.GetCookieHeader(a.BaseUri);
        Assert.False(string.IsNullOrEmpty(cookie), "Signing in on A set no cookie.");
        foreach (var path in new[] { "/api/v1/telemetry/level", "/" })
        {
            using var anonymous = await onB.GetAsync(path, Ct);
            Assert.NotEqual(HttpStatusCode.OK, anonymous.StatusCode);
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Cookie", cookie);
            using var signedIn = await onB.SendAsync(request, Ct);
            Assert.True(signedIn.StatusCode == HttpStatusCode.OK, $"{path} on B with A's cookie: {(int)signedIn.StatusCode} {signedIn.Headers.Location}");
        }
    }

    [Fact]
    public async Task Schedule_TwoInstancesWithTheSimulatedSource_ReportOncePerIntervalBetweenThem()
    {
        const int Intervals = 6;
        var interval = TimeSpan.FromSeconds(2);
        await using var receiver = await TestReceiver.StartAsync();
        var connection = TestDatabases.CreatePostgres("instances");

        // Each run of the schedule is claimed in scheduled_jobs by one instance (who and when): watch the claims go by
        // from before the instances start. A report (a deployment, then a snapshot) can take longer than the interval on
        // a busy machine, so the claims, not the capture times, show the schedule.
        var claims = new ConcurrentDictionary<DateTime, string>();
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var watching = Task.Run(
            async () =>
            {
                using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
                do
                {
                    if (await LastClaimAsync(connection) is { } claim)
                    {
                        claims[claim.At] = claim.By;
                    }
                }
                while (await tick.WaitForNextTickAsync(stopWatching.Token));
            },
            Ct);

        RunningPortal? a = null, b = null;
        long deployments, snapshots;
        int seen;
        try
        {
            (a, b) = await StartTwoAsync(connection, _ => new()
            {
                ["Telemetry__Source"] = "Simulated",
                ["Telemetry__Interval"] = interval.ToString("c", CultureInfo.InvariantCulture),
                ["Telemetry__FirstReportDelay"] = "00:00:01",
                ["Telemetry__Endpoint"] = receiver.BaseUri.AbsoluteUri,
            });
            await Eventually.WaitUntilAsync(() => Task.FromResult(claims.Count >= Intervals), $"{Intervals} runs of the schedule", seconds: 60);

            // Every run claimed reports, once: wait for the reports of the runs seen, count them, then take the runs
            // claimed since (whose reports may be among those counted).
            seen = claims.Count;
            await Eventually.WaitUntilAsync(
                async () => await ScalarAsync(connection, """SELECT count(*) FROM payloads WHERE "Kind" = 'snapshot'""") >= seen,
                $"a report for each of the {seen} runs");
            deployments = await ScalarAsync(connection, """SELECT count(*) FROM payloads WHERE "Kind" = 'deployment'""");
            snapshots = await ScalarAsync(connection, """SELECT count(*) FROM payloads WHERE "Kind" = 'snapshot'""");
        }
        finally
        {
            // Stopped (SIGKILL) before the last look, so that no run is claimed after it.
            a?.Dispose();
            b?.Dispose();
            await stopWatching.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watching);
        }

        if (await LastClaimAsync(connection) is { } last)
        {
            claims[last.At] = last.By;
        }

        var output = $"\nA:\n{a.RecentOutput}\nB:\n{b.RecentOutput}";
        Assert.InRange(deployments, seen, claims.Count);
        Assert.InRange(snapshots, seen, claims.Count);
        var at = claims.Keys.Order().ToList();
        for (var i = 1; i < at.Count; i++)
        {
            Assert.True(at[i] - at[i - 1] >= interval - TimeSpan.FromMilliseconds(50),
                $"Runs {i} and {i + 1} of the schedule were claimed {(at[i] - at[i - 1]).TotalMilliseconds:F0} ms apart; the interval is {interval}.{output}");
        }

        // Pruning ran at start on one of them, and neither runs it again before its interval (6 hours) is up.
        var prune = await RowAsync(connection, """SELECT "LastRunBy", "DueAt" - "LastStartedAt" FROM scheduled_jobs WHERE "Name" = 'prune'""");
        Assert.Contains((string)prune[0], new[] { "a", "b" });
        Assert.Equal(TimeSpan.FromHours(6), TimeSpan.FromMinutes(Math.Round(((TimeSpan)prune[1]).TotalMinutes)));
    }

    /// <summary>Starts instances <c>a</c> and <c>b</c> on <paramref name="connection"/> together, as a deployment rolls out two replicas.</summary>
    private static async Task<(RunningPortal A, RunningPortal B)> StartTwoAsync(string connection, Func<string, Dictionary<string, string>>? settings = null)
    {
        var starting = new[] { "a", "b" }.Select(name => RunningPortal.StartAsync(InstanceSettings(connection, name, settings?.Invoke(name)))).ToArray();
        try
        {
            var started = await Task.WhenAll(starting);
            return (started[0], started[1]);
        }
        catch
        {
            foreach (var start in starting.Where(s => s.IsCompletedSuccessfully))
            {
                start.Result.Dispose();
            }

            throw;
        }
    }

    /// <summary>An instance's settings: its own data directory (another host), the shared database, quick takeover.</summary>
    private static Dictionary<string, string> InstanceSettings(string connection, string name, Dictionary<string, string>? more = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["Portal__DataDirectory"] = Path.Combine(TempDirectory.Create(), "data"),
            ["Portal__AdminPassword"] = PortalFactory.AdminPassword,
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Portal"] = connection,
            ["Database__InstanceName"] = name,
            ["Database__SendLease"] = "00:00:03",
            ["Database__PollInterval"] = "00:00:00.200",
            ["Telemetry__Source"] = "CoderProxy",
            // Warnings and errors only (RecentOutput explains a failure), and no console writing slowing a thousand captures.
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in more ?? [])
        {
            environment[key] = value;
        }

        return environment;
    }

    private static async Task<string> CreateAdminTokenAsync(string connection)
    {
        var (exitCode, stdout, stderr) = await PortalProcess.RunAsync(["tokens", "create", "--name", "instances", "--role", "Admin"], InstanceSettings(connection, "tool"));
        Assert.True(exitCode == 0, stderr);
        return stdout.Trim();
    }

    private static HttpClient BearerClient(RunningPortal portal, string token)
    {
        var client = new HttpClient { BaseAddress = portal.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private sealed record LedgerEntry(long Id, string Action, int? From, int? To);

    /// <summary>The whole ledger through the API, oldest first.</summary>
    private static async Task<List<LedgerEntry>> LedgerAsync(HttpClient client)
    {
        var entries = new List<LedgerEntry>();
        for (var page = 1; ; page++)
        {
            var answer = await client.GetFromJsonAsync<JsonElement>($"/api/v1/consent?page={page}&pageSize=500", Ct);
            var items = answer.GetProperty("items").EnumerateArray().ToList();
            entries.AddRange(items.Select(e => new LedgerEntry(
                e.GetProperty("id").GetInt64(),
                e.GetProperty("action").GetString()!,
                e.GetProperty("fromLevel").ValueKind == JsonValueKind.Null ? null : e.GetProperty("fromLevel").GetInt32(),
                e.GetProperty("toLevel").ValueKind == JsonValueKind.Null ? null : e.GetProperty("toLevel").GetInt32())));
            if (items.Count == 0 || entries.Count >= answer.GetProperty("total").GetInt32())
            {
                return [.. entries.OrderBy(e => e.Id)];
            }
        }
    }

    /// <summary>What the receiver accepted: which payload (its deployment id), from which instance (the path), with which key.</summary>
    private static List<(string Id, string Instance, string Key)> Deliveries(TestReceiver receiver) =>
    [
        .. receiver.Requests.Where(r => r.Accepted).Select(r =>
        {
            using var body = JsonDocument.Parse(r.Body);
            return (body.RootElement.GetProperty("id").GetString()!, r.Path.Split('/')[1], r.IdempotencyKey ?? "");
        }),
    ];

    /// <summary>The last run of the report schedule claimed: when, and by which instance.</summary>
    private static async Task<(DateTime At, string By)?> LastClaimAsync(string connection)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("""SELECT "LastStartedAt", "LastRunBy" FROM scheduled_jobs WHERE "Name" = 'simulated-report' AND "LastStartedAt" IS NOT NULL""", db);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(Ct);
            return await reader.ReadAsync(Ct) ? (reader.GetDateTime(0), reader.GetString(1)) : null;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // Not migrated yet: the instances are starting.
            return null;
        }
    }

    private static async Task<long> ScalarAsync(string connection, string sql)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, db);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), CultureInfo.InvariantCulture);
    }

    private static async Task<object[]> RowAsync(string connection, string sql)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, db);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct), $"No row: {sql}");
        var row = new object[reader.FieldCount];
        reader.GetValues(row);
        return row;
    }
}
