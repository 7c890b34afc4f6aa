using System.Text.Json;
using TelemetryPortal.Core.Dictionary;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// One value of a payload as the lazy tree shows it, read from the bytes without parsing the rest: where it is, what
/// kind it is, a short text for scalars, how many children a container has, and (when a level is explained) what the
/// level does to it.
/// </summary>
/// <param name="Name">The property name; <see langword="null"/> for the root and array items.</param>
/// <param name="Index">Its position among its parent's children (0 for the root).</param>
/// <param name="Offset">Where its first byte is in the payload.</param>
/// <param name="Length">How many bytes it spans (for the root: to the end of the payload).</param>
/// <param name="DictionaryPath">Its path in the data dictionary, e.g. <c>snapshot.users[]</c> for a user record.</param>
/// <param name="Text">A scalar as written in the payload (a string with its quotes), shortened when long; <see langword="null"/> for containers.</param>
/// <param name="Title">A string's value, unescaped (shortened like <paramref name="Text"/>); <see langword="null"/> otherwise.</param>
/// <param name="TextBytes">How many bytes the scalar's text has in the payload (said when <paramref name="Text"/> is shortened).</param>
/// <param name="Shortened">Whether <paramref name="Text"/> and <paramref name="Title"/> show only the start of the value.</param>
/// <param name="Count">A container's fields or items.</param>
/// <param name="Fate">What the explained level does to it: fields, and strings in lists when masked; <see langword="null"/> otherwise.</param>
/// <param name="Changes">How many fields inside a container the explained level removes or masks (a removed container counts once).</param>
public sealed record JsonOutlineNode(
    string? Name,
    int Index,
    JsonValueKind Kind,
    long Offset,
    long Length,
    string DictionaryPath,
    string? Text = null,
    string? Title = null,
    long TextBytes = 0,
    bool Shortened = false,
    int Count = 0,
    FieldFate? Fate = null,
    int Changes = 0)
{
    /// <summary>Whether the node has children to open.</summary>
    public bool IsContainer => Kind is JsonValueKind.Object or JsonValueKind.Array;
}

/// <summary>Where the next page of a container's children starts: the byte after the last child read, and the reader's state there.</summary>
public sealed record JsonOutlineResume(long Offset, JsonReaderState State, int Index);

/// <summary>A page of a container's children.</summary>
/// <param name="Next">Where the following page starts; <see langword="null"/> when this page ends the container.</param>
/// <param name="Total">All the container's children, when this page started at the first and reached the last.</param>
/// <param name="Changes">What the explained level changes in the whole container, known under the same condition as <paramref name="Total"/>.</param>
public sealed record JsonOutlinePage(IReadOnlyList<JsonOutlineNode> Children, JsonOutlineResume? Next, int? Total, int? Changes);
