namespace MarketStream.Client.Internal;

/// <summary>The events decoded from one frame: a reused array, so decoding allocates nothing once it has grown.</summary>
internal sealed class EventBuffer
{
    private MarketEvent[] _items = new MarketEvent[256];

    public int Count { get; private set; }

    public ref readonly MarketEvent this[int index] => ref _items[index];

    public void Add(in MarketEvent item)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = item;
    }

    /// <summary>Empties the buffer; clears references so old events do not keep details alive.</summary>
    public void Clear()
    {
        Array.Clear(_items, 0, Count);
        Count = 0;
    }
}
