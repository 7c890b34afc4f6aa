using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using MudBlazor;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Endpoints;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Services;

namespace TelemetryPortal.Web.Features.Licensing;

public partial class RequestLicense
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

    private int MaxTermDays => Options.Value.MaxTermDays;

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthenticationState).User;
        _actor = ConsentActor.From(user);
        _contactName = user.GetDisplayName();
        _thisDeployment = await Deployment.GetDeploymentIdAsync();
        _deploymentId = _thisDeployment.ToString();
        _termDays = Options.Value.DefaultTermDays;
        await LoadAsync();
    }

    private async Task LoadAsync() => _requests = await Licenses.ListAsync(_actor!, all: false);

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
            var request = await Licenses.RequestAsync(
                new LicenseRequestInput(_organisation, _contactName, _contactEmail, deploymentId, _reason, _termDays), _actor!);
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
        var json = JsonSerializer.SerializeToUtf8Bytes(new
        {
            kind = "zero-telemetry-license-request",
            id = request.Id,
            organisation = request.Organisation,
            contact_name = request.ContactName,
            contact_email = request.ContactEmail,
            deployment_id = request.DeploymentId,
            reason = request.Reason,
            term_days = request.TermDays,
            requested_by = request.RequestedBy,
            requested_at = request.RequestedAt,
            status = request.Status.ToString(),
        }, s_indented);
        return Download.SaveAsync($"license-request-{request.Id}.json", "application/json", json);
    }
}
