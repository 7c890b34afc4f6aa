namespace TelemetryPortal.Web.Cli;

/// <summary>Quiet logging for command-line tools: warnings and errors only, on standard error.</summary>
public static class ToolConsoleExtensions
{
    public static WebApplicationBuilder UseToolConsole(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        return builder;
    }
}
