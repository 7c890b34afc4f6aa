namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// Which containers of a payload tree are open, by JSON path (e.g. <c>/users/0</c>), shared by the trees of the
/// same payload at different levels: opening a node in one opens the same path in the others.
/// </summary>
public sealed class JsonExpansion
{
    private readonly Dictionary<string, bool> _open = new(StringComparer.Ordinal);

    /// <summary>A node was opened or closed; the trees sharing this render again.</summary>
    public event Action? Changed;

    /// <summary>Whether the node at <paramref name="path"/> is open; <paramref name="initially"/> until someone toggles it.</summary>
    public bool IsOpen(string path, bool initially) => _open.TryGetValue(path, out var open) ? open : initially;

    public void Set(string path, bool open)
    {
        _open[path] = open;
        Changed?.Invoke();
    }

    /// <summary>The path of a child: a property name (escaped as RFC 6901 says) or an array index.</summary>
    public static string Child(string path, string nameOrIndex) =>
        $"{path}/{nameOrIndex.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
}
