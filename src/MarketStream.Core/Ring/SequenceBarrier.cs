namespace MarketStream.Core.Ring;

/// <summary>
/// What a stage waits on: the claim's cursor plus the sequences of the stages it depends on.
/// A stage that depends on stage A never sees a sequence A has not finished, which is how a
/// pipeline keeps B behind A. Alerting the barrier releases its waiter so the stage can halt.
/// </summary>
public sealed class SequenceBarrier
{
    private readonly ProducerClaim _claim;
    private readonly IWaitStrategy _waitStrategy;
    private readonly Sequence _cursor;
    private readonly Sequence[] _dependents;
    private readonly bool _checkPublication;
    private volatile bool _alerted;

    internal SequenceBarrier(ProducerClaim claim, IWaitStrategy waitStrategy, Sequence cursor, Sequence[] dependents)
    {
        _claim = claim;
        _waitStrategy = waitStrategy;
        _cursor = cursor;
        // Only a first stage of a multi-producer ring can see claimed-but-unpublished slots: an
        // upstream stage's sequence never passes a slot that is not published.
        _checkPublication = claim is MultiProducerClaim && dependents.Length == 0;
        // No upstream stage: the stage follows the producers' cursor directly.
        _dependents = dependents.Length == 0 ? [cursor] : dependents;
    }

    /// <summary>
    /// The highest sequence every dependency has reached: the producers' cursor for a first stage
    /// (claimed, not necessarily published: see <see cref="TryWaitFor"/>), else the slowest upstream stage.
    /// </summary>
    public long DependentSequence
    {
        get
        {
            var dependents = _dependents;
            if (dependents.Length == 1)
            {
                return dependents[0].Value;
            }

            return Sequence.Minimum(dependents, long.MaxValue);
        }
    }

    /// <summary>The producers' cursor (highest claimed sequence).</summary>
    public long Cursor => _cursor.Value;

    /// <summary>True once <see cref="Alert"/> was called and until <see cref="ClearAlert"/>.</summary>
    public bool IsAlerted => _alerted;

    /// <summary>
    /// Waits, with the ring's wait strategy, until <paramref name="sequence"/> may be processed.
    /// Returns false when the barrier was alerted. Otherwise <paramref name="available"/> is the
    /// highest sequence that is published and processed by every upstream stage; it may be below
    /// <paramref name="sequence"/> when a producer of a multi-producer ring has claimed but not yet
    /// published it (the caller simply waits again).
    /// </summary>
    public bool TryWaitFor(long sequence, out long available)
    {
        if (_alerted)
        {
            available = Sequence.InitialValue;
            return false;
        }

        // Fast path: events are already there, skip the wait strategy (an interface call).
        var dependent = DependentSequence;
        if (dependent < sequence)
        {
            dependent = _waitStrategy.WaitFor(sequence, this);
            if (dependent < sequence)
            {
                available = dependent;
                return !_alerted;
            }
        }

        if (!_checkPublication)
        {
            // One producer publishes by moving the cursor, an upstream stage by moving its
            // sequence: everything up to the dependent sequence is written.
            available = dependent;
            return true;
        }

        // The cursor counts claims; with several producers a claimed slot may still be being
        // written, so stop at the first slot whose availability flag is not yet set.
        available = _claim.GetHighestPublishedSequence(sequence, dependent);
        return true;
    }

    /// <summary>Raises the alert and wakes a blocked waiter, so the stage using this barrier stops waiting.</summary>
    public void Alert()
    {
        _alerted = true;
        _waitStrategy.SignalAllWhenBlocking();
    }

    /// <summary>Clears the alert so the barrier can be waited on again.</summary>
    public void ClearAlert() => _alerted = false;
}
