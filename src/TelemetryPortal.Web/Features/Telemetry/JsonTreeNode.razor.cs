using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// One node of a pretty-printed JSON payload, read lazily: a container's children are read from the payload's bytes
/// when it is opened, a page of <see cref="JsonOutlineService.PageSize"/> at a time; syntax colouring; and, when
/// <see cref="ExplainFor"/> is set, the fate of the field at that level from the data dictionary (the redactor's own
/// rules): removed, unknown (fail-closed) or masked.
/// </summary>
public partial class JsonTreeNode : IDisposable
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    private readonly CancellationTokenSource _disposed = new();
    private bool _open;
    private int _pagesWanted = 1;
    private List<JsonOutlineNode> _children = [];
    private int _pagesRead;
    private JsonOutlineResume? _next;
    private bool _loading;
    private string? _error;
    private (IByteSource Source, long Offset, TelemetryLevel? Level)? _readFor;

    [Inject]
    public required JsonOutlineService Outline { get; init; }

    [Inject]
    public required ILogger<JsonTreeNode> Logger { get; init; }

    /// <summary>The payload's bytes, where the children are read from.</summary>
    [Parameter, EditorRequired]
    public required IByteSource Source { get; set; }

    /// <summary>This node: its name, kind, place in the bytes and what the explained level does to it.</summary>
    [Parameter, EditorRequired]
    public required JsonOutlineNode Node { get; set; }

    /// <summary>Highlight what this level removes or masks; <see langword="null"/> for no highlighting.</summary>
    [Parameter]
    public TelemetryLevel? ExplainFor { get; set; }

    /// <summary>Open every container at first (the view allows it for small payloads only).</summary>
    [Parameter]
    public bool Expanded { get; set; }

    [Parameter]
    public bool ArrayItem { get; set; }

    /// <summary>An ancestor is removed whole, so this node needs no mark of its own.</summary>
    [Parameter]
    public bool ParentRemoved { get; set; }

    /// <summary>The root starts open.</summary>
    [Parameter]
    public bool Root { get; set; }

    /// <summary>Open and closed nodes shared with the other compared views; <see langword="null"/> for a tree of its own.</summary>
    [Parameter]
    public JsonExpansion? Expansion { get; set; }

    /// <summary>Where this node is in the payload, as a JSON Pointer ("" for the root).</summary>
    [Parameter]
    public string NodePath { get; set; } = "";

    private FieldFate? Fate { get; set; }

    private bool IsOpen => Expansion?.IsOpen(NodePath, Root || Expanded) ?? _open;

    private int PagesWanted => Expansion?.Pages(NodePath) ?? _pagesWanted;

    private bool IsRemoved => ParentRemoved || Fate?.Kind is FieldFateKind.Removed or FieldFateKind.Unknown;

    private string FateClass => Fate?.Kind switch
    {
        FieldFateKind.Removed or FieldFateKind.Unknown => "json-removed",
        FieldFateKind.Masked => "json-masked",
        _ => "",
    };

    private string ValueClass => Node.Kind switch
    {
        JsonValueKind.String => "json-string",
        JsonValueKind.Number => "json-number",
        JsonValueKind.True or JsonValueKind.False => "json-bool",
        _ => "json-null",
    };

    /// <summary>"Show 100 more (101–200 of 200,000)".</summary>
    private string MoreText
    {
        get
        {
            var shown = _children.Count;
            var more = Math.Min(JsonOutlineService.PageSize, Node.Count - shown);
            return string.Create(Culture, $"Show {more:N0} more ({shown + 1:N0}–{shown + more:N0} of {Node.Count:N0})");
        }
    }

    protected override void OnInitialized() => _open = Root || Expanded;

    protected override async Task OnParametersSetAsync()
    {
        // Array items and the root are not fields (the outline says so); a removed parent already says it all.
        Fate = ExplainFor is not null && !ParentRemoved ? Node.Fate : null;
        if (_readFor is { } read && (!ReferenceEquals(read.Source, Source) || read.Offset != Node.Offset || read.Level != ExplainFor))
        {
            (_children, _pagesRead, _next, _error, _readFor) = ([], 0, null, null, null);
        }

        await ReadAsync();
    }

    private async Task ToggleAsync()
    {
        if (Expansion is null)
        {
            _open = !_open;
        }
        else
        {
            Expansion.Set(NodePath, !IsOpen);
        }

        await ReadAsync();
    }

    private async Task ShowMoreAsync()
    {
        if (Expansion is null)
        {
            _pagesWanted = _pagesRead + 1;
        }
        else
        {
            Expansion.SetPages(NodePath, _pagesRead + 1);
        }

        await ReadAsync();
    }

    /// <summary>Reads the pages of children an open node shows and has not read yet.</summary>
    private async Task ReadAsync()
    {
        if (!Node.IsContainer || !IsOpen || _loading || _error is not null)
        {
            return;
        }

        _loading = true;
        try
        {
            while (_pagesRead < PagesWanted && (_pagesRead == 0 || _next is not null))
            {
                var (source, node, level) = (Source, Node, ExplainFor);
                var page = await Outline.GetChildrenAsync(source, node, _next, level, _disposed.Token);
                if (!ReferenceEquals(source, Source) || node.Offset != Node.Offset || level != ExplainFor)
                {
                    // The node shows other bytes now: what was read is not theirs.
                    (_children, _pagesRead, _next) = ([], 0, null);
                    continue;
                }

                _readFor = (source, node.Offset, level);
                _children = [.. _children, .. page.Children];
                _next = page.Next;
                _pagesRead++;
            }
        }
        catch (JsonException ex)
        {
            Logger.LogWarning(ex, "The payload's bytes at {Offset} are not JSON", Node.Offset);
            _error = $"These bytes are not JSON: {ex.Message}";
        }
        catch (Exception ex) when (UnreadableBytes.Is(ex))
        {
            _error = UnreadableBytes.Explain(ex, Logger, Node.Offset);
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // The node left the page while it read.
        }
        finally
        {
            _loading = false;
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
        GC.SuppressFinalize(this);
    }

    // A removal already names the category; a masked field says which kind of field it is.
    private static string CategorySuffix(FieldFate fate) =>
        fate is { Kind: FieldFateKind.Masked, Entry: { } entry } ? $" ({FieldCategories.Label(entry.Category)})" : "";
}
