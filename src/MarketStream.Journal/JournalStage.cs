using MarketStream.Model;
using MarketStream.Core.Ring;
using MarketStream.Journal.Format;

namespace MarketStream.Journal;

/// <summary>
/// Ring stage beside fan-out (gated on the sequencer): encodes every sequenced quote and trade as a
/// journal record into the hand-off, in sequencer order, and wakes the writer thread at the end of a
/// ring batch. It never waits: when the hand-off is full (the disk is behind) the event is counted as
/// missed and journaling is paused until there is room again, when a gap record marks the hole.
/// </summary>
public sealed class JournalStage : IEventHandler<Tick>
{
    private readonly JournalHandOff _handOff;
    private readonly WriterWake _wake;
    private readonly bool _wakeEveryBatch;
    private long _appended;
    private long _missed;
    private long _missedSinceResume;
    private long _lastRingSequence = -1;
    private int _paused;
    private bool _pending;

    internal JournalStage(JournalHandOff handOff, WriterWake wake, bool wakeEveryBatch)
    {
        _handOff = handOff;
        _wake = wake;
        _wakeEveryBatch = wakeEveryBatch;
    }

    /// <summary>Records appended to the hand-off (any thread; for metrics).</summary>
    public long Appended => Volatile.Read(ref _appended);

    /// <summary>Sequenced events not journaled because the hand-off was full (any thread).</summary>
    public long Missed => Volatile.Read(ref _missed);

    /// <summary>True while the hand-off is full and events are being missed (any thread).</summary>
    public bool IsPaused => Volatile.Read(ref _paused) != 0;

    /// <summary>Last ring sequence this stage has handled (any thread).</summary>
    public long RingPosition => Volatile.Read(ref _lastRingSequence);

    public void OnEvent(ref Tick data, long sequence, bool endOfBatch)
    {
        if (data.Kind is TickKind.Quote or TickKind.Trade)
        {
            Append(in data);
        }

        Volatile.Write(ref _lastRingSequence, sequence);
        if (endOfBatch && _pending)
        {
            _pending = false;
            _wake.Notify();
        }
    }

    /// <summary>A processor halting mid-batch never sends <c>endOfBatch</c>: wake the writer for what is committed.</summary>
    public void OnShutdown() => _wake.Notify();

    private void Append(in Tick data)
    {
        if (_missedSinceResume > 0 && !TryWriteGap(data.ServerTimeNs))
        {
            Miss();
            return;
        }

        var chunk = _handOff.ProducingChunk;
        var room = _handOff.TryReserve(RecordWriter.MaxTickRecordLength);
        if (room.IsEmpty)
        {
            Miss();
            return;
        }

        _handOff.Advance(RecordWriter.WriteTick(room, in data));
        Volatile.Write(ref _appended, _appended + 1);

        // In interval mode the writer still hears of every sealed chunk, so the hand-off never
        // fills while the writer sleeps through its interval.
        _pending = _pending || _wakeEveryBatch || (chunk >= 0 && chunk != _handOff.ProducingChunk);
    }

    private bool TryWriteGap(long timeNs)
    {
        var room = _handOff.TryReserve(RecordWriter.RecordLength(JournalFormat.GapPayloadLength));
        if (room.IsEmpty)
        {
            return false;
        }

        _handOff.Advance(RecordWriter.WriteGap(room, _missedSinceResume, timeNs));
        _missedSinceResume = 0;
        Volatile.Write(ref _paused, 0);
        return true;
    }

    private void Miss()
    {
        _missedSinceResume++;
        Volatile.Write(ref _missed, _missed + 1);
        if (_paused == 0)
        {
            Volatile.Write(ref _paused, 1);
        }

        // The writer must hear of the full hand-off even in interval mode, so it frees room soon.
        _pending = true;
    }
}
