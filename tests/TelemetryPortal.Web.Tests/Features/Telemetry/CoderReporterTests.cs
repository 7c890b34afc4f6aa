using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

/// <summary>
/// The portal as a real Coder server reaches it: <see cref="CoderReporter"/> builds its URLs and posts
/// exactly as Coder's reporter (<c>coderd/telemetry/telemetry.go</c>) does, against the portal on real Kestrel.
/// </summary>
public sealed class CoderReporterTests : PipelineTestBase
{
    private PortalFactory CreateProxy(string level = "2", Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Telemetry:Source"] = "CoderProxy", ["CODER_TELEMETRY"] = level };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return CreatePortal(all);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/ingest/coder")]
    [InlineData("/ingest/coder/")]
    [InlineData("/some/deeper/path?x=1")]
    public async Task Report_AnyTelemetryUrlOnThePortal_Is202AtTheRootAndForwardedByteForByteAtLevel2(string path)
    {
        await using var portal = CreateProxy();
        var url = portal.StartOnKestrel();
        var reporter = new CoderReporter(url.GetLeftPart(UriPartial.Authority) + path);

        var snapshot = await reporter.ReportAsync("/snapshot", CoderPayloads.Snapshot);
        var deployment = await reporter.ReportAsync("/deployment", CoderPayloads.Deployment);

        Assert.True(snapshot.Delivered, snapshot.Describe());
        Assert.True(deployment.Delivered, deployment.Describe());
        Assert.Equal("/snapshot", snapshot.FinalUri.AbsolutePath);
        Assert.Equal("/deployment", deployment.FinalUri.AbsolutePath);
        await WaitForAllSentAsync(portal, 2);
        var forwarded = Receiver.Requests.ToDictionary(r => r.Path);
        Assert.Equal(CoderPayloads.Snapshot, forwarded["/snapshot"].Body);
        Assert.Equal(CoderPayloads.Deployment, forwarded["/deployment"].Body);
        Assert.All(Receiver.Requests, r => Assert.Equal(CoderReporter.Version, r.CoderVersion));
    }

    [Fact]
    public async Task Report_WholeSchemaAtLevel1_DropsExactlyTheLevel2PathsAndNoPlantedAddressSurvives()
    {
        await using var portal = CreateProxy("1");
        var url = portal.StartOnKestrel();
        var reporter = new CoderReporter(url.AbsoluteUri);

        Assert.True((await reporter.ReportAsync("/snapshot", CoderPayloads.Snapshot)).Delivered);
        Assert.True((await reporter.ReportAsync("/deployment", CoderPayloads.Deployment)).Delivered);
        await WaitForAllSentAsync(portal, 2);

        foreach (var (path, original, kind) in new[] { ("/snapshot", CoderPayloads.Snapshot, "snapshot"), ("/deployment", CoderPayloads.Deployment, "deployment") })
        {
            var forwarded = Receiver.Requests.Single(r => r.Path == path).Body;
            var sent = JsonPaths.Of(forwarded, kind);
            var expected = JsonPaths.Of(original, kind).Where(p => !JsonPaths.WithheldAtLevel1(p)).ToHashSet(StringComparer.Ordinal);
            Assert.True(expected.SetEquals(sent),
                $"{kind}: dropped {string.Join(", ", expected.Except(sent))}; kept {string.Join(", ", sent.Except(expected))}");
            var text = Encoding.UTF8.GetString(forwarded);
            Assert.DoesNotMatch(Email(), text);
            Assert.DoesNotMatch(Ipv4(), text);
            Assert.Matches(Email(), Encoding.UTF8.GetString(CoderPayloads.Snapshot));
        }

        // Every path Coder sends at level 1 reached the vendor, save the identifying ones.
        var all = JsonPaths.Of(CoderPayloads.Snapshot, "snapshot").Concat(JsonPaths.Of(CoderPayloads.Deployment, "deployment")).ToHashSet(StringComparer.Ordinal);
        Assert.True(all.Count > 500, $"The payloads fill only {all.Count} paths.");
    }

    [Fact]
    public async Task Report_CallerNotOnTheAllowlist_GetsABare403NotARedirect()
    {
        await using var portal = CreateProxy(settings: new() { ["Telemetry:Proxy:AllowedAddresses:0"] = "10.0.0.0/8" });
        var url = portal.StartOnKestrel();

        var result = await new CoderReporter(url.AbsoluteUri).ReportAsync("/snapshot", CoderPayloads.Snapshot);

        Assert.False(result.Delivered);
        Assert.Equal(HttpStatusCode.Forbidden, result.Status);
        Assert.Empty(result.Redirects);
        Assert.Empty(await PayloadsAsync(portal));
    }

    [Fact]
    public async Task Report_ProxyOff_GetsABare404NotARedirect()
    {
        await using var portal = CreatePortal();
        var url = portal.StartOnKestrel();

        var result = await new CoderReporter(url.AbsoluteUri).ReportAsync("/snapshot", CoderPayloads.Snapshot);

        Assert.Equal(HttpStatusCode.NotFound, result.Status);
        Assert.Empty(result.Redirects);
        Assert.Contains("Telemetry:Source=CoderProxy", result.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v2/snapshot")]
    [InlineData("/api/v2/telemetry")]
    [InlineData("/snapshots")]
    [InlineData("/telemetry/level")]
    public async Task Report_UnknownPath_GetsABareStatusNeverTheSignInPage(string path)
    {
        await using var portal = CreateProxy();
        var url = portal.StartOnKestrel();

        var result = await new CoderReporter(url.AbsoluteUri).ReportAsync(path, CoderPayloads.Snapshot);

        Assert.False(result.Delivered);
        Assert.Empty(result.Redirects);
        Assert.True(result.Status is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized or HttpStatusCode.MethodNotAllowed, result.Describe());
        Assert.DoesNotContain("<html", result.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Report_TooLarge_GetsABare413()
    {
        await using var portal = CreateProxy(settings: new() { ["Telemetry:Proxy:MaxPayloadBytes"] = "4096" });
        var url = portal.StartOnKestrel();

        var result = await new CoderReporter(url.AbsoluteUri).ReportAsync("/snapshot", CoderPayloads.Snapshot);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, result.Status);
        Assert.Empty(result.Redirects);
        Assert.Empty(await PayloadsAsync(portal));
    }

    [Fact]
    public async Task Report_Malformed_GetsABare400()
    {
        await using var portal = CreateProxy();
        var url = portal.StartOnKestrel();

        var result = await new CoderReporter(url.AbsoluteUri).ReportAsync("/deployment", Encoding.UTF8.GetBytes("{\"id\":"));

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Empty(result.Redirects);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public async Task Report_FieldsTheDictionaryDoesNotKnow_AreRecordedAsNotYetClassified(string level)
    {
        await using var portal = CreateProxy(level);
        var url = portal.StartOnKestrel();
        var reporter = new CoderReporter(url.AbsoluteUri);
        // A newer Coder: one new top-level list, one new field in a known record.
        var json = Encoding.UTF8.GetString(CoderPayloads.Snapshot);
        var drifted = Encoding.UTF8.GetBytes("{\"ai_seats\":[{\"id\":1}]," + json[1..].Replace("\"users\":[{", "\"users\":[{\"username\":\"ada\",", StringComparison.Ordinal));

        var first = await reporter.ReportAsync("/snapshot", drifted);
        var second = await reporter.ReportAsync("/snapshot", drifted);

        Assert.True(first.Delivered && second.Delivered, first.Describe());
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = url };
        await client.SignInAsync("admin", PortalFactory.AdminPassword);
        using var answer = JsonDocument.Parse(await client.GetStringAsync("/api/v1/dictionary/unclassified", TestContext.Current.CancellationToken));
        var items = answer.RootElement.GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("path").GetString()!, i => (Type: i.GetProperty("jsonType").GetString(), Reports: i.GetProperty("reports").GetInt64(), Version: i.GetProperty("coderVersion").GetString()));
        Assert.Equal(2, answer.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(("array", 2L, CoderReporter.Version), items["snapshot.ai_seats"]);
        Assert.Equal(("string", 2L, CoderReporter.Version), items["snapshot.users[].username"]);
    }

    [Fact]
    public void CoderReporter_ResolvesLikeGo_DroppingThePathOfTheTelemetryUrl()
    {
        // Go: u, _ := url.Parse("http://portal:5180/ingest/coder"); u.Parse("/snapshot") -> http://portal:5180/snapshot
        Assert.Equal("http://portal:5180/snapshot", CoderReporter.Resolve("http://portal:5180/ingest/coder", "/snapshot").AbsoluteUri);
        Assert.Equal("https://telemetry.coder.com/deployment", CoderReporter.Resolve("https://telemetry.coder.com", "/deployment").AbsoluteUri);
        Assert.Equal("http://portal/snapshot", CoderReporter.Resolve("http://portal/a/b/?q=1", "/snapshot").AbsoluteUri);
    }
}

/// <summary>
/// A client that reports as Coder's reporter does: the URL resolved as Go's <c>URL.Parse("/snapshot")</c>
/// (root-relative, so the telemetry URL's path is dropped), JSON with <c>X-Coder-Version</c>, redirects followed
/// (Go's default client does), and success only when the final answer is 202 Accepted.
/// </summary>
public sealed class CoderReporter(string telemetryUrl)
{
    public const string Version = "v2.26.1";

    public static Uri Resolve(string telemetryUrl, string reference) => new(new Uri(telemetryUrl), reference);

    public async Task<ReportResult> ReportAsync(string reference, byte[] body)
    {
        var redirects = new List<Uri>();
        using var handler = new RedirectRecorder(redirects) { InnerHandler = new HttpClientHandler { AllowAutoRedirect = true, MaxAutomaticRedirections = 10 } };
        using var client = new HttpClient(handler);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, Resolve(telemetryUrl, reference)) { Content = content };
        request.Headers.Add("X-Coder-Version", Version);
        using var response = await client.SendAsync(request);
        return new ReportResult(response.StatusCode, response.RequestMessage!.RequestUri!, redirects, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Sees every response before the redirect handling below it, so a followed redirect is recorded.</summary>
    private sealed class RedirectRecorder(List<Uri> redirects) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (response.RequestMessage?.RequestUri is { } final && final != request.RequestUri)
            {
                redirects.Add(final);
            }

            return response;
        }
    }
}

/// <summary>The dictionary paths a payload fills (maps' keys folded into <c>{}</c>), by the dictionary's own rules.</summary>
internal static class JsonPaths
{
    public static HashSet<string> Of(byte[] json, string root)
    {
        using var document = JsonDocument.Parse(json);
        var paths = new HashSet<string>(StringComparer.Ordinal);
        Walk(document.RootElement, root, paths);
        return paths;
    }

    /// <summary>Whether the field, or a field it is inside, is sent only at level 2.</summary>
    public static bool WithheldAtLevel1(string path)
    {
        for (var at = path; at.Contains('.', StringComparison.Ordinal); at = at[..at.LastIndexOf('.')])
        {
            var entry = TelemetryPortal.Core.Dictionary.DataDictionary.Default.Find(at.EndsWith("[]", StringComparison.Ordinal) ? at[..^2] : at);
            if (entry is { MinimumLevel: TelemetryPortal.Core.Telemetry.TelemetryLevel.Full })
            {
                return true;
            }
        }

        return false;
    }

    private static void Walk(JsonElement value, string path, HashSet<string> paths)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    var child = TelemetryPortal.Core.Dictionary.DataDictionary.Default.ChildPath(path, property.Name);
                    if (!child.EndsWith("{}", StringComparison.Ordinal))
                    {
                        paths.Add(child);
                    }

                    Walk(property.Value, child, paths);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    Walk(item, item.ValueKind == JsonValueKind.Object ? path + "[]" : path, paths);
                }

                break;
        }
    }
}

/// <summary>What Coder's reporter would conclude: only a 202 is a delivered report.</summary>
public sealed record ReportResult(HttpStatusCode Status, Uri FinalUri, IReadOnlyList<Uri> Redirects, string Body)
{
    public bool Delivered => Status == HttpStatusCode.Accepted;

    public string Describe() => $"{(int)Status} from {FinalUri} after {Redirects.Count} redirect(s): {Body[..Math.Min(Body.Length, 300)]}";
}
