using MarketStream.Model;


namespace MarketStream.Feeds.Symbols;

/// <summary>
/// The symbols feeds may publish, with dense ids (id = index) and a name → id lookup that accepts
/// a span, so decoders resolve names without allocating a string.
/// </summary>
public sealed class SymbolUniverse
{
    private readonly UniverseEntry[] _entries;
    private readonly SymbolInfo[] _symbols;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _byName;

    /// <summary>Creates a universe; ids must be dense from 0 (the list index) and names unique.</summary>
    public SymbolUniverse(IReadOnlyList<UniverseEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = new UniverseEntry[entries.Count];
        _symbols = new SymbolInfo[entries.Count];
        var byName = new Dictionary<string, int>(entries.Count, StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i] ?? throw new ArgumentException($"Entry {i} is null.", nameof(entries));
            var symbol = entry.Symbol;
            if (symbol.Id != i)
            {
                throw new ArgumentException($"Symbol '{symbol.Name}' has id {symbol.Id} but index {i}: ids must be dense from 0.", nameof(entries));
            }

            if (symbol.Name.Length is 0 or > SymbolInfo.MaxNameLength)
            {
                throw new ArgumentException($"Symbol name '{symbol.Name}' must be 1–{SymbolInfo.MaxNameLength} characters.", nameof(entries));
            }

            if (symbol.PriceScale > SymbolInfo.MaxScale || symbol.SizeScale > SymbolInfo.MaxScale)
            {
                throw new ArgumentException($"Symbol '{symbol.Name}' has a scale above {SymbolInfo.MaxScale}.", nameof(entries));
            }

            if (!byName.TryAdd(symbol.Name, i))
            {
                throw new ArgumentException($"Symbol '{symbol.Name}' appears twice.", nameof(entries));
            }

            _entries[i] = entry;
            _symbols[i] = symbol;
        }

        _byName = byName.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Number of symbols.</summary>
    public int Count => _symbols.Length;

    /// <summary>Reference data, indexed by id (what the symbol registry takes).</summary>
    public IReadOnlyList<SymbolInfo> Symbols => _symbols;

    /// <summary>Entries with start prices and lot sizes, indexed by id.</summary>
    public IReadOnlyList<UniverseEntry> Entries => _entries;

    /// <summary>
    /// A universe over plain reference data (e.g. from the symbol registry): start prices default
    /// to 100.0 and lot sizes to one whole unit.
    /// </summary>
    public static SymbolUniverse FromSymbols(IReadOnlyList<SymbolInfo> symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        var entries = new UniverseEntry[symbols.Count];
        for (var i = 0; i < symbols.Count; i++)
        {
            var s = symbols[i];
            entries[i] = new UniverseEntry(s, 100 * FixedPoint.Pow10(Math.Min((int)s.PriceScale, SymbolInfo.MaxScale)), FixedPoint.Pow10(Math.Min((int)s.SizeScale, SymbolInfo.MaxScale)));
        }

        return new SymbolUniverse(entries);
    }

    /// <summary>Looks up a symbol id by name (ordinal, case-sensitive).</summary>
    public bool TryGetId(ReadOnlySpan<char> name, out int id) => _byName.TryGetValue(name, out id);

    /// <summary>Looks up a symbol id by name; -1 when unknown.</summary>
    public int IdOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryGetId(name, out var id) ? id : -1;
    }

    internal SymbolInfo this[int id] => _symbols[id];
}
