using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using TelemetryPortal.Web.Endpoints;

namespace TelemetryPortal.Web.Data;

/// <summary>
/// Text both databases keep as it was given. PostgreSQL's <c>text</c> refuses the NUL character, and neither database
/// keeps half of a UTF-16 surrogate pair (it is no character, and not UTF-8); SQLite takes the first and mangles the
/// second. Such text is refused at the edge, naming where it is, or (what a program wrote, such as an unknown field's
/// name) shown escaped, so that the same input behaves the same on either database and a SQLite portal always copies.
/// </summary>
public static class StorableText
{
    /// <summary>What in <paramref name="text"/> neither database keeps, said for a person; <see langword="null"/> when it can be stored.</summary>
    public static string? Problem(string? text)
    {
        if (text is null)
        {
            return null;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return $"a NUL character (U+0000) at character {i + 1}";
            }

            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                    continue;
                }

                return $"half of a surrogate pair (U+{(int)c:X4}) at character {i + 1}, which is not a character";
            }
        }

        return null;
    }

    /// <summary>
    /// <paramref name="text"/> with every control character and half surrogate pair written as <c>\uXXXX</c> (and a
    /// backslash as <c>\\</c>, so the escape reads back unambiguously), at most <paramref name="maxLength"/> characters
    /// (the last one then <c>…</c>, never half a pair).
    /// </summary>
    public static string Escape(string text, int maxLength = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        StringBuilder? escaped = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var paired = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (c == '\\' || char.IsControl(c) || (char.IsSurrogate(c) && !paired))
            {
                escaped ??= new StringBuilder(text, 0, i, text.Length + 16);
                escaped.Append(c == '\\' ? @"\\" : string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"));
                continue;
            }

            escaped?.Append(c);
            if (paired)
            {
                escaped?.Append(text[++i]);
            }
        }

        return Clip(escaped?.ToString() ?? text, maxLength);
    }

    /// <summary>
    /// <paramref name="text"/> when it has at most <paramref name="maxLength"/> characters; otherwise its start and
    /// <c>…</c>, in <paramref name="maxLength"/> characters, never ending in half a surrogate pair.
    /// </summary>
    public static string Clip(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        if (text.Length <= maxLength)
        {
            return text;
        }

        var cut = maxLength - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), "…");
    }
}

/// <summary>
/// Refuses, before anything is written, an entity whose text <see cref="StorableText"/> says neither database keeps, or
/// that is longer than its column: a 400 that names the field, rather than a PostgreSQL error (a 500) or, on SQLite, a
/// value that no copy to PostgreSQL can carry.
/// </summary>
public sealed class StorableTextInterceptor : SaveChangesInterceptor
{
    public static readonly StorableTextInterceptor Instance = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Check(eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Check(eventData);
        return ValueTask.FromResult(result);
    }

    private static void Check(DbContextEventData eventData)
    {
        if (eventData.Context is null)
        {
            return;
        }

        foreach (var entry in eventData.Context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }

            foreach (var property in entry.Properties)
            {
                if (property.Metadata.ClrType != typeof(string) || !(entry.State == EntityState.Added || property.IsModified)
                    || property.CurrentValue is not string text)
                {
                    continue;
                }

                var field = $"{property.Metadata.Name} ({entry.Metadata.ClrType.Name})";
                if (StorableText.Problem(text) is { } problem)
                {
                    throw PortalProblemException.Invalid($"{field} contains {problem}; it cannot be stored. Remove it and try again.");
                }

                // PostgreSQL holds a column to its length (in characters, a surrogate pair one); SQLite would keep more,
                // and a copy to PostgreSQL would then fail.
                if (property.Metadata.GetMaxLength() is { } max && text.Length > max && text.EnumerateRunes().Count() is var length && length > max)
                {
                    throw PortalProblemException.Invalid($"{field} is {length} characters long; at most {max} can be stored.");
                }
            }
        }
    }
}
