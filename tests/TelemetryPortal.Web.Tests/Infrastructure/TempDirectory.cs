namespace TelemetryPortal.Web.Tests.Infrastructure;

public static class TempDirectory
{
    /// <summary>A new empty directory under the system temp folder; each test gets its own.</summary>
    public static string Create() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "telemetry-portal-tests", Guid.NewGuid().ToString("N"))).FullName;
}
