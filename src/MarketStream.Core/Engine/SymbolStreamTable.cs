using System.Collections.Concurrent;
using MarketStream.Core.Symbols;
using MarketStream.Model;

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

    // Snapshots waiting for their StreamReset tick, keyed by the exact position the tick carries,
    // so two resets of one symbol in flight can never install each other's state. Rare (cluster
    // gateways after a gap), so a dictionary is fine.
    private readonly ConcurrentDictionary<(int SymbolId, long Epoch, long Seq), SymbolSnapshot> _stagedResets = new();

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

    /// <summary>Any thread: stages <paramref name="snapshot"/> for the StreamReset tick at its position.</summary>
    public void StageReset(in SymbolSnapshot snapshot) =>
        _stagedResets[(snapshot.SymbolId, snapshot.Epoch, snapshot.Seq)] = snapshot;

    /// <summary>Sequencing thread: takes the snapshot staged for a StreamReset tick.</summary>
    public bool TryTakeStagedReset(int symbolId, long epoch, long seq, out SymbolSnapshot snapshot) =>
        _stagedResets.TryRemove((symbolId, epoch, seq), out snapshot);

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
