namespace TelemetryPortal.Web.Data;

/// <summary>The bytes of a payload, Brotli-compressed, stored once per distinct SHA-256.</summary>
public sealed class PayloadContent
{
    /// <summary>SHA-256 of the uncompressed bytes, lower-case hex.</summary>
    public required string Sha256 { get; set; }

    public long Length { get; set; }

    public required byte[] Compressed { get; set; }
}
