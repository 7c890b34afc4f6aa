using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Endpoints;

namespace TelemetryPortal.Web.Features.Accounts;

public partial class Accounts
{
    private IReadOnlyList<AccountSummary>? _accounts;
    private string? _loadError;
    private int? _currentUserId;

    [CascadingParameter]
    public Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    public required AccountService AccountService { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    [Inject]
    public required ILogger<Accounts> Logger { get; init; }

    protected override async Task OnInitializedAsync()
    {
        _currentUserId = AuthenticationState is null ? null : (await AuthenticationState).User.GetUserId();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            _accounts = await AccountService.ListAsync();
            _loadError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading the accounts failed");
            _loadError = "The accounts could not be loaded. Reload the page to try again.";
        }
    }

    private async Task CreateAsync()
    {
        var dialog = await Dialogs.ShowAsync<CreateAccountDialog>("Create account", new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: AccountSummary created })
        {
            Snackbar.Add($"Account {created.UserName} ({created.Role}) created.", Severity.Success);
            await LoadAsync();
        }
    }

    private async Task ResetPasswordAsync(AccountSummary account)
    {
        var parameters = new DialogParameters<ResetPasswordDialog> { { d => d.Account, account } };
        var dialog = await Dialogs.ShowAsync<ResetPasswordDialog>($"Reset password of {account.UserName}", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        if (result is { Canceled: false })
        {
            Snackbar.Add($"Password of {account.UserName} reset.", Severity.Success);
            await LoadAsync();
        }
    }

    private async Task SetDisabledAsync(AccountSummary account, bool disable)
    {
        if (disable)
        {
            var confirmed = await Dialogs.ShowMessageBoxAsync(
                $"Disable {account.UserName}?",
                $"{account.DisplayName} will be signed out everywhere within a minute and cannot sign in until an admin enables the account again. Nothing else about the account changes.",
                yesText: "Disable account", cancelText: "Cancel");
            if (confirmed != true)
            {
                return;
            }
        }

        try
        {
            await AccountService.SetDisabledAsync(account.Id, disable, _currentUserId);
            Snackbar.Add(disable ? $"Account {account.UserName} disabled; its sessions end." : $"Account {account.UserName} enabled.", Severity.Success);
        }
        catch (PortalProblemException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "{Change} account {UserName} failed", disable ? "Disabling" : "Enabling", account.UserName);
            Snackbar.Add($"Account {account.UserName} could not be {(disable ? "disabled" : "enabled")}. Try again.", Severity.Error);
        }

        await LoadAsync();
    }
}
