using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using MudBlazor;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Endpoints;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Features.Licensing.Desk;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Services;

namespace TelemetryPortal.Web.Features.Licensing;

public sealed partial class RequestLicense : IDisposable
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };
    private bool _busy;
    private string? _error;
    private string _organisation = "";
    private string _contactName = "";
    private string _contactEmail = "";
    private string _deploymentId = "";
    private string _reason = "";
    private int _termDays = 365;
    private Guid _thisDeployment;
    private ConsentActor? _actor;
    private IReadOnlyList<LicenseRequestView>? _requests;
    private AppliedLicenseView? _renewing;

    [CascadingParameter]
    public required Task<AuthenticationState> AuthenticationState { get; set; }

    [Inject]
    public required LicenseService Licenses { get; init; }

    [Inject]
    public required DeploymentService Deployment { get; init; }

    [Inject]
    public required IOptions<LicensingOptions> Options { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required BrowserDownload Download { get; init; }

    [Inject]
    public required LicenseDeskClient Desk { get; init; }

    /// <summary>Pre-fill the form from the license in force, to renew it (the dashboard links here from 30 days before expiry).</summary>
    [SupplyParameterFromQuery(Name = "renew")]
    public bool Renew { get; set; }

    private int MaxTermDays => Options.Value.MaxTermDays;

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthenticationState).User;
        _actor = ConsentActor.From(user);
        _contactName = user.GetDisplayName();
        _thisDeployment = await Deployment.GetDeploymentIdAsync();
        _deploymentId = _thisDeployment.ToString();
        _termDays = Options.Value.DefaultTermDays;
        if (Renew && (await Licenses.GetStatusAsync()).License is { RevokedAt: null } current)
        {
            await PrefillRenewalAsync(current);
        }

        await LoadAsync();
        Desk.Changed += OnDeskChanged;
    }

    public void Dispose() => Desk.Changed -= OnDeskChanged;

    private async Task LoadAsync() => _requests = await Licenses.ListAsync(_actor!, all: false);

    /// <summary>The renewal asks for the same organisation, deployment and term as the license in force, from the same contact when known.</summary>
    private async Task PrefillRenewalAsync(AppliedLicenseView current)
    {
        _renewing = current;
        _organisation = current.Organisation;
        _termDays = Math.Clamp((int)Math.Round((current.ExpiresAt - current.NotBefore).TotalDays), 1, MaxTermDays);
        _reason = $"Renewal of zero-telemetry license {current.LicenseId}, which expires on {current.ExpiresAt:yyyy-MM-dd}.";
        var original = (await Licenses.ListAsync(_actor!, all: true)).FirstOrDefault(r => r.LicenseId == current.LicenseId);
        if (original is not null)
        {
            _contactName = original.ContactName;
            _contactEmail = original.ContactEmail;
        }
    }

    // The desk's client reports from its own thread: back onto the circuit, and errors to the renderer.
    private void OnDeskChanged() => _ = InvokeAsync(async () =>
    {
        try
        {
            await LoadAsync();
            StateHasChanged();
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    });

    private static Color RequestColour(LicenseRequestStatus status) => status switch
    {
        LicenseRequestStatus.Approved => Color.Success,
        LicenseRequestStatus.Denied => Color.Error,
        LicenseRequestStatus.Withdrawn => Color.Default,
        _ => Color.Info,
    };

    /// <summary>Files the request; the service checks every field and names each one that is wrong.</summary>
    private async Task SubmitAsync()
    {
        _busy = true;
        _error = null;
        try
        {
            // Text that is not an id is no deployment: the service says what a deployment id looks like.
            var deploymentId = Guid.TryParse(_deploymentId, out var id) ? id : Guid.Empty;
            var input = new LicenseRequestInput(_organisation, _contactName, _contactEmail, deploymentId, _reason, _termDays);
            if (Desk.Enabled)
            {
                // Nothing leaves until the requester has seen exactly what would, and where to, and confirmed it.
                var sending = Desk.Prepare(input);
                var parameters = new DialogParameters<SendToDeskDialog> { { d => d.Sending, sending } };
                var result = await (await Dialogs.ShowAsync<SendToDeskDialog>("Send this request to the vendor?", parameters,
                    new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true })).Result;
                if (result is not { Canceled: false })
                {
                    return;
                }

                var sent = await Desk.FileAsync(sending, _actor!);
                Snackbar.Add($"Request #{sent.Id} confirmed; it is on its way to the vendor's desk.", Severity.Success);
                _reason = "";
                _renewing = null;
                await LoadAsync();
                return;
            }

            var request = await Licenses.RequestAsync(input, _actor!);
            Snackbar.Add($"Request #{request.Id} sent. Support staff will review it.", Severity.Success);
            _reason = "";
            await LoadAsync();
        }
        catch (PortalProblemException ex)
        {
            _error = ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task WithdrawAsync(LicenseRequestView request)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Withdraw the request?", $"Request #{request.Id} for {request.Organisation} will no longer be reviewed.",
            yesText: "Withdraw", cancelText: "Keep it");
        if (confirmed != true)
        {
            return;
        }

        try
        {
            await Licenses.WithdrawAsync(request.Id, _actor!);
            Snackbar.Add($"Request #{request.Id} withdrawn.", Severity.Info);
        }
        catch (PortalProblemException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }

        await LoadAsync();
    }

    private Task ExportAsync(LicenseRequestView request)
    {
        // For installations whose vendor desk is elsewhere: the request as a file to send on.
        var json = JsonSerializer.SerializeToUtf8Bytes(LicenseRequestFile.From(request), s_indented);
        return Download.SaveAsync($"license-request-{request.Id}.json", "application/json", json);
    }
}
