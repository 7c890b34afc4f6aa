using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Endpoints;

namespace TelemetryPortal.Web.Features.Licensing.Desk;

/// <summary>
/// The desk's machine endpoints, for other installations' portals: no session, no antiforgery, no redirect; bodies
/// size-limited, callers rate-limited per client address; every refusal a bare status with problem details.
/// </summary>
public static class DeskEndpoints
{
    public const string Prefix = "/desk";

    /// <summary>The rate limiter policy on the desk's endpoints.</summary>
    public const string RateLimitPolicy = "desk";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>Whether <paramref name="path"/> is one of the desk's machine endpoints.</summary>
    public static bool IsMachinePath(PathString path) => path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase);

    public static IEndpointRouteBuilder MapLicenseDeskEndpoints(this IEndpointRouteBuilder app)
    {
        var desk = app.MapGroup(Prefix + "/requests")
            .AllowAnonymous()
            .DisableAntiforgery()
            .RequireRateLimiting(RateLimitPolicy)
            .AddEndpointFilter<PortalProblemFilter>()
            .WithTags("License desk");

        desk.MapPost("/", FileAsync)
            .RequireAccess(Audience.Anonymous, "the vendor's desk (Licensing:SigningKey): other installations file requests; size- and rate-limited per address")
            .WithName("DeskFileRequest");

        desk.MapGet("/{requestId:guid}", LookupAsync)
            .RequireAccess(Audience.Anonymous, "the vendor's desk: a request's decision, only with its secret (X-Desk-Secret); 404 otherwise")
            .WithName("DeskRequestDecision");
        return app;
    }

    private static async Task<Results<Created<DeskReceipt>, ProblemHttpResult>> FileAsync(
        HttpContext context, LicenseDeskService desk, IOptions<LicensingOptions> options, CancellationToken ct)
    {
        // Before reading anything: a portal that is no desk takes nothing.
        desk.RequireDesk();
        var max = options.Value.DeskMaxRequestBytes;
        if (context.Request.ContentLength > max)
        {
            return TooLarge(max);
        }

        using var body = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, ct)) > 0)
        {
            if (body.Length + read > max)
            {
                return TooLarge(max);
            }

            body.Write(buffer, 0, read);
        }

        DeskFiling? filing;
        try
        {
            filing = JsonSerializer.Deserialize<DeskFiling>(body.GetBuffer().AsSpan(0, (int)body.Length), s_json);
        }
        catch (JsonException ex)
        {
            return Problems.Invalid($"The body must be a JSON license request (organisation, contactName, contactEmail, deploymentId, reason, termDays): {ex.Message}");
        }

        if (filing is null)
        {
            return Problems.Invalid("The body must be a JSON license request (organisation, contactName, contactEmail, deploymentId, reason, termDays).");
        }

        var receipt = await desk.ReceiveAsync(filing, ClientAddress(context), ct);
        return TypedResults.Created($"{Prefix}/requests/{receipt.Id}", receipt);
    }

    private static async Task<Ok<DeskDecision>> LookupAsync(Guid requestId, HttpContext context, LicenseDeskService desk, CancellationToken ct) =>
        TypedResults.Ok(await desk.LookupAsync(requestId, context.Request.Headers[LicenseDeskService.SecretHeader].ToString(), ct));

    private static ProblemHttpResult TooLarge(int max) =>
        Problems.Of(ProblemKind.TooLarge, "Request too large", $"A license request is at most {max} bytes (Licensing:DeskMaxRequestBytes).");

    /// <summary>The caller's address (the client's, behind a trusted proxy).</summary>
    internal static string ClientAddress(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString() : "unknown";

    /// <summary>The desk's limits per client address: filings and lookups counted apart, both per minute.</summary>
    internal static void AddRateLimit(RateLimiterOptions limiter) => limiter.AddPolicy(RateLimitPolicy, new DeskRateLimitPolicy());

    private sealed class DeskRateLimitPolicy : IRateLimiterPolicy<string>
    {
        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, ct) =>
        {
            context.HttpContext.Response.Headers.RetryAfter = "60";
            await TypedResults.Problem("Too many license requests from your address; wait a minute, then try again.",
                title: "Too many requests", statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context.HttpContext);
        };

        public RateLimitPartition<string> GetPartition(HttpContext httpContext)
        {
            var settings = httpContext.RequestServices.GetRequiredService<IOptions<LicensingOptions>>().Value;
            var filing = HttpMethods.IsPost(httpContext.Request.Method);
            return RateLimitPartition.GetFixedWindowLimiter($"{(filing ? "file" : "look")}:{ClientAddress(httpContext)}", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = filing ? settings.DeskFilingsPerMinute : settings.DeskLookupsPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });
        }
    }
}
