namespace TelemetryPortal.Core.Simulation;

/// <summary>The size and shape of a simulated Coder installation.</summary>
public sealed record SimulationOptions
{
    /// <summary>Seeds every random choice; the same options always give the same data. Defaults to 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The moment the snapshot is taken; "the last hour" ends here. Defaults to 2025-06-02 10:00 UTC.</summary>
    public DateTimeOffset Now { get; init; } = new(2025, 6, 2, 10, 0, 0, TimeSpan.Zero);

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

    /// <summary>Share of workspaces built in the last hour (each brings a build, job, resources, agent, apps, stats). Defaults to 0.25.</summary>
    public double RecentActivity { get; init; } = 0.25;

    /// <summary>Share of users whose API key was used in the last hour. Defaults to 0.4.</summary>
    public double ActiveUsers { get; init; } = 0.4;

    /// <summary>Share of recent provisioner jobs that failed with an error message. Defaults to 0.2.</summary>
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
