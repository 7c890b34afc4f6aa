using System.Buffers;
using System.Text;
using TelemetryPortal.Core.Snapshots;

namespace TelemetryPortal.Core.Tests.Snapshots;

/// <summary>The writer against outputs of Go's <c>json.Marshal</c> (go1.24), value by value.</summary>
public class GoJsonWriterTests
{
    private static string Write(Action<GoJsonWriter> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(new GoJsonWriter(output));
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Theory]
    [InlineData("<a&b>", "\"\\u003ca\\u0026b\\u003e\"")]
    [InlineData("line\u2028para\u2029", "\"line\\u2028para\\u2029\"")]
    [InlineData("\u0001\u001f\n\r\t\b\f", "\"\\u0001\\u001f\\n\\r\\t\\b\\f\"")]
    [InlineData("quote \" back \\ slash /", "\"quote \\\" back \\\\ slash /\"")]
    [InlineData("del \u007f café 连接 😀", "\"del \u007f café 连接 😀\"")]
    [InlineData("", "\"\"")]
    public void WriteStringValue_EscapesAsGo(string value, string expected)
    {
        Assert.Equal(expected, Write(w => w.WriteStringValue(value)));
    }

    [Fact]
    public void WriteStringValue_LoneSurrogate_IsWrittenAsReplacementCharacter()
    {
        // No Go string can hold one; a .NET string's arrives as U+FFFD, written as it is.
        Assert.Equal("\"lone \ufffd surrogate\"", Write(w => w.WriteStringValue("lone \ud800 surrogate")));
    }

    [Theory]
    [InlineData(0L, "\"2025-06-02T10:00:00Z\"")]
    [InlineData(1_230_000L, "\"2025-06-02T10:00:00.123Z\"")]
    [InlineData(1_200_000L, "\"2025-06-02T10:00:00.12Z\"")]
    [InlineData(1_234_567L, "\"2025-06-02T10:00:00.1234567Z\"")]
    [InlineData(1_234_560L, "\"2025-06-02T10:00:00.123456Z\"")]
    [InlineData(1L, "\"2025-06-02T10:00:00.0000001Z\"")]
    public void WriteTimeValue_Rfc3339NanoInUtc_TrailingZerosTrimmed(long ticks, string expected)
    {
        var time = new DateTimeOffset(2025, 6, 2, 10, 0, 0, TimeSpan.Zero).AddTicks(ticks);

        Assert.Equal(expected, Write(w => w.WriteTimeValue(time)));
    }

    [Fact]
    public void WriteTimeValue_OtherOffset_IsWrittenInUtc()
    {
        var time = new DateTimeOffset(2025, 6, 2, 12, 30, 5, TimeSpan.FromHours(2));

        Assert.Equal("\"2025-06-02T10:30:05Z\"", Write(w => w.WriteTimeValue(time)));
    }

