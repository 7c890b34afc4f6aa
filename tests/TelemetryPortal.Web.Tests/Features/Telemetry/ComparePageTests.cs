using System.Text;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

/// <summary>Compare says when payloads are too large to diff in the browser and offers both downloads instead.</summary>
public sealed class ComparePageTests : TelemetrySetup
{
    public ComparePageTests()
    {
        UseTelemetry();
        SignInAs(PortalRoles.Support);
    }

    private IRenderedComponent<Compare> RenderAt(string address)
    {
        Render<MudPopoverProvider>();
        Services.GetRequiredService<NavigationManager>().NavigateTo(address);
        return Render<Compare>();
    }

    [Fact]
    public async Task Compare_OneOverTheDiffLimit_OffersBothDownloadsInsteadOfADiff()
    {
        var now = DateTime.UtcNow;
        var small = await AddPayloadAsync(Encoding.UTF8.GetBytes("""{"users":[]}"""), PayloadKind.Snapshot, PayloadStatus.Sent, now.AddHours(-1));
        var large = await AddPayloadAsync(LargeJson(HistoryService.MaxDiffBytes + 1024), PayloadKind.Snapshot, PayloadStatus.Sent, now);

        var cut = RenderAt($"/telemetry/history/compare?from={small}&to={large}");

        var notice = cut.WaitForElement("[data-testid=compare-too-large]").TextContent;
        Assert.Contains($"Payload {large} is 32 MB.", notice, StringComparison.Ordinal);
        Assert.Contains("too large to diff in the browser: download both", notice, StringComparison.Ordinal);
        var links = cut.FindAll("a").Where(a => a.TextContent.Contains("Download payload", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"/api/v1/history/{small}/payload", $"/api/v1/history/{large}/payload"], links.Select(a => a.GetAttribute("href")));
        Assert.Empty(cut.FindAll("[data-testid=diff-summary]"));
    }

    [Fact]
    public async Task Compare_BothSmall_ShowsTheDiff()
    {
        var now = DateTime.UtcNow;
        var older = await AddPayloadAsync(Encoding.UTF8.GetBytes("""{"users":[{"id":"a"}]}"""), PayloadKind.Snapshot, PayloadStatus.Sent, now.AddHours(-1));
        var newer = await AddPayloadAsync(Encoding.UTF8.GetBytes("""{"users":[{"id":"a"},{"id":"b"}]}"""), PayloadKind.Snapshot, PayloadStatus.Sent, now);

        var cut = RenderAt($"/telemetry/history/compare?from={older}&to={newer}");

        cut.WaitForAssertion(() => Assert.Contains("1 added", cut.Find("[data-testid=diff-summary]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=compare-too-large]"));
    }

    /// <summary>A JSON array of strings, <paramref name="size"/> bytes long.</summary>
    private static byte[] LargeJson(long size)
    {
        var bytes = new byte[size];
        bytes.AsSpan().Fill((byte)'a');
        "[\""u8.CopyTo(bytes);
        "\"]"u8.CopyTo(bytes.AsSpan((int)size - 2));
        return bytes;
    }
}
