namespace MarketStream.Core.Ring;

/// <summary>
/// Waiters sleep on a monitor until a producer publishes, a stage advances or the barrier is
/// alerted. No CPU while idle; a wake-up costs a few microseconds. Signalling is cheap while
/// nobody waits: a publisher only takes the lock when a waiter went to sleep since the last pulse.
/// </summary>
public sealed class BlockingWaitStrategy : IWaitStrategy
{
    private readonly object _gate = new(); // a plain object, not System.Threading.Lock: Monitor.Wait/PulseAll need a monitor

    // 1 while some waiter may be asleep and not yet signalled. A signaller clears it as it pulses,
    // so only the first publish after a waiter went to sleep takes the lock: while that waiter
    // wakes up (microseconds) a producer publishes dozens of events, and taking the lock and
    // pulsing for each of them would cost up to a third of the producer's time (perf/notes/engine.md,
    // "Ring waits under load"). A waiter that wakes without its condition sets it again.
    private int _signalNeeded;

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
            while (true)
            {
                // Interlocked (a full fence) so this store is ordered before the re-check below.
                // SignalAllWhenBlocking stores its sequence, fences, then reads _signalNeeded:
                // either it sees the flag (and pulses under the lock, which this thread only
                // releases inside Wait), or the re-check below sees its store. No lost wake-up.
                Interlocked.Exchange(ref _signalNeeded, 1);
                if ((available = barrier.DependentSequence) >= sequence || barrier.IsAlerted)
                {
                    return available;
                }

                Monitor.Wait(_gate);
            }
        }
    }

    /// <inheritdoc />
    public void SignalAllWhenBlocking()
    {
        // StoreLoad fence: the caller's sequence store must be visible before we read the flag
        // (see WaitFor). A release store alone would let this load pass the store on x64.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _signalNeeded) == 0 || Interlocked.Exchange(ref _signalNeeded, 0) == 0)
        {
            return;
        }

        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }
}
