using System.Globalization;
using System.Security.Claims;
using TelemetryPortal.Core.Consent;
using TelemetryPortal.Web.Authentication;

namespace TelemetryPortal.Web.Features.Consent;

/// <summary>Who caused a ledger event.</summary>
/// <param name="Id">A local account id, or <c>system</c>.</param>
/// <param name="Name">The name to record, e.g. "Administrator (admin)".</param>
/// <param name="Role">The role at the time, or <c>System</c>.</param>
public sealed record ConsentActor(string Id, string Name, string Role)
{
    /// <summary>The portal itself (start-up checks, fallbacks).</summary>
    public static ConsentActor System { get; } = new("system", "Telemetry Portal", "System");

    /// <summary>The signed-in user.</summary>
    public static ConsentActor From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var userName = user.Identity?.Name ?? "unknown";
        // A local account by its number; a provider's user by issuer and subject (never by a name or an e-mail,
        // which two people can share or change).
        return new ConsentActor(
            user.GetUserId()?.ToString(CultureInfo.InvariantCulture) ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? userName,
            $"{user.GetDisplayName()} ({userName})",
            user.GetPortalRole() ?? "none");
    }
}

/// <summary>How an event was captured; recorded with it and named on receipts.</summary>
public static class CollectionMethods
{
    /// <summary>The level page in the portal.</summary>
    public const string Web = "Web";

    /// <summary>The JSON API.</summary>
    public const string Api = "Api";

    /// <summary>Read from the environment at start.</summary>
    public const string Environment = "Environment";

    /// <summary>Decided by the portal itself.</summary>
    public const string System = "System";

    /// <summary>In words, for receipts.</summary>
    public static string Describe(string method) => method switch
    {
        Web => "Telemetry Portal: the telemetry level page, with explicit confirmation",
        Api => "Telemetry Portal: the JSON API (PUT /api/v1/telemetry/level with confirm: true)",
        Environment => "Telemetry Portal: the CODER_TELEMETRY environment variable, read at start",
        _ => "Telemetry Portal: recorded by the portal itself",
    };
}

/// <summary>An event to append; the ledger adds the id, time and hashes.</summary>
/// <param name="Policy">The policy that was on screen; its text is kept under its version.</param>
public sealed record ConsentEvent(
    string Action,
    ConsentActor Actor,
    string CollectionMethod,
    int? FromLevel,
    int? ToLevel,
    string Reason,
    ConsentPolicy? Policy = null,
    string? Reference = null);

/// <summary>Filters and a page of the ledger. Times are UTC; <see cref="To"/> is exclusive. The ledger checks it.</summary>
public sealed record ConsentQuery(
    DateTime? From = null,
    DateTime? To = null,
    string? Action = null,
    string? Actor = null,
    int? Level = null,
    int Page = 1,
    int PageSize = 50)
{
    public const int MaxPageSize = 500;
}

/// <summary>One page of the ledger, newest first, and how many entries match in all.</summary>
public sealed record ConsentPage(IReadOnlyList<ConsentRecord> Items, int Total);

/// <summary>A policy text kept with a decision, under its version (SHA-256 of the text).</summary>
/// <param name="Level">The level the text describes.</param>
public sealed record KeptPolicyText(string Version, int Level, string Text);
