using System.Security.Cryptography;
using System.Text;
using TelemetryPortal.Core.Consent;
using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Core.Tests.Consent;

public sealed class ConsentPolicyTests
{
    [Theory]
    [InlineData(TelemetryLevel.Off)]
    [InlineData(TelemetryLevel.Lightweight)]
    [InlineData(TelemetryLevel.Full)]
    public void For_EveryLevel_VersionIsSha256OfTheTextAndStable(TelemetryLevel level)
    {
        var policy = ConsentPolicy.For(level, DataDictionary.Default);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(policy.Text))), policy.Version);
        Assert.Equal(policy.Version, ConsentPolicy.For(level, DataDictionary.Default).Version);
    }

    [Theory]
    [InlineData(TelemetryLevel.Off)]
    [InlineData(TelemetryLevel.Lightweight)]
    [InlineData(TelemetryLevel.Full)]
    public void For_EveryLevel_ListsEveryFieldOnceAsSentOrKeptBack(TelemetryLevel level)
    {
        var policy = ConsentPolicy.For(level, DataDictionary.Default);
        var fields = DataDictionary.Default.Entries.Where(e => e.Category != FieldCategory.Section).ToList();

        var sent = policy.Sent.SelectMany(g => g.Fields).Select(f => f.Path).ToHashSet();
        var keptBack = policy.KeptBack.SelectMany(g => g.Fields).Select(f => f.Path).ToHashSet();

        Assert.Equal(fields.Where(f => f.IsSentAt(level)).Select(f => f.Path).Order(), sent.Order());
        Assert.Equal(fields.Where(f => !f.IsSentAt(level)).Select(f => f.Path).Order(), keptBack.Order());
        Assert.All(fields, f => Assert.Contains($"[{f.Path}]", policy.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void For_LevelOne_KeepsBackEmailAndIpAndSaysSoInWords()
    {
        var policy = ConsentPolicy.For(TelemetryLevel.Lightweight, DataDictionary.Default);

        var keptBack = policy.KeptBack.Select(g => g.Category).ToList();
        Assert.Contains("e-mail", keptBack);
        Assert.Contains("IP address", keptBack);
        Assert.DoesNotContain(policy.Sent, g => g.Category is "e-mail" or "IP address");
        Assert.Contains("masked", policy.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void For_LevelZero_SendsNothingAndNamesTheLicense()
    {
        var policy = ConsentPolicy.For(TelemetryLevel.Off, DataDictionary.Default);

        Assert.Empty(policy.Sent);
        Assert.Empty(policy.Purposes);
        Assert.Contains("What is sent: nothing.", policy.Text, StringComparison.Ordinal);
        Assert.Contains("zero-telemetry license", policy.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void All_ThreeLevels_HaveDistinctVersions()
    {
        var versions = ConsentPolicy.All(DataDictionary.Default).Select(p => p.Version).ToList();

        Assert.Equal(3, versions.Distinct().Count());
    }

    [Fact]
    public void CheckKeptText_Unchanged_IsNull()
    {
        var policy = ConsentPolicy.For(TelemetryLevel.Lightweight, DataDictionary.Default);

        Assert.Null(ConsentPolicy.CheckKeptText(policy.Version, policy.Text));
    }

    [Fact]
    public void CheckKeptText_OneCharacterChanged_NamesTheVersionAndTheHashItHasNow()
    {
        var policy = ConsentPolicy.For(TelemetryLevel.Lightweight, DataDictionary.Default);
        var edited = policy.Text.Replace("masked", "kept", StringComparison.Ordinal);

        var mismatch = ConsentPolicy.CheckKeptText(policy.Version, edited);

        Assert.NotNull(mismatch);
        Assert.Equal((policy.Version, ConsentPolicy.VersionOf(edited)), (mismatch.Version, mismatch.ActualHash));
        Assert.Contains($"version {policy.Version} was changed after it was recorded", mismatch.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckKeptText_Missing_SaysItIsNoLongerKept()
    {
        var mismatch = ConsentPolicy.CheckKeptText(new string('a', 64), null);

        Assert.Null(mismatch!.ActualHash);
        Assert.Contains("no longer kept", mismatch.Message, StringComparison.Ordinal);
    }
}
