namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// What a view of a payload's bytes (the tree, a node, the raw window) says when it cannot read them: stored bytes
/// that are damaged, logged as an error; or a preview that newer captures replaced, which is no damage and says what
/// to do.
/// </summary>
internal static class UnreadableBytes
{
    public static bool Is(Exception exception) => exception is InvalidDataException or PreviewReplacedException;

    public static string Explain(Exception exception, ILogger logger, long offset)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is PreviewReplacedException)
        {
            logger.LogInformation("A page read a preview that newer captures replaced; it says so in place");
            return exception.Message;
        }

        logger.LogError(exception, "The stored bytes of a payload shown cannot be read at {Offset}", offset);
        return $"The stored bytes cannot be read: {exception.Message}";
    }
}
