using System.Threading.Tasks.Sources;

namespace MarketStream.Core.Sessions;

/// <summary>
/// Auto-reset wake-up for one writer loop: producers <see cref="Set"/> it, one consumer awaits
/// <see cref="WaitAsync"/>. Backed by a reusable <see cref="ManualResetValueTaskSourceCore{TResult}"/>,
/// so a wait allocates nothing in steady state; a Set while nobody waits costs one volatile read
/// (already set) or one compare-exchange.
/// </summary>
/// <remarks>Continuations always run on the thread pool, never on the producer: the producer is the
/// fan-out thread and must not end up running a session's writer loop.</remarks>
public sealed class WakeSignal : IValueTaskSource
{
    private const int Idle = 0;
    private const int Signaled = 1;
    private const int Waiting = 2;

    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private int _state;
    private CancellationToken _registeredToken;
    private CancellationTokenRegistration _registration;

    /// <summary>Wakes the waiter, or leaves the signal set for the next wait.</summary>
    public void Set()
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            if (state == Signaled)
            {
                return;
            }

            if (state == Idle)
            {
                if (Interlocked.CompareExchange(ref _state, Signaled, Idle) == Idle)
                {
                    return;
                }

                continue;
            }

            if (Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting)
            {
                _core.SetResult(true);
                return;
            }
        }
    }

    /// <summary>Completes when signalled (at once if already signalled). One waiter at a time.</summary>
    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Signaled) == Signaled)
        {
            return ValueTask.CompletedTask;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        RegisterOnce(cancellationToken);
        _core.Reset();
        if (Interlocked.CompareExchange(ref _state, Waiting, Idle) != Idle)
        {
            // Signalled between the first check and now.
            Volatile.Write(ref _state, Idle);
            return ValueTask.CompletedTask;
        }

        return new ValueTask(this, _core.Version);
    }

    /// <summary>Releases the token registration.</summary>
    public void DisposeRegistration() => _registration.Dispose();

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private void RegisterOnce(CancellationToken cancellationToken)
    {
        // A writer loop passes the same token on every wait: register once, not per wait, so waits stay allocation-free.
        if (!cancellationToken.CanBeCanceled || cancellationToken == _registeredToken)
        {
            return;
        }

        _registration.Dispose();
        _registeredToken = cancellationToken;
        _registration = cancellationToken.UnsafeRegister(static (state, token) => ((WakeSignal)state!).Cancel(token), this);
    }

    private void Cancel(CancellationToken token)
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting)
        {
            _core.SetException(new OperationCanceledException(token));
        }
    }
}
