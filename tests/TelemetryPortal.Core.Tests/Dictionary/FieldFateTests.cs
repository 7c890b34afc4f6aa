using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Core.Tests.Dictionary;

public class FieldFateTests
{
    private static readonly DataDictionary s_dictionary = DataDictionary.Default;

    [Fact]
    public void At_LevelTwo_KeepsEverythingEvenUnknownFields()
    {
        Assert.Equal(FieldFateKind.Kept, FieldFate.At(s_dictionary, "snapshot.users[].email", TelemetryLevel.Full, "a@b.example").Kind);
        Assert.Equal(FieldFateKind.Kept, FieldFate.At(s_dictionary, "snapshot.brand_new_field", TelemetryLevel.Full).Kind);
    }

    [Fact]
    public void At_LevelOne_RemovesEmailWithItsCategory()
    {
        var fate = FieldFate.At(s_dictionary, "snapshot.users[].email", TelemetryLevel.Lightweight, "a@b.example");

        Assert.Equal(FieldFateKind.Removed, fate.Kind);
        Assert.Equal(FieldCategory.Email, fate.Entry!.Category);
        Assert.Contains("e-mail", fate.Explain(TelemetryLevel.Lightweight), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void At_LevelOne_UnknownFieldIsRemovedFailClosed()
    {
        var fate = FieldFate.At(s_dictionary, "snapshot.brand_new_field", TelemetryLevel.Lightweight);

        Assert.Equal(FieldFateKind.Unknown, fate.Kind);
        Assert.Contains("fail-closed", fate.Explain(TelemetryLevel.Lightweight), StringComparison.Ordinal);
    }

    [Fact]
    public void At_LevelOne_FreeTextWithAddressIsMasked_WithoutIsKept()
    {
        Assert.Equal(FieldFateKind.Masked, FieldFate.At(s_dictionary, "snapshot.provisioner_jobs[].error", TelemetryLevel.Lightweight, "failed for bob@corp.example").Kind);
        Assert.Equal(FieldFateKind.Kept, FieldFate.At(s_dictionary, "snapshot.provisioner_jobs[].error", TelemetryLevel.Lightweight, "terraform apply failed").Kind);
    }

    [Fact]
    public void At_EveryDictionaryEntry_AgreesWithItsMinimumLevel()
    {
        foreach (var entry in s_dictionary.Entries)
        {
            var fate = FieldFate.At(s_dictionary, entry.Path, TelemetryLevel.Lightweight);
            Assert.Equal(entry.MinimumLevel == TelemetryLevel.Full ? FieldFateKind.Removed : FieldFateKind.Kept, fate.Kind);
        }
    }
}
