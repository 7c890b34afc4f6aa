using System.Text;
using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Core.Redaction;

/// <summary>A field as the redactor needs it: its UTF-8 name, shape, level and the node of its children.</summary>
internal sealed class CompiledField(DictionaryEntry entry, int child, FieldShape? shape = null)
{
    public DictionaryEntry Entry { get; } = entry;

    public byte[] Utf8Name { get; } = Encoding.UTF8.GetBytes(entry.Name);

    /// <summary><c>"name":</c>, ready to copy to the output.</summary>
    public byte[] JsonPrefix { get; } = Encoding.UTF8.GetBytes($"\"{entry.Name}\":");

    public FieldShape Shape { get; } = shape ?? entry.Shape;

    /// <summary>The value of a map whose values are not records: a value or a list of values.</summary>
    public bool IsMapValue { get; init; }

    public TelemetryLevel MinimumLevel { get; } = entry.MinimumLevel;

    /// <summary>The node describing the fields of this record (or of each record of this list); -1 for values.</summary>
    public int Child { get; } = child;
}

/// <summary>An object's fields, looked up by UTF-8 name without allocating.</summary>
internal sealed class CompiledNode
{
    private CompiledField?[] _table = [];
    private int _mask;

    public CompiledNode(string path) => Path = path;

    /// <summary>The dictionary path of the object, e.g. <c>snapshot.users[]</c>, or of a map's values (<c>path{}</c>).</summary>
    public string Path { get; }

    /// <summary>For a map's node: how each member's value is read (a record of this node's fields, or values).</summary>
    public CompiledField? MapValue { get; set; }

    public void Build(IReadOnlyList<CompiledField> fields)
    {
        var size = 4;
        while (size < fields.Count * 3)
        {
            size *= 2;
        }

        _table = new CompiledField?[size];
        _mask = size - 1;
        foreach (var field in fields)
        {
            var slot = Hash(field.Utf8Name) & _mask;
            while (_table[slot] is not null)
            {
                slot = (slot + 1) & _mask;
            }

            _table[slot] = field;
        }
    }

    public CompiledField? Find(ReadOnlySpan<byte> name)
    {
        var slot = Hash(name) & _mask;
        while (true)
        {
            var field = _table[slot];
            if (field is null || field.Utf8Name.AsSpan().SequenceEqual(name))
            {
                return field;
            }

            slot = (slot + 1) & _mask;
        }
    }

    private static int Hash(ReadOnlySpan<byte> name) =>
        name.IsEmpty ? 0 : (name.Length * 131) ^ (name[0] * 31) ^ (name[^1] * 17) ^ (name[name.Length / 2] * 7) ^ (name[name.Length / 3] << 9);
}

/// <summary>The dictionary compiled into a tree of nodes keyed by (parent node, UTF-8 property name).</summary>
internal sealed class CompiledDictionary
{
    private CompiledDictionary(CompiledNode[] nodes) => Nodes = nodes;

    /// <summary>All nodes; node 0 is the snapshot, node 1 the deployment.</summary>
    public CompiledNode[] Nodes { get; }

    public static int RootOf(PayloadKind kind) => kind == PayloadKind.Snapshot ? 0 : 1;

    public static CompiledDictionary Compile(DataDictionary dictionary)
    {
        var nodes = new List<CompiledNode> { new("snapshot"), new("deployment") };
        var pending = new Queue<int>([0, 1]);
        var fieldsByNode = new Dictionary<int, List<CompiledField>>();
        while (pending.TryDequeue(out var index))
        {
            var node = nodes[index];
            var fields = new List<CompiledField>();
            foreach (var entry in dictionary.Children(node.Path))
            {
                var child = -1;
                if (entry.Shape is FieldShape.Record or FieldShape.RecordList or FieldShape.Map)
                {
                    child = nodes.Count;
                    var childNode = new CompiledNode(entry.ChildParentPath);
                    nodes.Add(childNode);
                    pending.Enqueue(child);
                    if (entry.Shape == FieldShape.Map)
                    {
                        // A map of records reads each value with the record fields below path{}; any other
                        // map holds values or lists of values.
                        childNode.MapValue = dictionary.Children(entry.ChildParentPath).Count > 0
                            ? new CompiledField(entry, child, FieldShape.Record)
                            : new CompiledField(entry, -1, FieldShape.Value) { IsMapValue = true };
                    }
                }

                fields.Add(new CompiledField(entry, child));
            }

            fieldsByNode[index] = fields;
        }

        for (var i = 0; i < nodes.Count; i++)
        {
            nodes[i].Build(fieldsByNode[i]);
        }

        return new CompiledDictionary([.. nodes]);
    }
}
