using MarketStream.Feeds.Symbols;

namespace MarketStream.LoadTest.Clients;

/// <summary>The synthetic feed's universe (the feeds assembly's embedded copy), which both servers use: names by index and back.</summary>
internal sealed class SymbolCatalog
{
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);

    public SymbolCatalog()
    {
        var universe = UniverseLoader.LoadEmbedded();
        var names = new string[universe.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = universe.Symbols[i].Name;
            _byName[names[i]] = i;
        }

        Names = names;
    }

    public IReadOnlyList<string> Names { get; }

    public int Count => Names.Count;

    public int IndexOf(string name) => _byName.TryGetValue(name, out var i) ? i : -1;

    /// <summary>
    /// The <paramref name="perClient"/> symbols of client <paramref name="client"/>: a window sliding
    /// by a prime stride, so every symbol is covered about equally and neighbours overlap partly.
    /// </summary>
    public IReadOnlyList<string> ForClient(int client, int perClient)
    {
        var n = Math.Min(perClient, Count);
        var start = (int)((long)client * 37 % Count);
        var list = new string[n];
        for (var i = 0; i < n; i++)
        {
            list[i] = Names[(start + i) % Count];
        }

        return list;
    }
}
