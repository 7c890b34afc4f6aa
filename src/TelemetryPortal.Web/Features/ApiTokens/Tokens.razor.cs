using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace TelemetryPortal.Web.Features.ApiTokens;

public partial class Tokens
{
    private IReadOnlyList<ApiTokenSummary>? _tokens;
    private string? _loadError;

    [Inject]
    public required ApiTokenService TokenService { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required ILogger<Tokens> Logger { get; init; }

    [CascadingParameter]
    public required Task<AuthenticationState> AuthenticationState { get; set; }

    protected override Task OnInitializedAsync() => LoadAsync();

    private static string Utc(DateTime time) => time.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private async Task LoadAsync()
    {
        try
        {
            _tokens = await TokenService.ListAsync();
            _loadError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading the API tokens failed");
            _loadError = "The tokens could not be loaded. Reload the page to try again.";
        }
    }

    private async Task CreateAsync()
    {
        var dialog = await Dialogs.ShowAsync<CreateTokenDialog>("Create API token",
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, BackdropClick = false });
        var result = await dialog.Result;
        if (result is { Data: ApiTokenSummary created })
        {
            Snackbar.Add($"Token \"{created.Name}\" ({created.Role}) created.", Severity.Success);
        }

        await LoadAsync();
    }

    private async Task RevokeAsync(ApiTokenSummary token)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            $"Revoke token {token.Name}?",
            $"Scripts that use {token.Prefix}… get 401 from now on. This cannot be undone.",
            yesText: "Revoke", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        var user = (await AuthenticationState).User.Identity?.Name ?? "unknown";
        await TokenService.RevokeAsync(token.Id, user);
        Snackbar.Add($"Token \"{token.Name}\" revoked.", Severity.Success);
        await LoadAsync();
    }
}
