using Microsoft.Extensions.Options;

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
            return ValueTask.FromResult<object?>(Results.Problem(
                title: "Address not allowed",
                detail: $"{address?.ToString() ?? "An unknown address"} may not report here; allow it in Telemetry:Proxy:AllowedAddresses.",
                statusCode: StatusCodes.Status403Forbidden));
        }

        return next(context);
    }
}
