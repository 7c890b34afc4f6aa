using System.Diagnostics;
using System.Text;
using TelemetryPortal.Core.Redaction;

namespace TelemetryPortal.Core.Tests.Redaction;

/// <summary>
/// The masker is linear: a megabyte of the characters that start matches takes about as long as a megabyte of prose.
/// The bound is generous so it cannot flake; the benchmark's masking mode measures the real ratios.
/// </summary>
public class PersonalDataMaskerLinearTimeTests
{
    private const int Size = 1 << 20;

    public static TheoryData<string> AdversarialUnits() =>
    [
        ":", "::", "a:", "abcdef::", "1:2:3:4:5:6:7 ", "ffff:", ".", "1", "1.", "1.1.1.1", "255.255.255.2555.", "1-", "a-1-2-3-",
        "@", "a@", "a@a.", "%40", "a%40", "%2540", "\\u0040", "\\\\u0040", "%", "\\", "\"@", "\\\"@", "\"a\"@", "://", "://a@",
        "://a:b@[", "@[", "a:1.2-3@%40::f.", new string('a', 63) + "@",
    ];

    [Theory]
    [MemberData(nameof(AdversarialUnits))]
    public void Mask_OneMegabyteOfAdversarialText_FinishesInLinearTime(string unit)
    {
        var text = Repeat(unit);
        PersonalDataMasker.Mask(Repeat("warm up " + unit)[..4096]);

        var watch = Stopwatch.StartNew();
        PersonalDataMasker.Mask(text);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"{watch.Elapsed.TotalSeconds:F2} s for 1 MB of '{unit}'");
    }

    [Fact]
    public void Mask_OneMegabyteOfProse_FinishesQuickly()
    {
        var text = Repeat("The build failed because the template refers to a module that no longer exists. Ask an admin. ");

        var watch = Stopwatch.StartNew();
        PersonalDataMasker.Mask(text);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2));
    }

    private static string Repeat(string unit)
    {
        var builder = new StringBuilder(Size + unit.Length);
        while (builder.Length < Size)
        {
            builder.Append(unit);
        }

        return builder.ToString(0, Size);
    }
}
