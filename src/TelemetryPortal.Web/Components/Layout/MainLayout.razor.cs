using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Features.Accounts;

namespace TelemetryPortal.Web.Components.Layout;

public partial class MainLayout
{
    private bool _drawerOpen = true;
    private bool _darkMode;
    private int? _userId;
    private string _displayName = "";
    private string _userName = "";
    private string _role = "";

    [CascadingParameter]
    public required Task<AuthenticationState> AuthenticationState { get; set; }

    [Inject]
    public required AccountService Accounts { get; init; }

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthenticationState).User;
        _displayName = user.GetDisplayName();
        _userName = user.Identity?.Name ?? "";
        _role = user.GetPortalRole() ?? "no role";
        _userId = user.GetUserId();
        if (_userId is { } id)
        {
            _darkMode = await Accounts.GetPrefersDarkModeAsync(id);
        }
    }

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;

    private async Task ToggleDarkModeAsync()
    {
        _darkMode = !_darkMode;
        if (_userId is { } id)
        {
            await Accounts.SetPrefersDarkModeAsync(id, _darkMode);
        }
    }
}
