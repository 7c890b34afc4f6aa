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
            // A command that fails says why in one line of its own; EF Core's stack traces would bury it.
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Query"] = "None",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        return builder;
    }
}
