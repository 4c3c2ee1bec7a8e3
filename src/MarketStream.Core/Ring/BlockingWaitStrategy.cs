namespace MarketStream.Core.Ring;

/// <summary>
/// Waiters sleep on a monitor until a producer publishes, a stage advances or the barrier is
/// alerted. No CPU while idle; a wake-up costs a few microseconds. Signalling is cheap while
/// nobody waits: a publisher only takes the lock when the waiter count is non-zero.
/// </summary>
public sealed class BlockingWaitStrategy : IWaitStrategy
{
    private readonly object _gate = new(); // a plain object, not System.Threading.Lock: Monitor.Wait/PulseAll need a monitor
    private int _waiters;

    /// <inheritdoc />
    public bool IsBlockingStrategy => true;

    /// <inheritdoc />
    public long WaitFor(long sequence, SequenceBarrier barrier)
    {
        var available = barrier.DependentSequence;
        if (available >= sequence || barrier.IsAlerted)
        {
            return available;
        }

        lock (_gate)
        {
            // Interlocked (a full fence) so this increment is ordered before the re-check below.
            // SignalAllWhenBlocking stores its sequence, fences, then reads _waiters: either it sees
            // this waiter (and pulses under the lock, which this thread only releases inside Wait),
            // or the re-check below sees its store. No lost wake-up either way.
            Interlocked.Increment(ref _waiters);
            try
            {
                while ((available = barrier.DependentSequence) < sequence && !barrier.IsAlerted)
                {
                    Monitor.Wait(_gate);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _waiters);
            }
        }

        return available;
    }

    /// <inheritdoc />
    public void SignalAllWhenBlocking()
    {
        // StoreLoad fence: the caller's sequence store must be visible before we read _waiters
        // (see WaitFor). A release store alone would let this load pass the store on x64.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _waiters) == 0)
        {
            return;
        }

        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }
}
