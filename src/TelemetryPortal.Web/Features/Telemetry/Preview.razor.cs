using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Endpoints;
using TelemetryPortal.Web.Features.Consent;

namespace TelemetryPortal.Web.Features.Telemetry;

public partial class Preview
{
    private PayloadKind _kind = PayloadKind.Snapshot;
    private string _view = "compare";
    private bool _raw;
    private bool _loading = true;
    private bool _sending;
    private string? _error;
    private LevelResolution? _resolution;
    private PreviewSource? _source;
    private Dictionary<TelemetryLevel, LevelPreview> _previews = [];

    // The compared levels open and close together; a new payload starts closed again.
    private JsonExpansion _expansion = new();

    [Inject]
    public required PreviewService Previews { get; init; }

    [Inject]
    public required TelemetryLevelService Levels { get; init; }

    [Inject]
    public required TelemetryScheduler Scheduler { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required ILogger<Preview> Logger { get; init; }

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task KindChangedAsync(PayloadKind kind)
    {
        _kind = kind;
        await LoadAsync();
    }

    // A new capture of the simulated installation (Coder's last report in proxy mode): the kept one may be minutes old.
    private Task RefreshAsync() => LoadAsync(refresh: true);

    private async Task LoadAsync() => await LoadAsync(refresh: false);

    private async Task LoadAsync(bool refresh)
    {
        _loading = true;
        _error = null;
        try
        {
            _resolution = await Levels.ResolveAsync();
            _source = refresh ? await Previews.RefreshAsync(_kind) : await Previews.GetSourceAsync(_kind);
            _previews = [];
            if (_source is not null)
            {
                foreach (var level in TelemetryLevels.All)
                {
                    _previews[level] = await Previews.ApplyAsync(_source, level);
                }
            }

            _expansion = new JsonExpansion();
            if (_view == "compare" && _source is null)
            {
                _view = ((int)_resolution.Effective).ToString(CultureInfo.InvariantCulture);
            }
        }
        catch (RedactionException ex)
        {
            Logger.LogWarning(ex, "The {Kind} payload cannot be previewed", PayloadKinds.Name(_kind));
            _error = $"The payload cannot be previewed: {ex.Message}";
        }
        finally
        {
            _loading = false;
        }
    }

    // A plain link to the API, which streams the kept preview of exactly this capture: the browser saves it as it
    // arrives, however large.
    private string DownloadUrl(TelemetryLevel level) =>
        $"/api/v1/telemetry/preview?kind={PayloadKinds.Name(_kind)}&level={(int)level}&of={_source!.Captured.Id}";

    private string DownloadName(TelemetryLevel level) =>
        $"{PayloadKinds.Name(_kind)}-{(level == TelemetryLevel.Off ? "captured-not-sent" : $"level-{(int)level}")}.json";

    private async Task SendNowAsync()
    {
        _sending = true;
        try
        {
            var message = await Scheduler.SendNowAsync();
            Snackbar.Add(message, message == TelemetryScheduler.NothingLeaves ? Severity.Info : Severity.Success);
        }
        catch (PortalProblemException ex)
        {
            Snackbar.Add(ex.Message, Severity.Warning);
        }
        finally
        {
            _sending = false;
        }
    }

    /// <summary>What the redactor did to the payload at this level, each number named for what it counts.</summary>
    internal static string Counts(LevelPreview preview)
    {
        var result = preview.Result;
        return $"Level 1 removes {Plural(result.DroppedFields, "field")} sent only at level 2 and {Plural(result.UnknownFieldsDropped, "field")} the dictionary does not know, " +
            $"and masks {Plural(result.MaskedEmails, "e-mail address", "e-mail addresses")} and {Plural(result.MaskedIpAddresses, "IP address", "IP addresses")} in the text it keeps.";
    }

    private static string Plural(int count, string one, string? many = null) =>
        $"{count} {(count == 1 ? one : many ?? one + "s")}";
}
