using System.Diagnostics.CodeAnalysis;

namespace MarketStream.Core.Sessions;

/// <summary>
/// A non-reentrant spin lock that lives inline in its owner (no separate lock object, so taking it
/// touches the owner's cache lines only). Right for the outbox, whose critical sections are a few
/// field stores (offer) or one item copy (drain). Contended waiters spin, then yield, never sleep.
/// </summary>
internal struct SpinGate
{
    private int _taken;

    [UnscopedRef]
    public Scope Enter()
    {
        if (Interlocked.CompareExchange(ref _taken, 1, 0) != 0)
        {
            EnterContended();
        }

        return new Scope(ref this);
    }

    private void EnterContended()
    {
        var spinner = default(SpinWait);
        do
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        while (Volatile.Read(ref _taken) != 0 || Interlocked.CompareExchange(ref _taken, 1, 0) != 0);
    }

    /// <summary>Held gate; disposing releases it (so <c>using</c> gives lock-statement safety).</summary>
    public readonly ref struct Scope
    {
        private readonly ref SpinGate _gate;

        public Scope(ref SpinGate gate) => _gate = ref gate;

        public void Dispose() => Volatile.Write(ref _gate._taken, 0);
    }
}
