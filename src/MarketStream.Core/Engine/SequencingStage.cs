using System.Runtime.InteropServices;
using MarketStream.Core.Ring;
using MarketStream.Model;

namespace MarketStream.Core.Engine;

/// <summary>
/// First engine stage on the tick ring: gives each tick its <c>(epoch, seq)</c> (or accepts an
/// upstream one), stamps <see cref="Tick.ServerTimeNs"/>, updates the symbol's last-value cache
/// and history, and encodes the update once for every subscriber. Runs on one dedicated thread.
/// </summary>
/// <remarks>
/// A tick the engine cannot deliver (unknown symbol id, <see cref="TickKind.None"/>, or an upstream
/// sequence at or below one already accepted in the same epoch, i.e. a redelivery) is marked
/// <see cref="TickKind.None"/> in the slot, which later stages skip. Epoch and Seq are independent:
/// zero means "assign locally", non-zero passes through unchanged. An upstream epoch different
/// from the symbol's current one restarts its LVC and history; subscribers see the new epoch on
/// the next update and are sent a reset.
/// <para>The clock is read once per batch (on its first tick), not per tick: on virtual machines a
/// timestamp read costs 20–100 ns, a large share of the per-tick budget, while under load a batch
/// is processed within microseconds, so every tick of it gets the batch's arrival time. With no
/// load every batch is one tick and the stamp is exact.</para>
/// </remarks>
internal sealed class SequencingStage : IEventHandler<Tick>, IEventLookahead<Tick>
{
    /// <summary>Ticks between the near prefetch and the tick's turn (the far one is twice as early).</summary>
    public const int Lookahead = 4;

    private readonly SymbolStreamTable _streams;
    private readonly IUpdateEncoder _encoder;
    private readonly EngineClock _clock;
    private long _sequenced;
    private long _dropped;
    private long _batchTimeNs;
    private bool _batchStarting = true;

    // Read by fan-out on every tick, written every 1,024: on a cache line of its own. Beside
    // _sequenced (written every tick) the fan-out core had to fetch the line back from the
    // sequencer's core on every tick (false sharing).
    private PaddedInt _typicalLength;

    public SequencingStage(SymbolStreamTable streams, IUpdateEncoder encoder, EngineClock clock)
    {
        _streams = streams;
        _encoder = encoder;
        _clock = clock;
    }

    /// <summary>Ticks sequenced so far (any thread; for metrics).</summary>
    public long Sequenced => Volatile.Read(ref _sequenced);

    /// <summary>Ticks dropped so far (any thread; for metrics).</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>
    /// Encoded length of a recent update, refreshed every 1,024 ticks: the figure behind queued-byte
    /// estimates, published rarely so fan-out reading it does not bounce a cache line per tick.
    /// </summary>
    public int TypicalLength => Volatile.Read(ref _typicalLength.Value);

    /// <inheritdoc/>
    public int LookaheadDistance => Lookahead;

    /// <summary>
    /// Lookahead, first level: the symbol's <see cref="SymbolStream"/> (counters and LVC). With
    /// 1,000 symbols in random order that object is a cache miss per tick, and everything else the
    /// tick writes is found through it, so without the hint two misses stall back to back.
    /// </summary>
    public void PrefetchFar(in Tick upcoming) => _streams.Get(upcoming.SymbolId)?.PrefetchState();

    /// <summary>Lookahead, second level: the history entry and arena bytes the tick will overwrite (found through the now-cached stream).</summary>
    public void PrefetchNear(in Tick upcoming) => _streams.Get(upcoming.SymbolId)?.PrefetchNextWrite(upcoming.Seq);

    public void OnEvent(ref Tick data, long sequence, bool endOfBatch)
    {
        if (_batchStarting)
        {
            _batchTimeNs = _clock.UnixNanos();
            _batchStarting = false;
        }

        _batchStarting = endOfBatch;

        var stream = data.Kind is TickKind.Quote or TickKind.Trade ? _streams.GetOrCreate(data.SymbolId) : null;
        if (stream is null)
        {
            // Off the hot path: a stream reset is neither a quote nor a trade.
            if (data.Kind != TickKind.StreamReset || !TryRestart(ref data))
            {
                Drop(ref data);
            }

            return;
        }

        if (data.Seq < 0)
        {
            Drop(ref data);
            return;
        }

        var newEpoch = false;
        if (data.Epoch == 0)
        {
            data.Epoch = stream.SequencerEpoch;
        }
        else if (data.Epoch != stream.SequencerEpoch)
        {
            newEpoch = true;
        }

        if (data.Seq == 0)
        {
            data.Seq = newEpoch ? 1 : stream.SequencerLastSeq + 1;
        }
        else if (!newEpoch && data.Seq <= stream.SequencerLastSeq)
        {
            Drop(ref data);
            return;
        }

        data.ServerTimeNs = _batchTimeNs;
        var length = stream.Append(ref data, newEpoch, _encoder);
        var sequenced = _sequenced + 1;
        if ((sequenced & 1023) == 1)
        {
            Volatile.Write(ref _typicalLength.Value, length);
        }

        Volatile.Write(ref _sequenced, sequenced);
    }

    /// <summary>
    /// A <see cref="TickKind.StreamReset"/>: installs the snapshot staged for exactly this
    /// <c>(symbol, epoch, seq)</c> as the symbol's LVC and position. The tick stays in the slot so
    /// fan-out sends each subscriber a reset.
    /// </summary>
    private bool TryRestart(ref Tick data)
    {
        var stream = _streams.GetOrCreate(data.SymbolId);
        if (stream is null || !_streams.TryTakeStagedReset(data.SymbolId, data.Epoch, data.Seq, out var snapshot))
        {
            return false;
        }

        data.ServerTimeNs = _batchTimeNs;
        stream.Restart(in snapshot);
        return true;
    }

    private void Drop(ref Tick data)
    {
        data.Kind = TickKind.None;
        Volatile.Write(ref _dropped, _dropped + 1);
    }

    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedInt
    {
        [FieldOffset(64)]
        public int Value;
    }
}
