using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Extensions.Options;
using TelemetryPortal.Core.Simulation;
using TelemetryPortal.Core.Snapshots;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>The embedded default's source: a simulated Coder installation of the configured size, reporting as this deployment.</summary>
public sealed class SimulatedTelemetrySource(DeploymentService deployment, IOptionsMonitor<TelemetryOptions> options, TimeProvider time)
{
    /// <summary>The payload the installation would report now, serialised as Coder does.</summary>
    public async Task<byte[]> CaptureAsync(PayloadKind kind, CancellationToken ct = default)
    {
        var installation = await CreateAsync(ct);
        if (kind == PayloadKind.Deployment)
        {
            return TelemetryJson.Serialize(installation.CreateDeployment());
        }

        var buffer = new ArrayBufferWriter<byte>();
        installation.WriteSnapshot(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The payload the installation would report now, as a stream that is written as it is read: a snapshot of the
    /// largest installations (hundreds of megabytes) is never held whole. The writer runs on a pool thread and waits
    /// whenever about a megabyte is unread; disposing the stream early stops it.
    /// </summary>
    public async Task<Stream> OpenAsync(PayloadKind kind, CancellationToken ct = default)
    {
        var installation = await CreateAsync(ct);
        if (kind == PayloadKind.Deployment)
        {
            return new MemoryStream(TelemetryJson.Serialize(installation.CreateDeployment()), writable: false);
        }

        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false));
        _ = Task.Run(
            () =>
            {
                try
                {
                    using var feed = new PipeFeedStream(pipe.Writer);
                    installation.WriteSnapshot(feed);
                    pipe.Writer.Complete();
                }
                catch (Exception ex)
                {
                    pipe.Writer.Complete(ex is ReaderGoneException ? null : ex);
                }
            },
            CancellationToken.None);
        return pipe.Reader.AsStream();
    }

    /// <summary>The last deployment report, sent as the installation shuts down: <c>shutdown_at</c> is now.</summary>
    public async Task<byte[]> CaptureShutdownAsync(CancellationToken ct = default)
    {
        var installation = await CreateAsync(ct);
        return TelemetryJson.Serialize(installation.CreateDeployment(shutdownAt: time.GetUtcNow()));
    }

    public string CoderVersion => options.CurrentValue.SimulatedCoderVersion;

    private async Task<SimulatedInstallation> CreateAsync(CancellationToken ct)
    {
        var deploymentId = await deployment.GetDeploymentIdAsync(ct);
        var size = options.CurrentValue.Simulation;
        return new SimulatedInstallation(new SimulationOptions
        {
            // The same people and workspaces on every report of this deployment; activity follows the clock.
            Seed = deploymentId.GetHashCode(),
            DeploymentId = deploymentId,
            Now = time.GetUtcNow(),
            Organizations = size.Organizations,
            Users = size.Users,
            Templates = size.Templates,
            Workspaces = size.Workspaces,
            RecentActivity = size.RecentActivity,
        });
    }
}

/// <summary>Writes into a pipe, waiting while the reader is behind; throws once the reader is gone, so the writer stops.</summary>
internal sealed class PipeFeedStream(PipeWriter writer) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        writer.Write(buffer);
        // The writer runs on a pool thread of its own: waiting here is how it keeps pace with the reader.
        var flushed = writer.FlushAsync().AsTask().GetAwaiter().GetResult();
        if (flushed.IsCompleted || flushed.IsCanceled)
        {
            throw new ReaderGoneException();
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>The reader of a pipe stopped reading: the writer has nobody to write for.</summary>
internal sealed class ReaderGoneException() : IOException("The reader of the payload stopped reading.");
