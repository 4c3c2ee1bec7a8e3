namespace MarketStream.Model;

/// <summary>
/// The one definition of what a symbol name may contain, shared by the registry, subscription
/// patterns, feeds and the protocol: 1 to <see cref="SymbolInfo.MaxNameLength"/> characters, each an
/// ASCII letter or digit or one of <c>. - _ / : ^ =</c>. Names are case-sensitive (ordinal).
/// <c>*</c> is reserved for patterns (see <see cref="SymbolRules"/>).
/// </summary>
public static class SymbolNames
{
    /// <summary>Punctuation allowed in a name besides ASCII letters and digits.</summary>
    public const string AllowedPunctuation = ".-_/:^=";

    /// <summary>True if <paramref name="c"/> may appear in a symbol name.</summary>
    public static bool IsNameChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || AllowedPunctuation.Contains(c, StringComparison.Ordinal);

    /// <summary>Checks a name; on failure <paramref name="error"/> says what is wrong, in words a client can be shown.</summary>
    public static bool IsValid(ReadOnlySpan<char> name, out string? error)
    {
        if (name.IsEmpty)
        {
            error = "symbol name is empty";
            return false;
        }

        if (name.Length > SymbolInfo.MaxNameLength)
        {
            error = $"symbol name is longer than {SymbolInfo.MaxNameLength} characters";
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            if (!IsNameChar(name[i]))
            {
                error = $"symbol name has a character other than A-Z, a-z, 0-9 or '{AllowedPunctuation}' at position {i}";
                return false;
            }
        }

        error = null;
        return true;
    }
}
