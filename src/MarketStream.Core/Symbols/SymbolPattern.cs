using MarketStream.Model;

namespace MarketStream.Core.Symbols;

/// <summary>
/// A validated subscription pattern (docs/protocol.md §2.1): name characters of
/// <see cref="SymbolNames"/> plus <c>*</c>, which matches any run of characters, possibly empty.
/// The common forms get their own fast path:
/// <list type="bullet">
/// <item><c>*</c> — every symbol;</item>
/// <item><c>PREFIX*</c> — every symbol whose name starts with PREFIX;</item>
/// <item><c>NAME</c> — one symbol by exact name;</item>
/// <item>anything else with <c>*</c> (<c>*USD</c>, <c>E*R*</c>) — a glob.</item>
/// </list>
/// Runs of <c>*</c> collapse to one. Matching is ordinal and case-sensitive. A pattern longer than
/// <see cref="SymbolInfo.MaxNameLength"/> or with another character is rejected with a
/// message saying why.
/// </summary>
public readonly struct SymbolPattern : IEquatable<SymbolPattern>
{
    private SymbolPattern(SymbolPatternKind kind, string text)
    {
        Kind = kind;
        Text = text;
    }

    /// <summary>The pattern's form.</summary>
    public SymbolPatternKind Kind { get; }

    /// <summary>The exact name (<see cref="SymbolPatternKind.Exact"/>), the prefix without <c>*</c> (<see cref="SymbolPatternKind.Prefix"/>), the whole pattern (<see cref="SymbolPatternKind.Glob"/>), or empty (<see cref="SymbolPatternKind.All"/>).</summary>
    public string Text { get; }

    /// <summary>Parses a pattern or throws <see cref="FormatException"/> with the reason.</summary>
    public static SymbolPattern Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (!TryParse(pattern, out var parsed, out var error))
        {
            throw new FormatException($"Invalid symbol pattern '{pattern}': {error}.");
        }

        return parsed;
    }

    /// <summary>Parses a pattern; on failure <paramref name="error"/> says why (suitable for a protocol error text).</summary>
    public static bool TryParse(string pattern, out SymbolPattern result, out string? error)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        result = default;
        if (pattern.Length > SymbolInfo.MaxNameLength)
        {
            error = $"pattern is longer than {SymbolInfo.MaxNameLength} characters";
            return false;
        }

        if (pattern.Length == 0)
        {
            error = "pattern is empty";
            return false;
        }

        foreach (var c in pattern)
        {
            if (c != '*' && !SymbolNames.IsNameChar(c))
            {
                error = $"pattern has a character other than A-Z, a-z, 0-9, '*' or '{SymbolNames.AllowedPunctuation}'";
                return false;
            }
        }

        var text = CollapseStars(pattern);
        var star = text.IndexOf('*', StringComparison.Ordinal);
        result = star switch
        {
            < 0 => new SymbolPattern(SymbolPatternKind.Exact, text),
            _ when text.Length == 1 => new SymbolPattern(SymbolPatternKind.All, string.Empty),
            _ when star == text.Length - 1 => new SymbolPattern(SymbolPatternKind.Prefix, text[..^1]),
            _ => new SymbolPattern(SymbolPatternKind.Glob, text),
        };
        error = null;
        return true;
    }

    /// <summary>True if the pattern selects <paramref name="name"/>.</summary>
    public bool Matches(ReadOnlySpan<char> name) => Kind switch
    {
        SymbolPatternKind.All => true,
        SymbolPatternKind.Prefix => name.StartsWith(Text, StringComparison.Ordinal),
        SymbolPatternKind.Glob => GlobMatches(Text, name),
        _ => name.SequenceEqual(Text),
    };

    /// <summary>
    /// True when every name <paramref name="other"/> can select is selected by this pattern too —
    /// the entitlement check (a granted pattern covering a requested one). Conservative for globs:
    /// it may refuse a glob that is in fact covered, never admit one that is not.
    /// </summary>
    public bool Covers(in SymbolPattern other) => Kind switch
    {
        SymbolPatternKind.All => true,
        // Text has no '*', so a request whose text starts with it has that literal head.
        SymbolPatternKind.Prefix => other.Kind != SymbolPatternKind.All && other.Text.StartsWith(Text, StringComparison.Ordinal),
        SymbolPatternKind.Glob => other.Kind == SymbolPatternKind.Exact ? GlobMatches(Text, other.Text) : Equals(other),
        _ => other.Kind == SymbolPatternKind.Exact && string.Equals(other.Text, Text, StringComparison.Ordinal),
    };

    /// <inheritdoc/>
    public bool Equals(SymbolPattern other) => Kind == other.Kind && string.Equals(Text, other.Text, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SymbolPattern other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Text);

    /// <summary>The pattern as a client writes it.</summary>
    public override string ToString() => Kind switch
    {
        SymbolPatternKind.All => "*",
        SymbolPatternKind.Prefix => Text + "*",
        _ => Text ?? string.Empty,
    };

    private static string CollapseStars(string pattern)
    {
        if (!pattern.Contains("**", StringComparison.Ordinal))
        {
            return pattern;
        }

        var builder = new System.Text.StringBuilder(pattern.Length);
        foreach (var c in pattern)
        {
            if (c != '*' || builder.Length == 0 || builder[^1] != '*')
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    // Greedy match with one backtrack point (the last '*'): linear for the short names here,
    // no recursion, no allocation.
    private static bool GlobMatches(ReadOnlySpan<char> glob, ReadOnlySpan<char> name)
    {
        int g = 0, n = 0, starAt = -1, resumeAt = 0;
        while (n < name.Length)
        {
            if (g < glob.Length && glob[g] == '*')
            {
                starAt = g++;
                resumeAt = n;
            }
            else if (g < glob.Length && glob[g] == name[n])
            {
                g++;
                n++;
            }
            else if (starAt >= 0)
            {
                g = starAt + 1;
                n = ++resumeAt;
            }
            else
            {
                return false;
            }
        }

        while (g < glob.Length && glob[g] == '*')
        {
            g++;
        }

        return g == glob.Length;
    }

    public static bool operator ==(SymbolPattern left, SymbolPattern right) => left.Equals(right);

    public static bool operator !=(SymbolPattern left, SymbolPattern right) => !left.Equals(right);
}
