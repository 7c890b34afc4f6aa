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
    private DateTime? _from;
    private DateTime? _to;
    private string? _action;
    private string? _actor;
    private int? _level;

    [Inject]
    public required ConsentLedgerService Ledger { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required ILogger<ConsentHistory> Logger { get; init; }

    protected override Task OnInitializedAsync() => VerifyAsync();

    /// <summary>The CSV export with the filters in force.</summary>
    private string ExportUrl
    {
        get
        {
            var query = Query();
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

    private ConsentQuery Query(int page = 1, int pageSize = 25) => new(
        _from is { } from ? DateTime.SpecifyKind(from.Date, DateTimeKind.Utc) : null,
        _to is { } to ? DateTime.SpecifyKind(to.Date.AddDays(1), DateTimeKind.Utc) : null,
        _action,
        string.IsNullOrWhiteSpace(_actor) ? null : _actor,
        _level,
        page,
        pageSize);

    private async Task<GridData<ConsentRecord>> LoadAsync(GridState<ConsentRecord> state, CancellationToken ct)
    {
        try
        {
            var page = await Ledger.ListAsync(Query(state.Page + 1, state.PageSize), ct);
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

    private async Task FilterAsync(Action set)
    {
        set();
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

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
