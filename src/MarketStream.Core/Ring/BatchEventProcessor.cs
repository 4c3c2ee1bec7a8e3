using System.Runtime.CompilerServices;

namespace MarketStream.Core.Ring;

/// <summary>
/// Runs one stage: waits on its barrier for available slots and hands each to the handler in
/// sequence order, with <c>endOfBatch</c> on the last one available; then publishes its progress
/// once per batch. <typeparamref name="THandler"/> is a type parameter, not an interface field, so
/// with a struct handler the JIT specialises the loop and inlines <c>OnEvent</c> (no virtual call
/// per event); a sealed class handler still gets a single guarded, devirtualised call. Keep
/// <c>OnEvent</c> small (or mark it <c>[MethodImpl(MethodImplOptions.AggressiveInlining)]</c>) and
/// move per-batch work behind <c>endOfBatch</c> into a separate method, so it inlines.
/// </summary>
/// <typeparam name="T">The slot type.</typeparam>
/// <typeparam name="THandler">The handler; prefer a struct (it may wrap a reference to a class).</typeparam>
public sealed class BatchEventProcessor<T, THandler> : IEventProcessor
    where T : struct
    where THandler : IEventHandler<T>
{
    private const int Idle = 0;
    private const int Halted = 1;
    private const int Running = 2;

    /// <summary>A batch of fewer than this many × the lookahead distance uses a distance of batch ÷ this (at least 1).</summary>
    public const int LookaheadBatchShare = 16;

    private readonly RingBuffer<T> _ring;
    private readonly SequenceBarrier _barrier;
    private readonly Sequence _sequence = new();
    private readonly HandlerExceptionPolicy _exceptionPolicy;
    private readonly Action<Exception, long>? _onException;
    private readonly IWaitStrategy _waitStrategy;
    private readonly ProducerClaim _claim;
    private readonly bool _signalProgress;
    private readonly long _maxBatchSize;

    // Not readonly: a struct handler may keep state, and a readonly field would be copied per call.
    private THandler _handler;
    private readonly IEventLookahead<T>? _lookahead;
    private int _state;
    private long _inProgress;
    private Exception? _fault;

    /// <summary>Creates a processor; run it with <see cref="Run"/> on a dedicated thread.</summary>
    /// <param name="ring">The ring the slots live in.</param>
    /// <param name="barrier">What the stage waits on (from <see cref="RingBuffer{T}.NewBarrier"/>).</param>
    /// <param name="handler">The stage's handler.</param>
    /// <param name="exceptionPolicy">What to do when the handler throws. Defaults to <see cref="HandlerExceptionPolicy.LogAndContinue"/>.</param>
    /// <param name="onException">Receives each handler exception and the sequence it happened at (-1 for OnStart/OnShutdown); log it here. Defaults to none.</param>
    /// <param name="maxBatchSize">
    /// Most events handed over (and released to producers) per batch, at least 1. Defaults to a
    /// quarter of the ring: the stage publishes its progress at least four times per lap, so a
    /// producer is never held up for a whole lap while the stage works through a full ring.
    /// </param>
    public BatchEventProcessor(
        RingBuffer<T> ring,
        SequenceBarrier barrier,
        THandler handler,
        HandlerExceptionPolicy exceptionPolicy = HandlerExceptionPolicy.LogAndContinue,
        Action<Exception, long>? onException = null,
        int? maxBatchSize = null)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(barrier);
        ArgumentNullException.ThrowIfNull(handler);
        _ring = ring;
        _barrier = barrier;
        _handler = handler;
        _lookahead = handler as IEventLookahead<T>;
        if (_lookahead is not null)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(_lookahead.LookaheadDistance, 1, nameof(handler));
        }

        _exceptionPolicy = exceptionPolicy;
        _onException = onException;
        _waitStrategy = ring.ProducerClaim.WaitStrategy;
        _claim = ring.ProducerClaim;
        _signalProgress = _waitStrategy.IsBlockingStrategy;
        _maxBatchSize = maxBatchSize ?? Math.Max(1, ring.BufferSize / 4);
        ArgumentOutOfRangeException.ThrowIfLessThan(_maxBatchSize, 1, nameof(maxBatchSize));
    }

    /// <inheritdoc />
    public Sequence Sequence => _sequence;

    /// <inheritdoc />
    public bool IsRunning => Volatile.Read(ref _state) == Running;

    /// <inheritdoc />
    public Exception? Fault => Volatile.Read(ref _fault);

    /// <summary>Stops the loop after the event in progress (not the rest of its batch); does not wait for it.</summary>
    public void Halt()
    {
        Volatile.Write(ref _state, Halted);
        _barrier.Alert();
    }

    /// <inheritdoc />
    public void Run()
    {
        var previous = Interlocked.CompareExchange(ref _state, Running, Idle);
        if (previous == Running)
        {
            throw new InvalidOperationException("The processor is already running.");
        }

        if (previous == Halted)
        {
            // Halted before it ever ran (a pipeline stopped right after starting): nothing to do.
            Volatile.Write(ref _state, Idle);
            return;
        }

        _barrier.ClearAlert();
        try
        {
            if (TryStart())
            {
                ProcessEvents();
                Shutdown();
            }
        }
        finally
        {
            Volatile.Write(ref _state, Idle);
        }
    }

    // Runs once per thread for the processor's whole life: compile it fully optimised at once
    // rather than leaving it in tier-0 / on-stack-replacement code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ProcessEvents()
    {
        var barrier = _barrier;
        var nextSequence = _sequence.Value + 1;
        var unpublishedSpinner = default(SpinWait);

        while (true)
        {
            // Checks the alert first, so a halt between batches takes effect at once.
            if (!barrier.TryWaitFor(nextSequence, out var availableSequence))
            {
                if (Volatile.Read(ref _state) != Running)
                {
                    return;
                }

                continue;
            }

            if (availableSequence < nextSequence)
            {
                // Claimed by a producer of a multi-producer ring but not yet published: that
                // producer is mid-write (or descheduled). Back off to yielding so it can finish.
                unpublishedSpinner.SpinOnce(sleep1Threshold: -1);
                continue;
            }

            unpublishedSpinner.Reset();
            var endOfBatch = Math.Min(availableSequence, nextSequence + _maxBatchSize - 1);
            try
            {
                if (ProcessBatch(nextSequence, endOfBatch))
                {
                    return; // halted inside the batch
                }

                nextSequence = endOfBatch + 1;
            }
            catch (Exception exception)
            {
                var failed = _inProgress;
                Report(exception, failed);
                if (_exceptionPolicy == HandlerExceptionPolicy.Halt)
                {
                    // Events before the failing one are done; the failing one stays unprocessed.
                    // Stored before the fault, so whoever sees the fault sees the final sequence.
                    _sequence.SetValue(failed - 1);
                    SignalProgress();
                    Volatile.Write(ref _fault, exception);
                    Volatile.Write(ref _state, Halted);
                    return;
                }

                // Log and continue: the failing event counts as processed.
                _sequence.SetValue(failed);
                SignalProgress();
                nextSequence = failed + 1;
            }
        }
    }

    /// <summary>
    /// The hot loop, kept out of the try region in <see cref="ProcessEvents"/>: inside one, the JIT
    /// keeps the loop's locals on the stack and will not inline the handler. Returns true when the
    /// stage was halted part-way through the batch.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private bool ProcessBatch(long nextSequence, long availableSequence)
    {
        var entries = _ring.Entries;
        var indexMask = _ring.IndexMask;
        var barrier = _barrier;
        ref var handler = ref _handler;
        var lookahead = _lookahead;
        var near = 0L;
        if (lookahead is not null)
        {
            // A short batch gets a shorter distance (see IEventLookahead): the hints for its first
            // 2 × near slots are issued at once, before its first event, and with batches of 64 and
            // a fixed distance of 8 that burst would be a quarter of all hints, more misses than a
            // core keeps in flight (perf/notes/engine.md, "Tried and dropped"). A busy ring hands out
            // thousands per batch and keeps the full distance.
            near = Math.Clamp((availableSequence - nextSequence + 1) / LookaheadBatchShare, 1, lookahead.LookaheadDistance);

            // The slots the loop's first iterations would have shown: Far for the first 2 × near,
            // then Near for the first near, so every slot of the batch gets both, in that order.
            var primed = Math.Min(availableSequence, nextSequence + (2 * near) - 1);
            for (var sequence = nextSequence; sequence <= primed; sequence++)
            {
                lookahead.PrefetchFar(in RingBuffer<T>.Slot(entries, indexMask, sequence));
            }

            primed = Math.Min(availableSequence, nextSequence + near - 1);
            for (var sequence = nextSequence; sequence <= primed; sequence++)
            {
                lookahead.PrefetchNear(in RingBuffer<T>.Slot(entries, indexMask, sequence));
            }
        }

        for (var sequence = nextSequence; sequence <= availableSequence; sequence++)
        {
            // A plain store to a field only this thread touches: it names the failing event for
            // the catch in ProcessEvents without putting a try region around this loop.
            _inProgress = sequence;
            if (lookahead is not null)
            {
                if (sequence + (2 * near) <= availableSequence)
                {
                    lookahead.PrefetchFar(in RingBuffer<T>.Slot(entries, indexMask, sequence + (2 * near)));
                }

                if (sequence + near <= availableSequence)
                {
                    lookahead.PrefetchNear(in RingBuffer<T>.Slot(entries, indexMask, sequence + near));
                }
            }

            handler.OnEvent(ref RingBuffer<T>.Slot(entries, indexMask, sequence), sequence, sequence == availableSequence);

            // Halt means now, not after a batch that may span the whole ring. The flag is only
            // written by Halt, so this is an L1 hit and a predicted branch per event.
            if (barrier.IsAlerted && Volatile.Read(ref _state) != Running)
            {
                _sequence.SetValue(sequence);
                SignalProgress();
                return true;
            }
        }

        // Release store, once per batch: this stage's writes into the slots are visible to a
        // downstream stage before it sees the new sequence, and producers may now reuse them.
        _sequence.SetValue(availableSequence);
        SignalProgress();
        return false;
    }

    private bool TryStart()
    {
        try
        {
            _handler.OnStart();
            return true;
        }
        catch (Exception exception)
        {
            Report(exception, Sequence.InitialValue);
            if (_exceptionPolicy == HandlerExceptionPolicy.Halt)
            {
                Volatile.Write(ref _fault, exception);
                return false;
            }

            return true;
        }
    }

    private void Shutdown()
    {
        try
        {
            _handler.OnShutdown();
        }
        catch (Exception exception)
        {
            Report(exception, Sequence.InitialValue);
        }
    }

    private void SignalProgress()
    {
        if (_signalProgress)
        {
            _waitStrategy.SignalAllWhenBlocking();
        }

        // Producers waiting for room on a full ring park instead of spinning (ProducerClaim.AwaitCapacity).
        _claim.SignalCapacity(_sequence);
    }

    private void Report(Exception exception, long sequence)
    {
        if (_onException is null)
        {
            return;
        }

        try
        {
            _onException(exception, sequence);
        }
        catch (Exception)
        {
            // A failing logger must not take the stage down with it.
        }
    }
}
