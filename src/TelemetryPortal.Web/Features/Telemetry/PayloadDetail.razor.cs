using Microsoft.AspNetCore.Components;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Services;

namespace TelemetryPortal.Web.Features.Telemetry;

public partial class PayloadDetail
{
    private bool _loading = true;
    private bool _raw;
    private TelemetryPayload? _payload;
    private byte[]? _bytes;
    private string? _damage;
    private long? _previousId;

    [Parameter]
    public long Id { get; set; }

    [Inject]
    public required HistoryService History { get; init; }

    [Inject]
    public required BrowserDownload Download { get; init; }

    protected override async Task OnParametersSetAsync()
    {
        _loading = true;
        _damage = null;
        try
        {
            var found = await History.GetBytesAsync(Id);
            (_payload, _bytes) = found is { } f ? (f.Payload, f.Bytes) : (null, null);
        }
        catch (InvalidDataException ex)
        {
            // The record is intact; only its stored bytes cannot be rebuilt to what was logged.
            (_payload, _bytes, _damage) = (await History.GetAsync(Id), null, ex.Message);
        }

        _previousId = _payload is null ? null : await History.PreviousOfSameKindAsync(_payload);
        _loading = false;
    }

    private Task DownloadAsync() =>
        Download.SaveAsync($"payload-{Id}-{PayloadKinds.Name(_payload!.Kind)}.json", "application/json", _bytes!);
}
