using System.Text.Json.Serialization;

namespace TelemetryPortal.Core.Snapshots;

/// <summary>A connection event of Coder's networking layer (tailnet).</summary>
public sealed record NetworkEvent : IGoJsonWritable
{
    /// <summary>The event's id.</summary>
    public Guid Id { get; init; }

    /// <summary>When it happened.</summary>
    public DateTimeOffset Time { get; init; }

    /// <summary>The application that connected, e.g. <c>ssh</c>.</summary>
    public string Application { get; init; } = "";

    /// <summary><c>connected</c> or <c>disconnected</c>.</summary>
    public string Status { get; init; } = "";

    /// <summary><c>cli</c>, <c>agent</c>, <c>coderd</c> or <c>wsproxy</c>.</summary>
    public string ClientType { get; init; } = "";

    /// <summary>The client's version.</summary>
    public string ClientVersion { get; init; } = "";

    /// <summary>The reporting node's random id (<c>uint64</c>, written exactly).</summary>
    public ulong NodeIdSelf { get; init; }

    /// <summary>The peer node's random id.</summary>
    public ulong NodeIdRemote { get; init; }

    /// <summary>The direct peer-to-peer endpoint, reduced to a hash and its class.</summary>
    public NetworkEndpoint P2pEndpoint { get; init; } = new();

    /// <summary>The preferred relay region.</summary>
    public int HomeDerp { get; init; }

    public DerpMap DerpMap { get; init; } = new();

    public Netcheck LatestNetcheck { get; init; } = new();

    /// <summary>How long the connection had lasted.</summary>
    public TimeSpan? ConnectionAge { get; init; }

    /// <summary>How long the connection took to set up.</summary>
    public TimeSpan? ConnectionSetup { get; init; }

    /// <summary>How long the direct path took to set up; null without one.</summary>
    public TimeSpan? P2pSetup { get; init; }

    /// <summary>Latency over the relay.</summary>
    public TimeSpan? DerpLatency { get; init; }

    /// <summary>Latency over the direct path; null without one.</summary>
    public TimeSpan? P2pLatency { get; init; }

    /// <summary>Measured throughput in megabits per second (<c>float32</c>); null when not measured.</summary>
    public float? ThroughputMbits { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteUuid("id"u8, Id);
        writer.WriteTime("time"u8, Time);
        writer.WriteString("application"u8, Application);
        writer.WriteString("status"u8, Status);
        writer.WriteString("client_type"u8, ClientType);
        writer.WriteString("client_version"u8, ClientVersion);
        writer.WriteNumber("node_id_self"u8, NodeIdSelf);
        writer.WriteNumber("node_id_remote"u8, NodeIdRemote);
        writer.WriteObject("p2p_endpoint"u8, P2pEndpoint);
        writer.WriteNumber("home_derp"u8, HomeDerp);
        writer.WriteObject("derp_map"u8, DerpMap);
        writer.WriteObject("latest_netcheck"u8, LatestNetcheck);
        writer.WriteDuration("connection_age"u8, ConnectionAge);
        writer.WriteDuration("connection_setup"u8, ConnectionSetup);
        writer.WriteDuration("p2p_setup"u8, P2pSetup);
        writer.WriteDuration("derp_latency"u8, DerpLatency);
        writer.WriteDuration("p2p_latency"u8, P2pLatency);
        writer.WriteNumber("throughput_mbits"u8, ThroughputMbits);
        writer.WriteEndObject();
    }
}

/// <summary>A peer endpoint reduced to a hash of its address plus coarse facts (Go's <c>NetworkEventP2PEndpoint</c>).</summary>
public sealed record NetworkEndpoint : IGoJsonWritable
{
    /// <summary>A hash of the peer's IP address.</summary>
    public string Hash { get; init; } = "";

    /// <summary>The peer's port.</summary>
    public int Port { get; init; }

    /// <summary>The IP version and class.</summary>
    public NetworkAddressFields Fields { get; init; } = new();

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("hash"u8, Hash);
        writer.WriteNumber("port"u8, Port);
        writer.WriteObject("fields"u8, Fields);
        writer.WriteEndObject();
    }
}

/// <summary>Coarse facts about an address (Go's <c>NetworkEventIPFields</c>).</summary>
public sealed record NetworkAddressFields : IGoJsonWritable
{
    /// <summary>4 or 6.</summary>
    public int Version { get; init; }

    /// <summary><c>public</c>, <c>private</c>, <c>link_local</c>, <c>unique_local</c> or <c>loopback</c>.</summary>
    public string Class { get; init; } = "";

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("version"u8, Version);
        writer.WriteString("class"u8, Class);
        writer.WriteEndObject();
    }
}

/// <summary>The relay (DERP) map a client used.</summary>
public sealed record DerpMap : IGoJsonWritable
{
    public DerpHomeParams HomeParams { get; init; } = new();

    /// <summary>Relay regions by id (Go's field name <c>Regions</c>).</summary>
    [JsonPropertyName("Regions")]
    public IReadOnlyDictionary<long, DerpRegion>? Regions { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteObject("home_params"u8, HomeParams);
        writer.WriteMap("Regions"u8, Regions, static (w, v) => v.WriteTo(w));
        writer.WriteEndObject();
    }
}

/// <summary>How a client chooses its home relay region.</summary>
public sealed record DerpHomeParams : IGoJsonWritable
{
    /// <summary>Multipliers of the regions' latencies by region id.</summary>
    public IReadOnlyDictionary<long, double>? RegionScore { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteMap("region_score"u8, RegionScore, static (w, v) => w.WriteNumberValue(v));
        writer.WriteEndObject();
    }
}

