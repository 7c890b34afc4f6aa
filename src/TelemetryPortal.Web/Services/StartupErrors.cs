using Microsoft.Extensions.Options;

namespace TelemetryPortal.Web.Services;

/// <summary>Turns a failed start into lines a person can act on.</summary>
public static class StartupErrors
{
    public static IEnumerable<string> Describe(Exception exception) => exception switch
    {
        OptionsValidationException validation => validation.Failures,
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(Describe),
        _ => [exception.Message],
    };
}
