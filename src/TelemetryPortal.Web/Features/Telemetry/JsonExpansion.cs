namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// Which containers of a payload tree are open, and how many pages of children each shows, by JSON path (e.g.
/// <c>/users/0</c>), shared by the trees of the same payload at different levels: opening a node, or showing more of
/// it, in one does the same at that path in the others.
/// </summary>
public sealed class JsonExpansion
{
    private readonly Dictionary<string, bool> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _pages = new(StringComparer.Ordinal);

    /// <summary>A node was opened or closed, or shows more; the trees sharing this render again.</summary>
    public event Action? Changed;

    /// <summary>Whether the node at <paramref name="path"/> is open; <paramref name="initially"/> until someone toggles it.</summary>
    public bool IsOpen(string path, bool initially) => _open.TryGetValue(path, out var open) ? open : initially;

    public void Set(string path, bool open)
    {
        _open[path] = open;
        Changed?.Invoke();
    }

    /// <summary>How many pages of children the node at <paramref name="path"/> shows (1 until someone asks for more).</summary>
    public int Pages(string path) => _pages.GetValueOrDefault(path, 1);

    public void SetPages(string path, int pages)
    {
        _pages[path] = pages;
        Changed?.Invoke();
    }

    /// <summary>The path of a child: a property name (escaped as RFC 6901 says) or an array index.</summary>
    public static string Child(string path, string nameOrIndex) =>
        $"{path}/{nameOrIndex.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
}
