namespace MarketStream.Core.Sessions;

/// <summary>
/// FIFO ring of <see cref="OutboxItem"/>. Grows only when the outbox raises its bound (on
/// subscribe, a cold path), never on an offer: its bound is the full-mode capacity plus one item
/// per subscription.
/// </summary>
internal sealed class OutboxItemQueue
{
    private OutboxItem[] _items;
    private int _head;
    private int _count;

    /// <summary>A queue of <paramref name="capacity"/> entries; 0 allocates nothing until the first <see cref="EnsureCapacity"/> or enqueue.</summary>
    public OutboxItemQueue(int capacity) => _items = capacity > 0 ? new OutboxItem[capacity] : [];

    public int Count => _count;

    public int Capacity => _items.Length;

    public ref OutboxItem Head => ref _items[_head];

    public ref OutboxItem At(int offset) => ref _items[(_head + offset) % _items.Length];

    public void Enqueue(in OutboxItem item)
    {
        if (_count == _items.Length)
        {
            // Defensive: the outbox sizes the ring so this does not happen; growing is still better than losing an item.
            EnsureCapacity(Math.Max(4, _items.Length * 2));
        }

        var tail = _head + _count;
        if (tail >= _items.Length)
        {
            tail -= _items.Length;
        }

        _items[tail] = item;
        _count++;
    }

    public void Dequeue()
    {
        _items[_head] = default;
        _head = _head + 1 == _items.Length ? 0 : _head + 1;
        _count--;
    }

    public void EnsureCapacity(int capacity)
    {
        if (capacity <= _items.Length)
        {
            return;
        }

        var next = new OutboxItem[Math.Max(capacity, _items.Length * 2)];
        for (var i = 0; i < _count; i++)
        {
            next[i] = At(i);
        }

        _items = next;
        _head = 0;
    }
}
