using MarketStream.Feeds.Symbols;

namespace MarketStream.SignalRBaseline;

/// <summary>The universe MarketStream's synthetic feed uses (the embedded copy of feeds/data/universe.csv), one SignalR group per symbol name.</summary>
internal sealed class SymbolGroups
{
    public SymbolGroups()
    {
        Universe = UniverseLoader.LoadEmbedded();
        var names = new string[Universe.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = Universe.Symbols[i].Name;
        }

        Names = names;
    }

    public SymbolUniverse Universe { get; }

    /// <summary>Group name by symbol id.</summary>
    public IReadOnlyList<string> Names { get; }
}
