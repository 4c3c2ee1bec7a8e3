namespace MarketStream.Core.Ring;

/// <summary>
/// How a consumer waits for a sequence to become available: the latency / CPU trade-off of
/// a stage. Implementations: <see cref="BusySpinWaitStrategy"/>, <see cref="YieldingWaitStrategy"/>,
/// <see cref="BlockingWaitStrategy"/>, <see cref="SleepingWaitStrategy"/>.
/// </summary>
public interface IWaitStrategy
{
    /// <summary>
    /// True when waiters may sleep on a signal, so publishers and stages must call
    /// <see cref="SignalAllWhenBlocking"/> after moving a sequence. False lets the claim skip
    /// the call on every publish.
    /// </summary>
    bool IsBlockingStrategy { get; }

    /// <summary>
    /// Waits until the barrier's dependent sequence (the cursor, or the slowest upstream stage) is
    /// at least <paramref name="sequence"/>, or until the barrier is alerted. Returns the dependent
    /// sequence last seen; the caller checks <see cref="SequenceBarrier.IsAlerted"/> when it is
    /// below <paramref name="sequence"/>.
    /// </summary>
    long WaitFor(long sequence, SequenceBarrier barrier);

    /// <summary>Wakes every waiter; called after a sequence moved or a barrier was alerted.</summary>
    void SignalAllWhenBlocking();
}
