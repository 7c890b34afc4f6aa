using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using TelemetryPortal.Web.Endpoints;

namespace TelemetryPortal.Web.Features.Consent;

/// <summary>Checks a pasted or uploaded receipt against the portal's key and its ledger now.</summary>
public sealed partial class ReceiptCheckPanel
{
    private string? _input;
    private string? _fileName;
    private string? _error;
    private ReceiptCheckResult? _result;
    private bool _checking;

    [Inject]
    public required ConsentReceiptChecker Checker { get; init; }

    [Inject]
    public required ILogger<ReceiptCheckPanel> Logger { get; init; }

    private static string Label(string check) => check switch
    {
        ConsentReceiptChecker.Signature => "Signature",
        ConsentReceiptChecker.ReadableCopy => "Readable copy",
        ConsentReceiptChecker.Entry => "Decision's entry",
        ConsentReceiptChecker.Head => "Ledger head at issue",
        ConsentReceiptChecker.Chain => "Chain to today's head",
        ConsentReceiptChecker.PolicyText => "Policy text",
        _ => check,
    };

    private static string Failed(ReceiptCheckResult result)
    {
        var failed = result.Checks.Count(c => !c.Ok);
        return failed == 1 ? "1 check fails" : $"{failed} checks fail";
    }

    private async Task LoadFileAsync(IBrowserFile? file)
    {
        if (file is null)
        {
            return;
        }

        _error = null;
        _result = null;
        if (file.Size > ConsentReceiptChecker.MaxLength)
        {
            _error = $"{file.Name} is {file.Size} bytes; a receipt is at most {ConsentReceiptChecker.MaxLength}.";
            return;
        }

        try
        {
            await using var stream = file.OpenReadStream(ConsentReceiptChecker.MaxLength);
            using var reader = new StreamReader(stream);
            _input = await reader.ReadToEndAsync();
            _fileName = file.Name;
        }
        catch (IOException ex)
        {
            Logger.LogWarning(ex, "Reading the uploaded receipt {FileName} failed", file.Name);
            _error = $"{file.Name} could not be read: {ex.Message}";
            return;
        }

        await CheckAsync();
    }

    private async Task CheckAsync()
    {
        _error = null;
        _result = null;
        _checking = true;
        try
        {
            _result = await Checker.CheckAsync(ConsentReceiptChecker.Read(_input));
        }
        catch (PortalProblemException ex)
        {
            // Not a receipt: the message says what is wrong with it.
            _error = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Checking a consent receipt failed");
            _error = "The receipt could not be checked. Try again.";
        }
        finally
        {
            _checking = false;
        }
    }
}