    [Fact]
    public void WriteTimeValue_ZeroTime_IsYearOne()
    {
        Assert.Equal("\"0001-01-01T00:00:00Z\"", Write(w => w.WriteTimeValue(DateTimeOffset.MinValue)));
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-0.0, "-0")]
    [InlineData(1.0, "1")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(0.1, "0.1")]
    [InlineData(123.456, "123.456")]
    [InlineData(1e-6, "0.000001")]
    [InlineData(1.5e-6, "0.0000015")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(1.5e-10, "1.5e-10")]
    [InlineData(1e-100, "1e-100")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(123456789012345678.0, "123456789012345680")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1.2345e25, "1.2345e+25")]
    [InlineData(double.MaxValue, "1.7976931348623157e+308")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    public void WriteNumberValue_Float64_AsGo(double value, string expected)
    {
        Assert.Equal(expected, Write(w => w.WriteNumberValue(value)));
    }

    [Theory]
    [InlineData(0.1f, "0.1")]
    [InlineData(873.4f, "873.4")]
    [InlineData(1e-7f, "1e-7")]
    [InlineData(16777216f, "16777216")]
    [InlineData(float.MaxValue, "3.4028235e+38")]
    [InlineData(float.Epsilon, "1e-45")]
    public void WriteNumberValue_Float32_ShortestIn32Bits(float value, string expected)
    {
        Assert.Equal(expected, Write(w => w.WriteNumberValue(value)));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void WriteNumberValue_NaNOrInfinity_Throws(double value)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Write(w => w.WriteNumberValue(value)));
    }

    [Fact]
    public void WriteNumberValue_Integers_Exact()
    {
        Assert.Equal("18446744073709551615", Write(w => w.WriteNumberValue(ulong.MaxValue)));
        Assert.Equal("-9223372036854775808", Write(w => w.WriteNumberValue(long.MinValue)));
        Assert.Equal("9007199254740993", Write(w => w.WriteNumberValue(9_007_199_254_740_993UL)));
    }

    [Fact]
    public void WriteDuration_IsIntegerNanoseconds()
    {
        var json = Write(w =>
        {
            w.WriteStartObject();
            w.WriteDuration("d"u8, TimeSpan.FromMilliseconds(1500));
            w.WriteDuration("p"u8, (TimeSpan?)null);
            w.WriteEndObject();
        });

        Assert.Equal("""{"d":1500000000,"p":null}""", json);
    }

    [Fact]
    public void WriteMap_IntegerKeys_SortedAsStrings()
    {
        var map = new Dictionary<long, double> { [2] = 0.5, [10] = 1, [1] = 2.25, [999] = 0 };

        var json = Write(w =>
        {
            w.WriteStartObject();
            w.WriteMap("m"u8, map, static (w, v) => w.WriteNumberValue(v));
            w.WriteEndObject();
        });

        Assert.Equal("""{"m":{"1":2.25,"10":1,"2":0.5,"999":0}}""", json);
    }

    [Fact]
    public void WriteMap_StringKeys_SortedByCodePointAndEscaped()
    {
        var map = new Dictionary<string, string> { ["😀"] = "a", ["\uFFFD"] = "b", ["é"] = "c", ["z"] = "d", ["<k>"] = "e", ["Z"] = "f" };

        var json = Write(w =>
        {
            w.WriteStartObject();
            w.WriteMap("m"u8, map, static (w, v) => w.WriteStringValue(v));
            w.WriteEndObject();
        });

        Assert.Equal("{\"m\":{\"\\u003ck\\u003e\":\"e\",\"Z\":\"f\",\"z\":\"d\",\"é\":\"c\",\"\uFFFD\":\"b\",\"😀\":\"a\"}}", json);
    }

    [Fact]
    public void NilAndEmpty_AsGoWritesThem()
    {
        var json = Write(w =>
        {
            w.WriteStartObject();
            w.WriteStrings("nil"u8, null);
            w.WriteStrings("empty"u8, []);
            w.WriteStrings("omitted_nil"u8, null, omitEmpty: true);
            w.WriteStrings("omitted_empty"u8, [], omitEmpty: true);
            w.WriteMap("nil_map"u8, (IReadOnlyDictionary<string, string>?)null, static (w, v) => w.WriteStringValue(v));
            w.WriteMap("empty_map"u8, new Dictionary<string, string>(), static (w, v) => w.WriteStringValue(v));
            w.WriteStringOrNull("nil_pointer"u8, null);
            w.WriteStringOrNull("empty_pointer"u8, "", omitEmpty: true);
            w.WriteStringOrNull("omitted_pointer"u8, null, omitEmpty: true);
            w.WriteString("omitted_string"u8, "", omitEmpty: true);
            w.WriteBoolean("omitted_false"u8, false, omitEmpty: true);
            w.WriteBoolean("nil_bool"u8, (bool?)null);
            w.WriteBoolean("false_pointer"u8, (bool?)false, omitEmpty: true);
            w.WriteNumber("omitted_zero"u8, 0L, omitEmpty: true);
            w.WriteDuration("omitted_duration"u8, TimeSpan.Zero, omitEmpty: true);
            w.WriteTime("nil_time"u8, (DateTimeOffset?)null);
            w.WriteUuid("uuid"u8, Guid.Parse("3F2504E0-4F89-11D3-9A0C-0305E82C3301"));
            w.WriteEndObject();
        });

        Assert.Equal(
            """{"nil":null,"empty":[],"nil_map":null,"empty_map":{},"nil_pointer":null,"empty_pointer":"","nil_bool":null,"false_pointer":false,"nil_time":null,"uuid":"3f2504e0-4f89-11d3-9a0c-0305e82c3301"}""",
            json);
    }

    [Fact]
    public void Nesting_CommasWithoutWhitespace()
    {
        var json = Write(w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("a"u8);
            w.WriteStartArray();
            w.WriteStartObject();
            w.WriteEndObject();
            w.WriteNumberValue(1L);
            w.WriteStartArray();
            w.WriteEndArray();
            w.WriteNullValue();
            w.WriteBooleanValue(true);
            w.WriteRawValue("{\"x\":1}"u8);
            w.WriteEndArray();
            w.WriteString("b"u8, "c");
            w.WriteEndObject();
        });

        Assert.Equal("""{"a":[{},1,[],null,true,{"x":1}],"b":"c"}""", json);
    }

    [Fact]
    public void StreamWriter_LargeOutput_SameBytesAsInMemory()
    {
        static void WriteMany(GoJsonWriter w)
        {
            w.WriteStartArray();
            for (var i = 0; i < 20_000; i++)
            {
                w.WriteStringValue($"item {i} <{new string('x', i % 700)}>");
            }

            w.WriteEndArray();
        }

        var memory = new ArrayBufferWriter<byte>();
        WriteMany(new GoJsonWriter(memory));
        using var stream = new MemoryStream();
        using (var buffer = new StreamBufferWriter(stream))
        {
            WriteMany(new GoJsonWriter(buffer));
        }

        Assert.True(stream.Length > 1_000_000);
        Assert.Equal(memory.WrittenSpan.ToArray(), stream.ToArray());
    }
}
