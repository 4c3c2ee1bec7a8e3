using MarketStream.Core.Market;
using MarketStream.Core.Ring;

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
/// </remarks>
internal sealed class SequencerStage : IEventHandler<Tick>
{
    private readonly SymbolStreamTable _streams;
    private readonly IUpdateEncoder _encoder;
    private readonly EngineClock _clock;
    private long _sequenced;
    private long _dropped;

    public SequencerStage(SymbolStreamTable streams, IUpdateEncoder encoder, EngineClock clock)
    {
        _streams = streams;
        _encoder = encoder;
        _clock = clock;
    }

    /// <summary>Ticks sequenced so far (any thread; for metrics).</summary>
    public long Sequenced => Volatile.Read(ref _sequenced);

    /// <summary>Ticks dropped so far (any thread; for metrics).</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    public void OnEvent(ref Tick data, long sequence, bool endOfBatch)
    {
        var stream = data.Kind is TickKind.Quote or TickKind.Trade ? _streams.GetOrCreate(data.SymbolId) : null;
        if (stream is null)
        {
            Drop(ref data);
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

        data.ServerTimeNs = _clock.UnixNanos();
        stream.Append(ref data, newEpoch, _encoder);
        Volatile.Write(ref _sequenced, _sequenced + 1);
    }

    private void Drop(ref Tick data)
    {
        data.Kind = TickKind.None;
        Volatile.Write(ref _dropped, _dropped + 1);
    }
}
