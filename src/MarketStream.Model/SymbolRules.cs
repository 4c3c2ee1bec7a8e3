namespace MarketStream.Model;

/// <summary>
/// Symbol and pattern syntax (docs/protocol.md §2.1). A name is 1–<see cref="SymbolInfo.MaxNameLength"/>
/// ASCII characters from <c>A–Z a–z 0–9 . _ - / : ^ =</c>; a pattern may also contain <c>*</c>
/// (any run of characters, possibly empty).
/// </summary>
public static class SymbolRules
{
    /// <summary>The wildcard character allowed in patterns.</summary>
    public const char Wildcard = '*';

    /// <summary>True if <paramref name="utf8"/> is a valid symbol name.</summary>
    public static bool IsValidName(ReadOnlySpan<byte> utf8) => IsValid(utf8, allowWildcard: false);

    /// <summary>True if <paramref name="utf8"/> is a valid subscription pattern (a name is also a pattern).</summary>
    public static bool IsValidPattern(ReadOnlySpan<byte> utf8) => IsValid(utf8, allowWildcard: true);

    /// <summary>True if <paramref name="name"/> is a valid symbol name.</summary>
    public static bool IsValidName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return IsValid(name.AsSpan(), allowWildcard: false);
    }

    /// <summary>True if <paramref name="pattern"/> is a valid subscription pattern.</summary>
    public static bool IsValidPattern(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return IsValid(pattern.AsSpan(), allowWildcard: true);
    }

    private static bool IsValid(ReadOnlySpan<byte> s, bool allowWildcard)
    {
        if (s.IsEmpty || s.Length > SymbolInfo.MaxNameLength)
        {
            return false;
        }

        foreach (var b in s)
        {
            if (!IsAllowed((char)b, allowWildcard))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsValid(ReadOnlySpan<char> s, bool allowWildcard)
    {
        if (s.IsEmpty || s.Length > SymbolInfo.MaxNameLength)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!IsAllowed(c, allowWildcard))
            {
                return false;
            }
        }

        return true;
    }

    // One definition of a name character for the whole product: SymbolNames.
    private static bool IsAllowed(char c, bool allowWildcard) =>
        SymbolNames.IsNameChar(c) || (allowWildcard && c == Wildcard);
}
