namespace TelemetryPortal.Core.Dictionary;

/// <summary>What kind of information a field holds.</summary>
public enum FieldCategory
{
    /// <summary>A list or a group of fields; its contents are described field by field.</summary>
    Section,

    /// <summary>A random id (UUID) that links records together; it means nothing outside the deployment.</summary>
    Identifier,

    /// <summary>A date and time.</summary>
    Timestamp,

    /// <summary>
    /// A name someone chose, e.g. of a workspace, template or group. People name things after
    /// themselves, their team or their company, and masking cannot recognise a name, so it is
    /// identifying.
    /// </summary>
    Name,

    /// <summary>Text that can say anything, e.g. an error message.</summary>
    FreeText,

    /// <summary>One of a few fixed values, e.g. a status or a type.</summary>
    Classification,

    /// <summary>A count or a measurement, e.g. bytes sent or sessions opened.</summary>
    UsageCount,

    /// <summary>A setting of the deployment or a template.</summary>
    Configuration,

    /// <summary>A fact about the machine Coder runs on.</summary>
    HostFact,

    /// <summary>An e-mail address.</summary>
    Email,

    /// <summary>An e-mail address put through a hash; still identifies a person.</summary>
    HashedEmail,

    /// <summary>An IP address.</summary>
    IpAddress,

    /// <summary>An IP address put through a hash; easy to reverse, so still identifying.</summary>
    HashedIpAddress,

    /// <summary>An account id at another service, e.g. a GitHub user id.</summary>
    ExternalAccountId,

    /// <summary>A raw license key.</summary>
    LicenseKey,

    /// <summary>A URL, domain or organisation name that names the organisation running Coder.</summary>
    OrganizationIdentity,

    /// <summary>A password, key or token. Coder empties secrets before sending; one that arrives filled is never sent at level 1.</summary>
    Secret,

    /// <summary>A stable id of one machine or device (e.g. <c>/etc/machine-id</c>); it follows the machine and its owner everywhere.</summary>
    MachineIdentifier,

    /// <summary>A path on a server's disk; home folders and mount points name people and organisations.</summary>
    FilePath,
}

/// <summary>Plain-words labels of <see cref="FieldCategory"/>.</summary>
public static class FieldCategories
{
    /// <summary>A short label, e.g. "IP address".</summary>
    public static string Label(FieldCategory category) => category switch
    {
        FieldCategory.Section => "section",
        FieldCategory.Identifier => "identifier",
        FieldCategory.Timestamp => "timestamp",
        FieldCategory.Name => "name",
        FieldCategory.FreeText => "free text",
        FieldCategory.Classification => "classification",
        FieldCategory.UsageCount => "usage count",
        FieldCategory.Configuration => "configuration",
        FieldCategory.HostFact => "host fact",
        FieldCategory.Email => "e-mail",
        FieldCategory.HashedEmail => "hashed e-mail",
        FieldCategory.IpAddress => "IP address",
        FieldCategory.HashedIpAddress => "hashed IP address",
        FieldCategory.ExternalAccountId => "external account id",
        FieldCategory.LicenseKey => "license key",
        FieldCategory.OrganizationIdentity => "organisation identity",
        FieldCategory.Secret => "secret",
        FieldCategory.MachineIdentifier => "machine identifier",
        FieldCategory.FilePath => "file path",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, "Not a field category."),
    };

    /// <summary>Whether fields of this category can tie data to a person or an organisation, so level 1 must not send them.</summary>
    public static bool IsIdentifying(FieldCategory category) => category is
        FieldCategory.Email or FieldCategory.HashedEmail or FieldCategory.IpAddress or
        FieldCategory.HashedIpAddress or FieldCategory.ExternalAccountId or FieldCategory.LicenseKey or
        FieldCategory.OrganizationIdentity or FieldCategory.Name or FieldCategory.Secret or
        FieldCategory.MachineIdentifier or FieldCategory.FilePath;
}
