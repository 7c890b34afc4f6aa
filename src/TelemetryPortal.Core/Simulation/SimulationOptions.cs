namespace TelemetryPortal.Core.Simulation;

/// <summary>The size and shape of a simulated Coder installation.</summary>
public sealed record SimulationOptions
{
    /// <summary>Seeds every random choice; the same options always give the same data. Defaults to 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The moment the snapshot is taken; "the last hour" ends here. Defaults to 2025-06-02 10:00 UTC.</summary>
    public DateTimeOffset Now { get; init; } = new(2025, 6, 2, 10, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The moment the standing records (users, templates, workspaces, groups, licenses...) date back from:
    /// they were created up to two years before it, so reports taken at different <see cref="Now"/>s
    /// repeat them byte for byte. When <see cref="Now"/> is earlier, <see cref="Now"/> is used instead.
    /// Defaults to 2025-06-01 00:00 UTC.
    /// </summary>
    public DateTimeOffset Epoch { get; init; } = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Organizations. Defaults to 2.</summary>
    public int Organizations { get; init; } = 2;

    /// <summary>User accounts. Defaults to 60.</summary>
    public int Users { get; init; } = 60;

    /// <summary>Groups. Defaults to 8.</summary>
    public int Groups { get; init; } = 8;

    /// <summary>Templates. Defaults to 6.</summary>
    public int Templates { get; init; } = 6;

    /// <summary>Versions per template. Defaults to 3.</summary>
    public int VersionsPerTemplate { get; init; } = 3;

    /// <summary>Workspaces. Defaults to 120.</summary>
    public int Workspaces { get; init; } = 120;

    /// <summary>
    /// Share of workspaces built in any hour (each build brings a job, resources, modules, an agent, apps,
    /// stats, a network event). Defaults to 0.1: a workspace started and stopped about once a day each.
    /// </summary>
    public double RecentActivity { get; init; } = 0.1;

    /// <summary>Share of users whose API key is used in any hour (they also run CLI commands and connect over tailnet). Defaults to 0.4.</summary>
    public double ActiveUsers { get; init; } = 0.4;

    /// <summary>Share of provisioner jobs that fail with an error message. Defaults to 0.2.</summary>
    public double FailedJobs { get; init; } = 0.2;

    /// <summary>Enterprise licenses applied. Defaults to 1.</summary>
    public int Licenses { get; init; } = 1;

    /// <summary>The deployment's id, e.g. the portal's own. Defaults to one derived from <see cref="Seed"/>.</summary>
    public Guid? DeploymentId { get; init; }

    /// <summary>Throws when a size is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Organizations, 1, nameof(Organizations));
        ArgumentOutOfRangeException.ThrowIfLessThan(Users, 1, nameof(Users));
        ArgumentOutOfRangeException.ThrowIfNegative(Groups, nameof(Groups));
        ArgumentOutOfRangeException.ThrowIfLessThan(Templates, 1, nameof(Templates));
        ArgumentOutOfRangeException.ThrowIfLessThan(VersionsPerTemplate, 1, nameof(VersionsPerTemplate));
        ArgumentOutOfRangeException.ThrowIfNegative(Workspaces, nameof(Workspaces));
        ArgumentOutOfRangeException.ThrowIfNegative(Licenses, nameof(Licenses));
        foreach (var (share, name) in new[] { (RecentActivity, nameof(RecentActivity)), (ActiveUsers, nameof(ActiveUsers)), (FailedJobs, nameof(FailedJobs)) })
        {
            if (share is < 0 or > 1 || double.IsNaN(share))
            {
                throw new ArgumentOutOfRangeException(name, share, $"{name} must be between 0 and 1.");
            }
        }
    }
}
