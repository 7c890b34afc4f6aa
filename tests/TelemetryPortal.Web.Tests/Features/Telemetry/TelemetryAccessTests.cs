using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

/// <summary>Every telemetry endpoint declares, where it is mapped, exactly the audience and note of its line in the access matrix.</summary>
public sealed class TelemetryAccessTests : IAsyncDisposable
{
    private static readonly string[] s_prefixes =
        ["/api/v1/telemetry/preview", "/api/v1/telemetry/send-now", "/api/v1/history", "/api/v1/dictionary", "/snapshot", "/deployment", "/ingest/coder/", "/collector/"];

    private readonly PortalFactory _portal = new();

    public ValueTask DisposeAsync() => _portal.DisposeAsync();

    [Fact]
    public void Endpoints_DeclareTheAccessOfTheirMatrixLine()
    {
        _portal.CreatePortalClient().Dispose();
        var endpoints = _portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => s_prefixes.Any(p => ("/" + e.RoutePattern.RawText?.TrimStart('/')).StartsWith(p, StringComparison.Ordinal)))
            .ToList();

        Assert.Equal(16, endpoints.Count);
        Assert.All(endpoints, endpoint =>
        {
            var method = Assert.Single(endpoint.Metadata.GetRequiredMetadata<IHttpMethodMetadata>().HttpMethods);
            var line = AccessMatrix.Find(endpoint, method);
            var declared = Assert.Single(endpoint.Metadata.GetOrderedMetadata<AccessAttribute>());
            Assert.NotNull(line);
            Assert.Equal((line.Audience, line.Note), (declared.Audience, declared.Note));
        });
    }
}
