using MudBlazor;

namespace TelemetryPortal.Web.Components.Layout;

/// <summary>The portal's colours, light and dark.</summary>
public static class PortalTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3949ab",
            Secondary = "#00897b",
            AppbarBackground = "#283593",
            Background = "#f5f6fa",
            // Darker than MudBlazor's defaults so that outlined chips and text reach 4.5:1 on white.
            Success = "#2e7d32",
            Warning = "#9a5b00",
            Info = "#0b62b8",
            Error = "#c62828",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8c9eff",
            PrimaryContrastText = "#10122a",
            Secondary = "#4db6ac",
            SecondaryContrastText = "#0b1f1d",
            Success = "#66bb6a",
            // Dark text on the light green: white on it fails contrast (e.g. in success snackbars).
            SuccessContrastText = "#0b1f0c",
            Warning = "#ffb74d",
            Info = "#64b5f6",
            Error = "#ff8a80",
            AppbarBackground = "#1e1e2d",
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "240px" },
    };
}
