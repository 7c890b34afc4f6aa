using Microsoft.AspNetCore.Components;
using TelemetryPortal.Core.Diff;
using TelemetryPortal.Core.Snapshots;

namespace TelemetryPortal.Web.Features.Telemetry;

public partial class Compare
{
    private bool _loading;
    private string? _error;
    private JsonDiffResult? _result;
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

    protected override async Task OnParametersSetAsync()
    {
        (_fromInput, _toInput, _result, _error) = (From, To, null, null);
        if (From is not { } from || To is not { } to)
        {
            return;
        }

        _loading = true;
        (TelemetryPayload Payload, byte[]? Bytes)? left, right;
        try
        {
            left = await History.GetBytesAsync(from);
            right = await History.GetBytesAsync(to);
        }
        catch (InvalidDataException ex)
        {
            _error = $"The stored bytes are damaged, so the two cannot be compared: {ex.Message}";
            _loading = false;
            return;
        }

        _error = left is null ? $"There is no payload {from} in the sent log."
            : right is null ? $"There is no payload {to} in the sent log."
            : left.Value.Payload.Kind != right.Value.Payload.Kind ? $"Payload {from} is a {PayloadKinds.Name(left.Value.Payload.Kind)} and {to} a {PayloadKinds.Name(right.Value.Payload.Kind)}; compare two of the same kind."
            : left.Value.Bytes is null ? $"Payload {from} was suppressed at level 0; its bytes are not kept, so there is nothing to compare."
            : right.Value.Bytes is null ? $"Payload {to} was suppressed at level 0; its bytes are not kept, so there is nothing to compare."
            : null;
        if (_error is null)
        {
            _result = JsonDiff.Compare(left!.Value.Bytes!, right!.Value.Bytes!);
        }

        _loading = false;
    }

    private void Go() => Navigation.NavigateTo($"/telemetry/history/compare?from={_fromInput}&to={_toInput}");
}
