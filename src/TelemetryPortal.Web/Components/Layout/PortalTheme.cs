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
            Warning = "#ffb74d",
            Info = "#64b5f6",
            Error = "#ff8a80",
            AppbarBackground = "#1e1e2d",
            // Dark text on the light status colours (filled alerts), and labels that read on the dark surfaces.
            TextSecondary = "rgba(255,255,255,0.70)",
            SuccessContrastText = "#0b1f0c",
            InfoContrastText = "#06202b",
            WarningContrastText = "#2b1a00",
            ErrorContrastText = "#2b0a0a",
            // Text alerts and outlined chips draw in the "darken" shade, which on the dark surfaces falls under 4.5:1
            // (success 3.7:1, info 4.2:1); in the dark theme it is a lighter shade, 5:1 or more on every surface.
            SuccessDarken = "#81c784",
            InfoDarken = "#90caf9",
            WarningDarken = "#ffcc80",
            ErrorDarken = "#ffab91",
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "240px" },
    };
}
