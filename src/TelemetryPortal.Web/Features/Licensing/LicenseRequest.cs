namespace TelemetryPortal.Web.Features.Licensing;

public enum LicenseRequestStatus
{
    Pending,
    Approved,
    Denied,
    Withdrawn,
}

/// <summary>Where a request came from, as the desk's review queue shows it.</summary>
public enum LicenseRequestSource
{
    /// <summary>Filed on this portal's own request page or API.</summary>
    Portal,

    /// <summary>Sent by another installation to <c>POST /desk/requests</c>.</summary>
    Online,

    /// <summary>Imported from an exported request file (an air-gapped site).</summary>
    File,
}

/// <summary>On the installation side: how far a request sent to the vendor's desk has got.</summary>
public enum DeskDelivery
{
    /// <summary>Not sent to a desk (the file path, or filed on the desk itself).</summary>
    None,

    /// <summary>Confirmed by the requester, waiting to reach the vendor (retried with backoff).</summary>
    Waiting,

    /// <summary>At the vendor's desk, waiting for the decision (polled with backoff).</summary>
    AtDesk,

    /// <summary>The decision came back and was handled.</summary>
    Done,

    /// <summary>The desk refused the request, or the license it sent back was not valid here; the reason is kept.</summary>
    Failed,
}

/// <summary>A request for a zero-telemetry license, and what became of it.</summary>
public sealed class LicenseRequest
{
    public long Id { get; set; }

    public required string Organisation { get; set; }

    public required string ContactName { get; set; }

    public required string ContactEmail { get; set; }

    public Guid DeploymentId { get; set; }

    public required string Reason { get; set; }

    public int TermDays { get; set; }

    public LicenseRequestStatus Status { get; set; }

    /// <summary>Who filed it: the actor id (a local account id, or the sign-in name).</summary>
    public required string RequestedBy { get; set; }

    /// <summary>Who filed it, in words.</summary>
    public required string RequestedByName { get; set; }

    public DateTime RequestedAt { get; set; }

    public string? ReviewedBy { get; set; }

    public DateTime? ReviewedAt { get; set; }

    /// <summary>Why it was denied, for the requester.</summary>
    public string? DenialReason { get; set; }

    /// <summary>The term granted on approval.</summary>
    public int? GrantedTermDays { get; set; }

    /// <summary>The license issued on approval.</summary>
    public string? LicenseToken { get; set; }

    public Guid? LicenseId { get; set; }

    /// <summary>Where it came from (on a desk: online or a file).</summary>
    public LicenseRequestSource Source { get; set; }

    /// <summary>On a desk: the id the installation was given (unguessable, unlike <see cref="Id"/>).</summary>
    public Guid? DeskId { get; set; }

    /// <summary>On a desk: the SHA-256 (hex) of the retrieval secret the installation was given; the secret itself is not kept.</summary>
    public string? SecretHash { get; set; }

    /// <summary>On a desk: the client address an online request came from.</summary>
    public string? SourceAddress { get; set; }

    /// <summary>On an installation: the desk it goes to (<c>Licensing:DeskUrl</c> when filed).</summary>
    public string? DeskUrl { get; set; }

    /// <summary>On an installation: the exact body the requester confirmed, sent as it is.</summary>
    public string? DeskBody { get; set; }

    /// <summary>On an installation: the id the desk answered.</summary>
    public Guid? DeskRequestId { get; set; }

    /// <summary>On an installation: the retrieval secret the desk answered (only its holder gets the license).</summary>
    public string? DeskSecret { get; set; }

    public DeskDelivery Delivery { get; set; }

    /// <summary>Tries since the last progress (delivery, or polls while pending).</summary>
    public int DeliveryAttempts { get; set; }

    public DateTime? NextDeliveryAt { get; set; }

    /// <summary>When the desk last answered.</summary>
    public DateTime? LastDeskContactAt { get; set; }

    /// <summary>Why the last try failed, or why the desk's answer was refused.</summary>
    public string? DeliveryError { get; set; }
}
