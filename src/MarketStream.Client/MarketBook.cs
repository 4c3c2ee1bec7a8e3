using MarketStream.Client.Internal;
using MarketStream.Model;

namespace MarketStream.Client;

/// <summary>
/// The latest known state of every subscribed symbol, by name: the snapshot with every update and merge
/// applied (quote, last trade, session open/high/low/volume, position (epoch, seq)). Kept by the receive
/// loop, so it runs ahead of a consumer that has not read all events yet. Thread-safe; reads copy.
/// Entries disappear when no active subscription covers the symbol any more.
/// </summary>
public sealed class MarketBook
{
    private readonly Dictionary<string, SymbolStream> _byName = new(StringComparer.Ordinal);

    internal Lock Sync { get; } = new();

    /// <summary>Symbols in the book.</summary>
    public int Count
    {
        get
        {
            lock (Sync)
            {
                return _byName.Count;
            }
        }
    }

    /// <summary>The names in the book (a copy).</summary>
    public IReadOnlyList<string> Symbols
    {
        get
        {
            lock (Sync)
            {
                return [.. _byName.Keys];
            }
        }
    }

    /// <summary>The state of <paramref name="symbol"/>, if a snapshot of it has arrived.</summary>
    public bool TryGet(string symbol, out SymbolInfo? info, out SymbolSnapshot state)
    {
        lock (Sync)
        {
            if (_byName.TryGetValue(symbol, out var stream) && stream.HasPosition)
            {
                info = stream.Info;
                state = stream.State;
                return true;
            }
        }

        info = null;
        state = default;
        return false;
    }

    /// <summary>Stream of <paramref name="info"/>'s name, created on first sight. Caller holds <see cref="Sync"/>.</summary>
    internal SymbolStream GetOrAdd(SymbolInfo info)
    {
        if (!_byName.TryGetValue(info.Name, out var stream))
        {
            stream = new SymbolStream(info);
            _byName.Add(info.Name, stream);
        }

        stream.Info = info;
        return stream;
    }

    /// <summary>Caller holds <see cref="Sync"/>.</summary>
    internal bool TryGetStream(string name, out SymbolStream? stream) => _byName.TryGetValue(name, out stream);

    /// <summary>Caller holds <see cref="Sync"/>.</summary>
    internal void Remove(string name) => _byName.Remove(name);
}
