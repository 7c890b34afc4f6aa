using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using TelemetryPortal.Core.Consent;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Features.Licensing;

namespace TelemetryPortal.Web.Features.Consent;

public partial class LevelChoice
{
    private LevelResolution? _resolution;
    private bool _hasLicense;

    [CascadingParameter]
    public required Task<AuthenticationState> AuthenticationState { get; set; }

    [Inject]
    public required TelemetryLevelService Levels { get; init; }

    [Inject]
    public required ConsentPolicies Policies { get; init; }

    [Inject]
    public required IZeroTelemetryLicense License { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    protected override Task OnInitializedAsync() => LoadAsync();

    private string CurrentChoice => _resolution switch
    {
        null => "",
        { Source: LevelSource.AdminChoice } r => $"level {TelemetryLevels.Label(r.Requested)}, chosen by the admin.",
        { Source: LevelSource.Environment } r => $"none can be made here. {r.Reason}",
        var r => $"no level has been chosen yet; {r.Reason[0..1].ToLowerInvariant()}{r.Reason[1..]}",
    };

    private static string Fields(int count) => count == 1 ? "1 field" : $"{count} fields";

    private bool IsCurrentChoice(TelemetryLevel level) => _resolution is { Source: LevelSource.AdminChoice } r && r.Requested == level;

    private async Task LoadAsync()
    {
        _resolution = await Levels.ResolveAsync();
        _hasLicense = await License.IsValidAsync();
    }

    private async Task ShowTextAsync(ConsentPolicy policy)
    {
        var parameters = new DialogParameters<PolicyTextDialog> { { d => d.Version, policy.Version }, { d => d.Text, policy.Text } };
        await Dialogs.ShowAsync<PolicyTextDialog>($"Level {TelemetryLevels.Label(policy.Level)}: what is sent and kept back", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
    }

    private async Task ChooseAsync(ConsentPolicy policy)
    {
        var user = (await AuthenticationState).User;
        if (await ConfirmLevelDialog.ShowAsync(Dialogs, policy, _resolution!, _hasLicense, ConsentActor.From(user)) is { } decision)
        {
            Snackbar.Add($"Level {(int)policy.Level} chosen and recorded (ledger entry {decision.Entry.Id}). It applies from the next report; the level in force is now {(int)decision.Resolution.Effective}.", Severity.Success);
            await LoadAsync();
        }
    }
}
