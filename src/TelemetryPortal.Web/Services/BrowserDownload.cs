using Microsoft.JSInterop;

namespace TelemetryPortal.Web.Services;

/// <summary>Hands bytes from the circuit to the browser as a file download.</summary>
public sealed class BrowserDownload(IJSRuntime js)
{
    public async Task SaveAsync(string fileName, string contentType, Stream content)
    {
        using var reference = new DotNetStreamReference(content, leaveOpen: false);
        await js.InvokeVoidAsync("portal.downloadFromStream", fileName, contentType, reference);
    }

    public Task SaveAsync(string fileName, string contentType, byte[] content) =>
        SaveAsync(fileName, contentType, new MemoryStream(content, writable: false));
}
