using Microsoft.AspNetCore.Http.HttpResults;

namespace TelemetryPortal.Web.Endpoints;

/// <summary>Why the portal refused a request; each kind is one HTTP status.</summary>
public enum ProblemKind
{
    /// <summary>The request names something wrong (a value out of range, a missing field): 400.</summary>
    Invalid = StatusCodes.Status400BadRequest,

    /// <summary>The caller may not do this to this thing (another user's request): 403.</summary>
    Forbidden = StatusCodes.Status403Forbidden,

    /// <summary>The thing it names does not exist: 404.</summary>
    NotFound = StatusCodes.Status404NotFound,

    /// <summary>The request is valid but the state does not allow it now (the level is pinned, the ledger is broken): 409.</summary>
    Conflict = StatusCodes.Status409Conflict,

    /// <summary>The thing existed but is no longer kept (a level-0 payload's bytes): 410.</summary>
    Gone = StatusCodes.Status410Gone,

    /// <summary>The body is larger than the endpoint takes: 413.</summary>
    TooLarge = StatusCodes.Status413PayloadTooLarge,

    /// <summary>The content is well formed but not acceptable (a license for another deployment): 422.</summary>
    Unprocessable = StatusCodes.Status422UnprocessableEntity,

    /// <summary>What the portal keeps is damaged (a stored payload or policy text no longer matches its hash): 500.</summary>
    Damaged = StatusCodes.Status500InternalServerError,
}

/// <summary>
/// The one error the portal's services raise for a request they refuse: its kind, a short title and a message that
/// names what is wrong and may be shown to the person who asked. The API answers it as RFC 9457 problem details
/// (<see cref="PortalProblemFilter"/>), pages show <see cref="Exception.Message"/>; any other exception is a bug,
/// logged and answered 500.
/// </summary>
public sealed class PortalProblemException(ProblemKind kind, string title, string message, IReadOnlyDictionary<string, object?>? extensions = null)
    : Exception(message)
{
    private static readonly IReadOnlyDictionary<string, object?> NoExtensions = new Dictionary<string, object?>();

    public ProblemKind Kind { get; } = kind;

    public string Title { get; } = title;

    /// <summary>Further members of the problem details (e.g. <c>failure</c> for a refused license).</summary>
    public IReadOnlyDictionary<string, object?> Extensions { get; } = extensions ?? NoExtensions;

    /// <summary>A value in the request is wrong; <paramref name="message"/> names it and what it should be.</summary>
    public static PortalProblemException Invalid(string message, string title = "Invalid request") => new(ProblemKind.Invalid, title, message);

    /// <summary>What the request names does not exist.</summary>
    public static PortalProblemException NotFound(string message, string title = "Not found") => new(ProblemKind.NotFound, title, message);

    /// <summary>The caller may not do this.</summary>
    public static PortalProblemException Forbidden(string message, string title = "Not allowed") => new(ProblemKind.Forbidden, title, message);

    /// <summary>The request is valid but the state does not allow it now.</summary>
    public static PortalProblemException Conflict(string title, string message) => new(ProblemKind.Conflict, title, message);
}

/// <summary>Problem details answers, built one way for every endpoint.</summary>
public static class Problems
{
    /// <summary>The problem details of a refusal.</summary>
    public static ProblemHttpResult From(PortalProblemException problem) =>
        TypedResults.Problem(problem.Message, title: problem.Title, statusCode: (int)problem.Kind, extensions: problem.Extensions);

    /// <summary>A refusal the endpoint itself decides (e.g. a parameter it checks).</summary>
    public static ProblemHttpResult Of(ProblemKind kind, string title, string detail) =>
        TypedResults.Problem(detail, title: title, statusCode: (int)kind);

    /// <summary>A value in the request is wrong; <paramref name="detail"/> names it.</summary>
    public static ProblemHttpResult Invalid(string detail) => Of(ProblemKind.Invalid, "Invalid request", detail);

    /// <summary>What the request names does not exist.</summary>
    public static ProblemHttpResult NotFound(string detail) => Of(ProblemKind.NotFound, "Not found", detail);
}

/// <summary>
/// On the API group: a <see cref="PortalProblemException"/> raised by a service becomes its problem details, so that an
/// endpoint states only its successful answers and the refusals it decides itself.
/// </summary>
public sealed class PortalProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (PortalProblemException problem)
        {
            return Problems.From(problem);
        }
    }
}
