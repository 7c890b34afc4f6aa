using System.Globalization;
using System.Text;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Extensions;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

/// <summary>
/// The tree reads a payload lazily: a container's children when it is opened, a page at a time, from the container's
/// offset; pages are cached by what the bytes are; the raw view shows a window at a time.
/// </summary>
public sealed class LazyJsonTreeTests : PortalComponentTestContext
{
    public LazyJsonTreeTests()
    {
        Services.AddMemoryCache(o => o.SizeLimit = PortalServiceCollectionExtensions.MemoryCacheSizeLimit);
        Services.AddSingleton<JsonOutlineService>();
    }

    /// <summary><c>{"deployment_id":"d1","users":[10,000 users of about 110 bytes],"tail":true}</c>: a little over a megabyte.</summary>
    private static byte[] LargeSnapshot(int users = 10_000)
    {
        var json = new StringBuilder("{\"deployment_id\":\"d1\",\"users\":[");
        for (var i = 0; i < users; i++)
        {
            json.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $$"""{"id":"user-{{i:D6}}","email":"user{{i}}@corp.example","status":"active","login_type":"password"}""");
        }

        return Encoding.UTF8.GetBytes(json.Append("],\"tail\":true}").ToString());
    }

    private IRenderedComponent<JsonView> RenderView(IByteSource source, TelemetryLevel? explainFor = null, JsonExpansion? expansion = null, string testId = "tree") =>
        Render<JsonView>(p => p
            .Add(v => v.Content, source)
            .Add(v => v.RootPath, "snapshot")
            .Add(v => v.ExplainFor, explainFor)
            .Add(v => v.Expansion, expansion)
            .Add(v => v.TestId, testId));

    private static AngleSharp.Dom.IElement Toggle(IRenderedComponent<JsonView> cut, string name) =>
        cut.FindAll("button.json-toggle").First(b => b.TextContent.Contains($"\"{name}\"", StringComparison.Ordinal));

    private static int UsersShown(IRenderedComponent<JsonView> cut) =>
        cut.FindAll(".json-tree > .json-node > .json-children > .json-node > .json-children > .json-node").Count;

    [Fact]
    public async Task OpenANode_OfAPreviewThatNewerCapturesReplaced_SaysSoInPlace()
    {
        // A kept preview's file, as PreviewService writes it, removed while the page shows it.
        var directory = TempDirectory.Create();
        var bytes = LargeSnapshot(users: 300);
        var path = Path.Combine(directory, "preview.json");
        await File.WriteAllBytesAsync(path, bytes, Xunit.TestContext.Current.CancellationToken);
        var source = new FileByteSource(path, bytes.Length, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        var cut = RenderView(source);
        cut.WaitForAssertion(() => Assert.Contains("300 items", Toggle(cut, "users").TextContent, StringComparison.Ordinal));

        source.Delete();
        Toggle(cut, "users").Click();

        cut.WaitForAssertion(() => Assert.Contains(
            "This preview was replaced by newer captures and is no longer kept. Refresh the preview to see what would leave now.",
            cut.Markup,
            StringComparison.Ordinal));
        Assert.DoesNotContain("cannot be read", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenAnArray_ReadsOnePageFromItsOffset_ShowMoreReadsTheNextFromWhereTheFirstEnded()
    {
        var bytes = LargeSnapshot();
        var source = new CountingByteSource(bytes);
        var cut = RenderView(source);
        cut.WaitForAssertion(() => Assert.Contains("10,000 items", Toggle(cut, "users").TextContent, StringComparison.Ordinal));
        source.Reset();

        Toggle(cut, "users").Click();

        cut.WaitForAssertion(() => Assert.Equal(JsonOutlineService.PageSize, UsersShown(cut)));
        var usersAt = Encoding.UTF8.GetString(bytes).IndexOf("[{", StringComparison.Ordinal);
        Assert.Equal([usersAt], source.Opened);
        // A hundred users are about 11 KB: one buffer of reading, nowhere near the megabyte of the array.
        Assert.InRange(source.BytesRead, 1, JsonOutlineService.BufferBytes);
        var more = cut.Find("button.json-more");
        Assert.Equal("Show 100 more (101–200 of 10,000)", more.TextContent);

        source.Reset();
        more.Click();

        cut.WaitForAssertion(() => Assert.Equal(2 * JsonOutlineService.PageSize, UsersShown(cut)));
        var hundredthEnds = Encoding.UTF8.GetString(bytes).IndexOf("{\"id\":\"user-000100\"", StringComparison.Ordinal) - 1;
        Assert.Equal([hundredthEnds], source.Opened);
        Assert.InRange(source.BytesRead, 1, JsonOutlineService.BufferBytes);
        Assert.Equal("Show 100 more (201–300 of 10,000)", cut.Find("button.json-more").TextContent);
        // The 200th user is the 200th record of the array, read from its own offset when opened.
        cut.FindAll(".json-children .json-children > .json-node > button.json-toggle")[199].Click();
        cut.WaitForAssertion(() => Assert.Contains("\"user-000199\"", cut.Find(".json-tree").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void SecondViewOfTheSameBytes_ReadsNothing()
    {
        var bytes = LargeSnapshot(500);
        var first = new CountingByteSource(bytes);
        var cut = RenderView(first);
        cut.WaitForAssertion(() => Toggle(cut, "users"));
        Toggle(cut, "users").Click();
        cut.WaitForAssertion(() => Assert.Equal(JsonOutlineService.PageSize, UsersShown(cut)));

        // Another source of the same bytes (the same id): the outline comes from the cache.
        var second = new CountingByteSource(bytes);
        var again = RenderView(second, testId: "again");
        again.WaitForAssertion(() => Toggle(again, "users"));
        Toggle(again, "users").Click();

        again.WaitForAssertion(() => Assert.Equal(JsonOutlineService.PageSize, UsersShown(again)));
        Assert.Equal(0, second.BytesRead);
    }

    [Fact]
    public void ComparedViews_OpenAndPageTogether()
    {
        var expansion = new JsonExpansion();
        var bytes = LargeSnapshot(250);
        var full = RenderView(new MemoryByteSource(bytes), TelemetryLevel.Lightweight, expansion, "full");
        var light = RenderView(new MemoryByteSource(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("\"email\":", "\"e\":", StringComparison.Ordinal))),
            expansion: expansion, testId: "light");
        full.WaitForAssertion(() => Toggle(full, "users"));
        light.WaitForAssertion(() => Toggle(light, "users"));

        Toggle(full, "users").Click();
        light.WaitForAssertion(() => Assert.Equal(JsonOutlineService.PageSize, UsersShown(light)));
        light.Find("button.json-more").Click();

        full.WaitForAssertion(() => Assert.Equal(2 * JsonOutlineService.PageSize, UsersShown(full)));
        light.WaitForAssertion(() => Assert.Equal("Show 50 more (201–250 of 250)", light.Find("button.json-more").TextContent));
        // The 150th user, opened at one level, opens at the other; its e-mail is explained where it is sent.
        light.FindAll(".json-children .json-children > .json-node > button.json-toggle")[149].Click();
        full.WaitForAssertion(() => Assert.Contains(full.FindAll(".json-line.json-removed"), l => l.TextContent.Contains("user149@corp.example", StringComparison.Ordinal)));
    }

    [Fact]
    public void Badges_CountWhatTheLevelChangesInEachPagedRecord()
    {
        var cut = RenderView(new MemoryByteSource(LargeSnapshot(150)), TelemetryLevel.Lightweight);
        cut.WaitForAssertion(() => Toggle(cut, "users"));

        // Each user's e-mail is removed at level 1: 150 in the array, one in each record, on every page; and the
        // whole payload adds "tail", which the dictionary does not know.
        Assert.Contains("150 fields removed or masked at level 1", Toggle(cut, "users").TextContent, StringComparison.Ordinal);
        Assert.Equal("151 fields removed or masked at level 1", cut.Find(".json-tree > .json-node > button.json-toggle .json-badge").TextContent.Trim());
        Toggle(cut, "users").Click();
        cut.WaitForElement("button.json-more").Click();
        cut.WaitForAssertion(() => Assert.Equal(150, UsersShown(cut)));
        Assert.All(cut.FindAll(".json-children .json-children > .json-node > button.json-toggle"),
            b => Assert.Equal("1 field removed or masked at level 1", b.QuerySelector(".json-badge")!.TextContent.Trim()));
    }

    [Fact]
    public void LongString_IsShortenedAndSaysHowLongItIs()
    {
        var text = string.Concat(Enumerable.Repeat("é0123456789", 200_000));
        var cut = RenderView(new MemoryByteSource(Encoding.UTF8.GetBytes($$"""{"log":"{{text}}"}""")));

        var value = cut.WaitForElement(".json-line .json-string");
        Assert.StartsWith("\"é0123456789", value.TextContent, StringComparison.Ordinal);
        Assert.EndsWith("…\"", value.TextContent, StringComparison.Ordinal);
        Assert.True(value.TextContent.Length < 1100, $"{value.TextContent.Length} characters shown");
        Assert.Contains("(shortened: 2.3 MB in all)", cut.Find(".json-line").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Expanded_LargePayload_OpensOneLevelAndSaysWhy()
    {
        var cut = Render<JsonView>(p => p
            .Add(v => v.Content, new MemoryByteSource(LargeSnapshot(12_000)))
            .Add(v => v.RootPath, "snapshot")
            .Add(v => v.Expanded, true));

        cut.WaitForAssertion(() => Assert.Contains("opens a level at a time", cut.Find("[data-testid=json-expand-capped]").TextContent, StringComparison.Ordinal));
        Assert.Equal("false", Toggle(cut, "users").GetAttribute("aria-expanded"));
    }

    [Fact]
    public void Expanded_SmallPayload_OpensEverything()
    {
        var cut = Render<JsonView>(p => p
            .Add(v => v.Content, new MemoryByteSource(LargeSnapshot(3)))
            .Add(v => v.RootPath, "snapshot")
            .Add(v => v.Expanded, true));

        cut.WaitForAssertion(() => Assert.Contains("user2@corp.example", cut.Markup, StringComparison.Ordinal));
        Assert.All(cut.FindAll("button.json-toggle"), b => Assert.Equal("true", b.GetAttribute("aria-expanded")));
        Assert.Empty(cut.FindAll("[data-testid=json-expand-capped]"));
    }

    [Fact]
    public void Raw_LargePayload_ShowsAWindowAtATimeCutBetweenCharacters()
    {
        // Two-byte characters throughout, so that a 64 KiB window would end inside one unless cut before it.
        var text = $$"""{"note":"{{string.Concat(Enumerable.Repeat("ü", 50_000))}}x{{string.Concat(Enumerable.Repeat("ö", 50_000))}}"}""";
        var bytes = Encoding.UTF8.GetBytes(text);
        var cut = Render<JsonView>(p => p
            .Add(v => v.Content, new MemoryByteSource(bytes))
            .Add(v => v.RootPath, "snapshot")
            .Add(v => v.Raw, true));

        var windows = new List<string>();
        windows.Add(cut.WaitForElement("pre.json-raw").TextContent);
        Assert.Equal($"Bytes 1–65,535 of {bytes.Length:N0}", cut.Find("[data-testid=raw-window]").TextContent.Trim());
        Assert.True(cut.FindAll("button").Single(b => b.TextContent.Contains("Previous", StringComparison.Ordinal)).HasAttribute("disabled"));
        while (cut.FindAll("button").Single(b => b.TextContent.Contains("Next", StringComparison.Ordinal)) is var next && !next.HasAttribute("disabled"))
        {
            var before = cut.Find("[data-testid=raw-window]").TextContent;
            next.Click();
            cut.WaitForAssertion(() => Assert.NotEqual(before, cut.Find("[data-testid=raw-window]").TextContent));
            windows.Add(cut.Find("pre.json-raw").TextContent);
        }

        // Every byte once, in order, no character broken: the windows make the payload's text.
        Assert.Equal(text, string.Concat(windows));
        Assert.Equal(4, windows.Count);

        cut.FindAll("button").Single(b => b.TextContent.Contains("Previous", StringComparison.Ordinal)).Click();
        cut.WaitForAssertion(() => Assert.Equal(windows[2], cut.Find("pre.json-raw").TextContent));
    }

    /// <summary>Bytes in memory that count what is read of them, and from where.</summary>
    private sealed class CountingByteSource(byte[] bytes) : IByteSource
    {
        private readonly MemoryByteSource _inner = new(bytes);
        private long _read;

        public long Length => _inner.Length;

        public string Id => _inner.Id;

        public long BytesRead => Interlocked.Read(ref _read);

        public List<long> Opened { get; } = [];

        public void Reset()
        {
            Interlocked.Exchange(ref _read, 0);
            Opened.Clear();
        }

        public async Task<Stream> OpenReadAsync(long offset, CancellationToken ct = default)
        {
            Opened.Add(offset);
            return new CountingStream(await _inner.OpenReadAsync(offset, ct), this);
        }

        private sealed class CountingStream(Stream inner, CountingByteSource owner) : Stream
        {
            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => inner.Length;

            public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

            public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
                Counted(await inner.ReadAsync(buffer, cancellationToken));

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            protected override void Dispose(bool disposing)
            {
                inner.Dispose();
                base.Dispose(disposing);
            }

            private int Counted(int read)
            {
                Interlocked.Add(ref owner._read, read);
                return read;
            }
        }
    }
}
