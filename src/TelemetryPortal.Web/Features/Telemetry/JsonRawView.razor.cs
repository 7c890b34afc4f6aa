using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Components;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// A payload's exact bytes as text, <see cref="WindowBytes"/> at a time (cut between UTF-8 characters), with previous
/// and next: the circuit holds one window, whatever the payload's size. A payload up to a window shows whole.
/// </summary>
public partial class JsonRawView : IDisposable
{
    /// <summary>The bytes shown at once.</summary>
    public const int WindowBytes = 64 * 1024;

    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    private readonly CancellationTokenSource _disposed = new();
    private RawWindow _window = RawWindow.None;
    private IByteSource? _readFor;
    private bool _loading;
    private string? _error;

    [Inject]
    public required ILogger<JsonRawView> Logger { get; init; }

    [Parameter, EditorRequired]
    public required IByteSource Content { get; set; }

    /// <summary>What the bytes are, for screen readers.</summary>
    [Parameter]
    public string Label { get; set; } = "Payload";

    private bool IsWindowed => Content.Length > WindowBytes;

    /// <summary>"Bytes 65,537–131,072 of 49,670,251" (counted from 1).</summary>
    private string WindowText => string.Create(Culture, $"Bytes {_window.Start + 1:N0}–{_window.End:N0} of {Content.Length:N0}");

    protected override async Task OnParametersSetAsync()
    {
        if (!ReferenceEquals(_readFor, Content))
        {
            _readFor = Content;
            _window = RawWindow.None;
            await ShowAsync(0);
        }
    }

    private Task PreviousAsync() => ShowAsync(Math.Max(0, _window.Start - WindowBytes), endAt: _window.Start);

    private Task NextAsync() => ShowAsync(_window.End);

    private async Task ShowAsync(long start, long? endAt = null)
    {
        (_loading, _error) = (true, null);
        var content = Content;
        try
        {
            var window = await ReadWindowAsync(content, start, endAt ?? start + WindowBytes, _disposed.Token);
            if (ReferenceEquals(content, Content))
            {
                _window = window;
            }
        }
        catch (Exception ex) when (UnreadableBytes.Is(ex))
        {
            _error = UnreadableBytes.Explain(ex, Logger, start);
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // The view left the page while it read.
        }
        finally
        {
            _loading = false;
        }
    }

    /// <summary>
    /// The text of the bytes from <paramref name="start"/> to <paramref name="end"/> (at most), moved to whole characters:
    /// a window that starts inside a character starts after it, one that ends inside a character ends before it.
    /// </summary>
    internal static async Task<RawWindow> ReadWindowAsync(IByteSource source, long start, long end, CancellationToken ct)
    {
        end = Math.Min(end, source.Length);
        var buffer = new byte[(int)(end - start)];
        await using (var stream = await source.OpenReadAsync(start, ct))
        {
            await stream.ReadExactlyAsync(buffer, ct);
        }

        var from = 0;
        while (start > 0 && from < Math.Min(3, buffer.Length) && IsContinuation(buffer[from]))
        {
            from++;
        }

        var to = end < source.Length ? CompleteCharacters(buffer) : buffer.Length;
        return new RawWindow(start + from, start + to, Encoding.UTF8.GetString(buffer.AsSpan(from, to - from)));
    }

    /// <summary>How many bytes of <paramref name="bytes"/> hold whole characters (a character cut at the end is left out).</summary>
    private static int CompleteCharacters(ReadOnlySpan<byte> bytes)
    {
        var lead = bytes.Length - 1;
        while (lead >= 0 && lead > bytes.Length - 4 && IsContinuation(bytes[lead]))
        {
            lead--;
        }

        if (lead < 0)
        {
            return bytes.Length;
        }

        var b = bytes[lead];
        var length = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        return lead + length <= bytes.Length ? bytes.Length : lead;
    }

    private static bool IsContinuation(byte b) => (b & 0xC0) == 0x80;

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Bytes <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive) of the payload, as text.</summary>
    internal sealed record RawWindow(long Start, long End, string Text)
    {
        public static RawWindow None { get; } = new(0, 0, "");
    }
}
