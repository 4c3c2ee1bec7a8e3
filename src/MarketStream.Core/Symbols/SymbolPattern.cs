namespace MarketStream.Core.Symbols;

/// <summary>
/// A validated subscription pattern. Exactly three forms are supported:
/// <list type="bullet">
/// <item><c>*</c> — every symbol;</item>
/// <item><c>PREFIX*</c> — every symbol whose name starts with PREFIX (1–31 name characters, then one trailing <c>*</c>);</item>
/// <item><c>NAME</c> — one symbol by exact name.</item>
/// </list>
/// Matching is ordinal and case-sensitive. Name characters are those of <see cref="SymbolNames"/>;
/// a <c>*</c> anywhere but at the end (<c>*USD</c>, <c>E*R</c>, <c>**</c>) or a pattern longer than
/// <see cref="Market.SymbolInfo.MaxNameLength"/> is rejected with a message saying why.
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

    /// <summary>The exact name (<see cref="SymbolPatternKind.Exact"/>), the prefix without <c>*</c> (<see cref="SymbolPatternKind.Prefix"/>), or empty (<see cref="SymbolPatternKind.All"/>).</summary>
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
        if (pattern.Length > Market.SymbolInfo.MaxNameLength)
        {
            error = $"pattern is longer than {Market.SymbolInfo.MaxNameLength} characters";
            return false;
        }

        if (pattern == "*")
        {
            result = new SymbolPattern(SymbolPatternKind.All, string.Empty);
            error = null;
            return true;
        }

        var isPrefix = pattern.Length > 1 && pattern[^1] == '*';
        var body = isPrefix ? pattern.AsSpan(0, pattern.Length - 1) : pattern.AsSpan();
        if (body.Contains('*'))
        {
            error = "'*' is allowed only as the whole pattern or as its last character (e.g. '*' or 'EUR*')";
            return false;
        }

        if (!SymbolNames.IsValid(body, out error))
        {
            return false;
        }

        result = isPrefix
            ? new SymbolPattern(SymbolPatternKind.Prefix, body.ToString())
            : new SymbolPattern(SymbolPatternKind.Exact, pattern);
        return true;
    }

    /// <summary>True if the pattern selects <paramref name="name"/>.</summary>
    public bool Matches(ReadOnlySpan<char> name) => Kind switch
    {
        SymbolPatternKind.All => true,
        SymbolPatternKind.Prefix => name.StartsWith(Text, StringComparison.Ordinal),
        _ => name.SequenceEqual(Text),
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

    public static bool operator ==(SymbolPattern left, SymbolPattern right) => left.Equals(right);

    public static bool operator !=(SymbolPattern left, SymbolPattern right) => !left.Equals(right);
}
