using MarketStream.Core.Sessions;

namespace MarketStream.Core.Engine;

/// <summary>
/// Symbol id → the subscriptions to offer its updates to. Copy-on-write: the fan-out thread reads
/// the current array with one volatile load and never locks; (un)subscribe builds a new array under
/// a lock and swaps it in.
/// </summary>
internal sealed class SubscriberTable
{
    private readonly Subscriber[]?[] _bySymbol;
    private readonly Lock _writeLock = new();

    public SubscriberTable(int capacity) => _bySymbol = new Subscriber[]?[capacity];

    public Subscriber[]? Get(int symbolId) => Volatile.Read(ref _bySymbol[symbolId]);

    /// <summary>Like <see cref="Get"/>, but null for an id out of range: for prefetch hints, which may see any slot.</summary>
    public Subscriber[]? Peek(int symbolId) =>
        (uint)symbolId < (uint)_bySymbol.Length ? Volatile.Read(ref _bySymbol[symbolId]) : null;

    public int CountFor(int symbolId) => Get(symbolId)?.Length ?? 0;

    public void Add(Subscription subscription)
    {
        var id = subscription.SymbolId;
        lock (_writeLock)
        {
            var current = _bySymbol[id];
            var length = current?.Length ?? 0;
            var next = new Subscriber[length + 1];
            current?.CopyTo(next, 0);
            next[length] = new Subscriber(subscription);

            // A full fence, not just a release: the subscriber reads the last-value cache after
            // this returns, and that read must not move before the publication (store→load
            // order). Together with "the sequencer writes the LVC before fan-out sees the tick"
            // this guarantees: any tick fan-out delivered without seeing this subscriber is
            // already in the snapshot the subscriber takes later. See SessionOutbox.Subscribe.
            Interlocked.Exchange(ref _bySymbol[id], next);
        }
    }

    public void Remove(Subscription subscription)
    {
        var id = subscription.SymbolId;
        lock (_writeLock)
        {
            var current = _bySymbol[id];
            var index = IndexOf(current, subscription);
            if (index < 0)
            {
                return;
            }

            Subscriber[]? next = null;
            if (current!.Length > 1)
            {
                next = new Subscriber[current.Length - 1];
                Array.Copy(current, 0, next, 0, index);
                Array.Copy(current, index + 1, next, index, current.Length - index - 1);
            }

            Interlocked.Exchange(ref _bySymbol[id], next);
        }
    }

    private static int IndexOf(Subscriber[]? subscribers, Subscription subscription)
    {
        if (subscribers is not null)
        {
            for (var i = 0; i < subscribers.Length; i++)
            {
                if (ReferenceEquals(subscribers[i].Subscription, subscription))
                {
                    return i;
                }
            }
        }

        return -1;
    }
}
