using Microsoft.AspNetCore.Components;
using MudBlazor;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Endpoints;
using TelemetryPortal.Web.Services;

namespace TelemetryPortal.Web.Features.Telemetry;

public partial class History : IDisposable
{
    private MudDataGrid<HistoryItem>? _grid;
    private HistoryCharts? _charts;
    private HashSet<HistoryItem> _selected = [];
    private DateTime? _from;
    private DateTime? _to;
    private PayloadKind? _kind;
    private int? _level;
    private PayloadStatus? _status;
    private string? _query;
    private string? _error;
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

    private bool CanCompare => _selected.Count == 2 && _selected.Select(s => s.Kind).Distinct().Count() == 1;

    private HistoryFilter Filter => new(
        _from?.Date is { } from ? DateTime.SpecifyKind(from, DateTimeKind.Utc) : null,
        _to?.Date is { } to ? DateTime.SpecifyKind(to, DateTimeKind.Utc).AddDays(1).AddTicks(-1) : null,
        _kind, _level, _status, _query);

    private async Task<GridData<HistoryItem>> LoadAsync(GridState<HistoryItem> state, CancellationToken ct)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        try
        {
            var page = await HistoryService.QueryAsync(Filter, state.Page + 1, state.PageSize, sort?.SortBy, sort?.Descending ?? true, ct);
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

    private async Task SetAsync(Action change)
    {
        change();
        _selected = [];
        // A start after the end is the service's to refuse, as it refuses it to the API; the grid shows why.
        _error = null;
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

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
