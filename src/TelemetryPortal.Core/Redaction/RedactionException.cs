namespace TelemetryPortal.Core.Redaction;

/// <summary>Why a payload was refused.</summary>
public enum RedactionError
{
    /// <summary>The bytes are not valid JSON (or not valid UTF-8).</summary>
    Malformed,

    /// <summary>Objects and arrays nest deeper than <see cref="RedactorOptions.MaxDepth"/>.</summary>
    TooDeep,

    /// <summary>The payload is larger than <see cref="RedactorOptions.MaxPayloadBytes"/>.</summary>
    TooLarge,

    /// <summary>The payload is valid JSON but not a JSON object.</summary>
    NotAnObject,
}

/// <summary>
/// A payload was refused. Nothing may be sent: discard whatever the redactor wrote to its output
/// before it threw (<see cref="Redactor.RedactToArray"/> does that for you).
/// </summary>
public sealed class RedactionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RedactionException(RedactionError error, long bytePosition, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
        BytePosition = bytePosition;
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public RedactionException()
        : this(RedactionError.Malformed, 0, "The payload was refused.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RedactionException(string message)
        : this(RedactionError.Malformed, 0, message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public RedactionException(string message, Exception innerException)
        : this(RedactionError.Malformed, 0, message, innerException)
    {
    }

    /// <summary>What is wrong.</summary>
    public RedactionError Error { get; }

    /// <summary>About where in the input (bytes from the start) the problem was found.</summary>
    public long BytePosition { get; }
}
