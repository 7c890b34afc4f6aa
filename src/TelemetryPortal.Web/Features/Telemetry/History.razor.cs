using Microsoft.AspNetCore.Components;
using MudBlazor;
using TelemetryPortal.Web.Endpoints;
using TelemetryPortal.Web.Services;

namespace TelemetryPortal.Web.Features.Telemetry;

public partial class History : IDisposable
{
    private MudDataGrid<HistoryItem>? _grid;
    private HistoryCharts? _charts;
    private HashSet<HistoryItem> _selected = [];
    private string? _error;

    // The view asked for (filters, sort, page) and the one the grid shows: the address follows the latter.
    private HistoryView _view = new();
    private HistoryView _shown = new();
    private readonly List<HistoryView> _written = [];
    private IReadOnlyList<string> _ignored = [];
    private int _gridKey;
    private bool _hideHttp = true;
    private bool _hideAttempts = true;
    private bool _hideSize = true;
    private bool _searchLimited;
    private bool _exporting;
    private int _exportDone;
    private int _exportTotal;
    private CancellationTokenSource? _exportCancel;

    [Inject]
    public required HistoryService HistoryService { get; init; }

    [Inject]
    public required HistoryExporter Exporter { get; init; }

    [Inject]
    public required BrowserDownload Download { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    [Inject]
    public required ILogger<History> Logger { get; init; }

    [SupplyParameterFromQuery(Name = "from")]
    public string? FromText { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public string? ToText { get; set; }

    [SupplyParameterFromQuery(Name = "kind")]
    public string? KindText { get; set; }

    [SupplyParameterFromQuery(Name = "level")]
    public string? LevelText { get; set; }

    [SupplyParameterFromQuery(Name = "status")]
    public string? StatusText { get; set; }

    [SupplyParameterFromQuery(Name = "q")]
    public string? QueryText { get; set; }

    [SupplyParameterFromQuery(Name = "sortBy")]
    public string? SortByText { get; set; }

    [SupplyParameterFromQuery(Name = "descending")]
    public string? DescendingText { get; set; }

    [SupplyParameterFromQuery(Name = "page")]
    public string? PageText { get; set; }

    [SupplyParameterFromQuery(Name = "pageSize")]
    public string? PageSizeText { get; set; }

    /// <summary>Which columns the column chooser (the grid's Columns menu) keeps out of sight, if any.</summary>
    private string HiddenColumnsText
    {
        get
        {
            string[] hidden = [.. new[] { (_hideHttp, "HTTP"), (_hideAttempts, "Attempts"), (_hideSize, "Size") }.Where(c => c.Item1).Select(c => c.Item2)];
            return hidden.Length == 0 ? "All columns shown." : $"Hidden columns: {string.Join(", ", hidden)} (⚙ › Columns shows them).";
        }
    }

    private bool CanCompare => _selected.Count == 2 && _selected.Select(s => s.Kind).Distinct().Count() == 1;

    private HistoryFilter Filter => _view.Filter;

    /// <summary>
    /// Reads the address: on the first render, and whenever it changes other than by this page writing its own view
    /// (a link followed, back or forward), when the grid starts over with the view asked for.
    /// </summary>
    protected override async Task OnParametersSetAsync()
    {
        var asked = HistoryView.Parse(
            new HistoryViewQuery(FromText, ToText, KindText, LevelText, StatusText, QueryText, SortByText, DescendingText, PageText, PageSizeText),
            out var ignored);
        var written = _written.IndexOf(asked);
        if (written >= 0)
        {
            // This page's own replace coming back (perhaps after a later one was written): nothing to apply.
            _written.RemoveRange(0, written + 1);
            return;
        }

        if (_grid is not null && asked == _shown)
        {
            return;
        }

        _ignored = ignored;
        _view = await WithinLastPageAsync(asked);
        _shown = _view;
        _selected = [];
        _error = null;
        _gridKey++;
    }

    /// <summary>The view, on its first page when the page asked for is past the last one (and a notice saying so).</summary>
    private async Task<HistoryView> WithinLastPageAsync(HistoryView view)
    {
        if (view.Page == 1)
        {
            return view;
        }

        try
        {
            var total = await HistoryService.CountAsync(view.Filter);
            var last = Math.Max(1, (total + view.PageSize - 1) / view.PageSize);
            if (view.Page <= last)
            {
                return view;
            }

            _ignored = [.. _ignored, $"page {view.Page} is past the last page ({last}) of these filters; showing the first."];
        }
        catch (PortalProblemException)
        {
            // The grid's load says what is wrong with the filters.
        }

        return view with { Page = 1 };
    }

    private SortDirection InitialDirection(string column) =>
        !column.Equals(_view.SortBy, StringComparison.OrdinalIgnoreCase) ? SortDirection.None
        : _view.Descending ? SortDirection.Descending : SortDirection.Ascending;

    private async Task<GridData<HistoryItem>> LoadAsync(GridState<HistoryItem> state, CancellationToken ct)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        var view = _view with
        {
            SortBy = HistoryView.SortName(sort?.SortBy),
            Descending = sort?.Descending ?? true,
            Page = state.Page + 1,
            PageSize = state.PageSize,
        };
        _shown = view;
        WriteAddress(view);
        try
        {
            var page = await HistoryService.QueryAsync(view.Filter, view.Page, view.PageSize, view.SortBy, view.Descending, ct);
            _error = null;
            _searchLimited = page.ContentSearchLimited;
            return new GridData<HistoryItem> { Items = page.Items, TotalItems = page.Total };
        }
        catch (PortalProblemException ex)
        {
            _error = ex.Message;
            return new GridData<HistoryItem> { Items = [], TotalItems = 0 };
        }
    }

    /// <summary>Puts <paramref name="view"/> in the address (replacing the entry, not adding one), unless it is there.</summary>
    private void WriteAddress(HistoryView view)
    {
        var uri = Navigation.GetUriWithQueryParameters(view.ToQuery());
        if (uri != Navigation.Uri)
        {
            _written.Add(view);
            Navigation.NavigateTo(uri, new NavigationOptions { ReplaceHistoryEntry = true });
        }
    }

    private async Task SetAsync(Func<HistoryView, HistoryView> change)
    {
        _view = change(_view) with { Page = 1 };
        _selected = [];
        // A start after the end is the service's to refuse, as it refuses it to the API; the grid shows why.
        _error = null;
        _ignored = [];
        if (_grid is null)
        {
            return;
        }

        if (_grid.CurrentPage != 0)
        {
            // Other filters, other pages: back to the first, which loads it.
            _grid.NavigateTo(Page.First);
        }
        else
        {
            await _grid.ReloadServerData();
        }
    }

    private void DismissIgnored() => _ignored = [];

    private void OpenRow(DataGridRowClickEventArgs<HistoryItem> args) => Navigation.NavigateTo($"/telemetry/history/{args.Item.Id}");

    private void Compare()
    {
        var pair = _selected.OrderBy(s => s.Id).ToArray();
        Navigation.NavigateTo($"/telemetry/history/compare?from={pair[0].Id}&to={pair[1].Id}");
    }

    private async Task ExportAsync(ExportFormat format)
    {
        _exportCancel = new CancellationTokenSource();
        var ct = _exportCancel.Token;
        _exporting = true;
        _exportDone = 0;
        try
        {
            var filter = Filter;
            _exportTotal = await HistoryService.CountAsync(filter, ct);
            var path = Path.GetTempFileName();
            var progress = new Progress<int>(done =>
            {
                // Repaint every 1% or so, not on every row.
                if (done == _exportTotal || done % Math.Max(1, _exportTotal / 100) == 0)
                {
                    _exportDone = done;
                    _ = InvokeAsync(StateHasChanged);
                }
            });
            await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await Exporter.WriteAsync(filter, format, file, progress, ct);
            }

            var content = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, 81920, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            await Download.SaveAsync(HistoryExporter.FileName(format, Time.GetUtcNow().UtcDateTime), HistoryExporter.ContentType(format), content);
            Snackbar.Add($"Exported {_exportTotal} payloads.", Severity.Success);
        }
        catch (OperationCanceledException ex)
        {
            LogExportCancelled(Logger, ex, format, _exportDone, _exportTotal);
            Snackbar.Add("Export cancelled.", Severity.Info);
        }
        finally
        {
            _exporting = false;
            _exportCancel.Dispose();
            _exportCancel = null;
        }
    }

    private void CancelExport() => _exportCancel?.Cancel();

    [LoggerMessage(LogLevel.Information, "Exporting the sent log as {Format} was cancelled after {Done} of {Total} payloads")]
    private static partial void LogExportCancelled(ILogger logger, Exception exception, ExportFormat format, int done, int total);

    public void Dispose()
    {
        _exportCancel?.Cancel();
        GC.SuppressFinalize(this);
    }
}
