namespace TelemetryPortal.Core.Telemetry;

/// <summary>The three telemetry levels of Coder's published policy, chosen with <c>CODER_TELEMETRY</c>.</summary>
public enum TelemetryLevel
{
    /// <summary>Nothing leaves the installation. Reserved for holders of a zero-telemetry license.</summary>
    Off = 0,

    /// <summary>Everything except what could tie the data to a person or an organisation.</summary>
    Lightweight = 1,

    /// <summary>Everything in the snapshot, including user e-mail and IP addresses. The default.</summary>
    Full = 2,
}

/// <summary>Where the requested level came from, in order of precedence.</summary>
public enum LevelSource
{
    /// <summary>The <c>CODER_TELEMETRY</c> environment variable pins the level.</summary>
    Environment,

    /// <summary>The admin's choice, recorded as consent.</summary>
    AdminChoice,

    /// <summary><c>Telemetry:Level</c> in the application settings.</summary>
    AppSettings,

    /// <summary>Nothing was configured: level 2.</summary>
    Default,
}
