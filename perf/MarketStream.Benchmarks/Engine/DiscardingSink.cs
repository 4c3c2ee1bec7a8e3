using MarketStream.Core.Market;
using MarketStream.Core.Sessions;

namespace MarketStream.Benchmarks.Engine;

/// <summary>An outbound frame of bounded size whose bytes go nowhere: the writer loop minus the socket.</summary>
internal sealed class DiscardingSink(int frameBytes) : IOutboxSink
{
    private int _used;

    public long Items { get; private set; }

    public void NewFrame() => _used = 0;

    public bool TryAppendUpdate(ReadOnlySpan<byte> encodedUpdate) => Take(encodedUpdate.Length);

    public bool TryAppendSnapshot(SymbolInfo symbol, in SymbolSnapshot snapshot, bool isReset) => Take(64);

    public bool TryAppendNotice(in OutboxNotice notice) => Take(16);

    private bool Take(int length)
    {
        if (_used + length > frameBytes)
        {
            return false;
        }

        _used += length;
        Items++;
        return true;
    }
}
