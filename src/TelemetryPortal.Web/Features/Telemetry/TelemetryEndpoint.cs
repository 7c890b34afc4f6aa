using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using TelemetryPortal.Core.Snapshots;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// Where payloads go: <c>Telemetry:Endpoint</c>, or by default the portal's own built-in collector,
/// reached on the address the portal listens on.
/// </summary>
public sealed class TelemetryEndpoint(IOptionsMonitor<TelemetryOptions> options, IServer server)
{
    /// <summary>The path of the built-in collector.</summary>
    public const string CollectorPath = "/collector";

    /// <summary>Whether the built-in collector is the endpoint.</summary>
    public bool IsBuiltInCollector => string.IsNullOrWhiteSpace(options.CurrentValue.Endpoint);

    /// <summary>The base URL, e.g. <c>https://telemetry.coder.com</c>.</summary>
    /// <exception cref="InvalidOperationException">The built-in collector is the endpoint but the portal listens on no address yet.</exception>
    public Uri BaseUri()
    {
        var configured = options.CurrentValue.Endpoint;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new Uri(configured.TrimEnd('/'));
        }

        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .OrderBy(a => a.StartsWith("https", StringComparison.OrdinalIgnoreCase) ? 1 : 0)
            .FirstOrDefault()
            ?? throw new InvalidOperationException("The portal listens on no address, so the built-in collector cannot be reached; set Telemetry:Endpoint.");
        var builder = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        builder.Host = builder.Host switch
        {
            "0.0.0.0" => "127.0.0.1",
            "[::]" or "::" => "[::1]",
            _ => builder.Host,
        };
        builder.Path = CollectorPath;
        return builder.Uri;
    }

    /// <summary>The URL one kind of payload is posted to: <c>{base}/snapshot</c> or <c>{base}/deployment</c>.</summary>
    public Uri UrlFor(PayloadKind kind) => new($"{BaseUri().AbsoluteUri.TrimEnd('/')}/{PayloadKinds.Name(kind)}");
}
