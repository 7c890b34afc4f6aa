using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// Reads a payload's tree lazily, a page of one container's children at a time, straight from its bytes
/// (<see cref="IByteSource.OpenReadAsync"/> at the container's offset): nothing is parsed whole, so a 400 MB snapshot
/// costs a window of memory. Pages are kept in the shared memory cache by what the bytes are (their id), where the
/// container is and the level explained, so a second view of the same bytes, or a render again, reads nothing.
/// </summary>
/// <remarks>
/// A page stops at its last child; counting a container's children needs the container read to its end, so each child
/// listed is read whole (its fields or items counted, and with a level, the changes inside counted as the redactor
/// makes them). The root's own count and changes come from its first page when that holds every child, or else from
/// one read of the whole root, cached like the pages.
/// </remarks>
public sealed class JsonOutlineService(IMemoryCache cache)
{
    /// <summary>Children in one page.</summary>
    public const int PageSize = 100;

    /// <summary>The longest scalar text shown (bytes as written); longer values are shortened and say how long they are.</summary>
    public const int MaxTextBytes = 1024;

    /// <summary>How much is read from the source at once; a token longer than this grows the buffer.</summary>
    internal const int BufferBytes = 64 * 1024;

    /// <summary>How long a page is kept after it was last read.</summary>
    private static readonly TimeSpan s_keptFor = TimeSpan.FromMinutes(10);

