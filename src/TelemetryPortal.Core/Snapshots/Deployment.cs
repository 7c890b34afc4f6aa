namespace TelemetryPortal.Core.Snapshots;

/// <summary>Facts about the host running Coder, as Coder's <c>telemetry.Deployment</c> (<c>POST /deployment</c>).</summary>
public sealed record Deployment : IGoJsonWritable
{
    /// <summary>The deployment's id (Go's <c>string</c>).</summary>
    public string Id { get; init; } = "";

    /// <summary>CPU architecture, e.g. <c>amd64</c>.</summary>
    public string Architecture { get; init; } = "";

    /// <summary>Whether Coder runs its built-in PostgreSQL.</summary>
    public bool BuiltinPostgres { get; init; }

    /// <summary>Whether Coder runs in a container.</summary>
    public bool Containerized { get; init; }

    /// <summary>Whether Coder runs on Kubernetes.</summary>
    public bool Kubernetes { get; init; }

    /// <summary>The deployment configuration, secrets blanked; null when not known.</summary>
    public DeploymentConfig? Config { get; init; }

    /// <summary>Whether Coder is reached through its public tunnel.</summary>
    public bool Tunnel { get; init; }

    /// <summary>How Coder was installed, e.g. <c>helm</c>.</summary>
    public string InstallSource { get; init; } = "";

    /// <summary>Operating system type, e.g. <c>linux</c>.</summary>
    public string OsType { get; init; } = "";

    /// <summary>Operating system family, e.g. <c>debian</c>.</summary>
    public string OsFamily { get; init; } = "";

    /// <summary>Operating system platform, e.g. <c>ubuntu</c>.</summary>
    public string OsPlatform { get; init; } = "";

    /// <summary>Operating system name.</summary>
    public string OsName { get; init; } = "";

    /// <summary>Operating system version.</summary>
    public string OsVersion { get; init; } = "";

    /// <summary>CPU cores.</summary>
    public int CpuCores { get; init; }

    /// <summary>Memory in bytes (<c>uint64</c>, written exactly).</summary>
    public ulong MemoryTotal { get; init; }

    /// <summary>A hashed, stable id of the machine.</summary>
    public string MachineId { get; init; } = "";

    /// <summary>When the server started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the server shut down; set only in the last report, null before.</summary>
    public DateTimeOffset? ShutdownAt { get; init; }

    /// <summary>Whether identity-provider organization sync is on.</summary>
    public bool? IdpOrgSync { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("id"u8, Id);
        writer.WriteString("architecture"u8, Architecture);
        writer.WriteBoolean("builtin_postgres"u8, BuiltinPostgres);
        writer.WriteBoolean("containerized"u8, Containerized);
        writer.WriteBoolean("kubernetes"u8, Kubernetes);
        writer.WriteObject("config"u8, Config);
        writer.WriteBoolean("tunnel"u8, Tunnel);
        writer.WriteString("install_source"u8, InstallSource);
        writer.WriteString("os_type"u8, OsType);
        writer.WriteString("os_family"u8, OsFamily);
        writer.WriteString("os_platform"u8, OsPlatform);
        writer.WriteString("os_name"u8, OsName);
        writer.WriteString("os_version"u8, OsVersion);
        writer.WriteNumber("cpu_cores"u8, CpuCores);
        writer.WriteNumber("memory_total"u8, MemoryTotal);
        writer.WriteString("machine_id"u8, MachineId);
        writer.WriteTime("started_at"u8, StartedAt);
        writer.WriteTime("shutdown_at"u8, ShutdownAt);
        writer.WriteBoolean("idp_org_sync"u8, IdpOrgSync);
        writer.WriteEndObject();
    }
}
