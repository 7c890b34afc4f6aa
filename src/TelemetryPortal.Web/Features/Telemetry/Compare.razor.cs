using Microsoft.AspNetCore.Components;
using TelemetryPortal.Core.Diff;
using TelemetryPortal.Web.Endpoints;

namespace TelemetryPortal.Web.Features.Telemetry;

public partial class Compare
{
    private bool _loading;
    private string? _error;
    private JsonDiffResult? _result;
    private PayloadRecord[]? _tooLarge;
    private long? _fromInput;
    private long? _toInput;

    [SupplyParameterFromQuery]
    public long? From { get; set; }

    [SupplyParameterFromQuery]
    public long? To { get; set; }

    [Inject]
    public required HistoryService History { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required ILogger<Compare> Logger { get; init; }

    protected override async Task OnParametersSetAsync()
    {
        (_fromInput, _toInput, _result, _error, _tooLarge) = (From, To, null, null, null);
        if (From is not { } from || To is not { } to)
        {
            return;
        }

        _loading = true;
        try
        {
            // Sizes first, from the records: a payload too large to diff is never read.
            var records = new[] { await History.GetAsync(from), await History.GetAsync(to) };
            if (records.All(r => r is not null) && records.Any(r => r!.SizeBytes > HistoryService.MaxDiffBytes))
            {
                _tooLarge = records!;
                _loading = false;
                return;
            }

            _result = (await History.CompareAsync(from, to)).Diff;
        }
        catch (PortalProblemException ex)
        {
            _error = ex.Message;
        }
        catch (InvalidDataException ex)
        {
            Logger.LogError(ex, "Payloads {From} and {To} cannot be compared: stored bytes are damaged", from, to);
            _error = $"The stored bytes are damaged, so the two cannot be compared: {ex.Message}";
        }

        _loading = false;
    }

    private void Go() => Navigation.NavigateTo($"/telemetry/history/compare?from={_fromInput}&to={_toInput}");
}
