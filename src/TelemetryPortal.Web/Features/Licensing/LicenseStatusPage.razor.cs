using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;
using TelemetryPortal.Web.Endpoints;
using TelemetryPortal.Web.Features.Consent;

namespace TelemetryPortal.Web.Features.Licensing;

public partial class LicenseStatusPage
{
    private LicenseStatus? _status;
    private string _token = "";
    private bool _busy;
    private ApplyVerdict? _verdict;

    [CascadingParameter]
    public required Task<AuthenticationState> AuthenticationState { get; set; }

    [Inject]
    public required LicenseService Licenses { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required ILogger<LicenseStatusPage> Logger { get; init; }

    protected override async Task OnInitializedAsync() => _status = await Licenses.GetStatusAsync();

    private string StateText => _status!.State switch
    {
        LicenseState.Valid => "Valid",
        LicenseState.ExpiringSoon => "Expiring soon",
        LicenseState.Expired => "Expired",
        LicenseState.Revoked => "Revoked",
        _ => "None",
    };

    private Color StateColour => _status!.State switch
    {
        LicenseState.Valid => Color.Success,
        LicenseState.ExpiringSoon => Color.Warning,
        LicenseState.Expired or LicenseState.Revoked => Color.Error,
        _ => Color.Default,
    };

    private async Task UploadAsync(InputFileChangeEventArgs e)
    {
        try
        {
            using var reader = new StreamReader(e.File.OpenReadStream(maxAllowedSize: 32 * 1024));
            _token = (await reader.ReadToEndAsync()).Trim();
        }
        catch (IOException ex)
        {
            LogUploadUnreadable(Logger, ex);
            _verdict = new(false, $"The file cannot be read: {ex.Message}");
        }
    }

    private async Task ApplyAsync()
    {
        _busy = true;
        try
        {
            var verdict = await Licenses.ApplyAsync(_token, ConsentActor.From((await AuthenticationState).User));
            _verdict = new(true, verdict.Message);
            _token = "";
            _status = await Licenses.GetStatusAsync();
        }
        catch (PortalProblemException ex)
        {
            _verdict = new(false, ex.Message);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RevokeAsync()
    {
        var dialog = await Dialogs.ShowAsync<RevokeLicenseDialog>("Revoke the license?", new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false })
        {
            Snackbar.Add("License revoked; telemetry runs at level 1.", Severity.Warning);
        }

        _status = await Licenses.GetStatusAsync();
    }

    [LoggerMessage(LogLevel.Warning, "An uploaded license file could not be read")]
    private static partial void LogUploadUnreadable(ILogger logger, Exception exception);

    /// <summary>What applying the license came to: the verifier's word, or the refusal's message.</summary>
    private sealed record ApplyVerdict(bool IsValid, string Message);
}
