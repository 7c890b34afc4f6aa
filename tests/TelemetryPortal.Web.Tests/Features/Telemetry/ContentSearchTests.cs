using System.Text;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

/// <summary>The byte search the History page's text filter runs over payloads.</summary>
[Trait("Database", "Both")]
public sealed class ContentSearchTests
{
    [Theory]
    [InlineData("{\"email\":\"Ada@Example.com\"}", "ada@example", true)]
    [InlineData("{\"email\":\"Ada@Example.com\"}", "EXAMPLE.COM\"}", true)]
    [InlineData("{\"email\":\"Ada@Example.com\"}", "example.org", false)]
    [InlineData("aaaab", "aab", true)]
    [InlineData("ab", "abc", false)]
    [InlineData("", "a", false)]
    [InlineData("anything", "", true)]
    [InlineData("[1,2,3]", "2,3]", true)]
    public void ContainsIgnoreCase_Examples(string haystack, string needle, bool expected) =>
        Assert.Equal(expected, HistoryService.ContainsIgnoreCase(Encoding.UTF8.GetBytes(haystack), Encoding.UTF8.GetBytes(needle)));

    [Fact]
    public void ContainsIgnoreCase_AgreesWithAPlainCaseFoldedSearch_On5000RandomTexts()
    {
        var random = new Random(20261127);
        const string alphabet = "aAbB{}\":,1";
        for (var i = 0; i < 5000; i++)
        {
            var haystack = new string([.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var needle = new string([.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var expected = haystack.Contains(needle, StringComparison.OrdinalIgnoreCase);

            Assert.True(
                expected == HistoryService.ContainsIgnoreCase(Encoding.ASCII.GetBytes(haystack), Encoding.ASCII.GetBytes(needle)),
                $"\"{needle}\" in \"{haystack}\": expected {expected}");
        }
    }
}
