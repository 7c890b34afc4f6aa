using System.Globalization;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Endpoints;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// Query-string values read by the services that answer the API: a value that is not what it should be is refused with
/// <see cref="PortalProblemException.Invalid"/>, naming the parameter, what it should be and what it got. (Minimal APIs'
/// own binding of <c>int?</c>, <c>DateTime?</c> or an enum answers a bad value with a bare 400 in Production, and with
/// the CLR parameter and a stack trace in Development; it also takes <c>status=1</c> for an enum.) Absent
/// (<see langword="null"/>) is no value; anything else, even empty, is read.
/// </summary>
internal static class QueryText
{
    /// <summary>A date and time (ISO 8601), taken as UTC when it names no offset.</summary>
    public static DateTime? Time(string name, string? raw) =>
        raw is null ? null
        : DateTime.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value) ? value
        : throw PortalProblemException.Invalid($"{name} must be a date and time (ISO 8601); got \"{raw}\".");

    /// <summary>A whole number, or <paramref name="fallback"/> when absent.</summary>
    public static int Number(string name, string? raw, int fallback) =>
        raw is null ? fallback
        : int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
        : throw PortalProblemException.Invalid($"{name} must be a whole number; got \"{raw}\".");

    /// <summary><c>true</c> or <c>false</c>, or <paramref name="fallback"/> when absent.</summary>
    public static bool Flag(string name, string? raw, bool fallback) =>
        raw is null ? fallback
        : bool.TryParse(raw, out var value) ? value
        : throw PortalProblemException.Invalid($"{name} must be true or false; got \"{raw}\".");

    /// <summary><c>snapshot</c> or <c>deployment</c> (any case).</summary>
    public static PayloadKind? Kind(string name, string? raw) =>
        raw is null ? null
        : PayloadKinds.TryParse(raw, out var kind) ? kind
        : throw PortalProblemException.Invalid($"{name} must be snapshot or deployment; got \"{raw}\".");

    /// <summary>Exactly <c>0</c>, <c>1</c> or <c>2</c>.</summary>
    public static TelemetryLevel? Level(string name, string? raw) =>
        raw is null ? null
        : TelemetryLevels.TryParse(raw, out var level) ? level
        : throw PortalProblemException.Invalid(TelemetryLevels.NotALevel(name, $"\"{raw}\""));

    /// <summary>One of the names of <typeparamref name="TEnum"/> (any case; not a number).</summary>
    public static TEnum? OneOf<TEnum>(string name, string? raw)
        where TEnum : struct, Enum =>
        raw is null ? null
        : Enum.TryParse<TEnum>(raw, ignoreCase: true, out var value) && !int.TryParse(raw, out _) ? value
        : throw PortalProblemException.Invalid($"{name} must be one of {string.Join(", ", Enum.GetNames<TEnum>())}; got \"{raw}\".");
}