/// <summary>A relay region.</summary>
public sealed record DerpRegion : IGoJsonWritable
{
    public long RegionId { get; init; }

    public bool EmbeddedRelay { get; init; }

    [JsonPropertyName("RegionCode")]
    public string RegionCode { get; init; } = "";

    [JsonPropertyName("RegionName")]
    public string RegionName { get; init; } = "";

    [JsonPropertyName("Avoid")]
    public bool Avoid { get; init; }

    public IReadOnlyList<DerpNode>? Nodes { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("region_id"u8, RegionId);
        writer.WriteBoolean("embedded_relay"u8, EmbeddedRelay);
        writer.WriteString("RegionCode"u8, RegionCode);
        writer.WriteString("RegionName"u8, RegionName);
        writer.WriteBoolean("Avoid"u8, Avoid);
        writer.WriteList("nodes"u8, Nodes);
        writer.WriteEndObject();
    }
}

/// <summary>A relay server of a region.</summary>
public sealed record DerpNode : IGoJsonWritable
{
    public string Name { get; init; } = "";

    public long RegionId { get; init; }

    public string HostName { get; init; } = "";

    public string CertName { get; init; } = "";

    public string Ipv4 { get; init; } = "";

    public string Ipv6 { get; init; } = "";

    public int StunPort { get; init; }

    public bool StunOnly { get; init; }

    public int DerpPort { get; init; }

    public bool InsecureForTests { get; init; }

    public bool ForceHttp { get; init; }

    public string StunTestIp { get; init; } = "";

    [JsonPropertyName("can_port_80")]
    public bool CanPort80 { get; init; }

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("name"u8, Name);
        writer.WriteNumber("region_id"u8, RegionId);
        writer.WriteString("host_name"u8, HostName);
        writer.WriteString("cert_name"u8, CertName);
        writer.WriteString("ipv4"u8, Ipv4);
        writer.WriteString("ipv6"u8, Ipv6);
        writer.WriteNumber("stun_port"u8, StunPort);
        writer.WriteBoolean("stun_only"u8, StunOnly);
        writer.WriteNumber("derp_port"u8, DerpPort);
        writer.WriteBoolean("insecure_for_tests"u8, InsecureForTests);
        writer.WriteBoolean("force_http"u8, ForceHttp);
        writer.WriteString("stun_test_ip"u8, StunTestIp);
        writer.WriteBoolean("can_port_80"u8, CanPort80);
        writer.WriteEndObject();
    }
}

/// <summary>The latest network check of a client: what connectivity it has.</summary>
public sealed record Netcheck : IGoJsonWritable
{
    public bool Udp { get; init; }

    public bool Ipv6 { get; init; }

    public bool Ipv4 { get; init; }

    public bool Ipv6CanSend { get; init; }

    public bool Ipv4CanSend { get; init; }

    public bool Icmpv4 { get; init; }

    public bool? OsHasIpv6 { get; init; }

    public bool? MappingVariesByDestIp { get; init; }

    public bool? HairPinning { get; init; }

    public bool? Upnp { get; init; }

    public bool? Pmp { get; init; }

    public bool? Pcp { get; init; }

    public long PreferredDerp { get; init; }

    /// <summary>IPv4 latency to each region, by region id.</summary>
    public IReadOnlyDictionary<long, TimeSpan>? RegionV4Latency { get; init; }

    /// <summary>IPv6 latency to each region, by region id.</summary>
    public IReadOnlyDictionary<long, TimeSpan>? RegionV6Latency { get; init; }

    public NetcheckIp GlobalV4 { get; init; } = new();

    public NetcheckIp GlobalV6 { get; init; } = new();

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteBoolean("udp"u8, Udp);
        writer.WriteBoolean("ipv6"u8, Ipv6);
        writer.WriteBoolean("ipv4"u8, Ipv4);
        writer.WriteBoolean("ipv6_can_send"u8, Ipv6CanSend);
        writer.WriteBoolean("ipv4_can_send"u8, Ipv4CanSend);
        writer.WriteBoolean("icmpv4"u8, Icmpv4);
        writer.WriteBoolean("os_has_ipv6"u8, OsHasIpv6);
        writer.WriteBoolean("mapping_varies_by_dest_ip"u8, MappingVariesByDestIp);
        writer.WriteBoolean("hair_pinning"u8, HairPinning);
        writer.WriteBoolean("upnp"u8, Upnp);
        writer.WriteBoolean("pmp"u8, Pmp);
        writer.WriteBoolean("pcp"u8, Pcp);
        writer.WriteNumber("preferred_derp"u8, PreferredDerp);
        writer.WriteMap("region_v4_latency"u8, RegionV4Latency, static (w, v) => w.WriteDurationValue(v));
        writer.WriteMap("region_v6_latency"u8, RegionV6Latency, static (w, v) => w.WriteDurationValue(v));
        writer.WriteObject("global_v4"u8, GlobalV4);
        writer.WriteObject("global_v6"u8, GlobalV6);
        writer.WriteEndObject();
    }
}

/// <summary>A global address found by a network check, reduced to a hash plus coarse facts.</summary>
public sealed record NetcheckIp : IGoJsonWritable
{
    public string Hash { get; init; } = "";

    public NetworkAddressFields Fields { get; init; } = new();

    /// <inheritdoc/>
    public void WriteTo(GoJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("hash"u8, Hash);
        writer.WriteObject("fields"u8, Fields);
        writer.WriteEndObject();
    }
}
