using Microsoft.AspNetCore.Authorization;

namespace TelemetryPortal.Web.Authentication;

/// <summary>
/// Who may reach a page or endpoint, declared where it is: <c>@attribute [Access(Audience.Staff)]</c> on a page,
/// <c>.RequireAccess(Audience.Staff)</c> on an endpoint or group. It is an authorization policy (so the framework
/// enforces it for requests and for navigation inside the live page), and the one source of the access table in
/// the README, of the test that walks every endpoint as every role, and of the navigation drawer.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AccessAttribute(Audience audience) : Attribute, IAuthorizeData
{
    /// <summary>Who may reach it.</summary>
    public Audience Audience { get; } = audience;

    /// <summary>Why, when the audience alone does not say (e.g. a further check the endpoint makes).</summary>
    public string? Note { get; init; }

    /// <inheritdoc />
    public string? Policy { get; set; } = PortalPolicies.For(audience);

    /// <inheritdoc />
    public string? Roles { get; set; }

    /// <inheritdoc />
    public string? AuthenticationSchemes { get; set; }
}

/// <summary>Declaring access on endpoints.</summary>
public static class AccessEndpointExtensions
{
    /// <summary>Admits <paramref name="audience"/> to the endpoint (or every endpoint of the group).</summary>
    public static TBuilder RequireAccess<TBuilder>(this TBuilder builder, Audience audience, string? note = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AccessAttribute(audience) { Note = note });

    /// <summary>
    /// Blazor's own endpoints, which no page declares: the circuit for any portal role (only users with a role ever get
    /// an interactive page), and the redirect after an enhanced form post for anyone (its target is data-protected).
    /// </summary>
    public static RazorComponentsEndpointConventionBuilder WithFrameworkAccess(this RazorComponentsEndpointConventionBuilder builder)
    {
        builder.Add(endpoint =>
        {
            if (endpoint.Metadata.OfType<AccessAttribute>().Any() || endpoint is not RouteEndpointBuilder { RoutePattern.RawText: { } route })
            {
                return;
            }

            if (route.TrimStart('/').StartsWith("_blazor", StringComparison.Ordinal))
            {
                endpoint.Metadata.Add(new AccessAttribute(Audience.AnyRole) { Note = "Blazor's circuit: only users with a role ever get an interactive page" });
            }
            else if (route.TrimStart('/').StartsWith("_framework/opaque-redirect", StringComparison.Ordinal))
            {
                endpoint.Metadata.Add(new AccessAttribute(Audience.Anonymous) { Note = "Blazor's redirect after an enhanced form post; the target is data-protected" });
            }
        });
        return builder;
    }
}

/// <summary>Met when the user belongs to the audience.</summary>
public sealed class AudienceRequirement(Audience audience) : AuthorizationHandler<AudienceRequirement>, IAuthorizationRequirement
{
    public Audience Audience { get; } = audience;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AudienceRequirement requirement)
    {
        if (requirement.Audience.Admits(context.User))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
