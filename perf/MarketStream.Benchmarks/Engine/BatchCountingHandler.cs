using MarketStream.Core.Ring;
using MarketStream.Model;

namespace MarketStream.Benchmarks.Engine;

/// <summary>
/// Forwards to an engine stage and counts its batches (for the "avg batch" column). A struct, so
/// the processor loop is specialised for it: the only cost over registering the stage directly
/// is one predictable branch and an increment per batch; the interface call to the stage is the
/// same one the pipeline makes when the server registers <c>engine.Sequencing</c> as is. Forwards
/// the stage's lookahead (<see cref="IEventLookahead{T}"/>) too, so the stage prefetches as it does
/// in the server.
/// </summary>
internal struct BatchCountingHandler(IEventHandler<Tick> inner, BatchCounter counter) : IEventHandler<Tick>, IEventLookahead<Tick>
{
    private readonly IEventLookahead<Tick>? _lookahead = inner as IEventLookahead<Tick>;

    public readonly int LookaheadDistance => _lookahead?.LookaheadDistance ?? 1;

    public readonly void PrefetchFar(in Tick upcoming) => _lookahead?.PrefetchFar(in upcoming);

    public readonly void PrefetchNear(in Tick upcoming) => _lookahead?.PrefetchNear(in upcoming);

    public readonly void OnEvent(ref Tick data, long sequence, bool endOfBatch)
    {
        inner.OnEvent(ref data, sequence, endOfBatch);
        if (endOfBatch)
        {
            counter.Batches++;
        }
    }

    public readonly void OnStart() => inner.OnStart();

    public readonly void OnShutdown() => inner.OnShutdown();
}

/// <summary>Written by one stage thread, read after the run.</summary>
internal sealed class BatchCounter
{
    public long Batches;
}
