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
            // MudBlazor's default status colours are too light for text on white (axe: colour contrast).
            Success = "#2e7d32",
            Info = "#0277bd",
            Warning = "#a84f00",
            Error = "#c62828",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8c9eff",
            PrimaryContrastText = "#10122a",
            Secondary = "#4db6ac",
            SecondaryContrastText = "#0b1f1d",
            AppbarBackground = "#1e1e2d",
            // Light enough that status text (alerts use the darkened tone) and labels read on the dark surfaces.
            TextSecondary = "rgba(255,255,255,0.70)",
            Success = "#81c784",
            SuccessContrastText = "#0b1f0c",
            Info = "#81d4fa",
            InfoContrastText = "#06202b",
            Warning = "#ffcc80",
            WarningContrastText = "#2b1a00",
            Error = "#ef9a9a",
            ErrorContrastText = "#2b0a0a",
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "240px" },
    };
}
