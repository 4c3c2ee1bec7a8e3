namespace MarketStream.Core.Ring;

/// <summary>
/// Hybrid: spins, then yields, then sleeps between checks. Costs almost no CPU while the ring is
/// idle and needs no signal from producers, at the price of up to one sleep period of latency
/// after a quiet spell. Suits background stages (logging, persistence).
/// </summary>
public sealed class SleepingWaitStrategy : IWaitStrategy
{
    private readonly int _spinTries;
    private readonly int _yieldTries;
    private readonly int _sleepMilliseconds;

    /// <summary>Creates the strategy.</summary>
    /// <param name="spinTries">Checks made spinning before yielding. Defaults to 100.</param>
    /// <param name="yieldTries">Checks made yielding before sleeping. Defaults to 100.</param>
    /// <param name="sleepMilliseconds">Sleep between checks once idle, at least 0 (0 only yields the time slice). Defaults to 1 ms.</param>
    public SleepingWaitStrategy(int spinTries = 100, int yieldTries = 100, int sleepMilliseconds = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(spinTries);
        ArgumentOutOfRangeException.ThrowIfNegative(yieldTries);
        ArgumentOutOfRangeException.ThrowIfNegative(sleepMilliseconds);
        _spinTries = spinTries;
        _yieldTries = yieldTries;
        _sleepMilliseconds = sleepMilliseconds;
    }

    /// <inheritdoc />
    public bool IsBlockingStrategy => false;

    /// <inheritdoc />
    public long WaitFor(long sequence, SequenceBarrier barrier)
    {
        var tries = 0;
        long available;
        while ((available = barrier.DependentSequence) < sequence)
        {
            if (barrier.IsAlerted)
            {
                break;
            }

            if (tries < _spinTries)
            {
                Thread.SpinWait(1);
            }
            else if (tries < _spinTries + _yieldTries)
            {
                Thread.Yield();
            }
            else
            {
                Thread.Sleep(_sleepMilliseconds);
                continue; // stay in the sleeping phase; no need to count further
            }

            tries++;
        }

        return available;
    }

    /// <inheritdoc />
    public void SignalAllWhenBlocking()
    {
    }
}
