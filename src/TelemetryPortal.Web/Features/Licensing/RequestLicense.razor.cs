using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using MudBlazor;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Services;

namespace TelemetryPortal.Web.Features.Licensing;

public partial class RequestLicense
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };
    private MudForm? _form;
    private bool _valid;
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

    internal static string? Length(string? value, int min, int max, string field) =>
        (value?.Trim().Length ?? 0) is var length && (length < min || length > max) ? $"{field} must be {min} to {max} characters." : null;

    internal static string? EmailRule(string? value) =>
        LicenseService.IsEmail(value) ? null : "Enter an e-mail address such as name@company.example.";

    internal static string? GuidRule(string? value) =>
        Guid.TryParse(value, out var id) && id != Guid.Empty ? null : "A deployment id looks like 6a4c2a52-0f57-4a5c-9d0e-7a2f3b1c9e11.";

    private string? TermRule(int days) => days < 1 || days > MaxTermDays ? $"Term must be between 1 and {MaxTermDays} days." : null;

    private static Color RequestColour(LicenseRequestStatus status) => status switch
    {
        LicenseRequestStatus.Approved => Color.Success,
        LicenseRequestStatus.Denied => Color.Error,
        LicenseRequestStatus.Withdrawn => Color.Default,
        _ => Color.Info,
    };

    private async Task SubmitAsync()
    {
        await _form!.ValidateAsync();
        if (!_valid)
        {
            return;
        }

        _busy = true;
        _error = null;
        try
        {
            var request = await Licenses.RequestAsync(
                new LicenseRequestInput(_organisation, _contactName, _contactEmail, Guid.Parse(_deploymentId), _reason, _termDays), _actor!);
            Snackbar.Add($"Request #{request.Id} sent. Support staff will review it.", Severity.Success);
            _reason = "";
            await LoadAsync();
        }
        catch (LicenseException ex)
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
        catch (LicenseException ex)
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