    private static readonly JsonReaderOptions s_options = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = Walker.MaxDepth };

    /// <summary>
    /// The payload's root value: a container with its count (and, with <paramref name="explainFor"/>, the fields that
    /// level removes or masks inside it), or a scalar with its text.
    /// </summary>
    /// <param name="rootPath"><c>snapshot</c> or <c>deployment</c>: where dictionary paths start.</param>
    /// <exception cref="JsonException">The bytes are not JSON (said as the reader found it).</exception>
    /// <exception cref="InvalidDataException">The stored bytes are damaged.</exception>
    public async Task<JsonOutlineNode> GetRootAsync(IByteSource source, string rootPath, TelemetryLevel? explainFor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var key = new OutlineKey(source.Id, -1, rootPath, explainFor, 0);
        if (cache.TryGetValue(key, out JsonOutlineNode? cached) && cached is not null)
        {
            return cached;
        }

        var root = await ReadRootAsync(source, rootPath, ct);
        if (root.IsContainer)
        {
            var first = await GetChildrenAsync(source, root, null, explainFor, ct);
            var (total, changes) = first.Next is null
                ? (first.Total!.Value, first.Changes!.Value)
                : await CountAllAsync(source, root, explainFor, ct);
            root = root with { Count = total, Changes = changes };
        }

        Keep(key, root, EstimateSize(root));
        return root;
    }

    /// <summary>
    /// One page of <paramref name="node"/>'s children: the first, or the one that starts at <paramref name="from"/> (the
    /// previous page's <see cref="JsonOutlinePage.Next"/>).
    /// </summary>
    /// <param name="explainFor">The level whose fate of each child, and changes inside each, are said; <see langword="null"/> for none.</param>
    /// <exception cref="JsonException">The bytes are not JSON.</exception>
    /// <exception cref="InvalidDataException">The stored bytes are damaged.</exception>
    public async Task<JsonOutlinePage> GetChildrenAsync(
        IByteSource source, JsonOutlineNode node, JsonOutlineResume? from, TelemetryLevel? explainFor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(node);
        if (!node.IsContainer)
        {
            throw new ArgumentException($"A {node.Kind} has no children.", nameof(node));
        }

        var key = new OutlineKey(source.Id, node.Offset, node.DictionaryPath, explainFor, from?.Offset ?? node.Offset);
        if (cache.TryGetValue(key, out JsonOutlinePage? cached) && cached is not null)
        {
            return cached;
        }

        var walker = new Walker(node.Kind == JsonValueKind.Object, node.DictionaryPath, explainFor, PageSize, collect: true, from);
        await walker.RunAsync(source, from?.Offset ?? node.Offset, ct);
        var page = new JsonOutlinePage(walker.Children, walker.Next,
            walker.Ended && from is null ? walker.Index : null,
            walker.Ended && from is null ? walker.RootChanges : null);
        Keep(key, page, page.Children.Sum(EstimateSize) + 256);
        return page;
    }

    /// <summary>A container's children and changes, read to its end (for a root too long for one page).</summary>
    private static async Task<(int Total, int Changes)> CountAllAsync(IByteSource source, JsonOutlineNode node, TelemetryLevel? explainFor, CancellationToken ct)
    {
        var walker = new Walker(node.Kind == JsonValueKind.Object, node.DictionaryPath, explainFor, int.MaxValue, collect: false, null);
        await walker.RunAsync(source, node.Offset, ct);
        return (walker.Index, walker.RootChanges);
    }

    private void Keep(OutlineKey key, object value, long size) =>
        cache.Set(key, value, new MemoryCacheEntryOptions { Size = Math.Max(1, size), SlidingExpiration = s_keptFor });

    private static long EstimateSize(JsonOutlineNode node) =>
        160 + (2L * ((node.Name?.Length ?? 0) + node.DictionaryPath.Length + (node.Text?.Length ?? 0) + (node.Title?.Length ?? 0)));

    /// <summary>The first value of the payload: a container's kind and offset, or a scalar whole.</summary>
    private static async Task<JsonOutlineNode> ReadRootAsync(IByteSource source, string rootPath, CancellationToken ct)
    {
        if (source.Length == 0)
        {
            throw new JsonException("The payload is empty.");
        }

        await using var stream = await source.OpenReadAsync(0, ct);
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        var filled = 0;
        var final = false;
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    buffer = Grow(buffer, filled);
                }

                var read = await stream.ReadAsync(buffer.AsMemory(filled), ct);
                final = read == 0;
                filled += read;
                if (TryReadFirst(buffer.AsSpan(0, filled), final, rootPath, source.Length, out var root))
                {
                    return root;
                }

                if (final)
                {
                    throw new JsonException("The payload ends before its first value does.");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool TryReadFirst(ReadOnlySpan<byte> bytes, bool final, string rootPath, long length, out JsonOutlineNode root)
    {
        var reader = new Utf8JsonReader(bytes, final, new JsonReaderState(s_options));
        if (!reader.Read())
        {
            root = null!;
            return false;
        }

        var start = reader.TokenStartIndex;
        root = reader.TokenType switch
        {
            JsonTokenType.StartObject => new JsonOutlineNode(null, 0, JsonValueKind.Object, start, length - start, rootPath),
            JsonTokenType.StartArray => new JsonOutlineNode(null, 0, JsonValueKind.Array, start, length - start, rootPath),
            _ => Walker.Scalar(ref reader, null, 0, start, rootPath, null),
        };
        return true;
    }

    internal static byte[] Grow(byte[] buffer, int filled)
    {
        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, filled).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    /// <summary>A page's key in the shared cache: the bytes, the container (its offset and dictionary path), the level explained and where the page starts.</summary>
    private sealed record OutlineKey(string SourceId, long Offset, string DictionaryPath, TelemetryLevel? Level, long From);

    /// <summary>
    /// Reads one container token by token (refilling its buffer from the stream): lists its children from the first or a
    /// resumed position, and counts what is inside each as <see cref="JsonTreeNode"/> shows it. The container is depth 0,
    /// its children depth 1.
    /// </summary>
    private sealed class Walker(bool isObject, string path, TelemetryLevel? level, int take, bool collect, JsonOutlineResume? resume)
    {
        /// <summary>As deep as payloads go (the proxy's default limit); JSON's own reader stops here too.</summary>
        public const int MaxDepth = 64;

        private readonly Frame[] _frames = new Frame[MaxDepth + 2];
        private readonly List<JsonOutlineNode> _children = [];
        private JsonReaderState _state = resume?.State ?? new JsonReaderState(s_options);
        private long _base;
        private int _taken;
        private string? _name;

        public IReadOnlyList<JsonOutlineNode> Children => _children;

        /// <summary>How many children were seen: the next child's index.</summary>
        public int Index { get; private set; } = resume?.Index ?? 0;

        /// <summary>The container's last child was read.</summary>
        public bool Ended { get; private set; }

        public JsonOutlineResume? Next { get; private set; }

        /// <summary>What the level changes in the children read, counted as the container's badge counts.</summary>
        public int RootChanges => _frames[0].Changes;

        private static DataDictionary Dictionary => DataDictionary.Default;

        public async Task RunAsync(IByteSource source, long offset, CancellationToken ct)
        {
            if (resume is not null)
            {
                // A resumed reader is inside the container already: its frame is set up by hand.
                _frames[0] = new Frame { IsObject = isObject, Path = path, Counting = level is not null };
            }

            _base = offset;
            await using var stream = await source.OpenReadAsync(offset, ct);
            var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
            var filled = 0;
            var final = false;
            try
            {
                while (true)
                {
                    if (filled == buffer.Length)
                    {
                        // One token longer than the buffer: hold it whole.
                        buffer = Grow(buffer, filled);
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(filled), ct);
                    final = read == 0;
                    filled += read;
                    var stop = Process(buffer.AsSpan(0, filled), final, out var consumed);
                    if (stop)
                    {
                        return;
                    }

                    if (final)
                    {
                        throw new JsonException("The payload ends before its JSON does.");
                    }

                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;
                    _base += consumed;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        /// <summary>Reads the complete tokens in <paramref name="bytes"/>; <see langword="true"/> once the page is read.</summary>
        private bool Process(ReadOnlySpan<byte> bytes, bool final, out int consumed)
        {
            var reader = new Utf8JsonReader(bytes, final, _state);
            while (reader.Read())
            {
                if (Handle(ref reader))
                {
                    consumed = (int)reader.BytesConsumed;
                    return true;
                }
            }

            _state = reader.CurrentState;
            consumed = (int)reader.BytesConsumed;
            return false;
        }

        private bool Handle(ref Utf8JsonReader reader)
        {
            var depth = reader.CurrentDepth;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    if (depth == 1)
                    {
                        // The page is full and another child follows.
                        if (_taken == take)
                        {
                            return true;
                        }

                        _name = collect || level is not null ? reader.GetString() : null;
                        return false;
                    }

                    ref var owner = ref _frames[depth - 1];
                    if (depth == 2)
                    {
                        owner.Direct++;
                    }

                    if (owner.Counting)
                    {
                        owner.Pending = reader.GetString();
                    }

                    return false;

                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    if (depth == 0)
                    {
                        Ended = true;
                        Next = null;
                        return true;
                    }

                    if (depth == 1)
                    {
                        EndChild(ref reader);
                        return false;
                    }

                    if (_frames[depth].Counting)
                    {
                        _frames[depth - 1].Changes += _frames[depth].Changes;
                    }

                    return false;

                default:
                    return Value(ref reader, depth);
            }
        }

        private bool Value(ref Utf8JsonReader reader, int depth)
        {
            var token = reader.TokenType;
            var container = token is JsonTokenType.StartObject or JsonTokenType.StartArray;
            if (depth == 0)
            {
                if (!container || (token == JsonTokenType.StartObject) != isObject)
                {
                    throw new JsonException($"Expected {(isObject ? "an object" : "an array")} at byte {_base + reader.TokenStartIndex}.");
                }

                _frames[0] = new Frame { IsObject = isObject, Path = path, Counting = level is not null };
                return false;
            }

            if (depth == 1)
            {
                if (_taken == take)
                {
                    return true;
                }

                Child(ref reader, container);
                return false;
            }

            ref var parent = ref _frames[depth - 1];
            if (depth == 2 && !parent.IsObject)
            {
                parent.Direct++;
            }

            if (!parent.Counting || level is not { } explained)
            {
                if (container)
                {
                    _frames[depth] = default;
                }

                return false;
            }

            // The same walk as the redactor's: a changed field counts once, its inside is not looked at.
            if (parent.IsObject)
            {
                var childPath = Dictionary.ChildPath(parent.Path!, parent.Pending!);
                var fate = FieldFate.At(Dictionary, childPath, explained, token == JsonTokenType.String ? reader.GetString() : null);
                if (fate.IsChanged)
                {
                    parent.Changes++;
                }

                if (container)
                {
                    _frames[depth] = new Frame { IsObject = token == JsonTokenType.StartObject, Path = childPath, Counting = !fate.IsChanged };
                }
            }
            else if (token == JsonTokenType.StartObject)
            {
                _frames[depth] = new Frame { IsObject = true, Path = $"{parent.Path}[]", Counting = true };
            }
            else if (token == JsonTokenType.StartArray)
            {
                _frames[depth] = default;
            }
            else if (token == JsonTokenType.String && FieldFate.At(Dictionary, parent.Path!, explained, reader.GetString()).Kind == FieldFateKind.Masked)
            {
                parent.Changes++;
            }

            return false;
        }

        /// <summary>A child of the container begins: a scalar is complete; a container is read on and ends in <see cref="EndChild"/>.</summary>
        private void Child(ref Utf8JsonReader reader, bool container)
        {
            var index = Index++;
            ref var root = ref _frames[0];
            var token = reader.TokenType;
            var name = root.IsObject ? _name : null;
            var childPath = root.IsObject ? Dictionary.ChildPath(root.Path!, name!)
                : token == JsonTokenType.StartObject ? $"{root.Path}[]" : root.Path!;
            FieldFate? fate = null;
            if (level is { } explained)
            {
                var text = token == JsonTokenType.String ? reader.GetString() : null;
                if (root.IsObject)
                {
                    fate = FieldFate.At(Dictionary, childPath, explained, text);
                }
                else if (text is not null && FieldFate.At(Dictionary, childPath, explained, text) is { Kind: FieldFateKind.Masked } masked)
                {
                    // Strings in a list of values are masked like any other kept text.
                    fate = masked;
                }
            }

            var start = _base + reader.TokenStartIndex;
            if (!container)
            {
                root.Changes += fate?.IsChanged == true ? 1 : 0;
                if (collect)
                {
                    _children.Add(Scalar(ref reader, name, index, start, childPath, fate, _base));
                }

                Taken(ref reader);
                return;
            }

            _frames[1] = new Frame
            {
                IsObject = token == JsonTokenType.StartObject,
                Path = childPath,
                Counting = level is not null,
                Name = name,
                Index = index,
                Start = start,
                Fate = fate,
            };
        }

        private void EndChild(ref Utf8JsonReader reader)
        {
            ref var child = ref _frames[1];
            ref var root = ref _frames[0];
            // What the child adds to the container's count: a changed field once, else what changes inside it; an
            // array's items count what changes in records, not in lists of lists.
            root.Changes += root.IsObject ? (child.Fate?.IsChanged == true ? 1 : child.Changes) : child.IsObject ? child.Changes : 0;
            if (collect)
            {
                var end = _base + reader.BytesConsumed;
                _children.Add(new JsonOutlineNode(
                    child.Name, child.Index, child.IsObject ? JsonValueKind.Object : JsonValueKind.Array, child.Start, end - child.Start,
                    child.Path!, Count: child.Direct, Fate: child.Fate, Changes: child.Changes));
            }

            Taken(ref reader);
        }

        private void Taken(ref Utf8JsonReader reader)
        {
            if (++_taken == take)
            {
                Next = new JsonOutlineResume(_base + reader.BytesConsumed, reader.CurrentState, Index);
            }
        }

        /// <summary>A scalar as the tree shows it: its text as written (shortened past <see cref="MaxTextBytes"/>), and a string's value.</summary>
        public static JsonOutlineNode Scalar(ref Utf8JsonReader reader, string? name, int index, long start, string path, FieldFate? fate, long offsetOfSpan = 0)
        {
            var raw = reader.ValueSpan;
            var shortened = raw.Length > MaxTextBytes;
            var shown = shortened ? raw[..CharacterBoundary(raw, MaxTextBytes)] : raw;
            var text = Encoding.UTF8.GetString(shown);
            var ellipsis = shortened ? "…" : "";
            var kind = reader.TokenType switch
            {
                JsonTokenType.String => JsonValueKind.String,
                JsonTokenType.Number => JsonValueKind.Number,
                JsonTokenType.True => JsonValueKind.True,
                JsonTokenType.False => JsonValueKind.False,
                _ => JsonValueKind.Null,
            };
            string? title = null;
            if (kind == JsonValueKind.String)
            {
                var value = reader.GetString()!;
                title = value.Length > MaxTextBytes ? value[..MaxTextBytes] + "…" : value;
                text = $"\"{text}{ellipsis}\"";
            }
            else
            {
                text += ellipsis;
            }

            var end = offsetOfSpan + reader.BytesConsumed;
            return new JsonOutlineNode(name, index, kind, start, end - start, path, text, title, raw.Length, shortened, Fate: fate);
        }

        /// <summary>The largest length at most <paramref name="max"/> that does not cut a UTF-8 character.</summary>
        internal static int CharacterBoundary(ReadOnlySpan<byte> bytes, int max)
        {
            var cut = Math.Min(max, bytes.Length);
            while (cut > 0 && cut < bytes.Length && (bytes[cut] & 0xC0) == 0x80)
            {
                cut--;
            }

            return cut;
        }

        /// <summary>An open container: what it is, where it is in the dictionary and what is counted in it.</summary>
        private struct Frame
        {
            public bool IsObject;
            public string? Path;

            /// <summary>Whether changes inside are counted (a level is explained and no ancestor below the listed child is changed).</summary>
            public bool Counting;
            public int Changes;

            /// <summary>Its own fields or items (for the listed children).</summary>
            public int Direct;

            /// <summary>The property whose value comes next.</summary>
            public string? Pending;

            // The listed child only: its name, index, first byte and fate.
            public string? Name;
            public int Index;
            public long Start;
            public FieldFate? Fate;
        }
    }
}
