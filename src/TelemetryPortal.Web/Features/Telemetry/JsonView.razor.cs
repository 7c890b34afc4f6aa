using System.Text.Json;
using Microsoft.AspNetCore.Components;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// A payload's bytes as a tree read lazily (<see cref="JsonOutlineService"/>: a container's children when it is
/// opened, a page at a time) or raw (<see cref="JsonRawView"/>: a window at a time), so that a payload of any size
/// costs the circuit a window of memory.
/// </summary>
public partial class JsonView : IDisposable
{
    /// <summary>The largest payload <see cref="Expanded"/> opens whole; larger ones open a level at a time.</summary>
    public const long MaxExpandedBytes = 1024 * 1024;

    private readonly CancellationTokenSource _disposed = new();
    private JsonOutlineNode? _root;
    private string? _error;
    private (IByteSource Content, string RootPath, TelemetryLevel? Level)? _readFor;
    private JsonExpansion? _subscribed;

    [Inject]
    public required JsonOutlineService Outline { get; init; }

    [Inject]
    public required ILogger<JsonView> Logger { get; init; }

    [Parameter, EditorRequired]
    public required IByteSource Content { get; set; }

    /// <summary>What the bytes are, for screen readers (e.g. "Level 1 payload"); unique when several views share a page.</summary>
    [Parameter]
    public string Label { get; set; } = "Payload";

    /// <summary><c>snapshot</c> or <c>deployment</c>: where dictionary paths start.</summary>
    [Parameter, EditorRequired]
    public required string RootPath { get; set; }

    [Parameter]
    public TelemetryLevel? ExplainFor { get; set; }

    [Parameter]
    public bool Raw { get; set; }

    /// <summary>Open every container at first; only for payloads up to <see cref="MaxExpandedBytes"/>.</summary>
    [Parameter]
    public bool Expanded { get; set; }

    [Parameter]
    public string? TestId { get; set; }

    /// <summary>Open and closed nodes shared with other views of the same payload (e.g. the compared levels).</summary>
    [Parameter]
    public JsonExpansion? Expansion { get; set; }

    private bool CanExpandAll => Content.Length <= MaxExpandedBytes;

    protected override async Task OnParametersSetAsync()
    {
        if (!ReferenceEquals(_subscribed, Expansion))
        {
            _subscribed?.Changed -= OnExpansionChanged;
            Expansion?.Changed += OnExpansionChanged;
            _subscribed = Expansion;
        }

        if (Raw || _readFor is { } read && ReferenceEquals(read.Content, Content) && read.RootPath == RootPath && read.Level == ExplainFor)
        {
            return;
        }

        var (content, rootPath, level) = (Content, RootPath, ExplainFor);
        _readFor = (content, rootPath, level);
        (_root, _error) = (null, null);
        try
        {
            var root = await Outline.GetRootAsync(content, rootPath, level, _disposed.Token);
            if (ReferenceEquals(content, Content))
            {
                _root = root;
            }
        }
        catch (JsonException ex)
        {
            Logger.LogWarning(ex, "{Length} bytes shown as a payload are not JSON", content.Length);
            _error = $"These bytes are not JSON: {ex.Message}";
        }
        catch (Exception ex) when (UnreadableBytes.Is(ex))
        {
            _error = UnreadableBytes.Explain(ex, Logger, 0);
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // The view left the page while it read.
        }
    }

    // A node opened in another view: render again so the same path opens here (the nodes read their children afresh).
    private void OnExpansionChanged() => _ = InvokeAsync(StateHasChanged);

    public void Dispose()
    {
        _subscribed?.Changed -= OnExpansionChanged;
        _disposed.Cancel();
        _disposed.Dispose();
        GC.SuppressFinalize(this);
    }
}
