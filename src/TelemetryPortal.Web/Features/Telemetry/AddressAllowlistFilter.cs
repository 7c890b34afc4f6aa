using Microsoft.Extensions.Options;
using TelemetryPortal.Web.Endpoints;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>Lets a request through only from an address in <c>Telemetry:Proxy:AllowedAddresses</c> (loopback by default).</summary>
public sealed class AddressAllowlistFilter(IOptionsMonitor<TelemetryOptions> options) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var address = context.HttpContext.Connection.RemoteIpAddress;
        if (address is { IsIPv4MappedToIPv6: true })
        {
            address = address.MapToIPv4();
        }

        if (address is null || !options.CurrentValue.Proxy.AllowedNetworks.Any(n => n.Contains(address)))
        {
            return ValueTask.FromResult<object?>(Problems.Of(
                ProblemKind.Forbidden,
                "Address not allowed",
                $"{address?.ToString() ?? "An unknown address"} may not report here; allow it in Telemetry:Proxy:AllowedAddresses."));
        }

        return next(context);
    }
}
