using System.Reflection;

namespace TelemetryPortal.Web.Services;

/// <summary>Facts about this build of the portal.</summary>
public static class AppInfo
{
    /// <summary>The version, e.g. <c>0.1.0</c>, without the source revision suffix.</summary>
    public static string Version { get; } =
        (typeof(AppInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];
}
