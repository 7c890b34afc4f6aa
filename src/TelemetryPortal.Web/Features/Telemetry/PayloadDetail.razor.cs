using Microsoft.AspNetCore.Components;
using TelemetryPortal.Web.Endpoints;

namespace TelemetryPortal.Web.Features.Telemetry;

public partial class PayloadDetail
{
    private bool _loading = true;
    private bool _raw;
    private PayloadRecord? _payload;
    private IByteSource? _bytes;
    private string? _damage;
    private long? _previousId;

    [Parameter]
    public long Id { get; set; }

    [Inject]
    public required HistoryService History { get; init; }

    [Inject]
    public required ILogger<PayloadDetail> Logger { get; init; }

    protected override async Task OnParametersSetAsync()
    {
        _loading = true;
        (_bytes, _damage) = (null, null);
        _payload = await History.GetAsync(Id);
        if (_payload is not null)
        {
            try
            {
                var content = (await History.GetBytesAsync(Id)).Content;
                // Opening checks what can be checked at once (a small content is rebuilt whole and hashed; a large one is
                // checked block by block as it is read), so damage is said here rather than half way through a view.
                await using (await content.OpenReadAsync(0))
                {
                }

                _bytes = content;
            }
            catch (PortalProblemException ex)
            {
                // Suppressed at level 0: its bytes are not kept, and the page says so. Otherwise it went since it was read.
                _damage = _payload.Status == PayloadStatus.Suppressed ? null : ex.Message;
            }
            catch (InvalidDataException ex)
            {
                // The record is intact; only its stored bytes cannot be rebuilt to what was logged.
                Logger.LogError(ex, "The stored bytes of payload {PayloadId} are damaged", Id);
                _damage = ex.Message;
            }
        }

        _previousId = _payload is null ? null : await History.PreviousOfSameKindAsync(_payload);
        _loading = false;
    }

    /// <summary>Where a payload's exact bytes download from (the API streams them; the signed-in cookie goes with the link).</summary>
    internal static string DownloadUrl(long id) => $"/api/v1/history/{id}/payload";
}
