namespace MarketStream.Server.Operations;

/// <summary>
/// A monotonic count that many threads add to at once: one cell per processor slot, each on its own
/// cache line, summed when read. Every session writer adds to the frame, update and byte totals once
/// per frame; one shared cell (or a <c>Counter&lt;long&gt;</c>'s aggregator) makes those adds bounce a
/// cache line between cores at ~100k frames/s. Read only at scrape time.
/// </summary>
internal sealed class StripedCounter
{
    // 8 longs = 64 bytes: a cell per cache line.
    private const int CellStride = 8;

    private readonly long[] _cells;
    private readonly int _slots;

    public StripedCounter()
    {
        _slots = Math.Max(1, Environment.ProcessorCount);
        _cells = new long[_slots * CellStride];
    }

    public void Add(long value) =>
        Interlocked.Add(ref _cells[(Thread.GetCurrentProcessorId() % _slots) * CellStride], value);

    /// <summary>The total so far (a consistent sum is not needed: each cell only grows).</summary>
    public long Read()
    {
        long sum = 0;
        for (var i = 0; i < _slots; i++)
        {
            sum += Volatile.Read(ref _cells[i * CellStride]);
        }

        return sum;
    }
}
