using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace TelemetryPortal.Web.Components.Shared;

public partial class CopyableId
{
    private bool _copied;

    /// <summary>The whole identifier: shown (cut to the width it has), on hover and copied.</summary>
    [Parameter, EditorRequired]
    public required string Value { get; set; }

    /// <summary>What the identifier is, for the button's name and the notice ("the SHA-256 of payload 12").</summary>
    [Parameter, EditorRequired]
    public required string Label { get; set; }

    /// <summary>The widest it may be (a CSS length, e.g. <c>14ch</c>); the cell's width when not set.</summary>
    [Parameter]
    public string? MaxWidth { get; set; }

    [Parameter]
    public string? Class { get; set; }

    /// <summary>The <c>data-testid</c> of the value's element (whose text is the value).</summary>
    [Parameter]
    public string? TestId { get; set; }

    [Inject]
    public required IJSRuntime JS { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    private async Task CopyAsync()
    {
        try
        {
            await JS.InvokeVoidAsync("portal.copyText", Value);
            _copied = true;
            Snackbar.Add($"Copied {Label}.", Severity.Success);
        }
        catch (JSException)
        {
            // The browser refused the clipboard (no permission, or not a secure context): the value is still there to select.
            Snackbar.Add($"The browser did not allow copying. {Label}: {Value}", Severity.Warning);
        }
    }
}
