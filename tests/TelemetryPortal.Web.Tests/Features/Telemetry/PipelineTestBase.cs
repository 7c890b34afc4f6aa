using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Licensing;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

/// <summary>A portal whose sender runs for real against a <see cref="TestReceiver"/> on loopback.</summary>
public abstract partial class PipelineTestBase : IAsyncLifetime
{
    protected TestReceiver Receiver { get; private set; } = null!;

    public virtual async ValueTask InitializeAsync() => Receiver = await TestReceiver.StartAsync();

    public virtual async ValueTask DisposeAsync()
    {
        await Receiver.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A portal on real time with fast retries, sending to the receiver.</summary>
    protected PortalFactory CreatePortal(IDictionary<string, string?>? settings = null, string? dataDirectory = null, bool zeroTelemetryLicense = false, Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Telemetry:Endpoint"] = Receiver.BaseUri.AbsoluteUri,
            ["Telemetry:RetryBaseDelay"] = "00:00:00.050",
            ["Telemetry:RetryMaxDelay"] = "00:00:00.200",
            ["Telemetry:RequestRetryDelay"] = "00:00:00.010",
            ["Telemetry:Simulation:Users"] = "12",
            ["Telemetry:Simulation:Workspaces"] = "20",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new PortalFactory(all, dataDirectory, fakeTime: false)
        {
            ConfigureTestServices = all =>
            {
                if (zeroTelemetryLicense)
                {
                    all.AddSingleton<IZeroTelemetryLicense, ValidLicense>();
                }

                services?.Invoke(all);
            },
        };
    }

    protected static async Task<List<TelemetryPayload>> PayloadsAsync(PortalFactory portal)
    {
        var factory = portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return await db.Payloads.AsNoTracking().OrderBy(p => p.Id).ToListAsync();
    }

    protected static Task WaitForAllSentAsync(PortalFactory portal, int expected) =>
        Eventually.WaitUntilAsync(async () =>
        {
            var payloads = await PayloadsAsync(portal);
            return payloads.Count == expected && payloads.All(p => p.Status == PayloadStatus.Sent);
        }, $"{expected} payloads sent");

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    protected static partial Regex Email();

    [GeneratedRegex(@"\b(?:\d{1,3}\.){3}\d{1,3}\b")]
    protected static partial Regex Ipv4();

    private sealed class ValidLicense : IZeroTelemetryLicense
    {
        public Task<bool> IsValidAsync(CancellationToken ct = default) => Task.FromResult(true);
    }
}
