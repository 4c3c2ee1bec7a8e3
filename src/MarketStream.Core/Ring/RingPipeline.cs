namespace MarketStream.Core.Ring;

/// <summary>
/// Owns a ring and its stages: wires each stage's barrier to the stages it follows, gates the
/// producers on the last stages, runs every stage on a dedicated thread, and stops them (now, or
/// after draining). Typical use: add stages with <see cref="HandleWith{THandler}"/>,
/// <see cref="Start"/>, publish through <see cref="RingBuffer"/>, then <see cref="Drain"/> or
/// <see cref="Halt"/>.
/// </summary>
/// <typeparam name="T">The slot type.</typeparam>
public sealed class RingPipeline<T> : IDisposable
    where T : struct
{
    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(5);

    private readonly RingBuffer<T> _ring;
    private readonly List<RingStage> _stages = [];
    private int _started;

    /// <summary>Creates a pipeline over a new ring.</summary>
    /// <param name="bufferSize">Slots; a power of two.</param>
    /// <param name="producerType">One publishing thread or several.</param>
    /// <param name="waitStrategy">How stages wait. Defaults to <see cref="BlockingWaitStrategy"/>.</param>
    public RingPipeline(int bufferSize, ProducerType producerType, IWaitStrategy? waitStrategy = null)
        : this(new RingBuffer<T>(producerType, bufferSize, waitStrategy))
    {
    }

    /// <summary>Creates a pipeline over an existing ring that has no consumers yet.</summary>
    public RingPipeline(RingBuffer<T> ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        _ring = ring;
    }

    /// <summary>The ring producers publish to.</summary>
    public RingBuffer<T> RingBuffer => _ring;

    /// <summary>Stages added so far, in the order they were added.</summary>
    public IReadOnlyList<RingStage> Stages => _stages;

    /// <summary>
    /// What a stage does when its handler throws; applies to stages added afterwards.
    /// Defaults to <see cref="HandlerExceptionPolicy.LogAndContinue"/>.
    /// </summary>
    public HandlerExceptionPolicy ExceptionPolicy { get; set; } = HandlerExceptionPolicy.LogAndContinue;

    /// <summary>
    /// Receives every handler exception with its sequence (-1 from OnStart/OnShutdown), on the
    /// stage's thread; applies to stages added afterwards. Defaults to none.
    /// </summary>
    public Action<Exception, long>? OnHandlerException { get; set; }

    /// <summary>
    /// Most events a stage takes per batch (see <see cref="BatchEventProcessor{T, THandler}"/>);
    /// applies to stages added afterwards. Defaults to a quarter of the ring.
    /// </summary>
    public int? MaxBatchSize { get; set; }

    /// <summary>The first exception that halted a stage, or null.</summary>
    public Exception? Fault
    {
        get
        {
            foreach (var stage in _stages)
            {
                if (stage.Fault is { } fault)
                {
                    return fault;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// Adds a stage running <paramref name="handler"/>. It sees a slot only after every stage in
    /// <paramref name="after"/> has processed it; with none, right after the producers publish it.
    /// Pass a struct handler for the fastest loop (see <see cref="BatchEventProcessor{T, THandler}"/>).
    /// </summary>
    public RingStage HandleWith<THandler>(THandler handler, params ReadOnlySpan<RingStage> after)
        where THandler : IEventHandler<T>
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (Volatile.Read(ref _started) != 0)
        {
            throw new InvalidOperationException("Stages must be added before the pipeline starts.");
        }

        var dependencies = new Sequence[after.Length];
        for (var i = 0; i < after.Length; i++)
        {
            if (!_stages.Contains(after[i]))
            {
                throw new ArgumentException("A dependency is not a stage of this pipeline.", nameof(after));
            }

            dependencies[i] = after[i].Sequence;
            after[i].IsTerminal = false;
        }

        var processor = new BatchEventProcessor<T, THandler>(
            _ring, _ring.NewBarrier(dependencies), handler, ExceptionPolicy, OnHandlerException, MaxBatchSize);
        var stage = new RingStage(typeof(THandler).Name, processor);
        _stages.Add(stage);
        return stage;
    }

    /// <summary>
    /// Gates the producers on the last stages and starts one dedicated background thread per
    /// stage. Call once.
    /// </summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The pipeline has already started.");
        }

        if (_stages.Count == 0)
        {
            throw new InvalidOperationException("Add at least one stage before starting.");
        }

        // Only the last stages gate producers: every other stage is ahead of some last stage.
        var terminal = new List<Sequence>();
        foreach (var stage in _stages)
        {
            if (stage.IsTerminal)
            {
                terminal.Add(stage.Sequence);
            }
        }

        _ring.AddGatingSequences([.. terminal]);

        foreach (var stage in _stages)
        {
            var processor = stage.Processor;
            var thread = new Thread(processor.Run) { IsBackground = true, Name = "ring-" + stage.Name };
            stage.Thread = thread;
            thread.Start();
        }
    }

    /// <summary>
    /// Stops every stage now, after the event each is processing, without waiting for the rest of
    /// the published events. Returns false when a stage thread did not end within
    /// <paramref name="timeout"/>.
    /// </summary>
    public bool Halt(TimeSpan timeout)
    {
        foreach (var stage in _stages)
        {
            stage.Processor.Halt();
        }

        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var allStopped = true;
        foreach (var stage in _stages)
        {
            if (stage.Thread is not { } thread)
            {
                continue;
            }

            var remaining = Math.Max(0, deadline - Environment.TickCount64);
            allStopped &= thread.Join(TimeSpan.FromMilliseconds(remaining));
        }

        return allStopped;
    }

    /// <summary>
    /// Waits until every stage has processed every event published before the call, then halts.
    /// Stop the producers first. Returns false when that did not happen within
    /// <paramref name="timeout"/> or a stage halted on a fault (the pipeline is halted either way).
    /// </summary>
    public bool Drain(TimeSpan timeout)
    {
        var target = _ring.Cursor;
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var drained = false;
        var spinner = default(SpinWait);
        while (true)
        {
            if (AllStagesReached(target))
            {
                drained = true;
                break;
            }

            if (Fault is not null || Environment.TickCount64 > deadline)
            {
                break;
            }

            spinner.SpinOnce(); // a control path, not a hot one: let it sleep
        }

        var stopped = Halt(TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64)));
        return drained && stopped;
    }

    /// <summary>Halts the stages (waiting up to 5 s for their threads).</summary>
    public void Dispose() => Halt(DisposeTimeout);

    private bool AllStagesReached(long target)
    {
        foreach (var stage in _stages)
        {
            if (stage.Sequence.Value < target)
            {
                return false;
            }
        }

        return true;
    }
}
