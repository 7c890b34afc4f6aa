using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
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
    private bool _sendingAgain;

    [Parameter]
    public long Id { get; set; }

    [Inject]
    public required HistoryService History { get; init; }

    [Inject]
    public required ILogger<PayloadDetail> Logger { get; init; }

    [Inject]
    public required OutboxSender Sender { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

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
    private async Task SendAgainAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            $"Send payload {Id} again?",
            "It goes back in the queue at once, with the same idempotency key, so a receiver that took it before will not count it twice. " +
            "The level in force applies: if it is now lower than the payload's, the payload is redacted again first, or kept back at level 0.",
            yesText: "Send again", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        _sendingAgain = true;
        try
        {
            var user = AuthenticationState is null ? null : (await AuthenticationState).User;
            _payload = await Sender.SendAgainAsync(Id, user?.Identity?.Name ?? "an admin");
            Snackbar.Add($"Payload {Id} is back in the queue.", Severity.Success);
        }
        catch (PortalProblemException ex)
        {
            Snackbar.Add(ex.Message, Severity.Warning);
        }
        finally
        {
            _sendingAgain = false;
        }
    }

    internal static string DownloadUrl(long id) => $"/api/v1/history/{id}/payload";
}
