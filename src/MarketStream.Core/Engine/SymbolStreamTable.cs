using MarketStream.Core.Market;
using MarketStream.Core.Symbols;

namespace MarketStream.Core.Engine;

/// <summary>
/// Symbol id → <see cref="SymbolStream"/>, sized to the registry's capacity so it never has to grow
/// under the pipeline. Streams are created on first use from any thread (the sequencer on a
/// symbol's first tick, a session on subscribe) with a compare-exchange, so both see one object.
/// </summary>
internal sealed class SymbolStreamTable
{
    private readonly SymbolStream?[] _streams;
    private readonly SymbolRegistry _registry;
    private readonly long _startEpoch;
    private readonly int _historyDepth;
    private readonly int _maxUpdateLength;

    public SymbolStreamTable(SymbolRegistry registry, long startEpoch, int historyDepth, int maxUpdateLength)
    {
        _registry = registry;
        _startEpoch = startEpoch;
        _historyDepth = historyDepth;
        _maxUpdateLength = maxUpdateLength;
        _streams = new SymbolStream?[registry.Capacity];
    }

    public long StartEpoch => _startEpoch;

    /// <summary>The stream of a registered symbol, or null if the id is not registered.</summary>
    public SymbolStream? GetOrCreate(int symbolId)
    {
        if ((uint)symbolId >= (uint)_streams.Length)
        {
            return null;
        }

        return Volatile.Read(ref _streams[symbolId]) ?? Create(symbolId);
    }

    /// <summary>The stream if it exists already.</summary>
    public SymbolStream? Get(int symbolId) =>
        (uint)symbolId < (uint)_streams.Length ? Volatile.Read(ref _streams[symbolId]) : null;

    private SymbolStream? Create(int symbolId)
    {
        if (!_registry.TryGet(symbolId, out SymbolInfo? info))
        {
            return null;
        }

        var created = new SymbolStream(info, _startEpoch, _historyDepth, _maxUpdateLength);
        return Interlocked.CompareExchange(ref _streams[symbolId], created, null) ?? created;
    }
}
