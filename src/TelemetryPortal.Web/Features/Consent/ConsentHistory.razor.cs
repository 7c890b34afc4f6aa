using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using TelemetryPortal.Core.Consent;
using TelemetryPortal.Web.Endpoints;

namespace TelemetryPortal.Web.Features.Consent;

public partial class ConsentHistory
{
    private MudDataGrid<ConsentRecord>? _grid;
    private ChainVerification? _verification;
    private bool _verifying;
    private bool _checkingReceipt;
    private string? _loadError;

    // The view asked for (filters, page) and the one the grid shows: the address follows the latter.
    private ConsentHistoryView _view = new();
    private ConsentHistoryView _shown = new();
    private readonly List<ConsentHistoryView> _written = [];
    private IReadOnlyList<string> _ignored = [];
    private int _gridKey;

    // The grid loads (and writes its view to the address) only once the address was read: otherwise a render while
    // the first verification awaits the database would load the default view and replace the address asked for.
    private bool _addressRead;

    [Inject]
    public required ConsentLedgerService Ledger { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required ILogger<ConsentHistory> Logger { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [SupplyParameterFromQuery(Name = "from")]
    public string? FromText { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public string? ToText { get; set; }

    [SupplyParameterFromQuery(Name = "action")]
    public string? ActionText { get; set; }

    [SupplyParameterFromQuery(Name = "actor")]
    public string? ActorText { get; set; }

    [SupplyParameterFromQuery(Name = "level")]
    public string? LevelText { get; set; }

    [SupplyParameterFromQuery(Name = "page")]
    public string? PageText { get; set; }

    [SupplyParameterFromQuery(Name = "pageSize")]
    public string? PageSizeText { get; set; }

    protected override Task OnInitializedAsync() => VerifyAsync();

    /// <summary>The CSV export with the filters in force.</summary>
    private string ExportUrl
    {
        get
        {
            var query = _view.Query(1, ConsentHistoryView.DefaultPageSize);
            var parameters = new List<string>();
            Add(parameters, "from", query.From?.ToString("O", CultureInfo.InvariantCulture));
            Add(parameters, "to", query.To?.ToString("O", CultureInfo.InvariantCulture));
            Add(parameters, "action", query.Action);
            Add(parameters, "actor", query.Actor);
            Add(parameters, "level", query.Level?.ToString(CultureInfo.InvariantCulture));
            return "/api/v1/consent/export" + (parameters.Count == 0 ? "" : "?" + string.Join('&', parameters));

            static void Add(List<string> list, string name, string? value)
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    list.Add($"{name}={Uri.EscapeDataString(value)}");
                }
            }
        }
    }

    private void ToggleReceiptCheck() => _checkingReceipt = !_checkingReceipt;

    private static string Entries(long count) => count == 1 ? "1 entry" : $"{count} entries";

    private static string LevelChange(ConsentRecord r) => (r.FromLevel, r.ToLevel) switch
    {
        (null, null) => "",
        (null, { } to) => $"→ {to}",
        ({ } from, null) => $"{from} →",
        var (from, to) => $"{from} → {to}",
    };

    private static Color ActionColor(string action) => action switch
    {
        ConsentActions.LevelChosen => Color.Primary,
        ConsentActions.ProtectionRestored => Color.Warning,
        _ => Color.Default,
    };

    /// <summary>
    /// Reads the address: on the first render, and whenever it changes other than by this page writing its own view
    /// (a link followed, back or forward), when the grid starts over with the view asked for.
    /// </summary>
    protected override async Task OnParametersSetAsync()
    {
        var asked = ConsentHistoryView.Parse(
            new ConsentHistoryViewQuery(FromText, ToText, ActionText, ActorText, LevelText, PageText, PageSizeText), out var ignored);
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
        _loadError = null;
        _gridKey++;
        _addressRead = true;
    }

    /// <summary>The view, on its first page when the page asked for is past the last one (and a notice saying so).</summary>
    private async Task<ConsentHistoryView> WithinLastPageAsync(ConsentHistoryView view)
    {
        if (view.Page == 1)
        {
            return view;
        }

        try
        {
            var total = (await Ledger.ListAsync(view.Query(1, 1))).Total;
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

    private async Task<GridData<ConsentRecord>> LoadAsync(GridState<ConsentRecord> state, CancellationToken ct)
    {
        var view = _view with { Page = state.Page + 1, PageSize = state.PageSize };
        _shown = view;
        WriteAddress(view);
        try
        {
            var page = await Ledger.ListAsync(view.Query(view.Page, view.PageSize), ct);
            _loadError = null;
            return new GridData<ConsentRecord> { Items = page.Items, TotalItems = page.Total };
        }
        catch (PortalProblemException ex)
        {
            // A filter that is wrong (e.g. "to" before "from"): the message names it.
            _loadError = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading the consent ledger failed");
            _loadError = "The ledger could not be loaded. Reload the page to try again.";
        }

        return new GridData<ConsentRecord> { Items = [], TotalItems = 0 };
    }

    /// <summary>Puts <paramref name="view"/> in the address (replacing the entry, not adding one), unless it is there.</summary>
    private void WriteAddress(ConsentHistoryView view)
    {
        var uri = Navigation.GetUriWithQueryParameters(view.ToQuery());
        if (uri != Navigation.Uri)
        {
            _written.Add(view);
            Navigation.NavigateTo(uri, new NavigationOptions { ReplaceHistoryEntry = true });
        }
    }

    private async Task FilterAsync(Func<ConsentHistoryView, ConsentHistoryView> change)
    {
        _view = change(_view) with { Page = 1 };
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

    private async Task VerifyAsync()
    {
        _verifying = true;
        try
        {
            _verification = await Ledger.VerifyAsync();
        }
        finally
        {
            _verifying = false;
        }
    }

    private async Task ShowPolicyAsync(string version)
    {
        var parameters = new DialogParameters<PolicyTextDialog> { { d => d.Version, version } };
        await Dialogs.ShowAsync<PolicyTextDialog>("Policy text shown with the decision", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
    }
}
